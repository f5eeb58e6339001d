import { describe, expect, it } from "vitest";
import { parseIgnition } from "./parse.ts";

describe("spec 2.2.0 translation", () => {
  it("translates root-filesystem nodes, units and users to the 3.x shape", () => {
    const result = parseIgnition({
      ignition: {
        version: "2.2.0",
        config: { append: [{ source: "data:,{}" }] },
        timeouts: { httpTotal: 3 },
      },
      storage: {
        files: [
          {
            filesystem: "root",
            path: "/etc/a",
            contents: { source: "data:,a", verification: {} },
            mode: 420,
          },
          {
            filesystem: "root",
            path: "/etc/b",
            append: true,
            contents: { source: "data:,more", compression: "" },
          },
          { filesystem: "root", path: "/etc/empty", overwrite: false, user: { name: "core" } },
        ],
        directories: [{ filesystem: "root", path: "/var/d", mode: 493 }],
        links: [{ filesystem: "root", path: "/etc/l", target: "/etc/a", hard: false }],
      },
      systemd: {
        units: [
          { name: "old.service", enable: true, contents: "[Unit]\n" },
          { name: "new.service", enabled: false, enable: true, dropins: [{ name: "a.conf", contents: "x" }] },
        ],
      },
      passwd: {
        users: [
          { name: "core", sshAuthorizedKeys: ["ssh-rsa AAA"], passwordHash: "$6$x", groups: ["wheel"] },
        ],
        groups: [{ name: "ops", gid: 1100 }],
      },
    });
    expect(result).toEqual({
      config: {
        ignition: {
          version: "3.0.0",
          config: { merge: [{ source: "data:,{}" }] },
          timeouts: { httpTotal: 3 },
        },
        storage: {
          files: [
            { path: "/etc/a", overwrite: true, contents: { source: "data:,a" }, mode: 420 },
            { path: "/etc/b", append: [{ source: "data:,more" }] },
            { path: "/etc/empty", overwrite: false, user: { name: "core" }, contents: { source: "data:," } },
          ],
          directories: [{ path: "/var/d", mode: 493 }],
          links: [{ path: "/etc/l", target: "/etc/a", hard: false }],
        },
        systemd: {
          units: [
            { name: "old.service", enabled: true, contents: "[Unit]\n" },
            { name: "new.service", enabled: false, dropins: [{ name: "a.conf", contents: "x" }] },
          ],
        },
        passwd: {
          users: [
            { name: "core", sshAuthorizedKeys: ["ssh-rsa AAA"], passwordHash: "$6$x", groups: ["wheel"] },
          ],
          groups: [{ name: "ops", gid: 1100 }],
        },
      },
    });
  });

  it.each([
    [
      { storage: { files: [{ filesystem: "oem", path: "/a" }] } },
      "storage.files[0].filesystem",
      'only the "root" filesystem',
    ],
    [
      { storage: { links: [{ filesystem: "data", path: "/a", target: "/b" }] } },
      "storage.links[0].filesystem",
      "root",
    ],
    [
      { storage: { disks: [{ device: "/dev/sda", partitions: [{ size: 2048 }] }] } },
      "storage.disks",
      "cannot be translated",
    ],
    [
      { storage: { filesystems: [{ name: "oem", mount: { device: "/dev/sdb", format: "ext4" } }] } },
      "storage.filesystems",
      "does not partition",
    ],
    [
      { networkd: { units: [{ name: "10-eth0.network", contents: "x" }] } },
      "networkd.units",
      "/etc/systemd/network",
    ],
    [
      { passwd: { users: [{ name: "a", create: { uid: 1000 } }] } },
      "passwd.users[0].create",
      "deprecated create",
    ],
  ])("refuses %j", (body, path, message) => {
    const result = parseIgnition({ ignition: { version: "2.2.0" }, ...body });
    expect(result).toEqual({
      issues: [{ path, code: "Untranslatable", message: expect.stringContaining(message) }],
    });
  });

  it("refuses append together with overwrite", () => {
    const result = parseIgnition({
      ignition: { version: "2.2.0" },
      storage: { files: [{ filesystem: "root", path: "/a", append: true, overwrite: true }] },
    });
    expect(result).toEqual({
      issues: [expect.objectContaining({ path: "storage.files[0].append", code: "Invalid" })],
    });
  });

  it("is strict about 2.2 fields too, and refuses 3.x-only fields", () => {
    const result = parseIgnition({
      ignition: { version: "2.2.0", config: { merge: [] } },
      storage: { files: [{ path: "/a", filesystem: "root", contents: { httpHeaders: [] } }] },
    });
    expect(result).toEqual({
      issues: [
        expect.objectContaining({ path: "ignition.config.merge", code: "UnknownField" }),
        expect.objectContaining({ path: "storage.files[0].contents.httpHeaders", code: "UnknownField" }),
      ],
    });
  });

  it("needs the filesystem of every node", () => {
    const result = parseIgnition({ ignition: { version: "2.2.0" }, storage: { files: [{ path: "/a" }] } });
    expect(result).toEqual({
      issues: [
        { path: "storage.files[0].filesystem", code: "Required", message: 'field "filesystem" is required' },
      ],
    });
  });
});
