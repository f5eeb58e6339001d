// The host root: the directory where the node's own filesystem is, as the daemon sees it. On a
// real cluster the daemon is a DaemonSet pod with the host's `/` mounted at /rootfs (as upstream's
// machine-config daemon has it), so the host root is /rootfs; run straight on a host it is `/`.
// Everything the daemon does to the node goes through it: files it writes for the OS
// (config files, the CA bundle, the on-disk state, the registry auth file) are paths under it, and
// host commands (rpm-ostree, bootc, ostree, systemctl) run inside it.
//
// Host commands run as `chroot <host root> <command> …`, not through `nsenter` into PID 1's mount
// namespace: chroot is what upstream's daemon does (it chroots into /rootfs); it needs only the
// /rootfs mount, not the host's PID namespace; and commands see exactly the tree the daemon writes
// files into, so the auth file written under the host root is the one the host's rpm-ostree and
// bootc read (and a directory can stand for the host in tests). The host's /run, /proc and /sys
// come with the recursive /rootfs mount, so the CLIs reach rpm-ostreed, systemd and D-Bus through
// the host's own sockets.

import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";

/** Where the DaemonSet mounts the host's `/` in the daemon's container. */
export const POD_HOST_ROOT = "/rootfs";

/** Files that exist on every host the daemon supports (systemd's os-release locations). */
const OS_RELEASE_PATHS = ["/etc/os-release", "/usr/lib/os-release"] as const;

/**
 * The host root to use when none is configured: `candidate` (default /rootfs) when it holds an
 * os-release file, so it is a host's root and not an empty mount point; otherwise `/`.
 */
export async function detectHostRoot(candidate: string = POD_HOST_ROOT): Promise<string> {
  return (await holdsOsRelease(candidate)) ? candidate : "/";
}

/**
 * The host root for a `--host-root` value: the configured directory (absolute), which must hold an
 * os-release file so a missing mount is never mistaken for the host; unset, `detectHostRoot()`.
 */
export async function resolveHostRoot(configured: string | undefined, candidate?: string): Promise<string> {
  if (configured === undefined) return detectHostRoot(candidate);
  const root = resolve(configured);
  if (!(await holdsOsRelease(root))) {
    throw new Error(
      `host root ${root} has no etc/os-release or usr/lib/os-release: is the host's / mounted there?`,
    );
  }
  return root;
}

/** Whether `root` looks like an operating system's root (it has an os-release file). */
export async function holdsOsRelease(root: string): Promise<boolean> {
  for (const path of OS_RELEASE_PATHS) {
    const stats = await stat(join(root, path)).catch(() => undefined);
    if (stats?.isFile() === true) return true;
  }
  return false;
}

/** `command args…` as run in the host root: unchanged for `/`, else wrapped in `chroot <root>`. */
export function hostCommandLine(
  hostRoot: string,
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  if (isHostRootSlash(hostRoot)) return { command, args: [...args] };
  return { command: "chroot", args: [hostRoot, command, ...args] };
}

/** The daemon's path for `path` as the host sees it (`/run/ostree/auth.json` → `/rootfs/run/…`). */
export function pathInHostRoot(hostRoot: string, path: string): string {
  return isHostRootSlash(hostRoot) ? path : join(hostRoot, path);
}

function isHostRootSlash(hostRoot: string): boolean {
  return hostRoot.replace(/\/+$/, "") === "";
}
