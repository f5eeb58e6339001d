// Reads `bootc status --format=json --format-version=1`: a `BootcHost` object
// (apiVersion org.containers.bootc/v1, v1alpha1 on older bootc — same fields) whose `status` holds
// `booted`, `staged` and `rollback` boot entries, each null or
// `{image: {image: {image, transport}, version, imageDigest, …} | null, ostree: {checksum, deploySerial}}`.

import { type Deployment, OsBackendError, type OsStatus } from "./backend.ts";
import { pinnedName } from "./image-refs.ts";
import { isObject, type JsonObject, objectField, parseJson, stringField } from "./json-fields.ts";

export function parseBootcStatus(text: string): OsStatus {
  const parsed = parseJson(text);
  if (!isObject(parsed) || parsed.kind !== "BootcHost") {
    throw new OsBackendError("command-failed", "bootc status: output is not a BootcHost document");
  }
  const status = objectField(parsed, "status") ?? {};
  const booted = objectField(status, "booted");
  if (booted === undefined) {
    // bootc documents `status.booted == null` as "this system is not deployed via bootc".
    throw new OsBackendError("command-failed", "bootc status: the host was not booted through bootc");
  }
  const staged = objectField(status, "staged");
  const rollback = objectField(status, "rollback");
  return {
    booted: toDeployment(booted),
    staged: staged === undefined ? undefined : toDeployment(staged),
    rollback: rollback === undefined ? undefined : toDeployment(rollback),
  };
}

function toDeployment(entry: JsonObject): Deployment {
  const image = objectField(entry, "image");
  const reference = image === undefined ? undefined : objectField(image, "image");
  const digest = image === undefined ? undefined : stringField(image, "imageDigest");
  const version = image === undefined ? undefined : stringField(image, "version");
  // Only the registry transport names something pullable; oci directories and containers-storage do not.
  const name =
    reference !== undefined && (stringField(reference, "transport") ?? "registry") === "registry"
      ? stringField(reference, "image")
      : undefined;
  const checksum = stringField(objectField(entry, "ostree") ?? {}, "checksum");
  return {
    id: digest ?? checksum ?? "unknown",
    image: pinnedName(name, digest),
    imageDigest: digest,
    // The image's version label; on ostree-based OSes the same value as os-release OSTREE_VERSION.
    osRelease: version === undefined ? {} : { OSTREE_VERSION: version },
  };
}
