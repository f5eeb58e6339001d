// Image references as the OS backends see them: the digest-pinned reference every rebase requires,
// and the ostree-container forms rpm-ostree reports (`ostree-unverified-registry:quay.io/x@sha256:…`,
// `ostree-remote-image:fedora:docker://quay.io/x:tag`, `ostree-image-signed:registry:…`).

import {
  formatImageReference,
  type ImageReference,
  isRegistryError,
  parseImageReference,
  withDigest,
} from "../../registry/index.ts";
import { OsBackendError } from "./backend.ts";

/** The image parsed and checked to carry a digest; anything else is `invalid-image`. */
export function requirePinnedImage(image: string): ImageReference & { digest: string } {
  let ref: ImageReference;
  try {
    ref = parseImageReference(image);
  } catch (error) {
    if (!isRegistryError(error)) throw error;
    throw new OsBackendError("invalid-image", `image ${image} is not a valid image reference`);
  }
  const { digest } = ref;
  if (digest === undefined) {
    throw new OsBackendError("invalid-image", `image ${image} is not pinned by digest (repo@sha256:…)`);
  }
  return { ...ref, digest };
}

/** `repo@digest` for an image name (tagged or pinned) and the digest the host resolved it to. */
export function pinnedName(name: string | undefined, digest: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  try {
    const ref = parseImageReference(name);
    const pin = digest ?? ref.digest;
    return pin === undefined ? undefined : formatImageReference(withDigest(ref, pin));
  } catch (error) {
    if (isRegistryError(error)) return undefined;
    throw error;
  }
}

/** Transports whose name is a registry pull spec; other transports (oci, containers-storage) are local. */
const REGISTRY_TRANSPORTS = ["registry:", "docker://"];

/**
 * The registry pull spec inside an ostree image reference, or undefined when the image does not come
 * from a registry (a local oci directory, containers-storage) or the text is not an ostree reference.
 */
export function registryNameOf(ostreeReference: string): string | undefined {
  const colon = ostreeReference.indexOf(":");
  if (colon < 0) return undefined;
  const scheme = ostreeReference.slice(0, colon);
  let rest = ostreeReference.slice(colon + 1);
  if (scheme === "ostree-unverified-registry") return rest;
  if (scheme === "ostree-remote-registry") {
    // `ostree-remote-registry:<remote>:<pull spec>`
    const next = rest.indexOf(":");
    return next < 0 ? undefined : rest.slice(next + 1);
  }
  if (scheme === "ostree-remote-image") {
    const next = rest.indexOf(":");
    if (next < 0) return undefined;
    rest = rest.slice(next + 1);
  } else if (scheme !== "ostree-unverified-image" && scheme !== "ostree-image-signed") {
    return undefined;
  }
  const transport = REGISTRY_TRANSPORTS.find((prefix) => rest.startsWith(prefix));
  return transport === undefined ? undefined : rest.slice(transport.length);
}
