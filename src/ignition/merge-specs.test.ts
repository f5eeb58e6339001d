import { describe, expect, it } from "vitest";
import { renderedConfigHash } from "./canonical.ts";
import { type MachineConfigSpecLike, mergeMachineConfigSpecs } from "./merge-specs.ts";
import { IgnitionError } from "./types.ts";

interface NamedSpec {
  name: string;
  spec: MachineConfigSpecLike;
}

// A pool's MachineConfigs, already in name order, with a mix of spec versions.
const pool: NamedSpec[] = [
  {
    name: "00-master",
    spec: {
      osImageURL: "quay.io/base@sha256:aa",
      kernelArguments: ["systemd.unified_cgroup_hierarchy=1"],
      config: {
        ignition: { version: "3.2.0" },
        storage: {
          files: [
            { path: "/etc/motd", mode: 420, contents: { source: "data:,base" } },
            { path: "/etc/keep", overwrite: false },
          ],
        },
        systemd: {
          units: [
            {
              name: "kubelet.service",
              enabled: true,
              contents: "[Unit]\n",
              dropins: [{ name: "10-a.conf", contents: "a" }],
            },
          ],
        },
        passwd: { users: [{ name: "core", sshAuthorizedKeys: ["ssh-ed25519 AAA install"] }] },
      },
    },
  },
  {
    name: "01-master-kubelet",
    spec: {
      extensions: ["usbguard"],
      config: {
        ignition: { version: "2.2.0" },
        storage: {
          files: [
            {
              filesystem: "root",
              path: "/etc/kubernetes/kubelet.conf",
              contents: { source: "data:,k" },
              mode: 384,
            },
          ],
        },
        systemd: {
          units: [
            {
              name: "kubelet.service",
              dropins: [
                { name: "10-a.conf", contents: "A" },
                { name: "20-b.conf", contents: "b" },
              ],
            },
          ],
        },
      },
    },
  },
  { name: "50-empty", spec: { config: {}, kernelArguments: null } },
  {
    name: "99-master-ssh",
    spec: {
      fips: true,
      kernelType: "realtime",
      kernelArguments: ["nosmt", "systemd.unified_cgroup_hierarchy=1"],
      extensions: ["usbguard", "wasm"],
      config: {
        ignition: { version: "3.4.0" },
        storage: { files: [{ path: "/etc/motd", contents: { source: "data:,override" } }] },
        passwd: {
          users: [{ name: "core", sshAuthorizedKeys: ["ssh-ed25519 BBB user", "ssh-ed25519 AAA install"] }],
        },
      },
    },
  },
  { name: "99-z-default-kernel", spec: { kernelType: "default", osImageURL: "quay.io/custom@sha256:bb" } },
];

/** Deterministic Fisher-Yates with a small LCG, so failures reproduce. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const byName = (a: NamedSpec, b: NamedSpec): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

describe("mergeMachineConfigSpecs", () => {
  it("matches the golden merged spec", async () => {
    const merged = mergeMachineConfigSpecs(
      pool.map((entry) => entry.spec),
      { osImageURL: "quay.io/default@sha256:00", baseOSExtensionsContainerImage: "quay.io/ext@sha256:11" },
    );
    await expect(`${JSON.stringify(merged, null, 2)}\n`).toMatchFileSnapshot(
      "testdata/merged-spec.golden.json",
    );
    expect(merged.kernelArguments).toEqual(["systemd.unified_cgroup_hierarchy=1", "nosmt"]);
    expect(merged.extensions).toEqual(["usbguard", "wasm"]);
    expect(merged.osImageURL).toBe("quay.io/custom@sha256:bb");
    expect(merged.baseOSExtensionsContainerImage).toBe("quay.io/ext@sha256:11");
    expect(merged.fips).toBe(true);
    expect(merged.kernelType).toBe("realtime");
    expect(merged.config.storage?.files?.map((file) => [file.path, file.overwrite])).toEqual([
      ["/etc/motd", true],
      ["/etc/keep", false],
      ["/etc/kubernetes/kubelet.conf", true],
    ]);
  });

  it("gives the same result and hash for any arrival order once sorted by name", () => {
    const reference = mergeMachineConfigSpecs(pool.map((entry) => entry.spec));
    const hash = renderedConfigHash(reference);
    for (let seed = 1; seed <= 50; seed++) {
      const sorted = shuffled(pool, seed).sort(byName);
      const merged = mergeMachineConfigSpecs(sorted.map((entry) => entry.spec));
      expect(merged).toEqual(reference);
      expect(renderedConfigHash(merged)).toBe(hash);
    }
  });

  it("depends on order: the later MachineConfig wins", () => {
    const forward = mergeMachineConfigSpecs(pool.map((entry) => entry.spec));
    const backward = mergeMachineConfigSpecs(pool.map((entry) => entry.spec).reverse());
    expect(forward.osImageURL).toBe("quay.io/custom@sha256:bb");
    expect(backward.osImageURL).toBe("quay.io/base@sha256:aa");
    expect(renderedConfigHash(forward)).not.toBe(renderedConfigHash(backward));
  });

  it("defaults: empty Ignition, default kernel, no fips, empty lists", () => {
    expect(mergeMachineConfigSpecs([])).toEqual({
      config: { ignition: { version: "3.4.0" } },
      kernelArguments: [],
      extensions: [],
      fips: false,
      kernelType: "default",
    });
  });

  it("picks the last non-default kernel type", () => {
    const merged = mergeMachineConfigSpecs([
      { kernelType: "realtime" },
      { kernelType: "64k-pages" },
      { kernelType: "" },
    ]);
    expect(merged.kernelType).toBe("64k-pages");
  });

  it("refuses kernel-devel with a non-default kernel", () => {
    expect(() =>
      mergeMachineConfigSpecs([{ extensions: ["kernel-devel"] }, { kernelType: "realtime" }]),
    ).toThrow(/kernel-devel extension is not supported with kernelType "realtime"/);
  });

  it("reports unparsable configs with the spec index in the path", () => {
    let caught: unknown;
    try {
      mergeMachineConfigSpecs([{}, { config: { ignition: { version: "3.4.0" }, storage: { filez: [] } } }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IgnitionError);
    expect((caught as IgnitionError).issues).toEqual([
      { path: "specs[1].config.storage.filez", code: "UnknownField", message: 'unknown field "filez"' },
    ]);
  });
});
