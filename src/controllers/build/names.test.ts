// §9.24: build names are deterministic, independent of paused, fail on missing inputs or a pool
// mismatch; the tag is the build's name.

import { describe, expect, it } from "vitest";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import { BuildInputsError, digestedPushSpec, machineOSBuildName, taggedPushSpec } from "./names.ts";
import { poolBlocked, requiresRebuild } from "./rules.ts";

const mosc: MachineOSConfig = {
  metadata: { name: "layered" },
  spec: {
    machineConfigPool: { name: "layered" },
    imageBuilder: { imageBuilderType: "Job" },
    renderedImagePushSecret: { name: "push" },
    renderedImagePushSpec: "127.0.0.1:5000/os/layered:latest",
    containerFile: [{ containerfileArch: "NoArch", content: "FROM configs AS final" }],
  },
};
const pool: MachineConfigPool = {
  metadata: { name: "layered" },
  spec: { paused: false, configuration: { name: "rendered-layered-1", source: [{ name: "00-worker" }] } },
};
const mc: MachineConfig = {
  metadata: {
    name: "rendered-layered-1",
    annotations: { "machineconfiguration.openshift.io/release-image-version": "4.99" },
  },
  spec: { osImageURL: "127.0.0.1:5000/os/base@sha256:aa" },
};

describe("machineOSBuildName", () => {
  it("is <mosc>-<md5hex>, stable and independent of paused", () => {
    const name = machineOSBuildName({ mosc, pool, machineConfig: mc });
    expect(name).toMatch(/^layered-[0-9a-f]{32}$/);
    expect(
      machineOSBuildName({
        mosc,
        pool: { ...pool, spec: { ...pool.spec, paused: true } },
        machineConfig: mc,
      }),
    ).toBe(name);
    expect(
      machineOSBuildName({
        mosc: structuredClone(mosc),
        pool: structuredClone(pool),
        machineConfig: structuredClone(mc),
      }),
    ).toBe(name);
    expect(name).toMatchInlineSnapshot(`"layered-6c3f712f24ef3894448dec45f25f96e5"`);
  });

  it("changes with each input", () => {
    const name = machineOSBuildName({ mosc, pool, machineConfig: mc });
    const edited = structuredClone(mosc);
    edited.spec.containerFile = [{ containerfileArch: "NoArch", content: "FROM configs AS final\nRUN true" }];
    expect(machineOSBuildName({ mosc: edited, pool, machineConfig: mc })).not.toBe(name);
    const otherBase = { ...mc, spec: { osImageURL: "127.0.0.1:5000/os/base@sha256:bb" } };
    expect(machineOSBuildName({ mosc, pool, machineConfig: otherBase })).not.toBe(name);
    const release = { ...mc, metadata: { ...mc.metadata, annotations: {} } };
    expect(machineOSBuildName({ mosc, pool, machineConfig: release })).not.toBe(name);
  });

  it("refuses missing inputs and a pool mismatch", () => {
    const unrendered = { ...pool, spec: { paused: false } };
    expect(() => machineOSBuildName({ mosc, pool: unrendered, machineConfig: mc })).toThrow(BuildInputsError);
    const other = { ...pool, metadata: { name: "worker" } };
    expect(() => machineOSBuildName({ mosc, pool: other, machineConfig: mc })).toThrow(
      /is for pool layered, not worker/,
    );
    const wrongMc = { ...mc, metadata: { name: "rendered-layered-2" } };
    expect(() => machineOSBuildName({ mosc, pool, machineConfig: wrongMc })).toThrow(BuildInputsError);
  });

  it("tags with the build name and pins by digest", () => {
    expect(taggedPushSpec("127.0.0.1:5000/os/layered:latest", "layered-abc")).toBe(
      "127.0.0.1:5000/os/layered:layered-abc",
    );
    expect(taggedPushSpec("quay.io/org/img", "layered-abc")).toBe("quay.io/org/img:layered-abc");
    const digest = `sha256:${"a".repeat(64)}`;
    expect(digestedPushSpec("127.0.0.1:5000/os/layered:layered-abc", digest)).toBe(
      `127.0.0.1:5000/os/layered@${digest}`,
    );
  });
});

describe("requiresRebuild", () => {
  const base: MachineConfig = {
    metadata: { name: "a" },
    spec: { osImageURL: "x", kernelArguments: ["a"], extensions: [] },
  };
  it.each([
    ["a file change", { config: { ignition: { version: "3.4.0" }, storage: { files: [] } } }, false],
    ["osImageURL", { osImageURL: "y" }, true],
    ["kernelType", { kernelType: "realtime" }, true],
    ["extensions", { extensions: ["usbguard"] }, true],
    ["kernelArguments", { kernelArguments: ["a", "b"] }, true],
  ])("%s → %s", (_what, change, expected) => {
    expect(requiresRebuild(base, { ...base, spec: { ...base.spec, ...change } })).toBe(expected);
  });
});

describe("poolBlocked", () => {
  const withCondition = (type: string, status: string): MachineConfigPool => ({
    ...pool,
    status: { conditions: [{ type, status }] },
  });
  it.each([
    ["NodeDegraded", "True", "NodeDegraded"],
    ["RenderDegraded", "True", "RenderDegraded"],
    ["PinnedImageSetsDegraded", "True", "PinnedImageSetsDegraded"],
    ["PoolSynchronizerDegraded", "True", "PoolSynchronizerDegraded"],
    ["RenderDegraded", "False", undefined],
    ["ImageBuildDegraded", "True", undefined],
  ])("%s=%s → %s", (type, status, expected) => {
    expect(poolBlocked(withCondition(type, status))).toBe(expected);
  });
});
