import { describe, expect, it } from "vitest";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { DIGEST_A, DIGEST_B, testMosb, testMosc, testNode, testPool } from "./fixtures.ts";
import { assignPools, placeNode } from "./membership.ts";
import { planRollout, resolveMaxUnavailable } from "./plan.ts";
import { type PoolTarget, poolTarget } from "./target.ts";

const OLD = "rendered-worker-old";
const NEW = "rendered-worker-new";
const plain: PoolTarget = { kind: "plain", target: { config: NEW } };

const plan = (pool: MachineConfigPool, nodes: KubeObject[], target: PoolTarget = plain) =>
  planRollout({ pool, nodes, target });
const names = (p: ReturnType<typeof planRollout>) => p.updates.map((u) => u.node);
const fleet = (count: number, o: Parameters<typeof testNode>[1] = {}) =>
  Array.from({ length: count }, (_, i) => testNode(`n${i}`, { current: OLD, ...o }));

describe("resolveMaxUnavailable", () => {
  it.each([
    [undefined, 5, 1],
    [0, 5, 1],
    [2, 5, 2],
    [7, 5, 7],
    ["50%", 5, 2],
    ["10%", 5, 1],
    ["100%", 5, 5],
    ["0%", 5, 1],
    ["bogus", 5, 1],
  ] as const)("%s of %i nodes → %i", (value, count, expected) => {
    expect(resolveMaxUnavailable(value, count)).toBe(expected);
  });
});

describe("planRollout capacity", () => {
  it("targets maxUnavailable nodes at once", () => {
    const p = plan(testPool("worker", { maxUnavailable: 2 }), fleet(5));
    expect(p).toMatchObject({ maxUnavailable: 2, unavailable: 0, capacity: 2 });
    expect(p.updates).toEqual([
      { node: "n0", desiredConfig: NEW },
      { node: "n1", desiredConfig: NEW },
    ]);
  });

  it("uses a percentage of the pool, and 100% updates every node", () => {
    expect(names(plan(testPool("worker", { maxUnavailable: "40%" }), fleet(5)))).toEqual(["n0", "n1"]);
    expect(names(plan(testPool("worker", { maxUnavailable: "100%" }), fleet(5)))).toHaveLength(5);
  });

  it("counts unready, cordoned and working nodes against capacity", () => {
    const nodes = [
      testNode("unready", { current: OLD, ready: false }),
      testNode("cordoned", { current: OLD, unschedulable: true }),
      testNode("working", { current: OLD, desired: NEW, state: "Working" }),
      ...fleet(3),
    ];
    const p = plan(testPool("worker", { maxUnavailable: 4 }), nodes);
    expect(p).toMatchObject({ unavailable: 3, capacity: 1 });
    // Cordoned but Ready is still a candidate (as upstream): it takes no extra slot.
    expect(names(p)).toEqual(["cordoned"]);
  });

  it("counts a node told to update but not started yet as unavailable", () => {
    const nodes = [testNode("told", { current: OLD, desired: NEW, state: "Done" }), ...fleet(2)];
    expect(plan(testPool("worker"), nodes)).toMatchObject({ unavailable: 1, capacity: 0, updates: [] });
  });

  it("halts while failing nodes use up maxUnavailable", () => {
    const failing = testNode("bad", { current: OLD, desired: NEW, state: "Degraded", reason: "boom" });
    expect(plan(testPool("worker"), [failing, ...fleet(3)])).toMatchObject({
      failing: 1,
      capacity: 0,
      updates: [],
    });
    expect(names(plan(testPool("worker", { maxUnavailable: 2 }), [failing, ...fleet(3)]))).toEqual(["n0"]);
  });

  it("never targets unready nodes", () => {
    const p = plan(testPool("worker", { maxUnavailable: 3 }), [
      testNode("down", { current: OLD, ready: false }),
    ]);
    expect(p.updates).toEqual([]);
  });
});

describe("planRollout order", () => {
  it("orders candidates by zone, then oldest first, then name", () => {
    const nodes = [
      testNode("b-old", { current: OLD, zone: "b", created: "2025-01-01T00:00:00Z" }),
      testNode("a-new", { current: OLD, zone: "a", created: "2026-06-01T00:00:00Z" }),
      testNode("a-old", { current: OLD, zone: "a", created: "2025-06-01T00:00:00Z" }),
      testNode("a-old2", { current: OLD, zone: "a", created: "2025-06-01T00:00:00Z" }),
    ];
    expect(names(plan(testPool("worker", { maxUnavailable: 4 }), nodes))).toEqual([
      "a-old",
      "a-old2",
      "a-new",
      "b-old",
    ]);
  });
});

describe("planRollout paused, taints and revert", () => {
  it("changes nothing on a paused pool", () => {
    expect(plan(testPool("worker", { paused: true, maxUnavailable: 5 }), fleet(3))).toMatchObject({
      updates: [],
      taints: [],
    });
  });

  it("taints nodes not at target and untaints updated ones", () => {
    const taint = [{ key: "UpdateInProgress", effect: "PreferNoSchedule" }];
    const nodes = [testNode("done", { current: NEW, taints: taint }), testNode("old", { current: OLD })];
    expect(plan(testPool("worker"), nodes).taints).toEqual([
      { node: "done", taint: false },
      { node: "old", taint: true },
    ]);
  });

  it("removes desiredImage when the pool is not layered (revert)", () => {
    const node = testNode("layered", { current: NEW, currentImage: DIGEST_A });
    expect(plan(testPool("worker"), [node]).updates).toEqual([{ node: "layered", desiredConfig: NEW }]);
  });
});

describe("poolTarget", () => {
  const pool = testPool("layered", { config: NEW });
  const ok = testMosb("layered-1", { mosc: "layered", config: NEW, state: "Succeeded", digest: DIGEST_A });

  it("is plain without a MachineOSConfig, unrendered without a configuration", () => {
    expect(poolTarget(pool, [], [])).toEqual({ kind: "plain", target: { config: NEW } });
    expect(poolTarget(testPool("layered"), [], [])).toEqual({ kind: "unrendered" });
  });

  it("rolls out the image only once the annotated build succeeded with the MachineOSConfig's digest", () => {
    const target = poolTarget(pool, [testMosc("layered", DIGEST_A, "layered-1")], [ok]);
    expect(target).toMatchObject({ kind: "layered", target: { config: NEW, image: DIGEST_A } });
    const node = testNode("n", { role: "layered", current: OLD });
    expect(plan(pool, [node], target).updates).toEqual([
      { node: "n", desiredConfig: NEW, desiredImage: DIGEST_A },
    ]);
  });

  it.each([
    ["digest differs", testMosc("layered", DIGEST_B, "layered-1"), ok],
    ["no image yet", testMosc("layered", undefined, "layered-1"), ok],
    [
      "still building",
      testMosc("layered", DIGEST_A, "layered-1"),
      testMosb("layered-1", { mosc: "layered", config: NEW, state: "Building" }),
    ],
    [
      "failed",
      testMosc("layered", DIGEST_A, "layered-1"),
      testMosb("layered-1", { mosc: "layered", config: NEW, state: "Failed" }),
    ],
    [
      "build for another config",
      testMosc("layered", DIGEST_A, "layered-1"),
      testMosb("layered-1", { mosc: "layered", config: OLD, state: "Succeeded", digest: DIGEST_A }),
    ],
  ])("waits when %s", (_, mosc, mosb) => {
    const target = poolTarget(pool, [mosc], [mosb]);
    expect(target.kind).toBe("waiting");
    expect(plan(pool, [testNode("n", { role: "layered", current: OLD })], target)).toMatchObject({
      updates: [],
      taints: [],
    });
  });

  it("falls back from a stale annotation to a build of the MachineOSConfig and config", () => {
    const stale = testMosb("layered-stale", {
      mosc: "layered",
      config: OLD,
      state: "Succeeded",
      digest: DIGEST_B,
    });
    const target = poolTarget(pool, [testMosc("layered", DIGEST_A, "layered-stale")], [stale, ok]);
    expect(target).toMatchObject({ kind: "layered", mosb: { metadata: { name: "layered-1" } } });
  });

  it("prefers the annotated build when two serve one config", () => {
    const other = testMosb("layered-2", {
      mosc: "layered",
      config: NEW,
      state: "Succeeded",
      digest: DIGEST_B,
      created: "2027-01-01T00:00:00Z",
    });
    const target = poolTarget(pool, [testMosc("layered", DIGEST_A, "layered-1")], [other, ok]);
    expect(target).toMatchObject({ kind: "layered", target: { image: DIGEST_A } });
  });
});

describe("membership", () => {
  const pools = [testPool("master"), testPool("worker"), testPool("infra"), testPool("gpu")];
  const node = (...roles: string[]) =>
    testNode("n", { labels: Object.fromEntries(roles.map((r) => [`node-role.kubernetes.io/${r}`, ""])) });

  it("puts a node matching a custom pool there instead of worker", () => {
    expect(placeNode(pools, node("worker", "infra"))).toEqual({ pool: "infra" });
    expect(placeNode(pools, testNode("w"))).toEqual({ pool: "worker" });
  });

  it("keeps master nodes in master", () => {
    expect(placeNode(pools, node("master", "worker"))).toEqual({ pool: "master" });
  });

  it("leaves a node matching two custom pools alone and reports it on both", () => {
    const membership = assignPools(pools, [node("worker", "infra", "gpu")]);
    expect(membership.members.get("worker")).toEqual([]);
    expect(membership.conflicts.get("gpu")?.[0]?.message).toBe(
      "Node n belongs to 2 custom pools (gpu, infra); it is left alone until it matches only one",
    );
    expect(membership.conflicts.get("infra")).toHaveLength(1);
    expect(membership.conflicts.get("worker")).toBeUndefined();
  });

  it("refuses master plus a custom pool", () => {
    expect(placeNode(pools, node("master", "infra"))).toMatchObject({
      conflict: { pools: ["infra", "master"] },
    });
  });

  it("ignores pools with no or an empty nodeSelector", () => {
    const empty = testPool("empty", { nodeSelector: {} });
    const none: MachineConfigPool = { ...testPool("none"), spec: {} };
    expect(placeNode([empty, none], testNode("n"))).toBeUndefined();
  });
});
