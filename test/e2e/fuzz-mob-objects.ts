// Valid objects of each of mob's kinds, as a user would write them, for the fuzz to send and to
// mutate. Names keep to per-kind prefixes so a fuzzed MachineOSConfig never names a real pool (which
// would start a build) and a fuzzed MachineConfig never joins the seeded or default pools.

import type { Json, JsonObject, Random } from "./fuzz-mob-random.ts";

export const GROUP = "machineconfiguration.openshift.io";
/** The role label the fuzz's MachineConfigs carry; only the fuzz's own pools select it. */
export const FUZZ_ROLE = "fuzz";

export type KindName = "MachineConfig" | "MachineConfigPool" | "MachineOSConfig" | "MachineOSBuild";

export interface FuzzKind {
  kind: KindName;
  version: "v1" | "v1alpha1";
  plural: string;
  statusSubresource: boolean;
  /** Names this kind's fuzzed objects take: `<prefix><slot>`. */
  prefix: string;
  valid(random: Random, name: string): JsonObject;
}

export function collectionPath(kind: FuzzKind): string {
  return `/apis/${GROUP}/${kind.version}/${kind.plural}`;
}

const PUSH_SPEC = "registry.fuzz.example.com:5000/fuzz/os-image:latest";
const UNIT =
  "[Unit]\nDescription=fuzz\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n";

function meta(name: string, labels: Record<string, string> = {}): JsonObject {
  return { name, labels };
}

/** An Ignition 3.x config with files (plain and base64 data URLs) and systemd units. */
export function ignitionConfig(random: Random, tag: string): JsonObject {
  const files: Json[] = [
    {
      path: `/etc/fuzz/${tag}.conf`,
      mode: random.pick([0o644, 0o600, 0o755]),
      overwrite: true,
      contents: { source: `data:,${encodeURIComponent(`fuzz ${tag}\n`)}` },
    },
  ];
  if (random.chance(0.5)) {
    files.push({
      path: `/etc/fuzz/${tag}.b64`,
      mode: 0o644,
      contents: { source: `data:;base64,${Buffer.from(`base64 ${tag}\n`).toString("base64")}` },
    });
  }
  const config: JsonObject = {
    ignition: { version: random.pick(["3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0"]) },
    storage: { files },
  };
  if (random.chance(0.6)) {
    config.systemd = { units: [{ name: `fuzz-${tag}.service`, enabled: true, contents: UNIT }] };
  }
  return config;
}

export const MACHINE_CONFIG: FuzzKind = {
  kind: "MachineConfig",
  version: "v1",
  plural: "machineconfigs",
  statusSubresource: false,
  prefix: "fuzz-mc-",
  valid: (random, name) => {
    const spec: JsonObject = { config: ignitionConfig(random, name) };
    if (random.chance(0.3)) spec.kernelArguments = ["quiet", `fuzz.tag=${name}`];
    if (random.chance(0.2)) spec.extensions = ["usbguard"];
    if (random.chance(0.2)) spec.kernelType = "default";
    if (random.chance(0.2)) spec.fips = false;
    return {
      apiVersion: `${GROUP}/v1`,
      kind: "MachineConfig",
      metadata: meta(name, { [`${GROUP}/role`]: FUZZ_ROLE }),
      spec,
    };
  },
};

/** A pool of the fuzz's own MachineConfigs; its node selector matches no node. */
export function poolObject(name: string, spec: JsonObject = {}): JsonObject {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: "MachineConfigPool",
    metadata: meta(name),
    spec: {
      machineConfigSelector: { matchLabels: { [`${GROUP}/role`]: FUZZ_ROLE } },
      nodeSelector: { matchLabels: { "node-role.kubernetes.io/fuzz-nobody": "" } },
      ...spec,
    },
  };
}

export const MACHINE_CONFIG_POOL: FuzzKind = {
  kind: "MachineConfigPool",
  version: "v1",
  plural: "machineconfigpools",
  statusSubresource: true,
  prefix: "fuzz-pool-",
  valid: (random, name) =>
    poolObject(name, {
      paused: random.chance(0.5),
      maxUnavailable: random.pick<Json>([1, 2, "50%"]),
      ...(random.chance(0.3) ? { pinnedImageSets: [{ name: "fuzz-pins" }] } : {}),
    }),
};

/** A v1 MachineOSConfig for the pool of the same name. */
export function moscObject(name: string, content = "RUN echo fuzz > /etc/fuzz-release"): JsonObject {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: "MachineOSConfig",
    metadata: meta(name),
    spec: {
      machineConfigPool: { name },
      imageBuilder: { imageBuilderType: "Job" },
      renderedImagePushSecret: { name: "mob-registry-push" },
      renderedImagePushSpec: PUSH_SPEC,
      containerFile: [{ containerfileArch: "NoArch", content }],
    },
  };
}

export const MACHINE_OS_CONFIG: FuzzKind = {
  kind: "MachineOSConfig",
  version: "v1",
  plural: "machineosconfigs",
  statusSubresource: true,
  prefix: "fuzz-osc-",
  valid: (random, name) => {
    const mosc = moscObject(name);
    if (random.chance(0.5))
      (mosc.spec as JsonObject).baseImagePullSecret = { name: "global-pull-secret-copy" };
    return mosc;
  },
};

export const MACHINE_OS_CONFIG_V1ALPHA1: FuzzKind = {
  kind: "MachineOSConfig",
  version: "v1alpha1",
  plural: "machineosconfigs",
  statusSubresource: true,
  prefix: "fuzz-oscalpha-",
  valid: (random, name) => ({
    apiVersion: `${GROUP}/v1alpha1`,
    kind: "MachineOSConfig",
    metadata: meta(name),
    spec: {
      machineConfigPool: { name },
      buildInputs: {
        imageBuilder: { imageBuilderType: "PodImageBuilder" },
        baseImagePullSecret: { name: "global-pull-secret-copy" },
        renderedImagePushSecret: { name: "mob-registry-push" },
        renderedImagePushspec: "image-registry.openshift-image-registry.svc:5000/openshift/os-image:latest",
        containerFile: [{ containerfileArch: random.pick(["noarch", "amd64"]), content: "RUN true" }],
        ...(random.chance(0.4) ? { releaseVersion: "4.16.0" } : {}),
      },
      ...(random.chance(0.4) ? { buildOutputs: { currentImagePullSecret: { name: "pull" } } } : {}),
    },
  }),
};

export const MACHINE_OS_BUILD: FuzzKind = {
  kind: "MachineOSBuild",
  version: "v1",
  plural: "machineosbuilds",
  statusSubresource: true,
  prefix: "fuzz-osb-",
  valid: (random, name) => ({
    apiVersion: `${GROUP}/v1`,
    kind: "MachineOSBuild",
    metadata: meta(name),
    spec: {
      machineConfig: { name: `rendered-fuzz-${random.int(1e6).toString(16).padStart(6, "0")}` },
      machineOSConfig: { name: `fuzz-osc-${random.int(4)}` },
      renderedImagePushSpec: `registry.fuzz.example.com/fuzz/os-image:${name}`,
    },
  }),
};

export const MACHINE_OS_BUILD_V1ALPHA1: FuzzKind = {
  kind: "MachineOSBuild",
  version: "v1alpha1",
  plural: "machineosbuilds",
  statusSubresource: true,
  prefix: "fuzz-osbalpha-",
  valid: (random, name) => ({
    apiVersion: `${GROUP}/v1alpha1`,
    kind: "MachineOSBuild",
    metadata: meta(name),
    spec: {
      configGeneration: 1 + random.int(3),
      version: 1 + random.int(3),
      desiredConfig: { name: "rendered-fuzz-0123456789" },
      machineOSConfig: { name: `fuzz-oscalpha-${random.int(4)}` },
      renderedImagePushspec: "registry.fuzz.example.com/fuzz/os-image:alpha",
    },
  }),
};

export const FUZZ_KINDS: readonly FuzzKind[] = [
  MACHINE_CONFIG,
  MACHINE_CONFIG_POOL,
  MACHINE_OS_CONFIG,
  MACHINE_OS_CONFIG_V1ALPHA1,
  MACHINE_OS_BUILD,
  MACHINE_OS_BUILD_V1ALPHA1,
];
