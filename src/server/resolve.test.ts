import { describe, expect, it } from "vitest";
import type { MachineConfigPool } from "../api/machineconfigpool-v1.ts";
import { DIGEST_A, DIGEST_B, testMosb, testMosc, testPool } from "../controllers/node/fixtures.ts";
import { layeredImageFor, servedConfigName } from "./resolve.ts";

function pool(
  updated: number,
  spec = "rendered-layered-new",
  status: string | null = "rendered-layered-old",
) {
  const p: MachineConfigPool = testPool("layered", { config: spec });
  p.status = {
    machineCount: 2,
    updatedMachineCount: updated,
    readyMachineCount: updated,
    unavailableMachineCount: 0,
    degradedMachineCount: 0,
    ...(status !== null ? { configuration: { name: status } } : {}),
  };
  return p;
}

describe("servedConfigName", () => {
  it("serves what the nodes run until one has updated, then the target (upstream's rule)", () => {
    expect(servedConfigName(pool(0))).toBe("rendered-layered-old");
    expect(servedConfigName(pool(1))).toBe("rendered-layered-new");
  });
  it("falls back to the spec before the pool has a status configuration", () => {
    expect(servedConfigName(pool(0, "rendered-layered-new", null))).toBe("rendered-layered-new");
    expect(servedConfigName(testPool("fresh"))).toBeUndefined();
  });
});

describe("layeredImageFor", () => {
  const config = "rendered-layered-new";
  const ok = (mosb: string, digest: string, created = "2026-01-01T00:00:00Z") =>
    testMosb(mosb, { mosc: "layered", config, state: "Succeeded", digest, created });

  it("gives the image once the build succeeded and a node has updated", () => {
    const result = layeredImageFor(
      pool(1),
      config,
      [testMosc("layered", DIGEST_A, "b-1")],
      [ok("b-1", DIGEST_A)],
    );
    expect(result).toEqual({ image: DIGEST_A, build: "b-1" });
  });

  it("scenario 19: of two builds for one rendered config, the one the MachineOSConfig names wins", () => {
    const builds = [
      ok("b-old", DIGEST_A, "2026-01-01T00:00:00Z"),
      ok("b-new", DIGEST_B, "2026-02-01T00:00:00Z"),
    ];
    expect(layeredImageFor(pool(1), config, [testMosc("layered", DIGEST_A, "b-old")], builds)).toEqual({
      image: DIGEST_A,
      build: "b-old",
    });
    expect(layeredImageFor(pool(1), config, [testMosc("layered", DIGEST_B, "b-new")], builds)).toEqual({
      image: DIGEST_B,
      build: "b-new",
    });
  });

  it.each([
    [
      "no node updated yet",
      pool(0),
      [testMosc("layered", DIGEST_A, "b-1")],
      [ok("b-1", DIGEST_A)],
      /no node/,
    ],
    ["not layered", pool(1), [], [], /not layered/],
    ["no image on the MachineOSConfig", pool(1), [testMosc("layered")], [ok("b-1", DIGEST_A)], /no image/],
    [
      "build still running",
      pool(1),
      [testMosc("layered", DIGEST_A, "b-1")],
      [testMosb("b-1", { mosc: "layered", config, state: "Building" })],
      /not succeeded/,
    ],
    [
      "build for another config",
      pool(1),
      [testMosc("layered", DIGEST_A, "b-1")],
      [
        testMosb("b-1", {
          mosc: "layered",
          config: "rendered-layered-other",
          state: "Succeeded",
          digest: DIGEST_A,
        }),
      ],
      /no MachineOSBuild/,
    ],
  ])("boots the base image when %s", (_, p, moscs, mosbs, reason) => {
    const result = layeredImageFor(p, config, moscs, mosbs);
    expect(result.image).toBeUndefined();
    expect("reason" in result && result.reason).toMatch(reason);
  });
});
