import { lstat, mkdtemp, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../logging.ts";
import { hostPlatform } from "../../registry/manifest.ts";
import { pullAndUnpack } from "../../registry/pull-unpack.ts";
import { BASE_IMAGE_LABELS, BASE_OS_VERSION, seedBaseImage } from "./base-image.ts";
import { startTestRegistry, type TestRegistry } from "./test-registry.ts";

const signal = new AbortController().signal;
let fixture: TestRegistry;
let unpacked: string;

beforeAll(async () => {
  fixture = await startTestRegistry();
  unpacked = await mkdtemp(join(tmpdir(), "mob-base-unpacked-"));
});

afterAll(async () => {
  await fixture?.close();
  await rm(unpacked, { recursive: true, force: true });
});

describe("seedBaseImage", () => {
  it("pushes os/base:<version> and returns a digest-pinned reference", () => {
    const { base, registry } = fixture;
    expect(base.built).toBe(true);
    expect(base.tagRef).toBe(`${registry.url}/os/base:${BASE_OS_VERSION}`);
    expect(base.ref).toBe(`${registry.url}/os/base@${base.digest}`);
    expect(base.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it("labels the image and records os and architecture", async () => {
    const image = await fixture.client.inspect(fixture.base.ref, { signal });
    expect(image.digest).toBe(fixture.base.digest);
    expect(image.os).toBe("linux");
    expect(image.architecture).toBe(hostPlatform().architecture);
    expect(image.labels).toMatchObject({
      [BASE_IMAGE_LABELS.base]: "true",
      [BASE_IMAGE_LABELS.version]: BASE_OS_VERSION,
    });
    expect(image.layers).toHaveLength(1);
  });

  it("unpacks to a busybox root filesystem with os-release", async () => {
    const result = await pullAndUnpack(fixture.base.ref, unpacked, {
      credentials: fixture.registry.credentials,
      signal,
    });
    expect(result.digest).toBe(fixture.base.digest);
    expect(await readlink(join(unpacked, "bin/sh"))).toBe("busybox");
    expect((await lstat(join(unpacked, "bin/busybox"))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(unpacked, "usr/lib/os-release"), "utf8")).toContain('NAME="mob base OS"');
    expect(await readFile(join(unpacked, "etc/os-release"), "utf8")).toContain(
      `VERSION_ID=${BASE_OS_VERSION}`,
    );
    expect(await readFile(join(unpacked, "etc/passwd"), "utf8")).toContain("core:x:1000:1000");
    for (const path of ["etc/machine-config-daemon", "usr/lib/systemd/system", "etc/systemd/system"]) {
      expect((await lstat(join(unpacked, path))).isDirectory()).toBe(true);
    }
    if (process.getuid?.() === 0) expect((await lstat(join(unpacked, "home/core"))).uid).toBe(1000);
  });

  it("returns the existing digest without rebuilding", async () => {
    const started = Date.now();
    const again = await seedBaseImage({
      registry: fixture.registry,
      dir: fixture.dir,
      logger: silentLogger(),
      signal,
    });
    expect(again).toEqual({ ...fixture.base, built: false });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
