// Copies of node paths taken before an update writes them, so a failed update can put the node's
// files back exactly (contents, mode, link target; owners are not restored). Kept in memory: a
// daemon that dies mid-update re-runs the update from the start instead of restoring.

import { chmod, lstat, mkdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { resolveInRoot } from "../ignition/root-path.ts";

type Saved =
  | { kind: "absent" }
  | { kind: "file"; data: Buffer; mode: number }
  | { kind: "symlink"; target: string }
  | { kind: "other" };

export class Backup {
  readonly #root: string;
  readonly #saved = new Map<string, Saved>();

  constructor(root: string) {
    this.#root = root;
  }

  /** Remembers what is at each path now (the first save of a path wins). */
  async save(paths: Iterable<string>): Promise<void> {
    for (const path of paths) {
      if (this.#saved.has(path)) continue;
      this.#saved.set(path, await this.#read(path));
    }
  }

  has(path: string): boolean {
    return this.#saved.has(path);
  }

  /** Puts every saved path back; paths that did not exist are removed. */
  async restore(): Promise<void> {
    for (const [path, saved] of this.#saved) {
      const host = await resolveInRoot(this.#root, path, false);
      if (saved.kind === "other") continue;
      await rm(host, { force: true, recursive: false }).catch(() => undefined);
      if (saved.kind === "absent") continue;
      await mkdir(dirname(host), { recursive: true });
      if (saved.kind === "symlink") {
        await symlink(saved.target, host);
        continue;
      }
      await writeFile(host, saved.data);
      await chmod(host, saved.mode & 0o7777);
    }
  }

  async #read(path: string): Promise<Saved> {
    const host = await resolveInRoot(this.#root, path, false);
    const stats = await lstat(host).catch(() => undefined);
    if (stats === undefined) return { kind: "absent" };
    if (stats.isSymbolicLink()) return { kind: "symlink", target: await readlink(host) };
    if (stats.isFile()) return { kind: "file", data: await readFile(host), mode: stats.mode };
    return { kind: "other" };
  }
}
