import { describe, expect, it } from "vitest";
import { parseIgnition } from "./parse.ts";
import type { IgnitionConfig, IgnitionIssue } from "./types.ts";

function ok(raw: unknown): IgnitionConfig {
  const result = parseIgnition(raw);
  if ("issues" in result) throw new Error(`unexpected issues: ${JSON.stringify(result.issues)}`);
  return result.config;
}

function issues(raw: unknown): IgnitionIssue[] {
  const result = parseIgnition(raw);
  if ("config" in result) throw new Error("expected issues");
  return result.issues;
}

const file = { path: "/etc/motd", contents: { source: "data:,hello" }, mode: 420 };

// One small sample per version, each using a field introduced by that version.
const samples: Record<string, Record<string, unknown>> = {
  "3.0.0": {
    ignition: { version: "3.0.0", timeouts: { httpTotal: 5 } },
    storage: { files: [file], links: [{ path: "/etc/l", target: "/etc/motd", hard: false }] },
    systemd: { units: [{ name: "a.service", enabled: true, dropins: [{ name: "x.conf", contents: "" }] }] },
    passwd: { users: [{ name: "core", sshAuthorizedKeys: ["ssh-ed25519 AAAA"] }], groups: [{ name: "g" }] },
  },
  "3.1.0": {
    ignition: { version: "3.1.0", proxy: { httpProxy: "http://proxy", noProxy: ["a"] } },
    storage: {
      files: [{ ...file, contents: { source: "data:,x", httpHeaders: [{ name: "A", value: "b" }] } }],
      filesystems: [{ device: "/dev/vdb", format: "xfs", mountOptions: ["noatime"] }],
    },
  },
  "3.2.0": {
    ignition: { version: "3.2.0" },
    storage: { luks: [{ name: "data", device: "/dev/vdb" }] },
    passwd: { users: [{ name: "old", shouldExist: false }] },
  },
  "3.3.0": {
    ignition: { version: "3.3.0" },
    kernelArguments: { shouldExist: ["nosmt"], shouldNotExist: ["quiet"] },
  },
  "3.4.0": {
    ignition: { version: "3.4.0" },
    storage: { files: [{ ...file, mode: 0o4755 }], luks: [{ name: "d", discard: true, openOptions: ["x"] }] },
  },
};

describe("parseIgnition", () => {
  it.each(Object.entries(samples))("accepts a spec %s sample as written", (version, sample) => {
    const config = ok(sample);
    expect(config.ignition.version).toBe(version);
    expect(config).toEqual(sample);
  });

  it("accepts JSON text and drops nulls", () => {
    const config = ok(
      JSON.stringify({ ignition: { version: "3.2.0", config: null }, storage: { files: null } }),
    );
    expect(config).toEqual({ ignition: { version: "3.2.0" }, storage: {} });
  });

  it.each([
    ["3.2.0", { kernelArguments: { shouldExist: ["a"] } }, "kernelArguments", "needs spec 3.3.0 or later"],
    ["3.0.0", { ignition: { proxy: {} } }, "ignition.proxy", "needs spec 3.1.0"],
    [
      "3.0.0",
      { storage: { files: [{ path: "/a", contents: { httpHeaders: [] } }] } },
      "storage.files[0].contents.httpHeaders",
      "needs spec 3.1.0",
    ],
    [
      "3.0.0",
      { ignition: { config: { merge: [{ source: "data:,", compression: "gzip" }] } } },
      "ignition.config.merge[0].compression",
      "3.1.0",
    ],
    ["3.1.0", { storage: { luks: [] } }, "storage.luks", "needs spec 3.2.0"],
    [
      "3.1.0",
      { passwd: { users: [{ name: "a", shouldExist: true }] } },
      "passwd.users[0].shouldExist",
      "3.2.0",
    ],
    [
      "3.1.0",
      { storage: { disks: [{ device: "/dev/a", partitions: [{ resize: true }] }] } },
      "storage.disks[0].partitions[0].resize",
      "3.2.0",
    ],
    ["3.3.0", { storage: { luks: [{ name: "a", discard: true }] } }, "storage.luks[0].discard", "3.4.0"],
    [
      "3.3.0",
      { storage: { files: [{ path: "/a", mode: 0o4755 }] } },
      "storage.files[0].mode",
      "setuid/setgid/sticky",
    ],
    [
      "3.3.0",
      { storage: { directories: [{ path: "/d", mode: 0o1777 }] } },
      "storage.directories[0].mode",
      "3.4.0",
    ],
    [
      "3.0.0",
      { storage: { files: [{ path: "/a", contents: { verification: { hash: "sha256-00" } } }] } },
      "storage.files[0].contents.verification.hash",
      "sha256 hash needs spec 3.1.0",
    ],
    [
      "3.2.0",
      { storage: { filesystems: [{ device: "/dev/a", format: "none" }] } },
      "storage.filesystems[0].format",
      "3.3.0",
    ],
  ])("spec %s refuses %j at %s", (version, body, path, message) => {
    const base = body as Record<string, unknown>;
    const meta = (base.ignition as Record<string, unknown> | undefined) ?? {};
    const found = issues({ ...base, ignition: { ...meta, version } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path, code: "FieldNotInVersion" });
    expect(found[0]?.message).toContain(message);
    expect(found[0]?.message).toContain(version);
  });

  it("names unknown fields at every depth", () => {
    const found = issues({
      ignition: { version: "3.4.0", extra: 1 },
      storage: { files: [{ path: "/a" }, { path: "/b", modee: 420, contents: { src: "x" } }] },
      bogus: {},
    });
    expect(found.map((issue) => [issue.path, issue.code])).toEqual([
      ["ignition.extra", "UnknownField"],
      ["storage.files[1].modee", "UnknownField"],
      ["storage.files[1].contents.src", "UnknownField"],
      ["bogus", "UnknownField"],
    ]);
    expect(found[1]?.message).toBe('unknown field "modee"');
  });

  it("reports wrong types and missing required fields", () => {
    const found = issues({
      ignition: { version: "3.4.0" },
      storage: { files: [{ mode: "0644" }], links: "nope" },
      systemd: { units: [{ enabled: true, dropins: [{ contents: "" }] }] },
      passwd: { users: [{ uid: 1.5, name: "a" }] },
    });
    expect(found.map((issue) => `${issue.path} ${issue.code} ${issue.message}`)).toEqual([
      "storage.files[0].mode TypeInvalid expected an integer, got string",
      'storage.files[0].path Required field "path" is required',
      "storage.links TypeInvalid expected a list, got string",
      'systemd.units[0].dropins[0].name Required field "name" is required',
      'systemd.units[0].name Required field "name" is required',
      "passwd.users[0].uid TypeInvalid expected an integer, got number",
    ]);
  });

  it.each([
    [{}, "ignition.version", "Required"],
    [{ ignition: {} }, "ignition.version", "Required"],
    [{ ignition: { version: 3 } }, "ignition.version", "TypeInvalid"],
    [{ ignition: { version: "3.5.0" } }, "ignition.version", "VersionUnsupported"],
    [{ ignition: { version: "3.4.0-experimental" } }, "ignition.version", "VersionUnsupported"],
    [{ ignition: { version: "2.3.0" } }, "ignition.version", "VersionUnsupported"],
    [[], "", "TypeInvalid"],
    ["{not json", "", "TypeInvalid"],
  ])("refuses %j", (raw, path, code) => {
    expect(issues(raw)).toEqual([expect.objectContaining({ path, code })]);
  });

  it("says which versions are accepted", () => {
    expect(issues({ ignition: { version: "4.0.0" } })[0]?.message).toBe(
      'unsupported Ignition spec version "4.0.0"; mob accepts 2.2.0, 3.0.0, 3.1.0, 3.2.0, 3.3.0 and 3.4.0',
    );
  });
});
