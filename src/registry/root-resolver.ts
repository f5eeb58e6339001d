// Where a directory of an archive lands inside an unpack root: symlinks met on the way are followed
// as if the root were `/` (a chroot), never on the host. Resolved paths contain no symlinks, so the
// host path they name stays inside the root as long as nothing on it is replaced; the writer that
// owns the root calls forget() whenever it removes or replaces a directory or a symlink.

import { lstatSync, mkdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { RegistryError } from "./errors.ts";

const MAX_LINK_HOPS = 40;

export class RootResolver {
  readonly root: string;
  /** Directories known to exist (key: the archive's components joined by "/"), resolved. */
  readonly #directories = new Map<string, readonly string[]>();

  constructor(root: string) {
    this.root = root;
  }

  /** The resolved components of `parts`; components may not exist yet. */
  resolve(parts: readonly string[]): readonly string[] {
    return this.#directories.get(parts.join("/")) ?? resolveInRootSync(this.root, parts);
  }

  /** Resolves `parts` and creates what is missing of it (mode 0755), like `mkdir -p` inside the root. */
  directory(parts: readonly string[]): readonly string[] {
    const key = parts.join("/");
    const known = this.#directories.get(key);
    if (known !== undefined) return known;
    const resolved = resolveInRootSync(this.root, parts);
    mkdirSync(join(this.root, ...resolved), { recursive: true, mode: 0o755 });
    this.#directories.set(key, resolved);
    return resolved;
  }

  /** Records a directory the caller just created at `resolved` (a path without symlinks). */
  remember(parts: readonly string[], resolved: readonly string[]): void {
    this.#directories.set(parts.join("/"), resolved);
  }

  /** Drops what is known: a directory or symlink was removed or replaced. */
  forget(): void {
    this.#directories.clear();
  }
}

/** Resolves a directory path inside `root`, following symlinks as a chroot would. */
export function resolveInRootSync(root: string, parts: readonly string[]): string[] {
  const resolved: string[] = [];
  const queue = [...parts];
  let hops = 0;
  for (let part = queue.shift(); part !== undefined; part = queue.shift()) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      resolved.pop();
      continue;
    }
    const host = join(root, ...resolved, part);
    if (isSymlink(host)) {
      hops += 1;
      if (hops > MAX_LINK_HOPS) {
        throw new RegistryError("unsafe-layer", `too many symlinks resolving "${parts.join("/")}"`);
      }
      const target = readlinkSync(host);
      if (target.startsWith("/")) resolved.length = 0;
      queue.unshift(...target.split("/"));
      continue;
    }
    resolved.push(part);
  }
  return resolved;
}

/** False for anything else, including a path that does not exist or runs through a file. */
function isSymlink(host: string): boolean {
  try {
    return lstatSync(host, { throwIfNoEntry: false })?.isSymbolicLink() === true;
  } catch {
    return false;
  }
}
