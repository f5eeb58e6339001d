// The entries of an (uncompressed) tar stream, one at a time, in archive order, parsed by node-tar.
// The consumer must read each entry's body (or leave it to the loop, which drains it) before asking
// for the next: node-tar holds back further entries, and the source, until the current one has ended.

import type { Readable } from "node:stream";
import { Parser, type ReadEntry } from "tar";

export async function* tarEntries(source: Readable): AsyncGenerator<ReadEntry> {
  const parser = new Parser({ strict: true });
  const pending: ReadEntry[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  parser.on("entry", (entry: ReadEntry) => {
    entries++;
    pending.push(entry);
    notify();
  });
  parser.on("end", () => {
    finished = true;
    notify();
  });
  // buildah writes a step that changed nothing as an empty archive (only end-of-archive zero
  // blocks); node-tar calls that "Unrecognized archive format". It is a valid, empty layer.
  let entries = 0;
  let onlyZeros = true;
  source.on("data", (chunk: Buffer) => {
    if (onlyZeros && chunk.some((byte) => byte !== 0)) onlyZeros = false;
  });
  const fail = (error: unknown) => {
    if (entries === 0 && onlyZeros && (error as { code?: string }).code === "TAR_BAD_ARCHIVE") {
      finished = true;
    } else {
      failure ??= error;
    }
    notify();
  };
  parser.on("error", fail);
  source.on("error", fail);
  source.pipe(parser);
  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      const entry = pending.shift();
      if (entry !== undefined) {
        yield entry;
        entry.resume();
        continue;
      }
      if (finished) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    source.unpipe(parser);
    if (!finished) source.destroy();
  }
}
