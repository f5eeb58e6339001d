// Reads an (uncompressed) tar stream with node-tar's parser and hands each entry, in archive order, to
// a synchronous callback. Everything for one chunk of the stream happens inside one call: the callback
// must consume an entry's body as it is emitted (attach 'data'/'end' listeners, or resume it) and
// never wait, which keeps the cost per entry at a few synchronous calls instead of promise round
// trips. A callback that throws stops the read: the error is what the returned promise rejects with.

import { Parser, type ReadEntry } from "tar";

/**
 * Called for each entry. Listeners it attaches to the entry run inside the parser: they report their
 * errors through `fail` instead of throwing.
 */
export type EntryListener = (entry: ReadEntry, fail: (error: unknown) => void) => void;

/** Feeds `source` through the parser; resolves once the archive ended and every entry was handed over. */
export async function readTarEntries(
  source: AsyncIterable<Buffer>,
  onEntry: EntryListener,
  signal: AbortSignal,
): Promise<void> {
  const parser = new Parser({ strict: true });
  let entries = 0;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    failure ??= { error };
  };
  let ended = false;
  parser.on("entry", (entry: ReadEntry) => {
    entries++;
    if (failure !== undefined) {
      entry.resume();
      return;
    }
    try {
      onEntry(entry, fail);
    } catch (error) {
      fail(error);
    }
    if (failure !== undefined) entry.resume();
  });
  parser.on("end", () => {
    ended = true;
  });
  // buildah writes a step that changed nothing as an empty archive (only end-of-archive zero
  // blocks); node-tar calls that "Unrecognized archive format". It is a valid, empty layer.
  let onlyZeros = true;
  parser.on("error", (error: unknown) => {
    if (entries === 0 && onlyZeros && (error as { code?: string }).code === "TAR_BAD_ARCHIVE") ended = true;
    else fail(error);
  });
  for await (const chunk of source) {
    signal.throwIfAborted();
    if (onlyZeros && chunk.some((byte) => byte !== 0)) onlyZeros = false;
    parser.write(chunk);
    if (failure !== undefined) throw failure.error;
  }
  signal.throwIfAborted();
  parser.end();
  if (failure !== undefined) throw failure.error;
  // Every entry was consumed synchronously, so the parser has nothing left to wait for.
  if (!ended) throw new Error("tar stream ended inside an entry");
}
