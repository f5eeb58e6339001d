// File ownership: names are looked up in the tree's own /etc/passwd and /etc/group (never the
// host's), and chown happens only when asked to and running as root. Otherwise the wanted owner is
// only recorded, for the build to apply.

import { chown, lchown, readFile } from "node:fs/promises";
import { isCode, resolveInRoot } from "./root-path.ts";
import type { NodeGroup, NodeUser } from "./types.ts";

export interface OwnershipRecord {
  /** The config path. */
  path: string;
  user?: NodeUser;
  group?: NodeGroup;
  /** True when chown ran with both ids resolved. */
  applied: boolean;
}

export interface OwnerResolver {
  /** Applies (or only records) the owner of config path `path` at host path `hostPath`. */
  apply(
    path: string,
    hostPath: string,
    user: NodeUser | undefined,
    group: NodeGroup | undefined,
    isLink: boolean,
  ): Promise<void>;
  readonly records: OwnershipRecord[];
}

export async function createOwnerResolver(root: string, chownEnabled: boolean): Promise<OwnerResolver> {
  const canChown = chownEnabled && process.getuid?.() === 0;
  const users = canChown ? await readIdTable(root, "/etc/passwd") : new Map<string, number>();
  const groups = canChown ? await readIdTable(root, "/etc/group") : new Map<string, number>();
  const records: OwnershipRecord[] = [];
  const idOf = (owner: NodeUser | undefined, table: Map<string, number>): number | undefined => {
    if (owner === undefined) return 0;
    if (owner.id !== undefined) return owner.id;
    return owner.name === undefined ? 0 : table.get(owner.name);
  };
  return {
    records,
    async apply(path, hostPath, user, group, isLink) {
      if (user === undefined && group === undefined) return;
      const record: OwnershipRecord = { path, applied: false };
      if (user !== undefined) record.user = user;
      if (group !== undefined) record.group = group;
      records.push(record);
      if (!canChown) return;
      const uid = idOf(user, users);
      const gid = idOf(group, groups);
      if (uid === undefined || gid === undefined) return;
      await (isLink ? lchown(hostPath, uid, gid) : chown(hostPath, uid, gid));
      record.applied = true;
    },
  };
}

/** name → id from a passwd- or group-format file inside root; empty when the file is missing. */
export async function readIdTable(root: string, path: string): Promise<Map<string, number>> {
  const table = new Map<string, number>();
  let text: string;
  try {
    text = await readFile(await resolveInRoot(root, path, true), "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) return table;
    throw error;
  }
  for (const line of text.split("\n")) {
    const [name, , id] = line.split(":");
    if (name === undefined || id === undefined || name === "" || !/^\d+$/.test(id)) continue;
    table.set(name, Number(id));
  }
  return table;
}
