import { describe, expect, it } from "vitest";
import type { MachineConfig } from "../api/machineconfig-v1.ts";
import { decodeFileContents, type IgnitionConfig, parseIgnition } from "../ignition/index.ts";
import { convertIgnition } from "./convert.ts";
import { ServedPaths } from "./paths.ts";
import { renderServedIgnition } from "./render.ts";

const BASE = "127.0.0.1:5000/os/base@sha256:1111111111111111111111111111111111111111111111111111111111111111";
const LAYERED =
  "127.0.0.1:5000/os/layered@sha256:2222222222222222222222222222222222222222222222222222222222222222";

function machineConfig(config: Record<string, unknown>): MachineConfig {
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineConfig",
    metadata: { name: "rendered-layered-0123456789abcdef0123456789abcdef", uid: "u-1", resourceVersion: "7" },
    spec: { osImageURL: BASE, config },
  };
}

const RENDERED = machineConfig({
  ignition: { version: "3.4.0" },
  storage: {
    files: [{ path: "/etc/motd", mode: 420, overwrite: true, contents: { source: "data:,hello%0A" } }],
  },
  systemd: {
    units: [{ name: "mob-hello.service", enabled: true, contents: "[Service]\nExecStart=/bin/true\n" }],
  },
  passwd: { users: [{ name: "core", sshAuthorizedKeys: ["ssh-ed25519 AAAA test"] }] },
});

function render(image?: string): IgnitionConfig {
  const result = renderServedIgnition({ config: RENDERED, image });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

function fileJson(config: IgnitionConfig, path: string): unknown {
  const file = config.storage?.files?.find((f) => f.path === path);
  if (file === undefined) throw new Error(`no ${path}`);
  return JSON.parse(decodeFileContents(file).toString("utf8"));
}

/** The config with the added JSON files' data URLs replaced by their decoded JSON, for review. */
function readable(config: IgnitionConfig): string {
  const files = config.storage?.files?.map((file) =>
    file.path.endsWith(".json") ? { ...file, contents: { decoded: fileJson(config, file.path) } } : file,
  );
  return `${JSON.stringify({ ...config, storage: { ...config.storage, files } }, null, 2)}\n`;
}

describe("served Ignition (golden)", () => {
  it("is the rendered config plus the node annotations and the encapsulated config", async () => {
    const config = render();
    await expect(readable(config)).toMatchFileSnapshot("testdata/served-base.json");
    expect(fileJson(config, ServedPaths.nodeAnnotations)).toEqual({
      "machineconfiguration.openshift.io/currentConfig": RENDERED.metadata.name,
      "machineconfiguration.openshift.io/desiredConfig": RENDERED.metadata.name,
      "machineconfiguration.openshift.io/state": "Done",
    });
    expect(fileJson(config, ServedPaths.encapsulatedConfig)).toMatchObject({
      metadata: { name: RENDERED.metadata.name },
      spec: { osImageURL: BASE },
    });
    expect("issues" in parseIgnition(config)).toBe(false);
  });

  it("names the layered image in the annotations and the encapsulated config's osImageURL", async () => {
    const config = render(LAYERED);
    await expect(readable(config)).toMatchFileSnapshot("testdata/served-layered.json");
    expect(fileJson(config, ServedPaths.nodeAnnotations)).toMatchObject({
      "machineconfiguration.openshift.io/currentImage": LAYERED,
      "machineconfiguration.openshift.io/desiredImage": LAYERED,
    });
    expect(fileJson(config, ServedPaths.encapsulatedConfig)).toMatchObject({ spec: { osImageURL: LAYERED } });
  });

  it("upgrades older 3.x and 2.2 configs to 3.4.0 and reports unparsable ones", () => {
    const old = renderServedIgnition({
      config: machineConfig({
        ignition: { version: "2.2.0" },
        storage: { files: [{ filesystem: "root", path: "/etc/a" }] },
      }),
    });
    expect(old.ok && old.config.ignition.version).toBe("3.4.0");
    const bad = renderServedIgnition({ config: machineConfig({ ignition: { version: "9.9.9" } }) });
    expect(bad.ok).toBe(false);
  });
});

describe("conversion to the negotiated version", () => {
  it("relabels down to older 3.x when nothing newer is used", () => {
    const result = convertIgnition(render(), "3.1.0");
    expect(result.ok && (result.config.ignition as { version: string }).version).toBe("3.1.0");
  });

  it("refuses a 3.x version lacking a used field", () => {
    const config: IgnitionConfig = { ...render(), kernelArguments: { shouldExist: ["quiet"] } };
    const result = convertIgnition(config, "3.2.0");
    expect(result.ok).toBe(false);
  });

  it("translates to 2.2.0 so that translating back up gives the same files, units and users", async () => {
    const served = render(LAYERED);
    const result = convertIgnition(served, "2.2.0");
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    await expect(`${JSON.stringify(result.config, null, 2)}\n`).toMatchFileSnapshot(
      "testdata/served-layered-v2.2.json",
    );
    const back = parseIgnition(result.config);
    if ("issues" in back) throw new Error(JSON.stringify(back.issues));
    expect(back.config.storage?.files).toEqual(served.storage?.files);
    expect(back.config.systemd).toEqual(served.systemd);
    expect(back.config.passwd).toEqual(served.passwd);
  });

  it("refuses 2.2.0 for what spec 2.2 cannot say", () => {
    const config: IgnitionConfig = {
      ...render(),
      storage: { files: [{ path: "/etc/a", append: [{ source: "data:,x" }] }] },
      kernelArguments: { shouldExist: ["quiet"] },
    };
    const result = convertIgnition(config, "2.2.0");
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues.map((i) => i.path)).toEqual(["kernelArguments", "storage.files[0].append"]);
  });
});
