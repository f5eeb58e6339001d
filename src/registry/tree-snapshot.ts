// Test helper: a directory tree as plain data, to compare two unpacks of the same archive or image.

import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

/** Every path under `root`: type, mode, owner, mtime and link count, and the content hash or link target. */
export async function treeSnapshot(root: string, rel = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(join(root, rel))).sort()) {
    const path = rel === "" ? name : `${rel}/${name}`;
    const stat = await lstat(join(root, path));
    const meta = `${(stat.mode & 0o7777).toString(8)} ${stat.uid}:${stat.gid} ${stat.mtimeMs} ${stat.nlink}`;
    if (stat.isSymbolicLink()) out[path] = `link ${await readlink(join(root, path))}`;
    else if (stat.isDirectory())
      Object.assign(out, { [path]: `dir ${meta}` }, await treeSnapshot(root, path));
    else {
      const hash = createHash("sha256")
        .update(await readFile(join(root, path)))
        .digest("hex");
      out[path] = `file ${meta} ${hash}`;
    }
  }
  return out;
}
