// Maps a config path (absolute, as seen inside the image) to a host path under `root`, following
// symlinks the way a chroot would: an absolute link target restarts at `root`, `..` never climbs
// above it. Nothing resolved here can point outside `root`.

import { lstat, mkdir, readlink } from "node:fs/promises";
import { join } from "node:path";

const MAX_LINKS = 40;

export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafePathError";
  }
}

/** Throws UnsafePathError unless `path` is absolute, without NUL bytes and without `..` segments. */
export function assertConfigPath(path: string): void {
  if (!path.startsWith("/")) throw new UnsafePathError(`path "${path}" is not absolute`);
  if (path.includes("\0")) throw new UnsafePathError(`path "${path}" contains a NUL byte`);
  if (path.split("/").includes("..")) throw new UnsafePathError(`path "${path}" contains a ".." segment`);
}

/**
 * The host path for `path` under `root`. Symlinks on every component but the last are followed inside
 * root; the last is followed only with `followLast` (hard link targets), so a symlink at the path
 * itself is replaced, not written through. Missing components are taken literally.
 */
export async function resolveInRoot(root: string, path: string, followLast: boolean): Promise<string> {
  assertConfigPath(path);
  const resolved: string[] = [];
  const pending = path.split("/").filter((part) => part !== "" && part !== ".");
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift() ?? "";
    if (name === "..") {
      resolved.pop();
      continue;
    }
    if (name === ".") continue;
    const candidate = join(root, ...resolved, name);
    if (pending.length === 0 && !followLast) {
      resolved.push(name);
      break;
    }
    const stats = await lstat(candidate).catch((error: unknown) => {
      if (isCode(error, "ENOENT")) return undefined;
      throw error;
    });
    if (stats?.isSymbolicLink() !== true) {
      resolved.push(name);
      continue;
    }
    links += 1;
    if (links > MAX_LINKS) throw new UnsafePathError(`too many levels of symbolic links resolving "${path}"`);
    const target = await readlink(candidate);
    if (target.startsWith("/")) resolved.length = 0;
    pending.unshift(...target.split("/").filter((part) => part !== ""));
  }
  return join(root, ...resolved);
}

/** Creates the parent directories of config path `path` (mode 0755) and returns the host path. */
export async function prepareParent(root: string, path: string): Promise<string> {
  const slash = path.lastIndexOf("/");
  const parent = slash <= 0 ? "/" : path.slice(0, slash);
  const hostParent = await resolveInRoot(root, parent, true);
  await mkdir(hostParent, { recursive: true, mode: 0o755 });
  return join(hostParent, path.slice(slash + 1));
}

export function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}
