// Applies one uncompressed layer tar to a root directory the way a container runtime does: entries in
// order, `.wh.<name>` deletes `<name>` from lower layers, `.wh..wh..opq` hides a directory's lower
// contents, symlinks, hardlinks, modes, owners (when root) and mtimes. Nothing is ever written outside
// the root: entry names must be relative without `..`, and symlinks met on the way to an entry are
// resolved inside the root as if it were `/` (a chroot), never on the host.
//
// The filesystem calls are synchronous (layer-writer.ts): each chunk of the archive is applied in one
// go, a few system calls per entry, without a thread-pool round trip for each. A chunk holds at most
// the stream's buffer size of data, which bounds how long one call keeps the thread; the simulated
// nodes run this on worker threads (daemon/os/pull-pool.ts).

import { LayerWriter } from "./layer-writer.ts";
import { readTarEntries } from "./tar-entries.ts";

export { entryComponents } from "./entry-names.ts";

export interface ApplyLayerOptions {
  /** Set owners from the archive; by default only when running as root. */
  preserveOwnership?: boolean;
  signal: AbortSignal;
}

export interface LayerStats {
  entries: number;
  whiteouts: number;
  /** Device nodes, FIFOs and other entries that are not materialised. */
  skipped: number;
}

export async function applyLayer(
  root: string,
  tar: AsyncIterable<Buffer>,
  options: ApplyLayerOptions,
): Promise<LayerStats> {
  const writer = new LayerWriter(root, options.preserveOwnership ?? process.getuid?.() === 0);
  try {
    await readTarEntries(tar, (entry, fail) => writer.apply(entry, fail), options.signal);
    writer.finish();
  } finally {
    writer.close();
  }
  return writer.stats;
}
