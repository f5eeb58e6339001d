import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectHostRoot, hostCommandLine, pathInHostRoot, resolveHostRoot } from "./host-root.ts";

describe("hostCommandLine", () => {
  it("leaves a command alone when the host root is /", () => {
    expect(hostCommandLine("/", "rpm-ostree", ["status", "--json"])).toEqual({
      command: "rpm-ostree",
      args: ["status", "--json"],
    });
  });

  it("wraps the command in chroot <root>, arguments unchanged", () => {
    expect(hostCommandLine("/rootfs", "bootc", ["switch", "--transport", "registry", "x@sha256:1"])).toEqual({
      command: "chroot",
      args: ["/rootfs", "bootc", "switch", "--transport", "registry", "x@sha256:1"],
    });
  });
});

describe("pathInHostRoot", () => {
  it("puts a host path under the host root", () => {
    expect(pathInHostRoot("/", "/run/ostree/auth.json")).toBe("/run/ostree/auth.json");
    expect(pathInHostRoot("/rootfs", "/run/ostree/auth.json")).toBe("/rootfs/run/ostree/auth.json");
    expect(pathInHostRoot("/rootfs/", "/etc/os-release")).toBe("/rootfs/etc/os-release");
  });
});

describe("detectHostRoot and resolveHostRoot", () => {
  let dir: string;
  let host: string;
  let hostUsrLib: string;
  let empty: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mob-host-root-"));
    host = join(dir, "host");
    hostUsrLib = join(dir, "host-usr-lib");
    empty = join(dir, "empty");
    await mkdir(join(host, "etc"), { recursive: true });
    await writeFile(join(host, "etc/os-release"), 'ID="rhcos"\n');
    await mkdir(join(hostUsrLib, "usr/lib"), { recursive: true });
    await writeFile(join(hostUsrLib, "usr/lib/os-release"), 'ID="fedora"\n');
    await mkdir(empty);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("takes the pod's mount when it holds a host's os-release, else /", async () => {
    expect(await detectHostRoot(host)).toBe(host);
    expect(await detectHostRoot(hostUsrLib)).toBe(hostUsrLib);
    expect(await detectHostRoot(empty)).toBe("/");
    expect(await detectHostRoot(join(dir, "missing"))).toBe("/");
  });

  it("uses a configured root, made absolute, only when it holds an os-release", async () => {
    expect(await resolveHostRoot(`${host}/`)).toBe(host);
    await expect(resolveHostRoot(empty)).rejects.toThrow(/has no etc\/os-release.*mounted there/);
    expect(await resolveHostRoot(undefined, host)).toBe(host);
    expect(await resolveHostRoot(undefined, empty)).toBe("/");
  });
});
