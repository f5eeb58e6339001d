// The on-disk state of a simulated node, ostree-like:
//   <nodeDir>/deployments/<id>/rootfs/          the tree
//   <nodeDir>/deployments/<id>/deployment.json  {id, image, imageDigest, createdAt}
//   <nodeDir>/booted|staged|rollback            symlinks to deployments/<id>
// Every change is a rename: a deployment is unpacked under deployments/.incoming-<uuid> and renamed
// into place whole; a pointer is a new symlink renamed over the old one; a deleted deployment is
// first renamed to .trash-<id>. So a process killed at any point leaves only dot-entries to sweep
// (recover()) and pointers that are each old or new, never torn.

import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";

export type Pointer = "booted" | "staged" | "rollback";

export interface DeploymentRecord {
  id: string;
  image: string | undefined;
  imageDigest: string | undefined;
  createdAt: string;
}

const INCOMING = ".incoming-";
const TRASH = ".trash-";
const POINTER_TEMP = /^\.(?:booted|staged|rollback)\.tmp-/;
const RECORD = "deployment.json";

export class NodeStore {
  readonly nodeDir: string;
  readonly deploymentsDir: string;

  constructor(nodeDir: string) {
    this.nodeDir = nodeDir;
    this.deploymentsDir = join(nodeDir, "deployments");
  }

  /** The deployment id a pointer names, or undefined when the pointer is absent. */
  async pointer(name: Pointer): Promise<string | undefined> {
    try {
      return basename(await readlink(join(this.nodeDir, name)));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async setPointer(name: Pointer, id: string): Promise<void> {
    const temporary = join(this.nodeDir, `.${name}.tmp-${randomUUID()}`);
    await symlink(join("deployments", id), temporary);
    await rename(temporary, join(this.nodeDir, name));
  }

  async clearPointer(name: Pointer): Promise<void> {
    await rm(join(this.nodeDir, name), { force: true });
  }

  async record(id: string): Promise<DeploymentRecord> {
    const text = await readFile(join(this.deploymentsDir, id, RECORD), "utf8");
    const parsed = JSON.parse(text) as Partial<DeploymentRecord>;
    return {
      id,
      image: parsed.image ?? undefined,
      imageDigest: parsed.imageDigest ?? undefined,
      createdAt: parsed.createdAt ?? "",
    };
  }

  /** os-release of a deployment's tree (usr/lib first, as systemd reads it), or {} without one. */
  async osRelease(id: string): Promise<Record<string, string>> {
    const rootfs = join(this.deploymentsDir, id, "rootfs");
    for (const path of ["usr/lib/os-release", "etc/os-release"]) {
      try {
        return parseOsRelease(await readFile(join(rootfs, path), "utf8"));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return {};
  }

  /** A fresh directory to unpack into; publish() or rm it. */
  async createIncoming(): Promise<string> {
    await mkdir(this.deploymentsDir, { recursive: true });
    const dir = join(this.deploymentsDir, `${INCOMING}${randomUUID()}`);
    await mkdir(dir);
    return dir;
  }

  /** Writes the record into the unpacked directory and renames it to deployments/<id>. */
  async publish(incoming: string, record: DeploymentRecord): Promise<void> {
    await writeFile(join(incoming, RECORD), `${JSON.stringify(record, null, 2)}\n`);
    await rename(incoming, join(this.deploymentsDir, record.id));
  }

  /** `<first 12 hex of the digest>.<serial>`, the serial the lowest one free (like ostree's). */
  async nextId(digest: string): Promise<string> {
    const prefix = digest.replace(/^sha256:/, "").slice(0, 12);
    const taken = new Set(await this.#entries());
    let serial = 0;
    while (taken.has(`${prefix}.${serial}`)) serial++;
    return `${prefix}.${serial}`;
  }

  /**
   * Sweeps what an interrupted process left behind: unpack directories (except those `active` in
   * this process), half-deleted deployments, pointer temporaries, deployments without a record,
   * pointers to missing deployments, and a staged pointer equal to booted (a reboot cut short).
   */
  async recover(active: ReadonlySet<string>): Promise<void> {
    for (const name of await this.#entries()) {
      const path = join(this.deploymentsDir, name);
      if (active.has(path)) continue;
      const stale =
        name.startsWith(INCOMING) || name.startsWith(TRASH) || !(await exists(join(path, RECORD)));
      if (stale) await rm(path, { recursive: true, force: true });
    }
    for (const name of await listDir(this.nodeDir)) {
      if (POINTER_TEMP.test(name)) await rm(join(this.nodeDir, name), { force: true });
    }
    for (const name of ["booted", "staged", "rollback"] as const) {
      const id = await this.pointer(name);
      if (id !== undefined && !(await exists(join(this.deploymentsDir, id, RECORD))))
        await this.clearPointer(name);
    }
    const booted = await this.pointer("booted");
    if (booted !== undefined && (await this.pointer("staged")) === booted) await this.clearPointer("staged");
  }

  /** Deletes every deployment no pointer names: at most booted, staged and rollback remain. */
  async gc(): Promise<void> {
    const kept = new Set<string>();
    for (const name of ["booted", "staged", "rollback"] as const) {
      const id = await this.pointer(name);
      if (id !== undefined) kept.add(id);
    }
    for (const name of await this.#entries()) {
      if (name.startsWith(".") || kept.has(name)) continue;
      const trash = join(this.deploymentsDir, `${TRASH}${name}`);
      await rename(join(this.deploymentsDir, name), trash);
      await rm(trash, { recursive: true, force: true });
    }
  }

  async #entries(): Promise<string[]> {
    return listDir(this.deploymentsDir);
  }
}

export function parseOsRelease(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] === undefined || match[2] === undefined) continue;
    values[match[1]] = match[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return values;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
