// Media types of the OCI image spec and Docker's schema 2 that the client reads.

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

/** Sent on every manifest request; a registry without these may down-convert to schema 1. */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST].join(", ");

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

export function isManifestMediaType(mediaType: string): boolean {
  return mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST;
}

export type LayerCompression = "none" | "gzip" | "zstd";

/**
 * How a layer blob is compressed, from its media type; undefined for media types that are not layers.
 * Covers the OCI types (including the deprecated non-distributable ones) and Docker's rootfs diff.
 */
export function layerCompression(mediaType: string): LayerCompression | undefined {
  if (
    mediaType === "application/vnd.docker.image.rootfs.diff.tar.gzip" ||
    mediaType === "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
  ) {
    return "gzip";
  }
  const match = /^application\/vnd\.oci\.image\.layer\.(?:nondistributable\.)?v1\.tar(\+gzip|\+zstd)?$/.exec(
    mediaType,
  );
  if (match === null) return undefined;
  if (match[1] === "+gzip") return "gzip";
  if (match[1] === "+zstd") return "zstd";
  return "none";
}
