// pullAndUnpack's requests against a real registry: a pinned image needs no HEAD, the next layer's
// download is under way while a layer unpacks, and a download that fails, or is left unread when an
// earlier layer fails, ends the pull with the registry's answer and nothing left running.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../embedded/registry/test-registry.ts";
import { RegistryClient } from "./client.ts";
import { isRegistryError } from "./errors.ts";
import type { Descriptor } from "./manifest.ts";
import { pullAndUnpack } from "./pull-unpack.ts";

const signal = new AbortController().signal;
let fixture: TestRegistry;
let work: string;
let image: string;
let layers: Descriptor[];

beforeAll(async () => {
  fixture = await startTestRegistry();
  work = await mkdtemp(join(tmpdir(), "mob-prefetch-"));
  const digest = await fixture.buildLayered("os/prefetch", "v1", "echo upper > /etc/upper");
  image = `${fixture.registry.url}/os/prefetch@${digest}`;
  layers = (await fixture.client.inspect(image, { signal })).layers;
}, 120_000);

afterAll(async () => {
  await fixture?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** A client whose requests are logged as `METHOD /path`; `fault` may answer one instead of the registry. */
function loggingClient(log: string[], fault?: (path: string) => Response | undefined): RegistryClient {
  return new RegistryClient({
    credentials: fixture.registry.credentials,
    fetch: async (input, init) => {
      const path = new URL(String(input)).pathname;
      log.push(`${init?.method ?? "GET"} ${path}`);
      return fault?.(path) ?? fetch(input, init);
    },
  });
}

const blobPath = (layer: Descriptor | undefined) => `/v2/os/prefetch/blobs/${layer?.digest}`;

describe("pullAndUnpack requests", () => {
  it("sends no HEAD for a pinned image and has the next layer's download under way while a layer unpacks", async () => {
    expect(layers).toHaveLength(2);
    const log: string[] = [];
    let atFirstLayer: string[] = [];
    const dir = join(work, "pinned");
    await pullAndUnpack(image, dir, {
      client: loggingClient(log),
      signal,
      afterLayer: async (layer) => {
        if (layer === 1) atFirstLayer = [...log];
      },
    });
    expect(log.filter((request) => request.startsWith("HEAD"))).toEqual([]);
    expect(atFirstLayer).toContain(`GET ${blobPath(layers[1])}`);
    expect(await readFile(join(dir, "etc/upper"), "utf8")).toBe("upper\n");
  });

  it("still resolves a tag with a HEAD", async () => {
    const log: string[] = [];
    const result = await pullAndUnpack(`${fixture.registry.url}/os/prefetch:v1`, join(work, "tag"), {
      client: loggingClient(log),
      signal,
    });
    expect(`${fixture.registry.url}/os/prefetch@${result.digest}`).toBe(image);
    expect(log[0]).toBe("HEAD /v2/os/prefetch/manifests/v1");
  });

  it("fails with the registry's answer for a later layer's blob", async () => {
    const missing = new Response(JSON.stringify({ errors: [{ code: "BLOB_UNKNOWN", message: "unknown" }] }), {
      status: 404,
    });
    const error = await pullAndUnpack(image, join(work, "missing"), {
      client: loggingClient([], (path) => (path === blobPath(layers[1]) ? missing : undefined)),
      signal,
    }).catch((e: unknown) => e);
    expect(isRegistryError(error, "not-found")).toBe(true);
    expect((error as Error).message).toContain(layers[1]?.digest);
  });

  it("fails on a first layer that does not verify, cancelling the download started for the next", async () => {
    const log: string[] = [];
    const forged = () => new Response(Buffer.alloc(layers[0]?.size ?? 0, 1));
    const error = await pullAndUnpack(image, join(work, "forged"), {
      client: loggingClient(log, (path) => (path === blobPath(layers[0]) ? forged() : undefined)),
      signal,
    }).catch((e: unknown) => e);
    expect(isRegistryError(error, "digest-mismatch")).toBe(true);
    expect(log).toContain(`GET ${blobPath(layers[1])}`);
  });
});
