// Applies a (merged, validated) Ignition config to a directory tree that becomes an image layer:
// directories, files, links, systemd units and SSH keys. Account changes that need the image's own
// tools (creating users, setting passwords) are returned for the build to apply; shadow.ts can set
// hashes of users that already exist. Every write stays under `root` (see root-path.ts).

import { decodeFileContents } from "./contents.ts";
import { type NodeSpec, writeNode } from "./nodes.ts";
import { createOwnerResolver, type OwnershipRecord } from "./owners.ts";
import type { PasswordEntry } from "./shadow.ts";
import { type UnitRecord, writeUnit } from "./systemd-units.ts";
import type { IgnitionConfig, PasswdUser } from "./types.ts";

export interface MaterialiseOptions {
  /** chown to the configured owners; takes effect only when running as root. Default false. */
  chown?: boolean;
  /**
   * Where the core user's SSH keys go, as the MCO decides by OS: "fragment" (RHCOS 9, FCOS, SCOS:
   * ~/.ssh/authorized_keys.d/ignition, the default) or "legacy" (RHCOS 8: ~/.ssh/authorized_keys).
   * Other users always get the fragment, as Ignition writes it.
   */
  coreSSHKeyLayout?: "fragment" | "legacy";
  signal?: AbortSignal;
}

export interface MaterialiseManifest {
  files: { path: string; mode: number; size: number }[];
  directories: { path: string; mode: number }[];
  links: { path: string; target: string; hard: boolean }[];
  units: UnitRecord[];
  sshKeys: { user: string; path: string; keys: number }[];
  /** Password hashes to set; see updateShadow. */
  passwords: PasswordEntry[];
  /** Users and groups to create or change with the image's own tools (useradd/groupadd). */
  accounts: { users: string[]; groups: string[] };
  ownership: OwnershipRecord[];
  /** Sections mob does not apply to an image, with the reason. */
  skipped: { path: string; reason: string }[];
}

export const CORE_USER = "core";

export async function materialiseToTree(
  config: IgnitionConfig,
  root: string,
  options: MaterialiseOptions = {},
): Promise<MaterialiseManifest> {
  const signal = options.signal;
  const owners = await createOwnerResolver(root, options.chown === true);
  const manifest: MaterialiseManifest = {
    files: [],
    directories: [],
    links: [],
    units: [],
    sshKeys: [],
    passwords: [],
    accounts: { users: [], groups: [] },
    ownership: owners.records,
    skipped: skippedSections(config),
  };
  const storage = config.storage ?? {};
  // Parents before children, so a configured directory's mode applies before entries are put inside.
  for (const dir of byDepth(storage.directories ?? [])) {
    signal?.throwIfAborted();
    const host = await writeNode(
      root,
      dir.path,
      optional({ kind: "directory", mode: dir.mode }, dir.overwrite),
    );
    await owners.apply(dir.path, host, dir.user, dir.group, false);
    manifest.directories.push({ path: dir.path, mode: dir.mode ?? 0o755 });
  }
  for (const file of byDepth(storage.files ?? [])) {
    signal?.throwIfAborted();
    const data =
      file.contents?.source === undefined && file.append === undefined ? undefined : decodeFileContents(file);
    const spec = optional({ kind: "file", data, mode: file.mode }, file.overwrite);
    const host = await writeNode(root, file.path, spec);
    await owners.apply(file.path, host, file.user, file.group, false);
    manifest.files.push({ path: file.path, mode: file.mode ?? 0o644, size: data?.length ?? 0 });
  }
  for (const link of byDepth(storage.links ?? [])) {
    signal?.throwIfAborted();
    const target = link.target ?? "";
    const hard = link.hard === true;
    const host = await writeNode(
      root,
      link.path,
      optional({ kind: hard ? "hardlink" : "symlink", target }, link.overwrite),
    );
    // Hard links share the target's inode, so Ignition ignores owners for them.
    if (!hard) await owners.apply(link.path, host, link.user, link.group, true);
    manifest.links.push({ path: link.path, target, hard });
  }
  for (const unit of config.systemd?.units ?? []) {
    signal?.throwIfAborted();
    manifest.units.push(await writeUnit(root, unit));
  }
  for (const user of config.passwd?.users ?? []) {
    signal?.throwIfAborted();
    await writeSSHKeys(root, user, options.coreSSHKeyLayout ?? "fragment", manifest, owners.apply);
    if (user.passwordHash !== undefined)
      manifest.passwords.push({ user: user.name, passwordHash: user.passwordHash });
    if (hasAccountFields(user)) manifest.accounts.users.push(user.name);
  }
  manifest.accounts.groups = (config.passwd?.groups ?? []).map((group) => group.name);
  return manifest;
}

async function writeSSHKeys(
  root: string,
  user: PasswdUser,
  layout: "fragment" | "legacy",
  manifest: MaterialiseManifest,
  applyOwner: Awaited<ReturnType<typeof createOwnerResolver>>["apply"],
): Promise<void> {
  const keys = user.sshAuthorizedKeys ?? [];
  if (keys.length === 0) return;
  const home = user.homeDir ?? (user.name === "root" ? "/root" : `/home/${user.name}`);
  const legacy = user.name === CORE_USER && layout === "legacy";
  const sshDir = `${home}/.ssh`;
  const dirs = legacy ? [sshDir] : [sshDir, `${sshDir}/authorized_keys.d`];
  const path = legacy ? `${sshDir}/authorized_keys` : `${sshDir}/authorized_keys.d/ignition`;
  const owner = { name: user.name };
  for (const dir of dirs) {
    const host = await writeNode(root, dir, { kind: "directory", mode: 0o700 });
    await applyOwner(dir, host, owner, owner, false);
  }
  const data = Buffer.from(keys.map((key) => `${key}\n`).join(""));
  const host = await writeNode(root, path, { kind: "file", data, mode: 0o600 });
  await applyOwner(path, host, owner, owner, false);
  manifest.sshKeys.push({ user: user.name, path, keys: keys.length });
}

/** Ignition's default for an unset `overwrite` is false (node specs default to true). */
function optional(spec: NodeSpec, overwrite: boolean | undefined): NodeSpec {
  return { ...spec, overwrite: overwrite ?? false };
}

function byDepth<T extends { path: string }>(entries: readonly T[]): T[] {
  const depth = (path: string): number => path.split("/").filter(Boolean).length;
  return [...entries].sort((a, b) => depth(a.path) - depth(b.path));
}

function hasAccountFields(user: PasswdUser): boolean {
  const { name: _, sshAuthorizedKeys: __, passwordHash: ___, ...rest } = user;
  return Object.keys(rest).length > 0;
}

function skippedSections(config: IgnitionConfig): { path: string; reason: string }[] {
  const out: { path: string; reason: string }[] = [];
  const storage = config.storage ?? {};
  for (const section of ["disks", "raid", "filesystems", "luks"] as const) {
    if ((storage[section]?.length ?? 0) > 0) {
      out.push({ path: `storage.${section}`, reason: "disk layout is not part of an OS image" });
    }
  }
  if (config.kernelArguments !== undefined) {
    out.push({
      path: "kernelArguments",
      reason: "kernel arguments are applied on the node, not in the image",
    });
  }
  return out;
}
