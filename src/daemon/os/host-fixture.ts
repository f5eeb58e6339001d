// Test set-up shared by the rpm-ostree and bootc tests: a fake host, a temporary auth file path and
// the backend under test wired to both, with retries that record their waits instead of sleeping.

import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerConfigJsonFor } from "../../registry/index.ts";
import type { OsBackend } from "./backend.ts";
import type { OsBackendFixture } from "./backend-conformance.ts";
import type { Sleep } from "./backoff.ts";
import { FakeOstreeHost, type HostFlavor } from "./fake-host.ts";
import type { HostBackendOptions } from "./host-commands.ts";

export const FAKE_REGISTRY = "registry.example.com";
export const IMAGE = `${FAKE_REGISTRY}/mob/os-images@sha256:${hex("layered")}`;
export const MISSING_IMAGE = `${FAKE_REGISTRY}/mob/os-images@sha256:${hex("missing")}`;
export const CREDENTIALS = {
  dockerConfigJson: dockerConfigJsonFor(FAKE_REGISTRY, { username: "puller", password: "fake-host-secret" }),
};

export interface HostFixture extends OsBackendFixture {
  host: FakeOstreeHost;
  authFile: string;
  /** Waits the backend asked for between retries, in ms. */
  sleeps: number[];
}

export async function startHostFixture(
  flavor: HostFlavor,
  makeBackend: (options: HostBackendOptions) => OsBackend,
): Promise<HostFixture> {
  const dir = await mkdtemp(join(tmpdir(), `mob-${flavor}-`));
  const authFile = join(dir, "run", "ostree", "auth.json");
  const host = new FakeOstreeHost({
    flavor,
    authFile,
    acceptedAuth: CREDENTIALS.dockerConfigJson,
    images: [IMAGE],
  });
  const sleeps: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    signal.throwIfAborted();
    sleeps.push(ms);
  };
  return {
    backend: makeBackend({ run: host.run, authFile, sleep }),
    host,
    authFile,
    sleeps,
    image: IMAGE,
    missingImage: MISSING_IMAGE,
    credentials: CREDENTIALS,
    registryHost: FAKE_REGISTRY,
    async close() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function hex(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}
