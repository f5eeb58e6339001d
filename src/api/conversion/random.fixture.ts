// Test support: a seeded PRNG (mulberry32) and realistic building blocks for generated objects.

import type { ObjectMeta } from "../object.ts";

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  chance(probability?: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  hex(length: number): string;
}

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(0, items.length - 1)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  };
  const sample = <T>(items: readonly T[], count: number): T[] => {
    const pool = [...items];
    const result: T[] = [];
    while (result.length < count && pool.length > 0) result.push(...pool.splice(int(0, pool.length - 1), 1));
    return result;
  };
  const hex = (length: number): string => Array.from({ length }, () => int(0, 15).toString(16)).join("");
  return { next, int, chance: (probability = 0.5) => next() < probability, pick, sample, hex };
}

export const NAMESPACE = "openshift-machine-config-operator";
const POOLS = ["layered", "worker", "infra", "gpu-nodes", "edge.site-1"] as const;
const REPOSITORIES = [
  "quay.io/example/os-image",
  "registry.example.com/ocp/layered",
  "image-registry.openshift-image-registry.svc:5000/openshift/os-image",
] as const;
const CONTAINERFILES = [
  "FROM configs AS final\nRUN rpm-ostree install tree && ostree container commit",
  "FROM configs AS final\nRUN dnf install -y htop && dnf clean all && ostree container commit",
  "FROM configs AS final\nCOPY motd /etc/motd\nRUN ostree container commit",
] as const;

export function poolName(random: Random): string {
  return random.pick(POOLS);
}

/** A tag push spec both versions accept (v1alpha1 allows a port only in the `.svc` form). */
export function pushSpec(random: Random, tag = random.pick(["latest", "v1", "4.16"])): string {
  return `${random.pick(REPOSITORIES)}:${tag}`;
}

/** A digest pull spec both versions accept (one namespace segment at most, no port). */
export function digestSpec(random: Random): string {
  return `${random.pick(["quay.io/example/os-image", "registry.example.com/ocp/layered"])}@sha256:${random.hex(64)}`;
}

export function secretName(random: Random): string {
  return random.pick(["push-secret", "builder-dockercfg-7lzwl", "global-pull-secret-copy", "pull-secret-2"]);
}

export function containerfileContent(random: Random): string {
  return random.pick(CONTAINERFILES);
}

/** An RFC 3339 timestamp in mid-2024, or up to two hours after `after`. */
export function timestamp(random: Random, after?: string): string {
  const start =
    after === undefined ? Date.UTC(2024, 4, 1) + random.int(0, 86_400 * 60) * 1000 : Date.parse(after);
  return new Date(start + random.int(1, 7200) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function conditions(random: Random, types: readonly string[]): Record<string, unknown>[] {
  return random.sample(types, random.int(0, Math.min(4, types.length))).map((type) => ({
    type,
    status: random.pick(["True", "False", "Unknown"]),
    reason: random.pick(["Ready", "BuildPending", "Building", "NotStarted"]),
    message: random.pick(["", "build is progressing", "done"]),
    lastTransitionTime: timestamp(random),
    ...(random.chance(0.3) ? { observedGeneration: random.int(0, 5) } : {}),
  }));
}

/** Metadata as the API server stores it, with optional labels, annotations and finalizers. */
export function metadata(random: Random, name: string): ObjectMeta {
  return {
    name,
    uid: `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`,
    resourceVersion: String(random.int(1, 99_999)),
    generation: random.int(1, 9),
    creationTimestamp: timestamp(random),
    ...(random.chance() ? { labels: { "machineconfiguration.openshift.io/machine-os-config": name } } : {}),
    ...(random.chance() ? { annotations: { "example.com/owner": "platform-team" } } : {}),
    ...(random.chance(0.2) ? { finalizers: ["foregroundDeletion"] } : {}),
  };
}
