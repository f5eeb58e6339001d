// Reads `rpm-ostree status --json`: `deployments[]` in boot order (a staged or pending deployment
// first, then the booted one, then the rollback), each with `id` (`<osname>-<checksum>.<serial>`),
// `checksum`, `booted`, `staged`, `version` and, for container-based trees,
// `container-image-reference` (an ostree image reference) and `container-image-reference-digest`.

import { type Deployment, OsBackendError, type OsStatus } from "./backend.ts";
import { pinnedName, registryNameOf } from "./image-refs.ts";
import { isObject, type JsonObject, parseJson, stringField } from "./json-fields.ts";

export function parseRpmOstreeStatus(text: string): OsStatus {
  const parsed = parseJson(text);
  const entries = isObject(parsed) ? parsed.deployments : undefined;
  if (!Array.isArray(entries)) {
    throw new OsBackendError("command-failed", "rpm-ostree status --json: no deployments array");
  }
  const deployments = entries.filter(isObject);
  const bootedIndex = deployments.findIndex((entry) => entry.booted === true);
  const booted = deployments[bootedIndex];
  if (booted === undefined) {
    throw new OsBackendError("command-failed", "rpm-ostree status --json: no booted deployment");
  }
  // A deployment ahead of the booted one is the next boot: staged (finalized at shutdown) or, from
  // older rpm-ostree or `rpm-ostree rollback`, already written to the bootloader ("pending").
  const staged = deployments.find((entry) => entry.staged === true) ?? deployments.slice(0, bootedIndex)[0];
  const rollback = deployments.slice(bootedIndex + 1)[0];
  return {
    booted: toDeployment(booted),
    staged: staged === undefined ? undefined : toDeployment(staged),
    rollback: rollback === undefined ? undefined : toDeployment(rollback),
  };
}

function toDeployment(entry: JsonObject): Deployment {
  const reference = stringField(entry, "container-image-reference");
  const name = reference === undefined ? undefined : registryNameOf(reference);
  const digest = stringField(entry, "container-image-reference-digest");
  const version = stringField(entry, "version");
  return {
    id: stringField(entry, "id") ?? stringField(entry, "checksum") ?? "unknown",
    image: pinnedName(name, digest),
    imageDigest: digest ?? (name === undefined ? undefined : pinnedDigest(name)),
    // rpm-ostree reports the tree's version, which ostree-based OSes also publish as OSTREE_VERSION.
    osRelease: version === undefined ? {} : { OSTREE_VERSION: version },
  };
}

function pinnedDigest(name: string): string | undefined {
  const at = name.lastIndexOf("@");
  return at < 0 ? undefined : name.slice(at + 1);
}
