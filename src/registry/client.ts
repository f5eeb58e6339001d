// A small OCI distribution client: resolve tags to digests, read manifests, configs and blobs
// (every byte verified against its digest), inspect images and delete manifests.

import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { digestVerifier, sha256Digest } from "./digest.ts";
import { RegistryError } from "./errors.ts";
import {
  type Descriptor,
  hostPlatform,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  isImageIndex,
  type Platform,
  parseImageConfig,
  parseManifest,
  selectPlatform,
} from "./manifest.ts";
import { MANIFEST_ACCEPT } from "./media-types.ts";
import { type ImageReference, manifestReference, toImageReference, withDigest } from "./reference.ts";
import { errorContext, RegistryTransport, type TransportOptions } from "./transport.ts";

export interface CallOptions {
  signal: AbortSignal;
}

export interface PlatformOptions extends CallOptions {
  /** The platform to pick from an index; the host's by default. */
  platform?: Platform;
}

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  manifest: ImageManifest | ImageIndex;
  bytes: Uint8Array;
}

export interface ResolvedImage {
  /** The digest the reference resolves to (an index's digest for multi-platform images). */
  digest: string;
  /** The digest of the platform's image manifest (equal to `digest` without an index). */
  manifestDigest: string;
  manifest: ImageManifest;
}

export interface ImageInspection extends ResolvedImage {
  labels: Record<string, string>;
  architecture: string;
  os: string;
  created: string | undefined;
  layers: Descriptor[];
  config: ImageConfig;
}

export interface DeleteResult {
  /** False when the manifest was already gone (a 404 is not an error here). */
  deleted: boolean;
  digest: string | undefined;
}

/** Manifests larger than this are refused (distribution's own limit is 4 MiB). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

export class RegistryClient {
  readonly transport: RegistryTransport;

  constructor(options: TransportOptions = {}) {
    this.transport = new RegistryTransport(options);
  }

  /** The manifest digest a reference points at; a pinned reference is checked to exist. */
  async resolve(reference: ImageReference | string, options: CallOptions): Promise<string> {
    const ref = toImageReference(reference);
    const response = await this.transport.send({
      ref,
      method: "HEAD",
      path: `manifests/${manifestReference(ref)}`,
      accept: MANIFEST_ACCEPT,
      action: "pull",
      what: `manifest ${manifestReference(ref)}`,
      signal: options.signal,
    });
    const announced = response.headers.get("docker-content-digest");
    if (ref.digest !== undefined) {
      if (announced !== null && announced !== ref.digest) throw mismatch(ref, "manifest", announced);
      return ref.digest;
    }
    if (announced !== null && /^sha256:[a-f0-9]{64}$/.test(announced)) return announced;
    return (await this.getManifest(ref, options)).digest;
  }

  /** The manifest or index as stored, verified against the pinned or announced digest. */
  async getManifest(reference: ImageReference | string, options: CallOptions): Promise<FetchedManifest> {
    const ref = toImageReference(reference);
    const what = `manifest ${manifestReference(ref)}`;
    const response = await this.transport.send({
      ref,
      method: "GET",
      path: `manifests/${manifestReference(ref)}`,
      accept: MANIFEST_ACCEPT,
      action: "pull",
      what,
      signal: options.signal,
    });
    const bytes = await readLimited(response, MAX_MANIFEST_BYTES, ref, what);
    const digest = sha256Digest(bytes);
    const expected = ref.digest ?? response.headers.get("docker-content-digest");
    if (expected !== null && expected !== digest) throw mismatch(ref, "manifest", digest);
    let manifest: ImageManifest | ImageIndex;
    try {
      manifest = parseManifest(bytes, response.headers.get("content-type") ?? undefined);
    } catch (error) {
      throw new RegistryError("protocol", `${what}: ${(error as Error).message}`, errorContext(ref));
    }
    return { digest, mediaType: manifest.mediaType, manifest, bytes };
  }

  /** The image manifest for the platform, following an index when the reference names one. */
  async getImageManifest(
    reference: ImageReference | string,
    options: PlatformOptions,
  ): Promise<ResolvedImage> {
    const ref = toImageReference(reference);
    const top = await this.getManifest(ref, options);
    if (!isImageIndex(top.manifest))
      return { digest: top.digest, manifestDigest: top.digest, manifest: top.manifest };
    const platform = options.platform ?? hostPlatform();
    const entry = selectPlatform(top.manifest, platform);
    if (entry === undefined) {
      const wanted = `${platform.os}/${platform.architecture}`;
      throw new RegistryError("not-found", `index has no manifest for platform ${wanted}`, errorContext(ref));
    }
    const child = await this.getManifest(withDigest(ref, entry.digest), options);
    if (isImageIndex(child.manifest)) {
      throw new RegistryError("protocol", "index entry points at another index", errorContext(ref));
    }
    return { digest: top.digest, manifestDigest: child.digest, manifest: child.manifest };
  }

  /** The image configuration of the platform's image. */
  async getConfig(reference: ImageReference | string, options: PlatformOptions): Promise<ImageConfig> {
    const ref = toImageReference(reference);
    const image = await this.getImageManifest(ref, options);
    return this.readConfig(ref, image.manifest.config, options);
  }

  async readConfig(reference: ImageReference | string, descriptor: Descriptor, options: CallOptions) {
    const ref = toImageReference(reference);
    if (descriptor.size > MAX_CONFIG_BYTES) {
      throw new RegistryError(
        "protocol",
        `config of ${descriptor.size} bytes is too large`,
        errorContext(ref),
      );
    }
    const bytes = await this.getBlob(ref, descriptor, options);
    try {
      return parseImageConfig(bytes);
    } catch (error) {
      throw new RegistryError(
        "protocol",
        `config ${descriptor.digest}: ${(error as Error).message}`,
        errorContext(ref),
      );
    }
  }

  async inspect(reference: ImageReference | string, options: PlatformOptions): Promise<ImageInspection> {
    const ref = toImageReference(reference);
    const image = await this.getImageManifest(ref, options);
    const config = await this.readConfig(ref, image.manifest.config, options);
    return {
      ...image,
      labels: { ...(config.config?.Labels ?? {}) },
      architecture: config.architecture,
      os: config.os,
      created: config.created,
      layers: image.manifest.layers,
      config,
    };
  }

  /**
   * Deletes the manifest a reference points at (tags are resolved first; the registry deletes by
   * digest only, and drops tags pointing at it). A manifest that is already gone is reported, not thrown.
   */
  async deleteManifest(reference: ImageReference | string, options: CallOptions): Promise<DeleteResult> {
    const ref = toImageReference(reference);
    let digest = ref.digest;
    try {
      digest ??= await this.resolve(ref, options);
      await this.transport.send({
        ref: withDigest(ref, digest),
        method: "DELETE",
        path: `manifests/${digest}`,
        action: "delete",
        what: `manifest ${digest}`,
        signal: options.signal,
      });
      return { deleted: true, digest };
    } catch (error) {
      if (error instanceof RegistryError && error.code === "not-found") return { deleted: false, digest };
      if (error instanceof RegistryError && error.status === 405) {
        throw new RegistryError(
          "protocol",
          "the registry does not allow deleting manifests",
          errorContext(ref),
        );
      }
      throw error;
    }
  }

  /** A blob's bytes as a stream that errors (digest-mismatch) before its end if they do not verify. */
  async blobStream(
    reference: ImageReference | string,
    descriptor: Pick<Descriptor, "digest"> & { size?: number },
    options: CallOptions,
  ): Promise<Readable> {
    const ref = toImageReference(reference);
    const response = await this.transport.send({
      ref,
      method: "GET",
      path: `blobs/${descriptor.digest}`,
      action: "pull",
      what: `blob ${descriptor.digest}`,
      signal: options.signal,
    });
    const verifier = digestVerifier({
      expected: descriptor.digest,
      ...(descriptor.size === undefined ? {} : { size: descriptor.size }),
      mismatch: (actual) => mismatch(ref, `blob ${descriptor.digest}`, actual),
    });
    if (response.body === null)
      throw new RegistryError("protocol", "blob response without a body", errorContext(ref));
    pipeline(Readable.fromWeb(response.body), verifier).catch((error: unknown) =>
      verifier.destroy(error as Error),
    );
    return verifier;
  }

  /** A whole (small) blob, verified. */
  async getBlob(
    reference: ImageReference | string,
    descriptor: Descriptor,
    options: CallOptions,
  ): Promise<Buffer> {
    const stream = await this.blobStream(reference, descriptor, options);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}

function mismatch(ref: ImageReference, what: string, actual: string): RegistryError {
  return new RegistryError("digest-mismatch", `${what} does not verify (got ${actual})`, errorContext(ref));
}

async function readLimited(response: Response, limit: number, ref: ImageReference, what: string) {
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > limit) {
    await response.body?.cancel();
    throw new RegistryError("protocol", `${what} is larger than ${limit} bytes`, errorContext(ref));
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > limit)
    throw new RegistryError("protocol", `${what} is larger than ${limit} bytes`, errorContext(ref));
  return bytes;
}
