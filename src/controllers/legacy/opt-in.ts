// The 4.14 opt-in as data, pure: a pool labelled `layering-enabled` plus the `on-cluster-build-config`
// (and optional `on-cluster-build-custom-dockerfile`) ConfigMaps → the spec of the MachineOSConfig
// mob manages for that pool, or the list of problems, each naming the ConfigMap key at fault.

import { MCO_NAMESPACE, PoolKeys, V1 } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSConfig, MachineOSConfigSpec } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { parseImageReference } from "../../registry/reference.ts";
import { BuildConfigKeys, LegacyConfigMaps, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "./constants.ts";

export interface Issue {
  /** `<configmap>.data.<key>`, or the ConfigMap name when the whole object is missing. */
  path: string;
  code: "Missing" | "Invalid" | "TooLong";
  message: string;
}

export type Desired = { ok: true; spec: MachineOSConfigSpec } | { ok: false; issues: Issue[] };

/** What MachineOSConfig spec.containerFile[].content holds at most (the CRD's maxLength). */
export const MAX_CONTAINERFILE_LENGTH = 4096;

export function isOptedIn(pool: MachineConfigPool | undefined): boolean {
  if (pool === undefined || pool.metadata.deletionTimestamp !== undefined) return false;
  return pool.metadata.labels?.[PoolKeys.layeringEnabled] !== undefined;
}

export function isManaged(object: KubeObject | undefined): boolean {
  return object?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

export const keyPath = (configMap: string, key: string): string => `${configMap}.data.${key}`;

function where(configMap: string, key: string): string {
  return `ConfigMap ${MCO_NAMESPACE}/${configMap} key ${key}`;
}

function dataOf(configMap: KubeObject | undefined): Record<string, unknown> {
  const data = configMap?.data;
  return typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
}

/** The MachineOSConfig spec the ConfigMaps ask for, for pool `pool`. */
export function desiredSpec(
  pool: string,
  buildConfig: KubeObject | undefined,
  dockerfiles: KubeObject | undefined,
): Desired {
  const cm = LegacyConfigMaps.buildConfig;
  if (buildConfig === undefined) {
    const message = `ConfigMap ${MCO_NAMESPACE}/${cm} is missing; it needs keys ${Object.values(BuildConfigKeys).join(", ")}`;
    return { ok: false, issues: [{ path: cm, code: "Missing", message }] };
  }
  const data = dataOf(buildConfig);
  const issues: Issue[] = [];
  const value = (key: string): string => {
    const raw = data[key];
    if (typeof raw === "string" && raw.trim() !== "") return raw.trim();
    issues.push({
      path: keyPath(cm, key),
      code: "Missing",
      message: `${where(cm, key)} is missing or empty`,
    });
    return "";
  };
  const pullSecret = value(BuildConfigKeys.baseImagePullSecretName);
  const pushSecret = value(BuildConfigKeys.finalImagePushSecretName);
  const pullspec = value(BuildConfigKeys.finalImagePullspec);
  const pushSpec = pullspec === "" ? "" : taggedPushSpec(pullspec, issues);
  const containerFile = customDockerfile(pool, dockerfiles, issues);
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    spec: {
      machineConfigPool: { name: pool },
      imageBuilder: { imageBuilderType: "Job" },
      baseImagePullSecret: { name: pullSecret },
      renderedImagePushSecret: { name: pushSecret },
      renderedImagePushSpec: pushSpec,
      ...(containerFile !== undefined
        ? { containerFile: [{ containerfileArch: "NoArch", content: containerFile }] }
        : {}),
    },
  };
}

/** 4.14 ignored the tag (images are tagged per build); a MachineOSConfig needs one, so add `latest`. */
function taggedPushSpec(pullspec: string, issues: Issue[]): string {
  const { buildConfig } = LegacyConfigMaps;
  const key = BuildConfigKeys.finalImagePullspec;
  try {
    const ref = parseImageReference(pullspec);
    if (ref.digest !== undefined) {
      issues.push({
        path: keyPath(buildConfig, key),
        code: "Invalid",
        message: `${where(buildConfig, key)} must name a repository (host[:port]/repo[:tag]), not a digest: "${pullspec}"`,
      });
      return "";
    }
    return ref.tag === undefined ? `${pullspec}:latest` : pullspec;
  } catch (error) {
    issues.push({
      path: keyPath(buildConfig, key),
      code: "Invalid",
      message: `${where(buildConfig, key)} is not an image reference: ${(error as Error).message}`,
    });
    return "";
  }
}

function customDockerfile(pool: string, dockerfiles: KubeObject | undefined, issues: Issue[]) {
  const raw = dataOf(dockerfiles)[pool];
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  if (raw.length > MAX_CONTAINERFILE_LENGTH) {
    const cm = LegacyConfigMaps.customDockerfile;
    issues.push({
      path: keyPath(cm, pool),
      code: "TooLong",
      message: `${where(cm, pool)} is ${raw.length} characters; a MachineOSConfig Containerfile holds at most ${MAX_CONTAINERFILE_LENGTH}`,
    });
    return undefined;
  }
  return raw;
}

/** A new managed MachineOSConfig for `pool`. */
export function managedMachineOSConfig(pool: string, spec: MachineOSConfigSpec): MachineOSConfig {
  return {
    apiVersion: V1,
    kind: "MachineOSConfig",
    metadata: { name: pool, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } },
    spec,
  };
}

/** The MachineOSConfig spec field a ConfigMap key feeds, to name the key in an API rejection. */
export function keyForField(field: string, pool: string): string | undefined {
  const fields: [string, string, string][] = [
    ["spec.renderedImagePushSpec", LegacyConfigMaps.buildConfig, BuildConfigKeys.finalImagePullspec],
    ["spec.renderedImagePushSecret", LegacyConfigMaps.buildConfig, BuildConfigKeys.finalImagePushSecretName],
    ["spec.baseImagePullSecret", LegacyConfigMaps.buildConfig, BuildConfigKeys.baseImagePullSecretName],
    ["spec.containerFile", LegacyConfigMaps.customDockerfile, pool],
  ];
  const found = fields.find(([prefix]) => field.startsWith(prefix));
  return found === undefined ? undefined : where(found[1], found[2]);
}

export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((issue) => issue.message).join("; ");
}
