// End to end with real buildah (private vfs storage, chroot isolation): a busybox base image, a
// MachineConfig with files, a unit, an SSH key and a password, and a user Containerfile, built from
// the context `mob build prepare-context` writes. Skipped where buildah is not installed.

import { execFile } from "node:child_process";
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageLabels } from "../api/constants.ts";
import { contextStepsFor, renderContainerfile } from "../controllers/build/containerfile/index.ts";
import { encodeMachineConfigBlob } from "./machineconfig-blob.ts";
import { PASSWORD_HASH, SSH_KEY, TEST_IGNITION, testMachineConfig } from "./testdata-fixtures.ts";

const run = promisify(execFile);
const REPO = new URL("../..", import.meta.url).pathname;
const USER_CONTAINERFILE =
  "FROM configs AS final\nRUN echo custom > /etc/custom-content && mkdir -p /usr/local/bin && " +
  "printf '#!/bin/sh\\necho tool\\n' > /usr/local/bin/mytool && chmod +x /usr/local/bin/mytool\n";

let work: string;
const buildah = async (...args: string[]): Promise<string> => {
  const storage = [
    "--root",
    join(work, "root"),
    "--runroot",
    join(work, "runroot"),
    "--storage-driver",
    "vfs",
  ];
  const { stdout } = await run("buildah", [...storage, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
};

/** A scratch image with busybox and its applets, os-release, and accounts root and core. */
async function buildBaseImage(): Promise<string> {
  const container = await buildah("from", "scratch");
  const mnt = await buildah("mount", container);
  for (const dir of ["bin", "etc", "usr/lib", "tmp", "root", "home", "run"])
    await mkdir(join(mnt, dir), { recursive: true });
  await copyFile("/bin/busybox", join(mnt, "bin/busybox"));
  await chmod(join(mnt, "bin/busybox"), 0o755);
  const { stdout } = await run("/bin/busybox", ["--list"]);
  for (const applet of stdout.split("\n").filter((name) => name !== "" && name !== "busybox")) {
    await symlink("busybox", join(mnt, "bin", applet));
  }
  await writeFile(join(mnt, "usr/lib/os-release"), 'NAME="mob test"\nID=mobtest\n');
  await writeFile(
    join(mnt, "etc/passwd"),
    "root:x:0:0:root:/root:/bin/sh\ncore:x:1000:1000:core:/home/core:/bin/sh\n",
  );
  await writeFile(join(mnt, "etc/group"), "root:x:0:\ncore:x:1000:\n");
  await writeFile(join(mnt, "etc/shadow"), "root:*:19000:0:99999:7:::\ncore:!!:19000:0:99999:7:::\n", {
    mode: 0o600,
  });
  await chmod(join(mnt, "tmp"), 0o1777);
  await chmod(join(mnt, "etc"), 0o751);
  await buildah("commit", "--quiet", container, "localhost/mob-test-base:latest");
  await buildah("rm", container);
  const digest = await buildah(
    "images",
    "--digests",
    "--format",
    "{{.Digest}}",
    "localhost/mob-test-base:latest",
  );
  return `localhost/mob-test-base@${digest}`;
}

// Needs buildah and root, as every build test: `make test` installs buildah; without it this fails.
describe("buildah build of a prepared context", () => {
  let mnt: string;
  let labels: Record<string, string>;
  let baseImage: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "mob-buildah-"));
    baseImage = await buildBaseImage();
    const mcJson = JSON.stringify(testMachineConfig());
    const containerfile = renderContainerfile({
      baseImage,
      extensions: [],
      renderedConfigName: "rendered-worker-0123456789abcdef0123456789abcdef",
      poolName: "worker",
      mobInputsHash: "e2e-hash",
      userContainerfiles: [{ containerfileArch: "NoArch", content: USER_CONTAINERFILE }],
      architecture: "AMD64",
      isOstreeBase: false,
      steps: contextStepsFor(TEST_IGNITION),
    });
    await writeFile(join(work, "mc.b64"), encodeMachineConfigBlob(mcJson));
    await writeFile(join(work, "Containerfile.in"), containerfile);
    const ctx = join(work, "ctx");
    await run(join(REPO, "bin/mob"), [
      "build",
      "prepare-context",
      "--machineconfig",
      join(work, "mc.b64"),
      "--containerfile",
      join(work, "Containerfile.in"),
      "--out",
      ctx,
    ]);
    await buildah("bud", "--quiet", "--isolation", "chroot", "-t", "localhost/mob-test-out:latest", ctx);
    const container = await buildah("from", "localhost/mob-test-out:latest");
    mnt = await buildah("mount", container);
    const inspected = JSON.parse(
      await buildah("inspect", "--type", "image", "localhost/mob-test-out:latest"),
    ) as {
      OCIv1: { config: { Labels: Record<string, string> } };
    };
    labels = inspected.OCIv1.config.Labels;
  }, 60_000);

  afterAll(async () => {
    if (work === undefined) return;
    await buildah("rm", "--all").catch(() => undefined);
    await buildah("rmi", "--all", "--force").catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  });

  const file = (path: string): Promise<string> => readFile(join(mnt, path), "utf8");
  const modeOf = async (path: string): Promise<number> => (await lstat(join(mnt, path))).mode & 0o7777;

  it("applies the MachineConfig's files, unit, drop-in and enablement", async () => {
    expect(await file("etc/mob/hello.conf")).toBe("hello from mob\n");
    expect(await modeOf("etc/mob/hello.conf")).toBe(0o644);
    expect(await file("usr/local/bin/mob-hello")).toBe("#!/bin/sh\necho hello\n");
    expect(await modeOf("usr/local/bin/mob-hello")).toBe(0o755);
    expect(await file("etc/systemd/system/mob-hello.service")).toContain(
      "ExecStart=/usr/local/bin/mob-hello",
    );
    expect(await file("etc/systemd/system/mob-hello.service.d/10-env.conf")).toContain("GREETING=hi");
    expect(await readlink(join(mnt, "etc/systemd/system/multi-user.target.wants/mob-hello.service"))).toBe(
      "/etc/systemd/system/mob-hello.service",
    );
  });

  it("applies the SSH key with core's ownership and the password hash", async () => {
    const key = join(mnt, "home/core/.ssh/authorized_keys.d/ignition");
    expect(await readFile(key, "utf8")).toBe(`${SSH_KEY}\n`);
    expect(await lstat(key)).toMatchObject({ uid: 1000, gid: 1000 });
    expect(await modeOf("home/core/.ssh")).toBe(0o700);
    expect((await lstat(join(mnt, "home/core/.ssh"))).uid).toBe(1000);
    expect(await file("etc/shadow")).toBe(
      `root:*:19000:0:99999:7:::\ncore:${PASSWORD_HASH}:19000:0:99999:7:::\n`,
    );
    expect(await modeOf("etc/shadow")).toBe(0o600);
  });

  it("keeps existing directories' modes", async () => {
    expect(await modeOf("etc")).toBe(0o751);
    expect(await modeOf("tmp")).toBe(0o1777);
  });

  it("records the config, runs the user's Containerfile and labels the image", async () => {
    expect(JSON.parse(await file("etc/machine-config-daemon/currentconfig"))).toEqual(testMachineConfig());
    expect(await file("etc/custom-content")).toBe("custom\n");
    expect(await file("usr/local/bin/mytool")).toBe("#!/bin/sh\necho tool\n");
    expect((await modeOf("usr/local/bin/mytool")) & 0o111).toBe(0o111);
    expect(labels).toMatchObject({
      [ImageLabels.machineConfig]: "rendered-worker-0123456789abcdef0123456789abcdef",
      [ImageLabels.machineConfigPool]: "worker",
      [ImageLabels.baseOSContainerImage]: baseImage,
      [ImageLabels.buildInputsHash]: "e2e-hash",
    });
  });

  it("leaves the MachineConfig blob and the context data out of the image", async () => {
    for (const path of [
      "machineconfig",
      "tmp/machineconfig.json.gz",
      "root.tar",
      "mob",
      "tmp/mob-shadow",
      "run/mob-context",
    ]) {
      await expect(lstat(join(mnt, path)), path).rejects.toThrow(/ENOENT/);
    }
  });
});
