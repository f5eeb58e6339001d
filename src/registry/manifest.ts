// Manifests, indexes and image configs as the client reads them, with the minimal shape checks that
// keep later code honest; anything else in the JSON is kept but not looked at.

import { isIndexMediaType, isManifestMediaType } from "./media-types.ts";
import { isDigest } from "./reference.ts";

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType: string;
  manifests: Descriptor[];
}

export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  config?: { Labels?: Record<string, string> | null; Env?: string[]; Cmd?: string[]; Entrypoint?: string[] };
  rootfs: { type: string; diff_ids: string[] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isDescriptor(value: unknown): value is Descriptor {
  return (
    isObject(value) &&
    typeof value.mediaType === "string" &&
    typeof value.digest === "string" &&
    isDigest(value.digest) &&
    typeof value.size === "number" &&
    Number.isSafeInteger(value.size) &&
    value.size >= 0
  );
}

function parseJson(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new TypeError(`${what} is not valid JSON`);
  }
  if (!isObject(value)) throw new TypeError(`${what} is not a JSON object`);
  return value;
}

/** Parses a manifest or index; `contentType` is the response's media type, if it named one. */
export function parseManifest(
  bytes: Uint8Array,
  contentType: string | undefined,
): ImageManifest | ImageIndex {
  const json = parseJson(bytes, "manifest");
  const declared = typeof json.mediaType === "string" ? json.mediaType : undefined;
  const fromHeader = contentType?.split(";")[0]?.trim();
  const mediaType =
    declared ?? (fromHeader !== undefined && fromHeader !== "application/json" ? fromHeader : undefined);
  const looksLikeIndex = Array.isArray(json.manifests);
  if (
    (mediaType !== undefined && isIndexMediaType(mediaType)) ||
    (mediaType === undefined && looksLikeIndex)
  ) {
    const manifests = json.manifests;
    if (!Array.isArray(manifests) || !manifests.every(isDescriptor)) {
      throw new TypeError("index has no valid manifests list");
    }
    return { ...json, schemaVersion: Number(json.schemaVersion), mediaType: mediaType ?? "", manifests };
  }
  if (mediaType !== undefined && !isManifestMediaType(mediaType)) {
    throw new TypeError(`unsupported manifest media type "${mediaType}"`);
  }
  const { config, layers } = json;
  if (!isDescriptor(config) || !Array.isArray(layers) || !layers.every(isDescriptor)) {
    throw new TypeError("manifest has no valid config and layers");
  }
  return { ...json, schemaVersion: Number(json.schemaVersion), mediaType: mediaType ?? "", config, layers };
}

export function isImageIndex(manifest: ImageManifest | ImageIndex): manifest is ImageIndex {
  return "manifests" in manifest;
}

export function parseImageConfig(bytes: Uint8Array): ImageConfig {
  const json = parseJson(bytes, "image config");
  const rootfs = json.rootfs;
  if (
    typeof json.architecture !== "string" ||
    typeof json.os !== "string" ||
    !isObject(rootfs) ||
    !Array.isArray(rootfs.diff_ids) ||
    !rootfs.diff_ids.every((id) => typeof id === "string")
  ) {
    throw new TypeError("image config lacks architecture, os or rootfs.diff_ids");
  }
  return json as unknown as ImageConfig;
}

const NODE_TO_OCI_ARCH: Record<string, string> = {
  x64: "amd64",
  arm64: "arm64",
  arm: "arm",
  ia32: "386",
  ppc64: "ppc64le",
  s390x: "s390x",
  riscv64: "riscv64",
};

/** The OCI platform of this machine. */
export function hostPlatform(): Platform {
  return { os: "linux", architecture: NODE_TO_OCI_ARCH[process.arch] ?? process.arch };
}

/** The index entry for `platform`: exact variant first, then any entry of that os and architecture. */
export function selectPlatform(index: ImageIndex, platform: Platform): Descriptor | undefined {
  const candidates = index.manifests.filter(
    (d) => d.platform?.os === platform.os && d.platform.architecture === platform.architecture,
  );
  if (platform.variant !== undefined) {
    const exact = candidates.find((d) => d.platform?.variant === platform.variant);
    if (exact !== undefined) return exact;
  }
  return candidates[0];
}
