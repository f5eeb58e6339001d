// renderStatus is pure: a fixed scene (testdata/scene.json) and time give testdata/status.golden.txt.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDuration, progressBar, shortConfig, shortImage } from "./format.ts";
import { renderStatus } from "./render.ts";
import type { StatusScene } from "./scene.ts";

const scene: StatusScene = JSON.parse(readFileSync(join(import.meta.dirname, "testdata/scene.json"), "utf8"));
const NOW = Date.parse("2026-03-01T12:00:00Z");
const ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, "g");

describe("renderStatus", () => {
  it("matches the golden text for a fixed scene", async () => {
    const text = renderStatus(scene, { now: NOW, width: 200, color: false });
    await expect(text).toMatchFileSnapshot("testdata/status.golden.txt");
  });

  it("shows the rolling pool's progress, elapsed time and Updating message", () => {
    const text = renderStatus(scene, { now: NOW, width: 200, color: false });
    expect(text).toMatch(
      /^layered +\[#####-----\] 2\/4 +updating for 1m12s: Pool is waiting for nodes to apply OS image/m,
    );
    expect(text).toMatch(/^gpu +gpu +gpu-4f1e\S+ +Failed +2m10s +push: registry authentication/m);
    expect(text).toMatch(/^infra +infra +infra-\S+ +Building +12s so far +job build-infra-/m);
    expect(text).toMatch(/^worker-3 +layered +Rebooting .* +NotReady,SchedulingDisabled$/m);
  });

  it("cuts every line to the width and adds colour only when asked", () => {
    const narrow = renderStatus(scene, { now: NOW, width: 60, color: false });
    for (const line of narrow.split("\n")) expect(line.length).toBeLessThanOrEqual(60);
    expect(narrow).not.toContain("\x1b[");
    const colored = renderStatus(scene, { now: NOW, width: 200, color: true });
    expect(colored).toContain("\x1b[32mSucceeded");
    expect(colored.replaceAll(ESCAPE, "")).toBe(renderStatus(scene, { now: NOW, width: 200, color: false }));
  });

  it("renders an empty cluster", () => {
    const text = renderStatus(
      { pools: [], machineOSConfigs: [], machineOSBuilds: [], nodes: [] },
      { now: NOW, width: 80, color: false },
    );
    expect(text).toContain("no MachineOSConfigs: no pool is layered");
  });
});

describe("formatters", () => {
  it("formats durations, bars and short names", () => {
    expect([0, 41_000, 65_000, 3_780_000, 90_000_000].map(formatDuration)).toEqual([
      "0s",
      "41s",
      "1m05s",
      "1h03m",
      "1d01h",
    ]);
    expect(progressBar(2, 4)).toBe("[#####-----] 2/4");
    expect(progressBar(4, 4)).toBe("[##########] 4/4");
    expect(progressBar(0, 0)).toBe("[----------] 0/0");
    expect(shortConfig("rendered-layered-221507009cbcdec0eec8ab3c5d6e7f80")).toBe(
      "rendered-layered-22150700",
    );
    expect(shortImage(`127.0.0.1:5000/os/layered@sha256:${"ab".repeat(32)}`)).toBe(
      "os/layered@sha256:abababababab",
    );
    expect(shortImage(`quay.io/org/os@sha256:${"0".repeat(64)}`, false)).toBe("sha256:000000000000");
  });
});
