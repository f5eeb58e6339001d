// The fuzz's source of randomness: a seeded PRNG (mulberry32, so a failing seed reproduces), random
// JSON values, and blind mutations of a valid object (retype, remove or replace a random node).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Words the generic generator draws from; none of them names a pool or role the stack already has. */
const WORDS = ["a", "b", "c1", "fuzz", "True", "Job", "NoArch", "default", "kube-system", "-", "/", "~"];
const KEYS = [
  "metadata",
  "spec",
  "status",
  "name",
  "labels",
  "annotations",
  "finalizers",
  "resourceVersion",
  "generation",
  "config",
  "ignition",
  "version",
  "storage",
  "files",
  "systemd",
  "units",
  "machineConfigSelector",
  "nodeSelector",
  "paused",
  "maxUnavailable",
  "machineConfigPool",
  "imageBuilder",
  "renderedImagePushSpec",
  "containerFile",
  "conditions",
  "$patch",
  "__proto__",
  "constructor",
  "apiVersion",
  "kind",
];

export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  string(): string {
    switch (this.int(7)) {
      case 0:
        return "";
      case 1:
        return "x".repeat(this.pick([64, 254, 448, 5000]));
      case 2:
        return String.fromCharCode(...Array.from({ length: 1 + this.int(16) }, () => this.int(0x10000)));
      case 3:
        return `${this.int(1e6)}`;
      case 4:
        return this.pick(WORDS);
      default:
        return Array.from({ length: 1 + this.int(12) }, () =>
          this.pick([..."abcdefghijklmnopqrstuvwxyz0123456789-._/:@ !"]),
        ).join("");
    }
  }

  key(): string {
    return this.chance(0.8) ? this.pick(KEYS) : this.string();
  }

  value(depth = 0): Json {
    if (depth > 3 || this.chance(0.45)) {
      return this.pick<() => Json>([
        () => null,
        () => this.chance(0.5),
        () => this.pick([0, -1, 1, 1.5, 2 ** 53, -(2 ** 63), 1e308]),
        () => this.string(),
      ])();
    }
    if (this.chance(0.4)) return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
    const object: JsonObject = {};
    for (let i = this.int(4); i > 0; i--) object[this.key()] = this.value(depth + 1);
    return object;
  }

  /** Replaces, removes or retypes one to three random nodes of a copy of `base`. */
  mutate(base: Json): Json {
    const copy = structuredClone(base);
    for (let n = 1 + this.int(3); n > 0; n--) this.#mutateOnce(copy);
    return copy;
  }

  #mutateOnce(root: Json): void {
    let node: Json = root;
    for (let depth = 0; depth < 8; depth++) {
      if (node === null || typeof node !== "object") return;
      const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
      if (keys.length === 0) return;
      const key = this.pick(keys);
      const child: Json | undefined = Array.isArray(node) ? node[key as number] : node[key as string];
      if (child !== null && typeof child === "object" && this.chance(0.65)) {
        node = child;
        continue;
      }
      const replacement = this.chance(0.2) ? undefined : this.value(2);
      if (Array.isArray(node)) {
        if (replacement === undefined) node.splice(key as number, 1);
        else node[key as number] = replacement;
      } else if (replacement === undefined) {
        delete node[key as string];
      } else {
        node[key as string] = replacement;
      }
      return;
    }
  }

  /** Bytes that are neither JSON nor YAML nor protobuf. */
  bytes(): string {
    return String.fromCharCode(...Array.from({ length: 1 + this.int(1500) }, () => this.int(256)));
  }
}

/** `base` as JSON text with `spec.<field>` nested `depth` objects deep. */
export function deeplyNested(base: JsonObject, field: string, depth: number): string {
  const marker = "__fuzz_deep__";
  const spec = (base.spec ?? {}) as JsonObject;
  const text = JSON.stringify({ ...base, spec: { ...spec, [field]: marker } });
  return text.replace(`"${marker}"`, `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
}
