// The data files the Containerfile's optional steps read from the context's mob/ directory (see
// containerfile/context-layout.ts). The formats are line-based for busybox sh/awk, so values that
// would break a line or a field are refused here rather than mis-applied in the image.

import { isRootOwner } from "../controllers/build/containerfile/context-layout.ts";
import type { NodeGroup, NodeUser, PasswordEntry } from "../ignition/index.ts";
import type { OwnershipRecord } from "../ignition/owners.ts";
import { PrepareContextError } from "./errors.ts";

/** mob/shadow: one `user:hash` line per user, for the awk step that edits /etc/shadow. */
export function shadowData(passwords: readonly PasswordEntry[]): string {
  return passwords
    .map(({ user, passwordHash }) => {
      if (/[:\s]/.test(user) || /[:\n\r]/.test(passwordHash)) {
        throw new PrepareContextError(
          "UnsafeEntry",
          `password hash of user "${user}" cannot go into /etc/shadow`,
        );
      }
      return `${user}:${passwordHash}\n`;
    })
    .join("");
}

export interface OwnedEntry {
  record: OwnershipRecord;
  /** Permission bits to restore after chown (which clears setuid/setgid); undefined for symlinks. */
  mode: number | undefined;
}

/**
 * mob/owners: `owner mode path` lines for the chown step, only for entries that are not root-owned
 * (the archive's entries already are). `owner` is chown's `user:group`, `user` or `:group`, by name
 * or id; `mode` is octal, or `-` for symlinks.
 */
export function ownersData(entries: readonly OwnedEntry[]): string {
  return entries
    .filter(({ record }) => !isRootOwner(record.user, record.group))
    .map(({ record, mode }) => {
      if (/[\n\r]|\s$/.test(record.path)) {
        throw new PrepareContextError(
          "UnsafeEntry",
          `path ${JSON.stringify(record.path)} contains a line break or ends in whitespace`,
        );
      }
      const user = ownerName(record.user, record.path);
      const group = ownerName(record.group, record.path);
      const owner = group === "" ? user : `${user}:${group}`;
      return `${owner} ${mode === undefined ? "-" : mode.toString(8).padStart(4, "0")} ${record.path}\n`;
    })
    .join("");
}

function ownerName(owner: NodeUser | NodeGroup | undefined, path: string): string {
  if (owner === undefined) return "";
  const name = owner.id !== undefined ? String(owner.id) : (owner.name ?? "");
  if (!/^[A-Za-z0-9_.][A-Za-z0-9_.$-]*$/.test(name) && name !== "") {
    throw new PrepareContextError(
      "UnsafeEntry",
      `owner "${name}" of ${path} is not a valid user or group name`,
    );
  }
  return name;
}
