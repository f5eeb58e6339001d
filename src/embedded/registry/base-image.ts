// Seeds the embedded registry with mob's base OS image, `<registry>/os/base:<version>`, built with
// buildah from scratch out of the tree in base-rootfs.ts. Seeding is idempotent: when the tag already
// exists its digest is returned and nothing is built. Push credentials go through an authfile
// (mode 0600, in a temporary directory removed afterwards), never through arguments or logs.

import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { RegistryClient } from "../../registry/client.ts";
import { type Credentials, dockerConfigJsonFor } from "../../registry/credentials.ts";
import { isRegistryError } from "../../registry/errors.ts";
import { hostPlatform } from "../../registry/manifest.ts";
import { BASE_OS_NAME, CORE_UID, writeBaseRootfs } from "./base-rootfs.ts";
import { type Buildah, buildahIn } from "./buildah.ts";

export const BASE_IMAGE_REPOSITORY = "os/base";
export const BASE_OS_VERSION = "1.0";

/** Labels on the base image's config. */
export const BASE_IMAGE_LABELS = {
  /** Marks images seeded by mob (value "true"). */
  base: "io.mob.base-os",
  title: "org.opencontainers.image.title",
  version: "org.opencontainers.image.version",
} as const;

export interface SeedOptions {
  registry: { url: string; credentials: Credentials };
  /** mob's state directory; buildah storage lives in `<dir>/buildah`. */
  dir: string;
  version?: string;
  repository?: string;
  logger: Logger;
  signal: AbortSignal;
  /** The busybox-static binary to copy (default /bin/busybox). */
  busybox?: string;
}

export interface SeededImage {
  /** `127.0.0.1:PORT/os/base@sha256:…`, what nodes and builds use. */
  ref: string;
  digest: string;
  /** `127.0.0.1:PORT/os/base:<version>`. */
  tagRef: string;
  /** False when the tag already existed and nothing was built. */
  built: boolean;
}

export async function seedBaseImage(options: SeedOptions): Promise<SeededImage> {
  const { registry, signal } = options;
  const version = options.version ?? BASE_OS_VERSION;
  const repository = `${registry.url}/${options.repository ?? BASE_IMAGE_REPOSITORY}`;
  const tagRef = `${repository}:${version}`;
  const logger = options.logger.child({ component: "base-image" });
  const client = new RegistryClient({ credentials: registry.credentials });
  try {
    const digest = await client.resolve(tagRef, { signal });
    logger.debug({ image: tagRef, digest }, "base image already seeded");
    return { ref: `${repository}@${digest}`, digest, tagRef, built: false };
  } catch (error) {
    if (!isRegistryError(error, "not-found")) throw error;
  }
  logger.info({ image: tagRef }, "building the base OS image");
  const digest = await buildAndPush(buildahIn(options.dir), { ...options, version, tagRef });
  logger.info({ image: tagRef, digest }, "base OS image seeded");
  return { ref: `${repository}@${digest}`, digest, tagRef, built: true };
}

interface BuildInput extends SeedOptions {
  version: string;
  tagRef: string;
}

async function buildAndPush(buildah: Buildah, input: BuildInput): Promise<string> {
  const { signal, version } = input;
  const work = await mkdtemp(join(tmpdir(), "mob-base-image-"));
  const container = `mob-base-${randomBytes(6).toString("hex")}`;
  const image = `localhost/${container}:${version}`;
  try {
    await writeBaseRootfs(join(work, "rootfs"), version, input.busybox);
    await buildah.run(["from", "--name", container, "scratch"], { signal });
    await buildah.run(["copy", container, `${join(work, "rootfs")}/`, "/"], { signal });
    await buildah.run(["run", container, "--", "/bin/chown", "-R", `${CORE_UID}:${CORE_UID}`, "/home/core"], {
      signal,
    });
    await buildah.run(configArgs(container, version), { signal });
    await buildah.run(["commit", "--quiet", container, image], { signal });
    const authfile = join(work, "auth.json");
    await writeFile(authfile, dockerConfigJsonFor(input.registry.url, input.registry.credentials), {
      mode: 0o600,
    });
    const digestfile = join(work, "digest");
    const push = [
      "push",
      "--quiet",
      "--authfile",
      authfile,
      "--tls-verify=false",
      "--digestfile",
      digestfile,
    ];
    await buildah.run([...push, image, `docker://${input.tagRef}`], { signal });
    return (await readFile(digestfile, "utf8")).trim();
  } finally {
    const cleanup = AbortSignal.timeout(30_000);
    await buildah.run(["rm", container], { signal: cleanup }).catch(() => undefined);
    await buildah.run(["rmi", image], { signal: cleanup }).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

function configArgs(container: string, version: string): string[] {
  const labels: Record<string, string> = {
    [BASE_IMAGE_LABELS.base]: "true",
    [BASE_IMAGE_LABELS.title]: BASE_OS_NAME,
    [BASE_IMAGE_LABELS.version]: version,
  };
  return [
    "config",
    ...Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`]),
    "--os",
    "linux",
    "--arch",
    hostPlatform().architecture,
    "--env",
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "--cmd",
    "/bin/sh",
    container,
  ];
}
