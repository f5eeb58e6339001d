// The simulated node's pull: the registry client fetches the image by digest (every blob verified)
// and unpacks its layers with whiteouts applied; registry and credential failures become
// OsBackendErrors naming the image. The simulated backend runs it on pull-pool.ts's worker threads.

import {
  CredentialsError,
  formatImageReference,
  type ImageReference,
  isRegistryError,
  pullAndUnpack,
  RegistryClient,
  type RegistryErrorCode,
} from "../../registry/index.ts";
import { OsBackendError, type OsBackendErrorCode, type PullCredentials } from "./backend.ts";

export interface SimulatedPullOptions {
  credentials: PullCredentials | undefined;
  insecureHosts: readonly string[];
  signal: AbortSignal;
  /** Runs after each layer is unpacked into `rootfs` (1-based `layer` of `layers`). */
  afterLayer?: (layer: number, layers: number) => Promise<void>;
}

const CODES: Record<RegistryErrorCode, OsBackendErrorCode> = {
  unauthorized: "unauthorized",
  "not-found": "image-not-found",
  "digest-mismatch": "digest-mismatch",
  unreachable: "registry-unreachable",
  protocol: "command-failed",
  "invalid-reference": "invalid-image",
  unsupported: "invalid-image",
  "unsafe-layer": "invalid-image",
};

/** Pulls `ref` (digest-pinned) into `rootfs`; on a throw the directory holds a partial tree. */
export async function pullRootfs(
  ref: ImageReference & { digest: string },
  rootfs: string,
  options: SimulatedPullOptions,
): Promise<void> {
  const image = formatImageReference(ref);
  const client = new RegistryClient({
    dockerConfigJson: options.credentials?.dockerConfigJson,
    insecure: options.insecureHosts.includes(ref.registry),
  });
  let digest: string;
  try {
    ({ digest } = await pullAndUnpack(ref, rootfs, {
      client,
      signal: options.signal,
      ...(options.afterLayer !== undefined ? { afterLayer: options.afterLayer } : {}),
    }));
  } catch (error) {
    options.signal.throwIfAborted();
    throw asOsBackendError(error, image);
  }
  if (digest !== ref.digest) {
    throw new OsBackendError("digest-mismatch", `image ${image}: the registry served ${digest}`);
  }
}

function asOsBackendError(error: unknown, image: string): unknown {
  if (isRegistryError(error)) {
    return new OsBackendError(CODES[error.code], `cannot pull image ${image}: ${error.message}`);
  }
  if (error instanceof CredentialsError) {
    // CredentialsError messages name keys and hosts, never values.
    return new OsBackendError("unauthorized", `cannot pull image ${image}: ${error.message}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OsBackendError("command-failed", `cannot unpack image ${image}: ${message}`);
}
