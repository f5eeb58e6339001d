import { lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { materialiseToTree } from "./materialise.ts";
import { MaterialiseError } from "./nodes.ts";
import { UnsafePathError } from "./root-path.ts";
import { updateShadow } from "./shadow.ts";
import { parseInstallSection } from "./systemd-units.ts";
import type { IgnitionConfig } from "./types.ts";

let root: string;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "mob-ign-root-"));
  outside = await mkdtemp(join(tmpdir(), "mob-ign-outside-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const modeOf = async (path: string): Promise<number> => (await stat(join(root, path))).mode & 0o7777;
const text = (path: string): Promise<string> => readFile(join(root, path), "utf8");

const config: IgnitionConfig = {
  ignition: { version: "3.4.0" },
  storage: {
    directories: [{ path: "/etc/mob", mode: 0o750 }],
    files: [
      {
        path: "/etc/mob/conf",
        mode: 0o600,
        contents: { source: "data:,hello%0A" },
        append: [{ source: "data:,more" }],
      },
      { path: "/usr/local/bin/tool", mode: 0o4755, contents: { source: "data:;base64,IyEvYmluL3NoCg==" } },
      { path: "/etc/empty", user: { name: "core" }, group: { id: 1000 } },
    ],
    links: [
      { path: "/etc/mob/link", target: "conf" },
      { path: "/etc/mob/hard", target: "/etc/mob/conf", hard: true },
    ],
    disks: [{ device: "/dev/vdb" }],
  },
  systemd: {
    units: [
      {
        name: "mob.service",
        enabled: true,
        contents:
          "[Unit]\nDescription=x\n[Install]\nWantedBy=multi-user.target graphical.target\nRequiredBy=a.target\n",
        dropins: [{ name: "10-env.conf", contents: "[Service]\nEnvironment=A=1\n" }],
      },
      { name: "plain.service", enabled: true, contents: "[Service]\nExecStart=/bin/true\n" },
      { name: "masked.service", mask: true },
    ],
  },
  passwd: {
    users: [
      {
        name: "core",
        sshAuthorizedKeys: ["ssh-ed25519 AAA one", "ssh-ed25519 BBB two"],
        passwordHash: "$6$hash",
      },
      { name: "ops", sshAuthorizedKeys: ["ssh-rsa CCC"], uid: 1500 },
    ],
    groups: [{ name: "ops-group" }],
  },
  kernelArguments: { shouldExist: ["nosmt"] },
};

describe("materialiseToTree", () => {
  it("writes files, directories and links with their modes", async () => {
    const manifest = await materialiseToTree(config, root);
    expect(await text("/etc/mob/conf")).toBe("hello\nmore");
    expect(await modeOf("/etc/mob/conf")).toBe(0o600);
    expect(await modeOf("/etc/mob")).toBe(0o750);
    expect(await modeOf("/usr/local/bin/tool")).toBe(0o4755);
    expect(await modeOf("/usr/local/bin")).toBe(0o755);
    expect(await text("/etc/empty")).toBe("");
    expect(await modeOf("/etc/empty")).toBe(0o644);
    expect(await readlink(join(root, "/etc/mob/link"))).toBe("conf");
    expect((await stat(join(root, "/etc/mob/hard"))).ino).toBe((await stat(join(root, "/etc/mob/conf"))).ino);
    expect(manifest.files).toEqual([
      { path: "/etc/empty", mode: 0o644, size: 0 },
      { path: "/etc/mob/conf", mode: 0o600, size: 10 },
      { path: "/usr/local/bin/tool", mode: 0o4755, size: 10 },
    ]);
    expect(manifest.ownership).toEqual([
      { path: "/etc/empty", user: { name: "core" }, group: { id: 1000 }, applied: false },
      { path: "/home/core/.ssh", user: { name: "core" }, group: { name: "core" }, applied: false },
      {
        path: "/home/core/.ssh/authorized_keys.d",
        user: { name: "core" },
        group: { name: "core" },
        applied: false,
      },
      {
        path: "/home/core/.ssh/authorized_keys.d/ignition",
        user: { name: "core" },
        group: { name: "core" },
        applied: false,
      },
      { path: "/home/ops/.ssh", user: { name: "ops" }, group: { name: "ops" }, applied: false },
      {
        path: "/home/ops/.ssh/authorized_keys.d",
        user: { name: "ops" },
        group: { name: "ops" },
        applied: false,
      },
      {
        path: "/home/ops/.ssh/authorized_keys.d/ignition",
        user: { name: "ops" },
        group: { name: "ops" },
        applied: false,
      },
    ]);
    expect(manifest.skipped.map((entry) => entry.path)).toEqual(["storage.disks", "kernelArguments"]);
  });

  it("writes units, dropins, enablement links from [Install] and masks", async () => {
    const manifest = await materialiseToTree(config, root);
    const dir = "/etc/systemd/system";
    expect(await text(`${dir}/mob.service`)).toContain("Description=x");
    expect(await text(`${dir}/mob.service.d/10-env.conf`)).toBe("[Service]\nEnvironment=A=1\n");
    for (const link of ["multi-user.target.wants", "graphical.target.wants", "a.target.requires"]) {
      expect(await readlink(join(root, dir, link, "mob.service"))).toBe(`${dir}/mob.service`);
    }
    expect(await readlink(join(root, dir, "multi-user.target.wants/plain.service"))).toBe(
      `${dir}/plain.service`,
    );
    expect(await readlink(join(root, dir, "masked.service"))).toBe("/dev/null");
    expect(manifest.units.map((unit) => [unit.name, unit.links.length, unit.masked])).toEqual([
      ["mob.service", 3, false],
      ["plain.service", 1, false],
      ["masked.service", 0, true],
    ]);
  });

  it("enables a unit shipped by the image using its own [Install] section, and disables it again", async () => {
    await mkdir(join(root, "/usr/lib/systemd/system"), { recursive: true });
    await writeFile(
      join(root, "/usr/lib/systemd/system/getty@.service"),
      "[Install]\nWantedBy=getty.target\n",
    );
    const unit = (enabled: boolean): IgnitionConfig => ({
      ignition: { version: "3.4.0" },
      systemd: { units: [{ name: "getty@tty1.service", enabled }] },
    });
    await materialiseToTree(unit(true), root);
    const link = join(root, "/etc/systemd/system/getty.target.wants/getty@tty1.service");
    expect(await readlink(link)).toBe("/usr/lib/systemd/system/getty@.service");
    await materialiseToTree(unit(false), root);
    await expect(lstat(link)).rejects.toThrow(/ENOENT/);
  });

  it("writes SSH keys where the MCO and Ignition do", async () => {
    const manifest = await materialiseToTree(config, root);
    expect(await text("/home/core/.ssh/authorized_keys.d/ignition")).toBe(
      "ssh-ed25519 AAA one\nssh-ed25519 BBB two\n",
    );
    expect(await modeOf("/home/core/.ssh/authorized_keys.d/ignition")).toBe(0o600);
    expect(await modeOf("/home/core/.ssh")).toBe(0o700);
    expect(await text("/home/ops/.ssh/authorized_keys.d/ignition")).toBe("ssh-rsa CCC\n");
    expect(manifest.passwords).toEqual([{ user: "core", passwordHash: "$6$hash" }]);
    expect(manifest.accounts).toEqual({ users: ["ops"], groups: ["ops-group"] });

    const legacyRoot = join(root, "legacy");
    await materialiseToTree(config, legacyRoot, { coreSSHKeyLayout: "legacy" });
    expect(await readFile(join(legacyRoot, "/home/core/.ssh/authorized_keys"), "utf8")).toContain("AAA one");
    await expect(lstat(join(legacyRoot, "/home/core/.ssh/authorized_keys.d"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses .. in paths", async () => {
    const dotDot: IgnitionConfig = {
      ignition: { version: "3.4.0" },
      storage: { files: [{ path: "/etc/../../escape", contents: { source: "data:,x" } }] },
    };
    await expect(materialiseToTree(dotDot, root)).rejects.toThrow(UnsafePathError);
  });

  it("follows symlinks in the tree as if chrooted, never onto the host", async () => {
    await mkdir(join(root, "/etc"), { recursive: true });
    // An absolute link pointing at a real host directory, and a relative one climbing above root.
    await symlink(outside, join(root, "/etc/abs"));
    await symlink("../../../../../../..", join(root, "/etc/up"));
    const through: IgnitionConfig = {
      ignition: { version: "3.4.0" },
      storage: {
        files: [
          { path: "/etc/abs/file", contents: { source: "data:,a" } },
          { path: "/etc/up/tmp/file", contents: { source: "data:,b" } },
        ],
        links: [{ path: "/etc/hard", target: "/etc/abs/file", hard: true }],
      },
    };
    await materialiseToTree(through, root);
    expect(await text(join(outside, "file"))).toBe("a");
    await expect(readFile(join(outside, "file"), "utf8")).rejects.toThrow(/ENOENT/);
    expect(await text("/tmp/file")).toBe("b");
    expect((await stat(join(root, "/etc/hard"))).ino).toBe((await stat(join(root, outside, "file"))).ino);
  });

  it("replaces a symlink at the path itself instead of writing through it", async () => {
    await mkdir(join(root, "/etc"), { recursive: true });
    await writeFile(join(outside, "victim"), "safe");
    await symlink(join(outside, "victim"), join(root, "/etc/target"));
    const overwrite: IgnitionConfig = {
      ignition: { version: "3.4.0" },
      storage: { files: [{ path: "/etc/target", overwrite: true, contents: { source: "data:,x" } }] },
    };
    await materialiseToTree(overwrite, root);
    expect(await readFile(join(outside, "victim"), "utf8")).toBe("safe");
    expect((await lstat(join(root, "/etc/target"))).isFile()).toBe(true);
  });

  it("honours overwrite: false like Ignition", async () => {
    await mkdir(join(root, "/etc"), { recursive: true });
    await writeFile(join(root, "/etc/existing"), "keep");
    const keep: IgnitionConfig = {
      ignition: { version: "3.4.0" },
      storage: { files: [{ path: "/etc/existing", mode: 0o640 }] },
    };
    await materialiseToTree(keep, root);
    expect(await text("/etc/existing")).toBe("keep");
    expect(await modeOf("/etc/existing")).toBe(0o640);
    const clash: IgnitionConfig = {
      ignition: { version: "3.4.0" },
      storage: { files: [{ path: "/etc/existing", contents: { source: "data:,new" } }] },
    };
    await expect(materialiseToTree(clash, root)).rejects.toThrow(MaterialiseError);
  });

  it.runIf(process.getuid?.() === 0)(
    "chowns to ids and to names found in the tree's /etc/passwd",
    async () => {
      await mkdir(join(root, "/etc"), { recursive: true });
      await writeFile(join(root, "/etc/passwd"), "core:x:1000:1000::/home/core:/bin/bash\n");
      await writeFile(join(root, "/etc/group"), "core:x:1000:\n");
      const owned: IgnitionConfig = {
        ignition: { version: "3.4.0" },
        storage: {
          files: [
            { path: "/a", user: { name: "core" }, group: { id: 7 } },
            { path: "/b", user: { name: "nobody-here" } },
          ],
        },
      };
      const manifest = await materialiseToTree(owned, root, { chown: true });
      expect(manifest.ownership.map((record) => record.applied)).toEqual([true, false]);
      const stats = await stat(join(root, "/a"));
      expect([stats.uid, stats.gid]).toEqual([1000, 7]);
    },
  );

  it("stops when aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(materialiseToTree(config, root, { signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});

describe("updateShadow", () => {
  it("replaces the hash of existing users only, keeping the file mode", async () => {
    await mkdir(join(root, "/etc"), { recursive: true });
    await writeFile(join(root, "/etc/shadow"), "root:*:19000:0:99999:7:::\ncore:!!:19000::::::\n", {
      mode: 0o600,
    });
    const result = await updateShadow(root, [
      { user: "core", passwordHash: "$6$new" },
      { user: "ghost", passwordHash: "$6$x" },
    ]);
    expect(result).toEqual({ updated: ["core"], missing: ["ghost"] });
    expect(await text("/etc/shadow")).toBe("root:*:19000:0:99999:7:::\ncore:$6$new:19000::::::\n");
    expect(await modeOf("/etc/shadow")).toBe(0o600);
  });

  it("reports every user missing when there is no /etc/shadow", async () => {
    expect(await updateShadow(root, [{ user: "core", passwordHash: "x" }])).toEqual({
      updated: [],
      missing: ["core"],
    });
  });
});

describe("parseInstallSection", () => {
  it("reads WantedBy and RequiredBy, honouring empty resets and other sections", () => {
    const unit =
      "[Service]\nWantedBy=ignored.target\n[Install]\nWantedBy=a.target\nWantedBy=\nWantedBy=b.target c.target\n# x\nRequiredBy=d.target\n";
    expect(parseInstallSection(unit)).toEqual({
      wantedBy: ["b.target", "c.target"],
      requiredBy: ["d.target"],
    });
  });
});
