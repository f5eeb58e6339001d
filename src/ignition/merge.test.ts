import { describe, expect, it } from "vitest";
import { mergeIgnitionConfigs } from "./merge.ts";
import type { IgnitionConfig } from "./types.ts";

const cfg = (body: Omit<IgnitionConfig, "ignition">, version = "3.2.0"): IgnitionConfig => ({
  ignition: { version },
  ...body,
});

describe("mergeIgnitionConfigs", () => {
  it("gives an empty 3.4.0 config for no input, and always declares 3.4.0", () => {
    expect(mergeIgnitionConfigs([])).toEqual({ ignition: { version: "3.4.0" } });
    expect(mergeIgnitionConfigs([cfg({}, "3.0.0"), cfg({}, "3.1.0")]).ignition.version).toBe("3.4.0");
  });

  it("merges files by path: later fields win, unset fields are inherited, new paths are appended", () => {
    const merged = mergeIgnitionConfigs([
      cfg({
        storage: {
          files: [
            {
              path: "/etc/a",
              mode: 0o600,
              contents: { source: "data:,old", compression: "" },
              user: { name: "core" },
            },
            { path: "/etc/b", contents: { source: "data:,b" } },
          ],
        },
      }),
      cfg({
        storage: {
          files: [{ path: "/etc/c" }, { path: "/etc/a", contents: { source: "data:,new" }, overwrite: true }],
        },
      }),
    ]);
    expect(merged.storage?.files).toEqual([
      {
        path: "/etc/a",
        mode: 0o600,
        contents: { source: "data:,new", compression: "" },
        user: { name: "core" },
        overwrite: true,
      },
      { path: "/etc/b", contents: { source: "data:,b" } },
      { path: "/etc/c" },
    ]);
  });

  it("concatenates file appends", () => {
    const merged = mergeIgnitionConfigs([
      cfg({ storage: { files: [{ path: "/a", append: [{ source: "data:,1" }] }] } }),
      cfg({ storage: { files: [{ path: "/a", append: [{ source: "data:,1" }, { source: "data:,2" }] }] } }),
    ]);
    expect(merged.storage?.files?.[0]?.append).toEqual([
      { source: "data:,1" },
      { source: "data:,1" },
      { source: "data:,2" },
    ]);
  });

  it("lets a later file, directory or link replace an earlier node of another kind at the same path", () => {
    const merged = mergeIgnitionConfigs([
      cfg({
        storage: {
          files: [{ path: "/x", mode: 0o644 }, { path: "/keep" }],
          links: [{ path: "/y", target: "/t" }],
        },
      }),
      cfg({ storage: { directories: [{ path: "/x" }], files: [{ path: "/y", mode: 0o600 }] } }),
    ]);
    expect(merged.storage).toEqual({
      files: [{ path: "/keep" }, { path: "/y", mode: 0o600 }],
      links: [],
      directories: [{ path: "/x" }],
    });
  });

  it("merges units by name and their dropins by name", () => {
    const merged = mergeIgnitionConfigs([
      cfg({
        systemd: {
          units: [
            {
              name: "a.service",
              enabled: true,
              contents: "old",
              dropins: [
                { name: "10.conf", contents: "ten" },
                { name: "20.conf", contents: "twenty" },
              ],
            },
            { name: "b.service", mask: true },
          ],
        },
      }),
      cfg({
        systemd: {
          units: [
            {
              name: "a.service",
              contents: "new",
              dropins: [{ name: "20.conf", contents: "TWENTY" }, { name: "30.conf" }],
            },
            { name: "b.service", mask: false },
          ],
        },
      }),
    ]);
    expect(merged.systemd?.units).toEqual([
      {
        name: "a.service",
        enabled: true,
        contents: "new",
        dropins: [
          { name: "10.conf", contents: "ten" },
          { name: "20.conf", contents: "TWENTY" },
          { name: "30.conf" },
        ],
      },
      { name: "b.service", mask: false },
    ]);
  });

  it("merges users by name: keys and groups are ordered unions, a later password hash wins", () => {
    const merged = mergeIgnitionConfigs([
      cfg({
        passwd: {
          users: [{ name: "core", sshAuthorizedKeys: ["k1", "k2"], passwordHash: "$6$a" }],
          groups: [{ name: "g", gid: 1 }],
        },
      }),
      cfg({
        passwd: {
          users: [{ name: "core", sshAuthorizedKeys: ["k2", "k3"], groups: ["wheel"] }, { name: "ops" }],
        },
      }),
      cfg({
        passwd: {
          users: [{ name: "core", sshAuthorizedKeys: ["k1", "k4"], passwordHash: "$6$b" }],
          groups: [{ name: "g", system: true }],
        },
      }),
    ]);
    expect(merged.passwd).toEqual({
      users: [
        {
          name: "core",
          sshAuthorizedKeys: ["k1", "k2", "k3", "k4"],
          passwordHash: "$6$b",
          groups: ["wheel"],
        },
        { name: "ops" },
      ],
      groups: [{ name: "g", gid: 1, system: true }],
    });
  });

  it("treats kernel arguments as one key space", () => {
    const merged = mergeIgnitionConfigs([
      cfg({ kernelArguments: { shouldExist: ["a", "b"], shouldNotExist: ["c"] } }, "3.3.0"),
      cfg({ kernelArguments: { shouldExist: ["c"], shouldNotExist: ["a"] } }, "3.3.0"),
    ]);
    expect(merged.kernelArguments).toEqual({ shouldExist: ["b", "c"], shouldNotExist: ["a"] });
  });

  it("replaces HTTP headers by name and drops a header the child leaves without a value", () => {
    const withHeaders = (httpHeaders: { name: string; value?: string }[]): IgnitionConfig => ({
      ignition: { version: "3.1.0", config: { merge: [{ source: "https://x", httpHeaders }] } },
    });
    const merged = mergeIgnitionConfigs([
      withHeaders([
        { name: "A", value: "1" },
        { name: "B", value: "2" },
      ]),
      withHeaders([{ name: "A" }, { name: "B", value: "3" }]),
    ]);
    expect(merged.ignition.config?.merge).toEqual([
      { source: "https://x", httpHeaders: [{ name: "B", value: "3" }] },
    ]);
  });

  it("does not modify its inputs or share objects with them", () => {
    const first = cfg({ storage: { files: [{ path: "/a", contents: { source: "data:,1" } }] } });
    const snapshot = structuredClone(first);
    const merged = mergeIgnitionConfigs([first, cfg({ storage: { files: [{ path: "/a", mode: 1 }] } })]);
    expect(first).toEqual(snapshot);
    const contents = merged.storage?.files?.[0]?.contents;
    if (contents !== undefined) contents.source = "changed";
    expect(first.storage?.files?.[0]?.contents?.source).toBe("data:,1");
  });
});
