// Applies password hashes to the tree's /etc/shadow, for users that already exist there. Users that
// do not exist are returned so the build can create them (useradd) and set the hash (chpasswd -e).

import { chmod, readFile, rename, stat, writeFile } from "node:fs/promises";
import { isCode, resolveInRoot } from "./root-path.ts";

export interface PasswordEntry {
  user: string;
  passwordHash: string;
}

export interface ShadowUpdate {
  updated: string[];
  /** Users with no line in /etc/shadow (or no /etc/shadow at all). */
  missing: string[];
}

/** Replaces the password field of each user's line; other fields and lines are kept byte for byte. */
export async function updateShadow(root: string, entries: readonly PasswordEntry[]): Promise<ShadowUpdate> {
  const host = await resolveInRoot(root, "/etc/shadow", true);
  let text: string;
  try {
    text = await readFile(host, "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) return { updated: [], missing: entries.map((entry) => entry.user) };
    throw error;
  }
  const hashes = new Map(entries.map((entry) => [entry.user, entry.passwordHash]));
  const updated = new Set<string>();
  const lines = text.split("\n").map((line) => {
    const fields = line.split(":");
    const hash = fields[0] === undefined ? undefined : hashes.get(fields[0]);
    if (hash === undefined || fields.length < 2 || fields[0] === undefined) return line;
    updated.add(fields[0]);
    fields[1] = hash;
    return fields.join(":");
  });
  if (updated.size > 0) {
    const { mode } = await stat(host);
    const temp = `${host}.mob-tmp`;
    await writeFile(temp, lines.join("\n"));
    await chmod(temp, mode & 0o7777);
    await rename(temp, host);
  }
  return {
    updated: entries.map((entry) => entry.user).filter((user) => updated.has(user)),
    missing: entries.map((entry) => entry.user).filter((user) => !updated.has(user)),
  };
}
