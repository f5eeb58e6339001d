// Test set-up shared by the rpm-ostree and bootc tests: a fake host, a temporary auth file path and
// the backend under test wired to both, with retries that record their waits instead of sleeping.
// Two host roots: "/" (the daemon runs on the host; the auth file path is given to the backend) and
// a temporary directory standing for the DaemonSet's /rootfs (the backend is only told the root and
// must run every command in it and put the auth file under it).

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

/** `slash`: the daemon's `/` is the host's; `directory`: the host's `/` is mounted at a directory. */
export type HostRootKind = "slash" | "directory";

export interface HostFixture extends OsBackendFixture {
  host: FakeOstreeHost;
  /** The host root the backend was given. */
  hostRoot: string;
  /** Where the host's CLIs read the auth file, as the daemon sees it. */
  authFile: string;
  /** Waits the backend asked for between retries, in ms. */
  sleeps: number[];
}

export async function startHostFixture(
  flavor: HostFlavor,
  makeBackend: (options: HostBackendOptions) => OsBackend,
  rootKind: HostRootKind = "slash",
): Promise<HostFixture> {
  const dir = await mkdtemp(join(tmpdir(), `mob-${flavor}-`));
  const hostRoot = rootKind === "slash" ? "/" : dir;
  const authFile = join(dir, "run", "ostree", "auth.json");
  const host = new FakeOstreeHost({
    flavor,
    hostRoot,
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
    backend: makeBackend(
      rootKind === "slash" ? { run: host.run, authFile, sleep } : { run: host.run, hostRoot, sleep },
    ),
    host,
    hostRoot,
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

/** The recorded command lines, as one string each (`chroot <root> rpm-ostree status --json`). */
export function commandLines(host: FakeOstreeHost): string[] {
  return host.calls.map((call) => [call.command, ...call.args].join(" "));
}

function hex(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}
