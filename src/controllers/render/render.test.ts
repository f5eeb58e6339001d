import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ControllerConfig } from "../../api/controllerconfig-v1.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import { baseConfig, baseConfigs, baseConfigUpToDate } from "./base-configs.ts";
import { renderPool } from "./render.ts";

interface Inputs {
  pool: MachineConfigPool;
  controllerConfig: ControllerConfig;
  configs: MachineConfig[];
}

const inputs: Inputs = JSON.parse(
  readFileSync(join(import.meta.dirname, "testdata/worker-inputs.json"), "utf8"),
);
const VERSION = "mob-test";

function render(configs: readonly MachineConfig[], cc = inputs.controllerConfig) {
  return renderPool({ pool: inputs.pool, configs, controllerConfig: cc, controllerVersion: VERSION });
}

function withBase(): MachineConfig[] {
  return [baseConfig("worker", inputs.controllerConfig, VERSION), ...inputs.configs];
}

/** Deterministic Fisher–Yates with a small LCG, so a failure names its seed. */
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

describe("renderPool", () => {
  it("matches the golden rendered MachineConfig and name", async () => {
    const result = render(withBase());
    if (!result.ok) throw new Error(result.message);
    await expect(`${JSON.stringify(result, null, 2)}\n`).toMatchFileSnapshot(
      "testdata/rendered-worker.golden.json",
    );
    expect(result.rendered.metadata.name).toMatch(/^rendered-worker-[0-9a-f]{32}$/);
    expect(result.configuration.source.map((ref) => ref.name)).toEqual([
      "00-worker",
      "50-worker-chrony",
      "60-worker-kargs",
      "99-worker-custom",
    ]);
    const spec = result.rendered.spec;
    expect(spec?.kernelArguments).toEqual(["nosmt", "hugepages=2", "mitigations=auto"]);
    expect(spec?.osImageURL).toBe(inputs.controllerConfig.spec.baseOSContainerImage);
    expect(result.rendered.metadata.annotations).toEqual({
      "machineconfiguration.openshift.io/generated-by-controller-version": VERSION,
      "machineconfiguration.openshift.io/release-image-version": "4.18.0",
    });
    expect(result.rendered.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: "MachineConfigPool",
        name: "worker",
        controller: true,
        blockOwnerDeletion: true,
      }),
    ]);
  });

  it("gives the same rendered config and name for any input order", () => {
    const reference = render(withBase());
    for (let seed = 1; seed <= 100; seed++) {
      expect(render(shuffled(withBase(), seed)), `seed ${seed}`).toEqual(reference);
    }
  });

  it("changes the name when one file changes, and only then", () => {
    const before = render(withBase());
    const edited = structuredClone(withBase());
    const chrony = edited[1]?.spec?.config as { storage: { files: { contents: { source: string } }[] } };
    if (chrony.storage.files[0]) chrony.storage.files[0].contents.source = "data:,server%20other%0A";
    const after = render(edited);
    if (!before.ok || !after.ok) throw new Error("render failed");
    expect(after.configuration.name).not.toBe(before.configuration.name);
    expect(render(structuredClone(withBase()))).toEqual(before);
  });

  it("names the MachineConfig and the field of an invalid Ignition config", () => {
    const bad: MachineConfig = {
      metadata: { name: "99-bad" },
      spec: {
        config: {
          ignition: { version: "3.4.0" },
          storage: { files: [{ path: "/etc/x", mode: 99999, contents: { source: "data:,x" } }] },
        },
      },
    };
    const result = render([...withBase(), bad]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe("InvalidMachineConfig");
    expect(result.message).toMatch(/^MachineConfig 99-bad: storage\.files\[0\]\.mode: /);
  });

  it("refuses sources that are not data: URLs and unknown Ignition versions", () => {
    const remote: MachineConfig = {
      metadata: { name: "98-remote" },
      spec: {
        config: {
          ignition: { version: "3.4.0" },
          storage: { files: [{ path: "/etc/y", contents: { source: "https://example.com/y" } }] },
        },
      },
    };
    const remoteResult = render([remote]);
    expect(!remoteResult.ok && remoteResult.message).toMatch(
      /^MachineConfig 98-remote: storage\.files\[0\]\.contents\.source/,
    );
    const future: MachineConfig = {
      metadata: { name: "97-future" },
      spec: { config: { ignition: { version: "9.0.0" } } },
    };
    const futureResult = render([future]);
    expect(!futureResult.ok && futureResult.message).toMatch(/^MachineConfig 97-future: ignition\.version/);
  });

  it("marks configs whose OS image is not the ControllerConfig's", () => {
    const custom: MachineConfig = {
      metadata: { name: "99-os" },
      spec: { osImageURL: "quay.io/me/os@sha256:ff" },
    };
    const result = render([...withBase(), custom]);
    expect(result.ok && result.rendered.metadata.annotations).toHaveProperty(
      "machineconfiguration.openshift.io/os-image-url-overridden",
      "true",
    );
  });
});

describe("base configs", () => {
  it("are 00-master and 00-worker, labelled by role, carrying the ControllerConfig's images", () => {
    const configs = baseConfigs(inputs.controllerConfig, VERSION);
    expect(configs.map((config) => [config.metadata.name, config.metadata.labels])).toEqual([
      ["00-master", { "machineconfiguration.openshift.io/role": "master" }],
      ["00-worker", { "machineconfiguration.openshift.io/role": "worker" }],
    ]);
    expect(configs[1]?.spec).toEqual({
      config: { ignition: { version: "3.4.0" } },
      osImageURL: inputs.controllerConfig.spec.baseOSContainerImage,
      baseOSExtensionsContainerImage: inputs.controllerConfig.spec.baseOSExtensionsContainerImage,
    });
    expect(configs[1]?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "ControllerConfig",
      controller: true,
    });
  });

  it("leave the images out while the ControllerConfig has none, and notice when it gets one", () => {
    const empty = structuredClone(inputs.controllerConfig);
    empty.spec.baseOSContainerImage = "";
    delete empty.spec.baseOSExtensionsContainerImage;
    const before = baseConfig("worker", empty, VERSION);
    expect(before.spec).toEqual({ config: { ignition: { version: "3.4.0" } } });
    expect(baseConfigUpToDate(before, baseConfig("worker", inputs.controllerConfig, VERSION))).toBe(false);
    expect(baseConfigUpToDate(before, baseConfig("worker", empty, VERSION))).toBe(true);
  });
});
