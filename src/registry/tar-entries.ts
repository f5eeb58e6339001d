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
    pending.push(entry);
    notify();
  });
  parser.on("end", () => {
    finished = true;
    notify();
  });
  const fail = (error: unknown) => {
    failure ??= error;
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
