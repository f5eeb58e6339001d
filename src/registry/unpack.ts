// Applies one uncompressed layer tar to a root directory the way a container runtime does: entries in
// order, `.wh.<name>` deletes `<name>` from lower layers, `.wh..wh..opq` hides a directory's lower
// contents, symlinks, hardlinks, modes, owners (when root) and mtimes. Nothing is ever written outside
// the root: entry names must be relative without `..`, and symlinks met on the way to an entry are
// resolved inside the root as if it were `/` (a chroot), never on the host.

import { createWriteStream } from "node:fs";
import {
  chmod,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readlink,
  rm,
  symlink,
  utimes,
} from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadEntry } from "tar";
import { RegistryError } from "./errors.ts";
import { tarEntries } from "./tar-entries.ts";

export interface ApplyLayerOptions {
  /** Set owners from the archive; by default only when running as root. */
  preserveOwnership?: boolean;
  signal: AbortSignal;
}

export interface LayerStats {
  entries: number;
  whiteouts: number;
  /** Device nodes, FIFOs and other entries that are not materialised. */
  skipped: number;
}

const WHITEOUT = ".wh.";
const OPAQUE = ".wh..wh..opq";
const MAX_LINK_HOPS = 40;

function unsafe(detail: string): RegistryError {
  return new RegistryError("unsafe-layer", detail);
}

/** The components of an archive name; absolute names and `..` are refused. */
export function entryComponents(name: string): string[] {
  if (name.startsWith("/")) throw unsafe(`absolute entry name "${name}"`);
  const parts = name.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) throw unsafe(`entry name "${name}" leaves the root`);
  return parts;
}

/** Resolves a directory path inside `root`, following symlinks as a chroot would; components may not exist yet. */
export async function resolveInRoot(root: string, parts: readonly string[]): Promise<string[]> {
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
    const stat = await lstat(host).catch(() => undefined);
    if (stat?.isSymbolicLink() === true) {
      hops += 1;
      if (hops > MAX_LINK_HOPS) throw unsafe(`too many symlinks resolving "${parts.join("/")}"`);
      const target = await readlink(host);
      if (target.startsWith("/")) resolved.length = 0;
      queue.unshift(...target.split("/"));
      continue;
    }
    resolved.push(part);
  }
  return resolved;
}

export async function applyLayer(
  root: string,
  tar: Readable,
  options: ApplyLayerOptions,
): Promise<LayerStats> {
  const writer = new LayerWriter(root, options.preserveOwnership ?? process.getuid?.() === 0);
  for await (const entry of tarEntries(tar)) {
    options.signal.throwIfAborted();
    await writer.apply(entry);
  }
  await writer.finish();
  return writer.stats;
}

class LayerWriter {
  readonly stats: LayerStats = { entries: 0, whiteouts: 0, skipped: 0 };
  readonly #root: string;
  readonly #chown: boolean;
  /** Paths (relative, resolved) this layer created; whiteouts only hide lower layers' content. */
  readonly #written = new Set<string>();
  readonly #directoryTimes: Array<[string, Date]> = [];

  constructor(root: string, chown: boolean) {
    this.#root = root;
    this.#chown = chown;
  }

  async apply(entry: ReadEntry): Promise<void> {
    const parts = entryComponents(entry.path);
    const name = parts.pop();
    if (name === undefined) return;
    const parent = await resolveInRoot(this.#root, parts);
    const parentHost = join(this.#root, ...parent);
    if (name.startsWith(WHITEOUT)) {
      this.stats.whiteouts += 1;
      await this.#whiteout(parent, parentHost, name);
      return;
    }
    this.stats.entries += 1;
    await mkdir(parentHost, { recursive: true, mode: 0o755 });
    for (let i = 1; i <= parent.length; i++) this.#written.add(parent.slice(0, i).join("/"));
    this.#written.add([...parent, name].join("/"));
    const host = join(parentHost, name);
    switch (entry.type) {
      case "Directory":
        return this.#directory(host, entry);
      case "File":
      case "OldFile":
      case "ContiguousFile":
        return this.#file(host, entry);
      case "SymbolicLink":
        return this.#symlink(host, entry);
      case "Link":
        return this.#hardlink(host, entry);
      default:
        this.stats.skipped += 1;
    }
  }

  /** Directory mtimes last: creating their children changed them. */
  async finish(): Promise<void> {
    for (const [host, mtime] of this.#directoryTimes.reverse()) {
      // A later entry of this layer may have replaced the directory.
      await utimes(host, mtime, mtime).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT" && error.code !== "ENOTDIR") throw error;
      });
    }
  }

  async #whiteout(parent: string[], parentHost: string, name: string): Promise<void> {
    if (name === OPAQUE) {
      await this.#prune(parent.join("/"), parentHost);
      return;
    }
    const target = name.slice(WHITEOUT.length);
    if (target === "" || target === "." || target === ".." || target.includes("/")) {
      throw unsafe(`invalid whiteout "${name}"`);
    }
    const rel = [...parent, target].join("/");
    if (!this.#written.has(rel)) await rm(join(parentHost, target), { recursive: true, force: true });
  }

  /** Removes what lower layers left in a directory, keeping what this layer wrote. */
  async #prune(rel: string, host: string): Promise<void> {
    const children = await readdir(host, { withFileTypes: true }).catch(() => []);
    for (const child of children) {
      const childRel = rel === "" ? child.name : `${rel}/${child.name}`;
      const childHost = join(host, child.name);
      if (!this.#written.has(childRel)) await rm(childHost, { recursive: true, force: true });
      else if (child.isDirectory()) await this.#prune(childRel, childHost);
    }
  }

  async #directory(host: string, entry: ReadEntry): Promise<void> {
    const existing = await lstat(host).catch(() => undefined);
    if (existing !== undefined && !existing.isDirectory()) await rm(host, { force: true });
    if (existing?.isDirectory() !== true) await mkdir(host, { mode: 0o700 });
    await this.#owner(host, entry);
    await chmod(host, (entry.mode ?? 0o755) & 0o7777);
    if (entry.mtime !== undefined) this.#directoryTimes.push([host, entry.mtime]);
  }

  async #file(host: string, entry: ReadEntry): Promise<void> {
    await rm(host, { recursive: true, force: true });
    await pipeline(entry, createWriteStream(host, { flags: "wx", mode: 0o600 }));
    await this.#owner(host, entry);
    await chmod(host, (entry.mode ?? 0o644) & 0o7777);
    if (entry.mtime !== undefined) await utimes(host, entry.mtime, entry.mtime);
  }

  async #symlink(host: string, entry: ReadEntry): Promise<void> {
    await rm(host, { recursive: true, force: true });
    await symlink(entry.linkpath ?? "", host);
    await this.#owner(host, entry);
    if (entry.mtime !== undefined) await lutimes(host, entry.mtime, entry.mtime);
  }

  async #hardlink(host: string, entry: ReadEntry): Promise<void> {
    const parts = entryComponents(entry.linkpath ?? "");
    const name = parts.pop();
    if (name === undefined) throw unsafe(`hardlink "${entry.path}" has no target`);
    const target = join(this.#root, ...(await resolveInRoot(this.#root, parts)), name);
    const stat = await lstat(target).catch(() => undefined);
    if (stat === undefined || stat.isDirectory()) {
      throw new RegistryError("protocol", `hardlink "${entry.path}" points at a missing file or a directory`);
    }
    if (target === host) return;
    await rm(host, { recursive: true, force: true });
    await link(target, host);
  }

  async #owner(host: string, entry: ReadEntry): Promise<void> {
    if (this.#chown) await lchown(host, entry.uid ?? 0, entry.gid ?? 0);
  }
}
