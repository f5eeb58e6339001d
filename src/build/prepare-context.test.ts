import { execFile } from "node:child_process";
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contextStepsFor, renderContainerfile } from "../controllers/build/containerfile/index.ts";
import type { IgnitionConfig } from "../ignition/index.ts";
import { PrepareContextError } from "./errors.ts";
import { decodeMachineConfigBlob, encodeMachineConfigBlob } from "./machineconfig-blob.ts";
import { prepareContext } from "./prepare-context.ts";
import { ownersData } from "./step-data.ts";
import { PASSWORD_HASH, SSH_KEY, TEST_IGNITION, testMachineConfig } from "./testdata-fixtures.ts";

const run = promisify(execFile);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mob-context-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const containerfileFor = (config: IgnitionConfig, user = ""): string =>
  renderContainerfile({
    baseImage: `localhost/base@sha256:${"0".repeat(64)}`,
    extensions: [],
    renderedConfigName: "rendered-worker-0123456789abcdef0123456789abcdef",
    poolName: "worker",
    mobInputsHash: "abc123",
    userContainerfiles: user === "" ? [] : [{ content: user }],
    architecture: "AMD64",
    isOstreeBase: false,
    steps: contextStepsFor(config),
  });

const prepare = (config: IgnitionConfig = TEST_IGNITION, containerfile = containerfileFor(config)) =>
  prepareContext({
    machineConfig: Buffer.from(encodeMachineConfigBlob(JSON.stringify(testMachineConfig(config)))),
    containerfile,
    out: join(dir, "ctx"),
  });

describe("machine config blob", () => {
  it("decodes base64(gzip), raw gzip and plain JSON to the same text", () => {
    const json = JSON.stringify(testMachineConfig());
    const blob = encodeMachineConfigBlob(json);
    expect(decodeMachineConfigBlob(Buffer.from(blob)).json).toBe(json);
    expect(decodeMachineConfigBlob(Buffer.from(`${blob}\n`)).json).toBe(json);
    expect(decodeMachineConfigBlob(gunzipSync(Buffer.from(blob, "base64"))).json).toBe(json);
    expect(decodeMachineConfigBlob(Buffer.from(Buffer.from(blob, "base64"))).json).toBe(json);
    expect(() => decodeMachineConfigBlob(Buffer.from("not json {"))).toThrow(PrepareContextError);
  });
});

describe("prepareContext", () => {
  it("lays out the context the Containerfile expects", async () => {
    const prepared = await prepare();
    const ctx = prepared.dir;
    expect(await readFile(join(ctx, "Containerfile"), "utf8")).toBe(containerfileFor(TEST_IGNITION));
    const blob = await readFile(join(ctx, "machineconfig/machineconfig.json.gz"), "utf8");
    expect(JSON.parse(gunzipSync(Buffer.from(blob, "base64")).toString())).toEqual(testMachineConfig());
    expect(await readFile(join(ctx, "mob/shadow"), "utf8")).toBe(`core:${PASSWORD_HASH}\n`);
    expect(await readFile(join(ctx, "mob/owners"), "utf8")).toBe(
      "core:core 0700 /home/core/.ssh\ncore:core 0700 /home/core/.ssh/authorized_keys.d\n" +
        "core:core 0600 /home/core/.ssh/authorized_keys.d/ignition\n",
    );
    expect(await readFile(join(ctx, "root/home/core/.ssh/authorized_keys.d/ignition"), "utf8")).toBe(
      `${SSH_KEY}\n`,
    );
    expect(
      await readlink(join(ctx, "root/etc/systemd/system/multi-user.target.wants/mob-hello.service")),
    ).toBe("/etc/systemd/system/mob-hello.service");
    expect(prepared.passwordUsers).toEqual(["core"]);
  });

  it("archives files, links and configured directories but no implicit parents", async () => {
    const prepared = await prepare();
    const { stdout } = await run("tar", ["-tvf", join(prepared.dir, "root.tar"), "--numeric-owner"]);
    const names = stdout
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/).slice(5).join(" "));
    expect(names).toEqual([
      "etc/machine-config-daemon/",
      "etc/mob/hello.conf",
      "etc/systemd/system/mob-hello.service",
      "etc/systemd/system/mob-hello.service.d/10-env.conf",
      "etc/systemd/system/multi-user.target.wants/mob-hello.service -> /etc/systemd/system/mob-hello.service",
      "home/core/.ssh/",
      "home/core/.ssh/authorized_keys.d/",
      "home/core/.ssh/authorized_keys.d/ignition",
      "usr/local/bin/mob-hello",
    ]);
    expect(stdout).toMatch(/-rwxr-xr-x 0\/0 .* usr\/local\/bin\/mob-hello/);
    expect(stdout).toMatch(/drwx------ 0\/0 .* home\/core\/.ssh\//);
  });

  it("writes no step data when the config needs none", async () => {
    const config: IgnitionConfig = { ignition: { version: "3.4.0" } };
    const prepared = await prepare(config);
    await expect(lstat(join(prepared.dir, "mob"))).rejects.toThrow(/ENOENT/);
    expect(prepared.archived).toEqual(["etc/machine-config-daemon"]);
  });

  it("refuses a Containerfile without the steps the config's data needs", async () => {
    const plain = containerfileFor({ ignition: { version: "3.4.0" } });
    await expect(prepare(TEST_IGNITION, plain)).rejects.toMatchObject({
      code: "ContainerfileMismatch",
      message: expect.stringContaining("password hashes (mob/shadow) and file owners (mob/owners)"),
    });
  });

  it("refuses invalid Containerfiles, Ignition configs, account changes and a non-empty output", async () => {
    await expect(prepare(TEST_IGNITION, "FROM x\nRUNN y\n")).rejects.toMatchObject({
      code: "InvalidContainerfile",
    });
    const badMode: IgnitionConfig = {
      ignition: { version: "3.4.0" },
      storage: { files: [{ path: "/x", mode: 99999 }] },
    };
    await expect(prepare(badMode)).rejects.toMatchObject({ code: "InvalidIgnition" });
    const accounts: IgnitionConfig = {
      ignition: { version: "3.4.0" },
      passwd: { users: [{ name: "svc", uid: 900 }] },
    };
    await expect(prepare(accounts)).rejects.toMatchObject({ code: "UnsupportedAccounts" });
    await mkdir(join(dir, "ctx"), { recursive: true });
    await writeFile(join(dir, "ctx", "junk"), "x");
    await expect(prepare()).rejects.toMatchObject({ code: "OutputNotEmpty" });
  });
});

describe("ownersData", () => {
  it("skips root owners, uses ids or names, and marks symlinks", () => {
    const text = ownersData([
      { record: { path: "/a", user: { name: "root" }, applied: false }, mode: 0o644 },
      { record: { path: "/b", user: { id: 0 }, group: { id: 10 }, applied: false }, mode: 0o4755 },
      { record: { path: "/c", group: { name: "wheel" }, applied: false }, mode: undefined },
    ]);
    expect(text).toBe("0:10 4755 /b\n:wheel - /c\n");
    expect(() =>
      ownersData([{ record: { path: "/x\ny", user: { id: 5 }, applied: false }, mode: 0 }]),
    ).toThrow(PrepareContextError);
  });
});
