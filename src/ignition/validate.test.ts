import { describe, expect, it } from "vitest";
import type { IgnitionConfig } from "./types.ts";
import { validateIgnition } from "./validate.ts";

const v = (body: Omit<IgnitionConfig, "ignition">): IgnitionConfig => ({
  ignition: { version: "3.4.0" },
  ...body,
});

describe("validateIgnition", () => {
  it("accepts a config mob can apply", () => {
    const config: IgnitionConfig = {
      ignition: {
        version: "3.4.0",
        security: { tls: { certificateAuthorities: [{ source: "https://ca" }] } },
      },
      storage: {
        files: [
          {
            path: "/etc/a",
            mode: 0o644,
            contents: { source: "data:;base64,aGk=", verification: { hash: "sha256-ab" } },
          },
          { path: "/etc/b", append: [{ source: "data:,x%20y", compression: "" }] },
        ],
        directories: [{ path: "/etc/d", mode: 0o4755 }],
        links: [{ path: "/etc/l", target: "a" }],
      },
      systemd: {
        units: [{ name: "a.service", dropins: [{ name: "10-x.conf" }] }, { name: "getty@tty1.service" }],
      },
      passwd: { users: [{ name: "core", sshAuthorizedKeys: ["ssh-ed25519 AAA"] }], groups: [{ name: "g" }] },
    };
    expect(validateIgnition(config)).toEqual([]);
  });

  it.each<[string, Omit<IgnitionConfig, "ignition">, string, string]>([
    [
      "relative path",
      { storage: { files: [{ path: "etc/a" }] } },
      "storage.files[0].path",
      "is not absolute",
    ],
    [
      "dot-dot path",
      { storage: { directories: [{ path: "/etc/../x" }] } },
      "storage.directories[0].path",
      '".." segments',
    ],
    [
      "path reused across lists",
      { storage: { files: [{ path: "/a" }], links: [{ path: "/a", target: "/b" }] } },
      "storage.links[0].path",
      "already used by storage.files[0]",
    ],
    [
      "mode too large",
      { storage: { files: [{ path: "/a", mode: 0o10000 }] } },
      "storage.files[0].mode",
      "outside 0-07777",
    ],
    [
      "negative mode",
      { storage: { directories: [{ path: "/a", mode: -1 }] } },
      "storage.directories[0].mode",
      "outside",
    ],
    [
      "link without target",
      { storage: { links: [{ path: "/a" }] } },
      "storage.links[0].target",
      "needs a target",
    ],
    [
      "relative hard link",
      { storage: { links: [{ path: "/a", target: "b", hard: true }] } },
      "storage.links[0].target",
      "not absolute",
    ],
    [
      "bad compression",
      { storage: { files: [{ path: "/a", contents: { source: "data:,", compression: "xz" } }] } },
      "storage.files[0].contents.compression",
      '"gzip" or empty',
    ],
    [
      "bad hash",
      { storage: { files: [{ path: "/a", contents: { verification: { hash: "md5-00" } } }] } },
      "storage.files[0].contents.verification.hash",
      "sha512-<hex>",
    ],
    [
      "http source",
      { storage: { files: [{ path: "/a", contents: { source: "https://x/y" } }] } },
      "storage.files[0].contents.source",
      "mob applies only data: URL sources",
    ],
    [
      "s3 append",
      { storage: { files: [{ path: "/a", append: [{ source: "s3://b/k" }] }] } },
      "storage.files[0].append[0].source",
      '"s3:"',
    ],
    [
      "bad base64",
      { storage: { files: [{ path: "/a", contents: { source: "data:;base64,a*b" } }] } },
      "storage.files[0].contents.source",
      "not valid padded base64",
    ],
    [
      "bad percent escape",
      { storage: { files: [{ path: "/a", contents: { source: "data:,50%zz" } }] } },
      "storage.files[0].contents.source",
      "malformed percent escape",
    ],
    [
      "data URL without comma",
      { storage: { files: [{ path: "/a", contents: { source: "data:text/plain" } }] } },
      "storage.files[0].contents.source",
      "no ','",
    ],
    ["unit suffix", { systemd: { units: [{ name: "foo" }] } }, "systemd.units[0].name", "unit type suffix"],
    [
      "unit slash",
      { systemd: { units: [{ name: "../x.service" }] } },
      "systemd.units[0].name",
      'must not contain "/"',
    ],
    [
      "duplicate unit",
      { systemd: { units: [{ name: "a.service" }, { name: "a.service" }] } },
      "systemd.units[1].name",
      "listed twice",
    ],
    [
      "dropin suffix",
      { systemd: { units: [{ name: "a.service", dropins: [{ name: "x.ini" }] }] } },
      "systemd.units[0].dropins[0].name",
      "must end in .conf",
    ],
    ["user name", { passwd: { users: [{ name: "" }] } }, "passwd.users[0].name", "needs a name"],
    [
      "duplicate user",
      { passwd: { users: [{ name: "a" }, { name: "a" }] } },
      "passwd.users[1].name",
      "listed twice",
    ],
    [
      "empty key",
      { passwd: { users: [{ name: "a", sshAuthorizedKeys: ["  "] }] } },
      "passwd.users[0].sshAuthorizedKeys[0]",
      "must not be empty",
    ],
    [
      "duplicate key",
      { passwd: { users: [{ name: "a", sshAuthorizedKeys: ["k", "k"] }] } },
      "passwd.users[0].sshAuthorizedKeys[1]",
      "listed twice",
    ],
    ["group name", { passwd: { groups: [{ name: "" }] } }, "passwd.groups[0].name", "needs a name"],
    [
      "karg both ways",
      { kernelArguments: { shouldExist: ["a"], shouldNotExist: ["a"] } },
      "kernelArguments.shouldNotExist[0]",
      "also listed in shouldExist",
    ],
  ])("%s", (_name, body, path, message) => {
    const found = validateIgnition(v(body));
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe(path);
    expect(found[0]?.message).toContain(message);
  });

  it("refuses referenced configs, whatever their scheme", () => {
    const found = validateIgnition({
      ignition: {
        version: "3.4.0",
        config: { merge: [{ source: "data:,{}" }], replace: { source: "http://x" } },
      },
    });
    expect(found.map((issue) => [issue.path, issue.code])).toEqual([
      ["ignition.config.merge[0]", "SourceUnsupported"],
      ["ignition.config.replace", "SourceUnsupported"],
    ]);
  });
});
