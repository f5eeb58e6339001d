import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { MachineConfig } from "../api/machineconfig-v1.ts";
import { sameImage } from "./images.ts";
import { DaemonMetrics } from "./metrics.ts";
import { planUpdate } from "./plan.ts";
import { unreconcilableReason } from "./reconcilable.ts";

const BASE = `quay.io/os/base@sha256:${"b".repeat(64)}`;
const LAYERED = `127.0.0.1:5000/os/layered@sha256:${"1".repeat(64)}`;

function mc(name: string, spec: MachineConfig["spec"] = {}): MachineConfig {
  return {
    metadata: { name },
    spec: { osImageURL: BASE, config: { ignition: { version: "3.4.0" } }, ...spec },
  };
}

describe("planUpdate", () => {
  it("rebases for a new image, and back to osImageURL on revert", () => {
    expect(
      planUpdate({ current: mc("a"), desired: mc("a"), desiredImage: LAYERED, bootedImage: BASE }),
    ).toMatchObject({
      targetImage: LAYERED,
      layered: true,
      osChange: true,
    });
    expect(
      planUpdate({ current: mc("a"), desired: mc("a"), desiredImage: "", bootedImage: LAYERED }),
    ).toMatchObject({
      targetImage: BASE,
      layered: false,
      osChange: true,
    });
  });

  it("applies config-only changes in place and reports kernel changes it cannot apply", () => {
    const plan = planUpdate({
      current: mc("a"),
      desired: mc("b", { kernelArguments: ["nosmt"], kernelType: "realtime" }),
      desiredImage: "",
      bootedImage: BASE,
    });
    expect(plan).toMatchObject({ osChange: false, kernelChanges: ["kernelArguments", "kernelType"] });
    const layered = planUpdate({
      current: mc("a"),
      desired: mc("b", { extensions: ["usbguard"] }),
      desiredImage: LAYERED,
      bootedImage: LAYERED,
    });
    expect(layered).toMatchObject({ osChange: false, kernelChanges: [] });
  });
});

describe("unreconcilableReason", () => {
  it("refuses disk, FIPS and non-core user changes; allows core SSH keys", () => {
    const disks = mc("d", {
      config: { ignition: { version: "3.4.0" }, storage: { disks: [{ device: "/dev/vdb" }] } },
    });
    expect(unreconcilableReason(mc("a"), disks)).toBe("ignition disks section contains changes");
    expect(unreconcilableReason(mc("a"), mc("f", { fips: true }))).toContain("FIPS");
    const user = (name: string) =>
      mc("u", {
        config: { ignition: { version: "3.4.0" }, passwd: { users: [{ name, sshAuthorizedKeys: ["k"] }] } },
      });
    expect(unreconcilableReason(mc("a"), user("alice"))).toContain("user alice");
    expect(unreconcilableReason(mc("a"), user("core"))).toBeUndefined();
    expect(unreconcilableReason(undefined, disks)).toBeUndefined();
    expect(unreconcilableReason(mc("a"), mc("k", { kernelType: "weird" }))).toContain(
      "unsupported kernelType",
    );
  });
});

describe("sameImage and metrics", () => {
  it("compares by digest across registry names, and tags by repository", () => {
    expect(sameImage(LAYERED, `localhost:5000/os/layered@sha256:${"1".repeat(64)}`)).toBe(true);
    expect(sameImage(LAYERED, BASE)).toBe(false);
    expect(sameImage("quay.io/os/base:4.16", BASE)).toBe(true);
    expect(sameImage("", undefined)).toBe(true);
  });

  it("exports mcd_update_state and mcd_reboots_failed_total", async () => {
    const registry = new Registry();
    const metrics = new DaemonMetrics(registry);
    metrics.state("Working", "rendered-worker-1", LAYERED);
    metrics.state("Done", "rendered-worker-1", LAYERED);
    metrics.rebootFailed();
    const text = await registry.metrics();
    expect(text).toContain(`mcd_update_state{config="rendered-worker-1",image="${LAYERED}"} 0`);
    expect(text).toContain("mcd_reboots_failed_total 1");
  });
});
