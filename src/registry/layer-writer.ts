// Writes the entries of one layer into an unpack root with synchronous filesystem calls, as the tar
// parser hands them over (see unpack.ts for the rules). Parents resolve inside the root through a
// RootResolver, which remembers the directories it made sure of; anything that removes or replaces a
// directory or a symlink makes it forget them. Names are created exclusively (O_EXCL, no following of
// a last-component symlink): what is in the way is removed and the creation retried.

import {
  chmodSync,
  closeSync,
  type Dirent,
  fchmodSync,
  fchownSync,
  futimesSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  type Stats,
  symlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { ReadEntry } from "tar";
import { entryComponents, OPAQUE, unsafeLayer, WHITEOUT } from "./entry-names.ts";
import { RegistryError } from "./errors.ts";
import { RootResolver } from "./root-resolver.ts";
import type { LayerStats } from "./unpack.ts";

const FILE_TYPES = new Set(["File", "OldFile", "ContiguousFile"]);

interface DirectoryTime {
  parent: readonly string[];
  name: string;
  mtime: Date;
}

export class LayerWriter {
  readonly stats: LayerStats = { entries: 0, whiteouts: 0, skipped: 0 };
  readonly #root: string;
  readonly #resolver: RootResolver;
  readonly #chown: boolean;
  /** Paths (relative, resolved) this layer created; whiteouts only hide lower layers' content. */
  readonly #written = new Set<string>();
  readonly #directoryTimes: DirectoryTime[] = [];
  /** The file whose body is being written. */
  #open: number | undefined;

  constructor(root: string, chown: boolean) {
    this.#root = root;
    this.#resolver = new RootResolver(root);
    this.#chown = chown;
  }

  /** Applies one entry; a file's body is written as the parser emits it, errors go to `fail`. */
  apply(entry: ReadEntry, fail: (error: unknown) => void): void {
    const parts = entryComponents(entry.path);
    const name = parts.pop();
    if (name?.startsWith(WHITEOUT)) {
      this.stats.whiteouts += 1;
      this.#whiteout(parts, name);
    } else if (name !== undefined) {
      this.stats.entries += 1;
      const parent = this.#resolver.directory(parts);
      this.#markWritten(parent, name);
      const host = join(this.#root, ...parent, name);
      if (FILE_TYPES.has(entry.type)) {
        this.#file(host, entry, fail);
        return;
      }
      this.#other(host, entry, parts, parent, name);
    }
    entry.resume();
  }

  #other(host: string, entry: ReadEntry, parts: string[], parent: readonly string[], name: string): void {
    switch (entry.type) {
      case "Directory":
        this.#directory(host, entry);
        this.#resolver.remember([...parts, name], [...parent, name]);
        if (entry.mtime !== undefined) this.#directoryTimes.push({ parent: parts, name, mtime: entry.mtime });
        return;
      case "SymbolicLink":
        this.#symlink(host, entry);
        return;
      case "Link":
        this.#hardlink(host, entry);
        return;
      default:
        this.stats.skipped += 1;
    }
  }

  /** Directory mtimes last, deepest first: creating their children changed them. */
  finish(): void {
    for (const { parent, name, mtime } of this.#directoryTimes.reverse()) {
      const host = join(this.#root, ...this.#resolver.resolve(parent), name);
      try {
        lutimesSync(host, mtime, mtime);
      } catch (error) {
        // A later entry of this layer may have removed the directory.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
      }
    }
  }

  /** Closes a file left open by a failed read. */
  close(): void {
    if (this.#open !== undefined) closeSync(this.#open);
    this.#open = undefined;
  }

  #markWritten(parent: readonly string[], name: string): void {
    const parentKey = parent.join("/");
    // A key is only ever added together with all its prefixes.
    if (parentKey !== "" && !this.#written.has(parentKey)) {
      for (let i = 1; i <= parent.length; i++) this.#written.add(parent.slice(0, i).join("/"));
    }
    this.#written.add(parentKey === "" ? name : `${parentKey}/${name}`);
  }

  #whiteout(parts: readonly string[], name: string): void {
    const parent = this.#resolver.resolve(parts);
    const parentHost = join(this.#root, ...parent);
    if (name === OPAQUE) {
      this.#prune(parent.join("/"), parentHost);
      return;
    }
    const target = name.slice(WHITEOUT.length);
    if (target === "" || target === "." || target === ".." || target.includes("/")) {
      throw unsafeLayer(`invalid whiteout "${name}"`);
    }
    if (!this.#written.has([...parent, target].join("/"))) this.#remove(join(parentHost, target));
  }

  /** Removes what lower layers left in a directory, keeping what this layer wrote. */
  #prune(rel: string, host: string): void {
    let children: Dirent[];
    try {
      children = readdirSync(host, { withFileTypes: true });
    } catch {
      return;
    }
    for (const child of children) {
      const childRel = rel === "" ? child.name : `${rel}/${child.name}`;
      const childHost = join(host, child.name);
      if (!this.#written.has(childRel)) this.#remove(childHost);
      else if (child.isDirectory()) this.#prune(childRel, childHost);
    }
  }

  #directory(host: string, entry: ReadEntry): void {
    try {
      mkdirSync(host, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!lstatSync(host).isDirectory()) {
        this.#remove(host);
        mkdirSync(host, { mode: 0o700 });
      }
    }
    if (this.#chown) lchownSync(host, entry.uid ?? 0, entry.gid ?? 0);
    chmodSync(host, (entry.mode ?? 0o755) & 0o7777);
  }

  #file(host: string, entry: ReadEntry, fail: (error: unknown) => void): void {
    const fd = this.#replacing(host, () => openSync(host, "wx", 0o600));
    this.#open = fd;
    entry.on("data", (chunk: Buffer) => {
      if (this.#open !== fd) return;
      try {
        for (let written = 0; written < chunk.length; ) {
          written += writeSync(fd, chunk, written);
        }
      } catch (error) {
        this.close();
        fail(error);
      }
    });
    entry.on("end", () => {
      if (this.#open !== fd) return;
      try {
        if (this.#chown) fchownSync(fd, entry.uid ?? 0, entry.gid ?? 0);
        fchmodSync(fd, (entry.mode ?? 0o644) & 0o7777);
        if (entry.mtime !== undefined) futimesSync(fd, entry.mtime, entry.mtime);
        this.close();
      } catch (error) {
        fail(error);
      }
    });
  }

  #symlink(host: string, entry: ReadEntry): void {
    this.#replacing(host, () => symlinkSync(entry.linkpath ?? "", host));
    if (this.#chown) lchownSync(host, entry.uid ?? 0, entry.gid ?? 0);
    if (entry.mtime !== undefined) lutimesSync(host, entry.mtime, entry.mtime);
  }

  #hardlink(host: string, entry: ReadEntry): void {
    const parts = entryComponents(entry.linkpath ?? "");
    const name = parts.pop();
    if (name === undefined) throw unsafeLayer(`hardlink "${entry.path}" has no target`);
    const target = join(this.#root, ...this.#resolver.resolve(parts), name);
    const stat = lstatOrUndefined(target);
    if (stat === undefined || stat.isDirectory()) {
      throw new RegistryError("protocol", `hardlink "${entry.path}" points at a missing file or a directory`);
    }
    if (target === host) return;
    this.#replacing(host, () => linkSync(target, host));
  }

  /** Runs `create`; when the name is taken, removes what is there and runs it again. */
  #replacing<T>(host: string, create: () => T): T {
    try {
      return create();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    this.#remove(host);
    return create();
  }

  #remove(host: string): void {
    const stat = lstatOrUndefined(host);
    if (stat === undefined) return;
    if (stat.isDirectory() || stat.isSymbolicLink()) this.#resolver.forget();
    rmSync(host, { recursive: true, force: true });
  }
}

function lstatOrUndefined(host: string): Stats | undefined {
  try {
    return lstatSync(host, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
