import { readFile, stat } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OsBackendError } from "./backend.ts";
import { runOsBackendConformance } from "./backend-conformance.ts";
import { BootcBackend } from "./bootc.ts";
import { parseBootcStatus } from "./bootc-status.ts";
import { CREDENTIALS, commandLines, type HostFixture, IMAGE, startHostFixture } from "./host-fixture.ts";

const signal = new AbortController().signal;
const testdata = (name: string) => readFile(new URL(`./testdata/${name}`, import.meta.url), "utf8");
const start = () => startHostFixture("bootc", (options) => new BootcBackend(options));
const startInDirectory = () => startHostFixture("bootc", (options) => new BootcBackend(options), "directory");

runOsBackendConformance("bootc", start);
runOsBackendConformance("bootc", startInDirectory, "host root at a directory");

describe("parseBootcStatus", () => {
  it("reads the booted entry of a BootcHost, pinning the tagged image by its digest", async () => {
    const status = parseBootcStatus(await testdata("bootc-status-booted.json"));
    expect(status.booted).toEqual({
      id: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
      image: `quay.io/centos-bootc/centos-bootc@${status.booted.imageDigest}`,
      imageDigest: status.booted.id,
      osRelease: { OSTREE_VERSION: "stream9.20240807.0" },
    });
    expect(status.staged).toBeUndefined();
    expect(status.rollback).toBeUndefined();
  });

  it("reads staged and rollback; an image from the oci transport has no registry name", async () => {
    const status = parseBootcStatus(await testdata("bootc-status-staged.json"));
    expect(status.staged?.image).toMatch(/^registry\.example\.com\/mob\/os-images@sha256:[a-f0-9]{64}$/);
    expect(status.staged?.imageDigest).toBe(status.staged?.image?.split("@")[1]);
    expect(status.rollback?.image).toBeUndefined();
    expect(status.rollback?.imageDigest).toMatch(/^sha256:/);
  });

  it("rejects a host not booted through bootc and output that is not a BootcHost", () => {
    const host = { apiVersion: "org.containers.bootc/v1", kind: "BootcHost", status: { booted: null } };
    expect(() => parseBootcStatus(JSON.stringify(host))).toThrow(/not booted through bootc/);
    expect(() => parseBootcStatus("{}")).toThrow(OsBackendError);
  });
});

describe("BootcBackend command lines", () => {
  let fixture: HostFixture;
  beforeEach(async () => {
    fixture = await start();
  });
  afterEach(async () => {
    await fixture.close?.();
  });

  it("switches by digest with --retain on the registry transport, then reboots through systemd", async () => {
    await fixture.backend.rebase(IMAGE, { credentials: CREDENTIALS, signal });
    await fixture.backend.reboot(signal);
    expect(fixture.host.calls).toEqual([
      {
        command: "bootc",
        args: ["switch", "--transport", "registry", "--retain", IMAGE],
        env: { LC_ALL: "C" },
      },
      { command: "bootc", args: ["status", "--format=json", "--format-version=1"], env: { LC_ALL: "C" } },
      { command: "systemctl", args: ["reboot"], env: { LC_ALL: "C" } },
    ]);
    expect(await readFile(fixture.authFile, "utf8")).toBe(CREDENTIALS.dockerConfigJson);
  });

  it("undeploys a staged deployment only after status showed one, and checks it went", async () => {
    await fixture.backend.cleanupStaged(signal);
    await fixture.backend.rebase(IMAGE, { credentials: CREDENTIALS, signal });
    await fixture.backend.cleanupStaged(signal);
    expect(fixture.host.calls.map((call) => [call.command, ...call.args].join(" "))).toEqual([
      "bootc status --format=json --format-version=1",
      `bootc switch --transport registry --retain ${IMAGE}`,
      "bootc status --format=json --format-version=1",
      "ostree admin undeploy 0",
      "bootc status --format=json --format-version=1",
    ]);
  });

  it("retries an unreachable registry and reports the switch failure with the image", async () => {
    fixture.host.pullFailures.push(...Array.from({ length: 7 }, () => "connection-refused"));
    const error = await fixture.backend
      .rebase(IMAGE, { credentials: CREDENTIALS, signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "registry-unreachable", message: expect.stringContaining(IMAGE) });
    expect(fixture.sleeps).toHaveLength(6);
  });
});

describe("BootcBackend with the host root at a directory (the DaemonSet's /rootfs)", () => {
  let fixture: HostFixture;
  beforeEach(async () => {
    fixture = await startInDirectory();
  });
  afterEach(async () => {
    await fixture.close?.();
  });

  it("switches, undeploys and reboots through chroot into the host root, with the same arguments", async () => {
    const root = fixture.hostRoot;
    await fixture.backend.rebase(IMAGE, { credentials: CREDENTIALS, signal });
    await fixture.backend.cleanupStaged(signal);
    await fixture.backend.rebase(IMAGE, { credentials: CREDENTIALS, signal });
    await fixture.backend.reboot(signal);
    const status = `chroot ${root} bootc status --format=json --format-version=1`;
    const change = `chroot ${root} bootc switch --transport registry --retain ${IMAGE}`;
    expect(commandLines(fixture.host)).toEqual([
      change,
      status,
      `chroot ${root} ostree admin undeploy 0`,
      status,
      change,
      status,
      `chroot ${root} systemctl reboot`,
    ]);
    expect((await fixture.backend.status(signal)).booted.image).toBe(IMAGE);
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
});
