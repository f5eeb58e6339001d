// How the node agent changes a node's operating system, whatever the node is: an rpm-ostree host,
// a bootc host, or a simulated node whose OS is a directory tree. One conformance suite runs
// against every implementation (os/backend-conformance.ts).

/** One bootable OS tree on the node, as the backend reports it. */
export interface Deployment {
  /** Backend-specific identity (ostree checksum, bootc image digest, simulated deployment id). */
  id: string;
  /** The container image this tree came from, digest-pinned (`repo@sha256:…`); undefined for a tree not built from an image. */
  image: string | undefined;
  /** The image's digest alone (`sha256:…`), when known. */
  imageDigest: string | undefined;
  /** os-release ID/VERSION_ID of the tree, when known. */
  osRelease: Record<string, string>;
}

export interface OsStatus {
  booted: Deployment;
  /** Staged for the next boot (after a rebase, before the reboot). */
  staged: Deployment | undefined;
  /** The previous booted tree, kept for rollback. */
  rollback: Deployment | undefined;
}

/** Registry credentials for a pull: a dockerconfigjson document (never logged). */
export interface PullCredentials {
  dockerConfigJson: string;
}

export interface OsBackend {
  /** `rpm-ostree`, `bootc` or `simulated`. */
  readonly name: string;
  /**
   * The host root (host-root.ts): where the booted tree's files are, as the daemon sees them. Every
   * node path the daemon reads or writes (config files, CA bundle, on-disk state) is resolved under
   * it: `/rootfs` in the DaemonSet's pod, `/` when run on the host, the booted tree's directory for
   * the simulated backend.
   */
  readonly rootDir: string;
  status(signal: AbortSignal): Promise<OsStatus>;
  /** Pulls the digest-pinned image and stages it for the next boot. Throws OsBackendError. */
  rebase(image: string, options: { credentials?: PullCredentials; signal: AbortSignal }): Promise<void>;
  /** Discards a staged deployment (after a failure), if any. */
  cleanupStaged(signal: AbortSignal): Promise<void>;
  /**
   * Reboots into the staged deployment. On a real host this does not return (the process dies with
   * the machine); the simulated backend swaps booted ← staged and returns.
   */
  reboot(signal: AbortSignal): Promise<void>;
}

export type OsBackendErrorCode =
  | "image-not-found"
  | "unauthorized"
  | "digest-mismatch"
  | "registry-unreachable"
  | "command-failed"
  | "invalid-image"
  | "no-staged-deployment";

/** A failure the daemon reports as the node's Degraded reason; the message names the image, never a secret. */
export class OsBackendError extends Error {
  readonly code: OsBackendErrorCode;

  constructor(code: OsBackendErrorCode, message: string) {
    super(message);
    this.name = "OsBackendError";
    this.code = code;
  }
}
