import { readFile, stat } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OsBackendError } from "./backend.ts";
import { runOsBackendConformance } from "./backend-conformance.ts";
import { spawnCommand } from "./command-runner.ts";
import {
  CREDENTIALS,
  commandLines,
  type HostFixture,
  IMAGE,
  MISSING_IMAGE,
  startHostFixture,
} from "./host-fixture.ts";
import { RpmOstreeBackend } from "./rpm-ostree.ts";
import { parseRpmOstreeStatus } from "./rpm-ostree-status.ts";

const signal = new AbortController().signal;
const testdata = (name: string) => readFile(new URL(`./testdata/${name}`, import.meta.url), "utf8");
const start = () => startHostFixture("rpm-ostree", (options) => new RpmOstreeBackend(options));
const startInDirectory = () =>
  startHostFixture("rpm-ostree", (options) => new RpmOstreeBackend(options), "directory");

runOsBackendConformance("rpm-ostree", start);
runOsBackendConformance("rpm-ostree", startInDirectory, "host root at a directory");

describe("parseRpmOstreeStatus", () => {
  it("reads a booted container deployment", async () => {
    const status = parseRpmOstreeStatus(await testdata("rpm-ostree-status-booted.json"));
    expect(status.booted).toEqual({
      id: expect.stringMatching(/^rhcos-[a-f0-9]{64}\.0$/),
      image: expect.stringMatching(
        /^quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev@sha256:[a-f0-9]{64}$/,
      ),
      imageDigest: expect.stringMatching(/^sha256:/),
      osRelease: { OSTREE_VERSION: "415.92.202402201450-0" },
    });
    expect(status.booted.image?.endsWith(status.booted.imageDigest ?? "?")).toBe(true);
    expect(status.staged).toBeUndefined();
    expect(status.rollback).toBeUndefined();
  });

  it("reads staged, booted and rollback in boot order; a tagged reference is pinned by its digest", async () => {
    const text = await testdata("rpm-ostree-status-staged.json");
    const raw = JSON.parse(text) as { deployments: Record<string, string>[] };
    const status = parseRpmOstreeStatus(text);
    expect(status.staged?.image).toBe(
      `image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-images@${raw.deployments[0]?.["container-image-reference-digest"]}`,
    );
    expect(status.booted.id).toBe(raw.deployments[1]?.id);
    expect(status.rollback?.image).toBe(
      `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${raw.deployments[2]?.["container-image-reference-digest"]}`,
    );
    expect(status.rollback?.osRelease).toEqual({ OSTREE_VERSION: "415.92.202401111622-0" });
  });

  it("reports a non-container tree without an image", async () => {
    const status = parseRpmOstreeStatus(await testdata("rpm-ostree-status-non-container.json"));
    expect(status.booted.image).toBeUndefined();
    expect(status.booted.imageDigest).toBeUndefined();
    expect(status.booted.id).toMatch(/^fedora-coreos-/);
    expect(status.rollback?.image).toBeUndefined();
  });

  it("rejects output without a booted deployment", () => {
    expect(() => parseRpmOstreeStatus('{"deployments": []}')).toThrow(OsBackendError);
    expect(() => parseRpmOstreeStatus("not json")).toThrow(/no deployments/);
  });
});

describe("RpmOstreeBackend command lines", () => {
  let fixture: HostFixture;
  beforeEach(async () => {
    fixture = await start();
  });
  afterEach(async () => {
    await fixture.close?.();
  });

  it("writes the auth file (0600) and rebases like the machine-config daemon", async () => {
    await fixture.backend.rebase(IMAGE, { credentials: CREDENTIALS, signal });
    expect(fixture.host.calls).toEqual([
      {
        command: "rpm-ostree",
        args: ["rebase", "--experimental", `ostree-unverified-registry:${IMAGE}`],
        env: { LC_ALL: "C" },
      },
    ]);
    expect(await readFile(fixture.authFile, "utf8")).toBe(CREDENTIALS.dockerConfigJson);
    expect((await stat(fixture.authFile)).mode & 0o777).toBe(0o600);
  });

  it("runs status, cleanup and reboot with their exact arguments", async () => {
    await fixture.backend.status(signal);
    await fixture.backend.cleanupStaged(signal);
    await fixture.backend.rebase(IMAGE, { credentials: CREDENTIALS, signal });
    await fixture.backend.reboot(signal);
    expect(fixture.host.calls.map((call) => [call.command, ...call.args].join(" "))).toEqual([
      "rpm-ostree status --json",
      "rpm-ostree cleanup -p",
      `rpm-ostree rebase --experimental ostree-unverified-registry:${IMAGE}`,
      "rpm-ostree status --json",
      "systemctl reboot",
    ]);
    expect(fixture.backend.rootDir).toBe("/");
  });

  it("retries a refused connection with the 10 s doubling backoff, then succeeds", async () => {
    fixture.host.pullFailures.push("connection-refused", "connection-refused");
    await fixture.backend.rebase(IMAGE, { credentials: CREDENTIALS, signal });
    expect(fixture.sleeps).toEqual([10_000, 20_000]);
    expect((await fixture.backend.status(signal)).staged?.image).toBe(IMAGE);
  });

  it("gives up after 7 attempts with registry-unreachable, waits capped at 60 s", async () => {
    fixture.host.pullFailures.push(...Array.from({ length: 7 }, () => "connection-refused"));
    const error = await fixture.backend
      .rebase(IMAGE, { credentials: CREDENTIALS, signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "registry-unreachable" });
    expect((error as Error).message).toContain(IMAGE);
    expect(fixture.sleeps).toEqual([10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
  });

  it("does not retry a missing image", async () => {
    await expect(
      fixture.backend.rebase(MISSING_IMAGE, { credentials: CREDENTIALS, signal }),
    ).rejects.toMatchObject({
      code: "image-not-found",
    });
    expect(fixture.sleeps).toEqual([]);
  });

  it("refuses a reboot with nothing staged; maps other command failures to command-failed", async () => {
    const error = await fixture.backend.reboot(signal).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "no-staged-deployment" });
    const backend = new RpmOstreeBackend({
      run: async () => ({
        code: 1,
        stdout: "",
        stderr: "error: Couldn't start daemon: Error setting up sysroot\n",
      }),
    });
    await expect(backend.status(signal)).rejects.toMatchObject({
      code: "command-failed",
      message: expect.stringContaining("Error setting up sysroot"),
    });
  });
});

describe("RpmOstreeBackend with the host root at a directory (the DaemonSet's /rootfs)", () => {
  let fixture: HostFixture;
  beforeEach(async () => {
    fixture = await startInDirectory();
  });
  afterEach(async () => {
    await fixture.close?.();
  });

  it("runs every command through chroot into the host root, with the same arguments", async () => {
    const root = fixture.hostRoot;
    await fixture.backend.status(signal);
    await fixture.backend.cleanupStaged(signal);
    await fixture.backend.rebase(IMAGE, { credentials: CREDENTIALS, signal });
    await fixture.backend.reboot(signal);
    expect(commandLines(fixture.host)).toEqual([
      `chroot ${root} rpm-ostree status --json`,
      `chroot ${root} rpm-ostree cleanup -p`,
      `chroot ${root} rpm-ostree rebase --experimental ostree-unverified-registry:${IMAGE}`,
      `chroot ${root} rpm-ostree status --json`,
      `chroot ${root} systemctl reboot`,
    ]);
    expect(fixture.host.calls.every((call) => call.env?.LC_ALL === "C")).toBe(true);
    expect(fixture.backend.rootDir).toBe(root);
  });

  it("writes the auth file (0600) under the host root's /run/ostree, not the container's", async () => {
    await fixture.backend.rebase(IMAGE, { credentials: CREDENTIALS, signal });
    expect(fixture.authFile).toBe(`${fixture.hostRoot}/run/ostree/auth.json`);
    expect(await readFile(fixture.authFile, "utf8")).toBe(CREDENTIALS.dockerConfigJson);
    expect((await stat(fixture.authFile)).mode & 0o777).toBe(0o600);
    const containerAuth = await readFile("/run/ostree/auth.json", "utf8").catch(() => undefined);
    expect(containerAuth).not.toBe(CREDENTIALS.dockerConfigJson);
  });

  it("really runs the host's chroot: a root without rpm-ostree fails inside chroot", async () => {
    const backend = new RpmOstreeBackend({ run: spawnCommand, hostRoot: fixture.hostRoot });
    // As root, chroot enters the directory and finds no rpm-ostree (127); without CAP_SYS_CHROOT it
    // cannot enter it (125). Either way the failure comes from chroot, with the command named.
    await expect(backend.status(signal)).rejects.toMatchObject({
      code: "command-failed",
      message: expect.stringMatching(/^rpm-ostree status failed \(exit 12[57]\): chroot: /),
    });
  });

  it("names the host command in failures, not the chroot around it", async () => {
    const seen: string[] = [];
    const backend = new RpmOstreeBackend({
      hostRoot: "/rootfs",
      run: async (command, args) => {
        seen.push([command, ...args].join(" "));
        return { code: 1, stdout: "", stderr: "error: Couldn't start daemon: Error setting up sysroot\n" };
      },
    });
    const error = await backend.status(signal).catch((e: unknown) => e);
    expect(seen).toEqual(["chroot /rootfs rpm-ostree status --json"]);
    expect(error).toMatchObject({
      code: "command-failed",
      message: "rpm-ostree status failed (exit 1): error: Couldn't start daemon: Error setting up sysroot",
    });
  });
});
