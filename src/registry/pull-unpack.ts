// Pulls an image by digest and unpacks its layers, in order, into a directory. Every blob is verified
// while it streams (the compressed bytes against the layer digest, the tar against the config's
// diff_id); on any error the directory holds a partial tree and must be discarded by the caller.

import { mkdir } from "node:fs/promises";
import { PassThrough, type Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createZstdDecompress } from "node:zlib";
import type { Logger } from "pino";
import { BlobPrefetch } from "./blob-prefetch.ts";
import { type CallOptions, RegistryClient } from "./client.ts";
import type { Credentials } from "./credentials.ts";
import { digestVerifier } from "./digest.ts";
import { RegistryError } from "./errors.ts";
import type { Descriptor, ImageConfig, Platform } from "./manifest.ts";
import { type LayerCompression, layerCompression } from "./media-types.ts";
import { type ImageReference, toImageReference, withDigest } from "./reference.ts";
import { errorContext } from "./transport.ts";
import { applyLayer, type LayerStats } from "./unpack.ts";

export interface PullOptions extends CallOptions {
  credentials?: Credentials | undefined;
  /** A client to reuse (its credentials win over `credentials`). */
  client?: RegistryClient;
  platform?: Platform;
  /** Set owners from the layers; by default only when running as root. */
  preserveOwnership?: boolean;
  logger?: Logger;
  /**
   * Called after each layer is unpacked (1-based `layer` of `layers`), before the next one is
   * unpacked (its download may be under way).
   */
  afterLayer?: (layer: number, layers: number) => Promise<void>;
}

export interface PullResult {
  /** The digest the reference resolved to. */
  digest: string;
  /** The platform image manifest's digest (differs from `digest` for an index). */
  manifestDigest: string;
  config: ImageConfig;
  layers: Descriptor[];
}

export async function pullAndUnpack(
  reference: ImageReference | string,
  targetDir: string,
  options: PullOptions,
): Promise<PullResult> {
  const client = options.client ?? new RegistryClient({ credentials: options.credentials });
  const ref = toImageReference(reference);
  // A pinned reference needs no HEAD: the manifest fetched below is verified against its digest.
  const digest = ref.digest ?? (await client.resolve(ref, options));
  const pinned = withDigest(ref, digest);
  const image = await client.getImageManifest(pinned, options);
  const layers = image.manifest.layers;
  const compressions = layers.map((layer) => compressionOf(pinned, layer));
  // The config and the first layers download while earlier layers unpack; only one layer is applied
  // at a time, in order. Whatever is still in flight when this returns or throws is cancelled.
  const cancel = new AbortController();
  const signal = AbortSignal.any([options.signal, cancel.signal]);
  const blobs = new BlobPrefetch(client, pinned, layers, signal);
  blobs.ahead(0);
  try {
    const config = await client.readConfig(pinned, image.manifest.config, { signal });
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== layers.length) {
      const detail = `${layers.length} layers but ${diffIds.length} diff_ids in the config`;
      throw new RegistryError("protocol", detail, errorContext(pinned));
    }
    await mkdir(targetDir, { recursive: true });
    for (const [index, layer] of layers.entries()) {
      const stats = await unpackLayer(blobs.take(index), pinned, targetDir, {
        layer,
        diffId: diffIds[index] ?? "",
        compression: compressions[index] ?? "none",
        options,
      });
      options.logger?.debug({ layer: layer.digest, ...stats }, "layer unpacked");
      await options.afterLayer?.(index + 1, layers.length);
    }
    return { digest, manifestDigest: image.manifestDigest, config, layers };
  } finally {
    cancel.abort();
  }
}

function compressionOf(ref: ImageReference, layer: Descriptor): LayerCompression {
  const compression = layerCompression(layer.mediaType);
  if (compression === undefined) {
    throw new RegistryError("unsupported", `layer media type "${layer.mediaType}"`, errorContext(ref));
  }
  return compression;
}

/** Larger than zlib's 16 KiB default: fewer thread-pool round trips and larger chunks to unpack. */
const INFLATE_CHUNK = 128 * 1024;

function decompressor(compression: LayerCompression): Transform {
  if (compression === "gzip") return createGunzip({ chunkSize: INFLATE_CHUNK });
  if (compression === "zstd") return createZstdDecompress({ chunkSize: INFLATE_CHUNK });
  return new PassThrough();
}

interface LayerJob {
  layer: Descriptor;
  diffId: string;
  compression: LayerCompression;
  options: PullOptions;
}

async function unpackLayer(download: Promise<Readable>, ref: ImageReference, root: string, job: LayerJob) {
  const { layer, options } = job;
  const context = errorContext(ref);
  const blob = await download;
  const diffCheck = digestVerifier({
    expected: job.diffId,
    mismatch: (actual) =>
      new RegistryError(
        "digest-mismatch",
        `layer ${layer.digest} unpacks to ${actual}, not ${job.diffId}`,
        context,
      ),
  });
  const flowing = pipeline(blob, decompressor(job.compression), diffCheck, { signal: options.signal });
  flowing.catch(() => undefined);
  let stats: LayerStats;
  try {
    stats = await applyLayer(root, diffCheck, {
      signal: options.signal,
      ...(options.preserveOwnership === undefined ? {} : { preserveOwnership: options.preserveOwnership }),
    });
    await flowing;
  } catch (error) {
    options.signal.throwIfAborted();
    throw asLayerError(error, layer, context);
  }
  return stats;
}

function asLayerError(error: unknown, layer: Descriptor, context: ReturnType<typeof errorContext>) {
  if (error instanceof RegistryError) {
    return error.registry === undefined
      ? new RegistryError(error.code, `layer ${layer.digest}: ${error.detail}`, context)
      : error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RegistryError("protocol", `layer ${layer.digest} cannot be unpacked: ${message}`, {
    ...context,
    cause: error,
  });
}
