// Test double: builds tar archives entry by entry with node-tar's header encoder, including entries a
// well-behaved archiver would never write (traversal, absolute names, whiteouts).

import { Header } from "tar";

export interface TarFixtureEntry {
  path: string;
  type?: "File" | "Directory" | "SymbolicLink" | "Link" | "FIFO";
  body?: string;
  linkpath?: string;
  mode?: number;
  mtime?: Date;
}

export const FIXTURE_MTIME = new Date("2024-01-02T03:04:05Z");

export function tarOf(entries: readonly TarFixtureEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? "");
    const type = entry.type ?? "File";
    const header = new Header({
      path: entry.path,
      type,
      size: body.length,
      mode: entry.mode ?? (type === "Directory" ? 0o755 : 0o644),
      mtime: entry.mtime ?? FIXTURE_MTIME,
      uid: 0,
      gid: 0,
      ...(entry.linkpath === undefined ? {} : { linkpath: entry.linkpath }),
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
