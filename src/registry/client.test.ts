import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { RegistryClient } from "./client.ts";
import { sha256Digest } from "./digest.ts";
import { isRegistryError, RegistryError } from "./errors.ts";
import { type FakeRegistry, type FakeRegistryOptions, startFakeRegistry } from "./fake-registry.ts";
import { hostPlatform } from "./manifest.ts";
import { OCI_INDEX, OCI_MANIFEST } from "./media-types.ts";
import { pullAndUnpack } from "./pull-unpack.ts";
import { tarOf } from "./tar-fixture.ts";

const signal = new AbortController().signal;
const credentials = { username: "alice", password: "s3cret-password" };
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function fake(options: FakeRegistryOptions): Promise<FakeRegistry> {
  const registry = await startFakeRegistry(options);
  cleanups.push(() => registry.close());
  return registry;
}

/** An image with an uncompressed and a gzip layer, tagged `v1` in `os/app`. */
function putImage(
  registry: FakeRegistry,
  layerMediaType = "application/vnd.oci.image.layer.v1.tar",
  lastDiffId?: string,
) {
  const first = tarOf([
    { path: "etc/a", body: "a" },
    { path: "etc/gone", body: "x" },
  ]);
  const second = tarOf([{ path: "etc/.wh.gone" }, { path: "etc/b", type: "SymbolicLink", linkpath: "a" }]);
  const config = {
    architecture: hostPlatform().architecture,
    os: "linux",
    config: { Labels: { team: "mob" } },
    rootfs: { type: "layers", diff_ids: [sha256Digest(first), lastDiffId ?? sha256Digest(second)] },
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: registry.putBlob(Buffer.from(JSON.stringify(config)), "application/vnd.oci.image.config.v1+json"),
    layers: [
      registry.putBlob(first, layerMediaType),
      registry.putBlob(gzipSync(second), "application/vnd.oci.image.layer.v1.tar+gzip"),
    ],
  };
  return { digest: registry.putManifest("os/app", "v1", manifest), manifest };
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RegistryError)) throw new Error(`expected a RegistryError, got ${String(error)}`);
  return error;
}

describe("RegistryClient against a bearer-token registry", () => {
  it("trades credentials for a token once and inspects the image", async () => {
    const registry = await fake({ auth: "bearer", ...credentials });
    const { digest } = putImage(registry);
    const client = new RegistryClient({ credentials });
    const image = await client.inspect(`${registry.host}/os/app:v1`, { signal });
    expect(image).toMatchObject({ digest, os: "linux", labels: { team: "mob" } });
    expect(image.layers).toHaveLength(2);
    expect(await client.resolve(`${registry.host}/os/app:v1`, { signal })).toBe(digest);
    expect(registry.authorizations.filter((h) => h === "").length).toBe(1);
    expect(registry.authorizations.at(-1)).toBe(`Bearer ${registry.token}`);
  });

  it("reports a rejected password as unauthorized without the password or token", async () => {
    const registry = await fake({ auth: "bearer", ...credentials });
    putImage(registry);
    const client = new RegistryClient({ credentials: { username: "alice", password: "wrong-password-42" } });
    const error = await failure(client.resolve(`${registry.host}/os/app:v1`, { signal }));
    expect(error.code).toBe("unauthorized");
    expect(error.message).toContain(registry.host);
    expect(error.message).toContain("os/app:v1");
    expect(error.message).not.toContain("wrong-password-42");
    expect(error.message).not.toContain(registry.token);
  });

  it("uses Basic credentials found in a dockerconfigjson", async () => {
    const registry = await fake({ auth: "basic", ...credentials });
    const { digest } = putImage(registry);
    const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
    const client = new RegistryClient({
      dockerConfigJson: JSON.stringify({ auths: { [registry.host]: { auth } } }),
    });
    expect(await client.resolve(`${registry.host}/os/app:v1`, { signal })).toBe(digest);
    const anonymous = await failure(new RegistryClient().resolve(`${registry.host}/os/app:v1`, { signal }));
    expect(anonymous.code).toBe("unauthorized");
    expect(anonymous.message).toContain("no credentials");
  });
});

describe("RegistryClient verification and errors", () => {
  it("rejects manifests and configs whose bytes do not match their digest", async () => {
    const registry = await fake({ auth: "none" });
    const { digest, manifest } = putImage(registry);
    const client = new RegistryClient();
    registry.override(`/v2/os/app/blobs/${manifest.config.digest}`, Buffer.from('{"architecture":"evil"}'));
    expect((await failure(client.getConfig(`${registry.host}/os/app@${digest}`, { signal }))).code).toBe(
      "digest-mismatch",
    );
    registry.override(
      `/v2/os/app/manifests/${digest}`,
      Buffer.from(JSON.stringify({ ...manifest, layers: [] })),
    );
    expect((await failure(client.getManifest(`${registry.host}/os/app@${digest}`, { signal }))).code).toBe(
      "digest-mismatch",
    );
    registry.override("/v2/os/app/manifests/v1", Buffer.from(JSON.stringify({ ...manifest, layers: [] })));
    expect((await failure(client.getManifest(`${registry.host}/os/app:v1`, { signal }))).code).toBe(
      "digest-mismatch",
    );
  });

  it("maps missing images, dead registries and aborts", async () => {
    const registry = await fake({ auth: "none" });
    const client = new RegistryClient();
    expect((await failure(client.resolve(`${registry.host}/os/none:v1`, { signal }))).code).toBe("not-found");
    expect(
      await client.deleteManifest(`${registry.host}/os/none@sha256:${"0".repeat(64)}`, { signal }),
    ).toEqual({
      deleted: false,
      digest: `sha256:${"0".repeat(64)}`,
    });
    expect((await failure(client.resolve("127.0.0.1:1/os/none:v1", { signal }))).code).toBe("unreachable");
    const aborted = await client
      .resolve(`${registry.host}/os/none:v1`, { signal: AbortSignal.abort() })
      .catch((e) => e);
    expect(isRegistryError(aborted)).toBe(false);
    expect((aborted as Error).name).toBe("AbortError");
  });

  it("picks the host platform from an index", async () => {
    const registry = await fake({ auth: "none" });
    const { digest, manifest } = putImage(registry);
    const entry = (architecture: string, d: string) => ({
      mediaType: OCI_MANIFEST,
      digest: d,
      size: 1,
      platform: { os: "linux", architecture },
    });
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [entry("mips64", manifest.config.digest), entry(hostPlatform().architecture, digest)],
    };
    const indexDigest = registry.putManifest("os/app", "multi", index);
    const image = await new RegistryClient().getImageManifest(`${registry.host}/os/app:multi`, { signal });
    expect(image).toMatchObject({ digest: indexDigest, manifestDigest: digest });
    const other = { os: "linux", architecture: "sparc" };
    const missing = await failure(
      new RegistryClient().getImageManifest(`${registry.host}/os/app:multi`, { signal, platform: other }),
    );
    expect(missing.code).toBe("not-found");
  });
});

describe("pullAndUnpack against a fake registry", () => {
  it("unpacks uncompressed and gzip layers and refuses unknown layer types", async () => {
    const registry = await fake({ auth: "none" });
    const { digest } = putImage(registry);
    const target = await mkdtemp(join(tmpdir(), "mob-pull-fake-"));
    cleanups.push(() => rm(target, { recursive: true, force: true }));
    const result = await pullAndUnpack(`${registry.host}/os/app:v1`, join(target, "ok"), { signal });
    expect(result.digest).toBe(digest);
    expect(await readFile(join(target, "ok/etc/b"), "utf8")).toBe("a");
    await expect(readFile(join(target, "ok/etc/gone"))).rejects.toThrow();

    const other = await fake({ auth: "none" });
    putImage(other, "application/vnd.example.squashfs");
    const error = await failure(pullAndUnpack(`${other.host}/os/app:v1`, join(target, "bad"), { signal }));
    expect(error.code).toBe("unsupported");
  });

  it("fails with digest-mismatch when a layer does not unpack to its diff_id", async () => {
    const registry = await fake({ auth: "none" });
    putImage(registry, undefined, sha256Digest(Buffer.from("something else")));
    const target = await mkdtemp(join(tmpdir(), "mob-pull-fake-"));
    cleanups.push(() => rm(target, { recursive: true, force: true }));
    const error = await failure(pullAndUnpack(`${registry.host}/os/app:v1`, target, { signal }));
    expect(error.code).toBe("digest-mismatch");
    expect(error.message).toContain("unpacks to");
  });
});
