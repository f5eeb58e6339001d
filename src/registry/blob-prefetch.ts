// Layer downloads started ahead of their use: the request for a layer's blob (and the registry's work
// answering it, authentication included) overlaps with unpacking the layers before it. A stream not
// yet taken is only buffered up to its high-water mark; the connection waits until it is read.

import type { Readable } from "node:stream";
import type { RegistryClient } from "./client.ts";
import type { Descriptor } from "./manifest.ts";
import type { ImageReference } from "./reference.ts";

/** How many layer downloads may be open at once. */
const WINDOW = 3;

export class BlobPrefetch {
  readonly #client: RegistryClient;
  readonly #ref: ImageReference;
  readonly #layers: readonly Descriptor[];
  readonly #signal: AbortSignal;
  readonly #pending = new Map<number, Promise<Readable>>();
  #started = 0;

  /** `signal` cancels every download; abort it once the pull is over, successful or not. */
  constructor(
    client: RegistryClient,
    ref: ImageReference,
    layers: readonly Descriptor[],
    signal: AbortSignal,
  ) {
    this.#client = client;
    this.#ref = ref;
    this.#layers = layers;
    this.#signal = signal;
  }

  /** Starts the downloads of layers `from` … `from + WINDOW - 1` that have not started. */
  ahead(from: number): void {
    const end = Math.min(this.#layers.length, from + WINDOW);
    for (; this.#started < end; this.#started++) {
      const layer = this.#layers[this.#started];
      if (layer === undefined) break;
      const download = this.#client.blobStream(this.#ref, layer, { signal: this.#signal }).then((stream) => {
        // Cancelling a download nobody reads yet must not become an uncaught stream error.
        stream.on("error", () => undefined);
        return stream;
      });
      download.catch(() => undefined);
      this.#pending.set(this.#started, download);
    }
  }

  /** The blob of layer `index` (each taken once), starting the next downloads. */
  take(index: number): Promise<Readable> {
    this.ahead(index);
    const download = this.#pending.get(index);
    if (download === undefined) throw new Error(`layer ${index} was already taken or does not exist`);
    this.#pending.delete(index);
    return download;
  }
}
