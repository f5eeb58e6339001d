// Packs the materialised tree into the archive the Containerfile ADDs at `/`. Only configured entries
// go in: every file and link, plus the directories the config (or an SSH key) asks for. Implicit
// parents are left out on purpose: buildah then keeps an existing directory's mode and owner (/etc,
// /root 0700, /tmp 1777) and creates a missing one with 0755, as Ignition does. A plain
// `COPY ./root/ /` would reset every existing parent to the context directory's mode.
// Entries are owned by root with a fixed mtime; other owners are applied by the owners step.

import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { create } from "tar";
import type { MaterialiseManifest } from "../ignition/index.ts";

/** Config paths (absolute) of the directories that belong in the archive. */
export function explicitDirectories(manifest: MaterialiseManifest): Set<string> {
  const dirs = new Set(manifest.directories.map((dir) => trimSlash(dir.path)));
  for (const key of manifest.sshKeys) {
    // The key file's directory and, for the authorized_keys.d layout, ~/.ssh above it (both 0700).
    const parent = key.path.slice(0, key.path.lastIndexOf("/"));
    dirs.add(parent);
    if (parent.endsWith("/authorized_keys.d")) dirs.add(parent.slice(0, parent.lastIndexOf("/")));
  }
  return dirs;
}

/** Archive member names (relative, parents before children, sorted) for the tree at `root`. */
export async function archiveEntries(root: string, explicit: ReadonlySet<string>): Promise<string[]> {
  const out: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const names = (await readdir(join(root, relative))).sort();
    for (const name of names) {
      const child = relative === "" ? name : `${relative}/${name}`;
      const stats = await lstat(join(root, child));
      if (stats.isDirectory()) {
        if (explicit.has(`/${child}`)) out.push(child);
        await walk(child);
      } else {
        out.push(child);
      }
    }
  };
  await walk("");
  return out;
}

export async function writeRootArchive(
  root: string,
  entries: readonly string[],
  file: string,
): Promise<void> {
  // portable: uid/gid 0 and no host user names; noDirRecurse: a directory entry is the directory alone.
  await create({ cwd: root, file, portable: true, noDirRecurse: true, mtime: new Date(0) }, [...entries]);
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}
