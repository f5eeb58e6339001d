// Creates one filesystem node (file, directory, symlink, hard link) at a config path under root, with
// Ignition's overwrite rules: overwrite replaces whatever is there; without it an existing directory
// only gets its mode, an identical link is kept, and anything else in the way is an error.
// One deliberate difference: an existing directory is never deleted, even with overwrite, because in
// an image build it is the base image's (e.g. /etc) and Ignition's rm -rf would gut the image.

import { chmod, link, lstat, mkdir, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import { isCode, prepareParent, resolveInRoot } from "./root-path.ts";

export type NodeSpec =
  | { kind: "file"; data: Buffer | undefined; mode: number | undefined; overwrite?: boolean }
  | { kind: "directory"; mode: number | undefined; overwrite?: boolean }
  | { kind: "symlink"; target: string; overwrite?: boolean }
  | { kind: "hardlink"; target: string; overwrite?: boolean };

export const DEFAULT_FILE_MODE = 0o644;
export const DEFAULT_DIRECTORY_MODE = 0o755;

export class MaterialiseError extends Error {
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = "MaterialiseError";
    this.path = path;
  }
}

/** Writes `spec` at config path `path`; `overwrite` defaults to true (internal writers always replace). */
export async function writeNode(root: string, path: string, spec: NodeSpec): Promise<string> {
  const host = await prepareParent(root, path);
  const existing = await lstat(host).catch((error: unknown) => {
    if (isCode(error, "ENOENT")) return undefined;
    throw error;
  });
  const overwrite = spec.overwrite ?? true;
  if (existing !== undefined) {
    if (await keepExisting(root, host, spec, existing)) return host;
    if (!overwrite) {
      throw new MaterialiseError(path, "something already exists at this path and overwrite is false");
    }
    await rm(host, { recursive: true, force: true });
  }
  switch (spec.kind) {
    case "file":
      await writeFile(host, spec.data ?? Buffer.alloc(0), { flag: "wx" });
      await chmod(host, spec.mode ?? DEFAULT_FILE_MODE);
      break;
    case "directory":
      await mkdir(host);
      await chmod(host, spec.mode ?? DEFAULT_DIRECTORY_MODE);
      break;
    case "symlink":
      await symlink(spec.target, host);
      break;
    case "hardlink":
      await link(await hardLinkSource(root, path, spec.target), host);
      break;
  }
  return host;
}

type Stats = Awaited<ReturnType<typeof lstat>>;

/** True when the node already there satisfies `spec` without being replaced (modes are refreshed). */
async function keepExisting(root: string, host: string, spec: NodeSpec, existing: Stats): Promise<boolean> {
  switch (spec.kind) {
    case "file":
      // No contents and overwrite off: Ignition leaves an existing regular file's contents alone.
      if (!existing.isFile() || spec.data !== undefined || spec.overwrite !== false) return false;
      if (spec.mode !== undefined) await chmod(host, spec.mode);
      return true;
    case "directory":
      if (!existing.isDirectory()) return false;
      if (spec.mode !== undefined) await chmod(host, spec.mode);
      return true;
    case "symlink":
      return existing.isSymbolicLink() && (await readlink(host)) === spec.target && spec.overwrite !== true;
    case "hardlink": {
      if (spec.overwrite === true) return false;
      const source = await stat(await resolveInRoot(root, spec.target, true)).catch(() => undefined);
      return source !== undefined && source.ino === existing.ino && source.dev === existing.dev;
    }
  }
}

async function hardLinkSource(root: string, path: string, target: string): Promise<string> {
  const source = await resolveInRoot(root, target, true);
  const stats = await lstat(source).catch(() => undefined);
  if (stats === undefined) throw new MaterialiseError(path, `hard link target "${target}" does not exist`);
  if (stats.isDirectory()) throw new MaterialiseError(path, `hard link target "${target}" is a directory`);
  return source;
}
