import { describe, expect, it } from "vitest";
import type { KubeObject } from "../api/object.ts";
import { isUnavailable } from "../controllers/node/node-state.ts";
import { FakeClock } from "../testing/fake-clock.ts";
import {
  assessNode,
  NODE_STATUS_NEVER_UPDATED,
  NODE_STATUS_UNKNOWN,
  NOT_READY_TAINT_KEY,
  type NodeLifecycleTimings,
  UNREACHABLE_TAINT_KEY,
} from "./node-lifecycle-rules.ts";

const TIMINGS: NodeLifecycleTimings = { gracePeriodMs: 50_000, startupGracePeriodMs: 60_000 };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const micro = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}000Z`;
const UPDATE_TAINT = { key: "UpdateInProgress", effect: "PreferNoSchedule" };

function node(
  ready: { status: string; heartbeatMs: number } | undefined,
  taints: unknown[] = [],
): KubeObject {
  const conditions = [
    { type: "NetworkUnavailable", status: "False", reason: "RouteCreated", lastHeartbeatTime: iso(0) },
    ...(ready === undefined
      ? []
      : [
          {
            type: "Ready",
            status: ready.status,
            reason: "KubeletReady",
            message: "kubelet is posting ready status",
            lastHeartbeatTime: iso(ready.heartbeatMs),
            lastTransitionTime: iso(ready.heartbeatMs - 60_000),
          },
          { type: "MemoryPressure", status: "False", lastHeartbeatTime: iso(ready.heartbeatMs) },
        ]),
  ];
  return {
    metadata: { name: "worker-0", creationTimestamp: iso(1_600_000_000_000) },
    spec: { taints },
    status: { conditions },
  };
}

const lease = (renewMs: number): KubeObject => ({
  metadata: { name: "worker-0", namespace: "kube-node-lease" },
  spec: { holderIdentity: "worker-0", leaseDurationSeconds: 40, renewTime: micro(renewMs) },
});

function conditionOf(conditions: unknown[] | undefined, type: string): Record<string, unknown> | undefined {
  return (conditions as Record<string, unknown>[] | undefined)?.find((c) => c.type === type);
}

describe("node lifecycle rules", () => {
  it("leaves a node alone while its Lease is renewed within the grace period, and says when to look again", () => {
    const clock = new FakeClock(1_700_000_000_000);
    const start = clock.now();
    const healthy = node({ status: "True", heartbeatMs: start - 300_000 });
    clock.advance(10_000);
    const renewedAt = clock.now();
    clock.advance(49_000);
    const verdict = assessNode(healthy, lease(renewedAt), clock.now(), start, TIMINGS);
    expect(verdict).toEqual({ recheckInMs: 1_001 });
  });

  it("turns every kubelet condition Unknown and taints the node unreachable once the Lease is overdue", () => {
    const clock = new FakeClock(1_700_000_000_000);
    const start = clock.now();
    const heartbeat = start - 300_000;
    const silent = node({ status: "True", heartbeatMs: heartbeat }, [UPDATE_TAINT]);
    const renewed = lease(start);
    clock.advance(50_000);
    expect(assessNode(silent, renewed, clock.now(), start, TIMINGS)).toEqual({ recheckInMs: 1 });
    clock.advance(1);
    const verdict = assessNode(silent, renewed, clock.now(), start, TIMINGS);
    const now = iso(clock.now());
    expect(conditionOf(verdict.conditions, "Ready")).toEqual({
      type: "Ready",
      status: "Unknown",
      ...NODE_STATUS_UNKNOWN,
      lastHeartbeatTime: iso(heartbeat),
      lastTransitionTime: now,
    });
    expect(conditionOf(verdict.conditions, "MemoryPressure")).toMatchObject({
      status: "Unknown",
      ...NODE_STATUS_UNKNOWN,
      lastHeartbeatTime: iso(heartbeat),
    });
    for (const type of ["DiskPressure", "PIDPressure"]) {
      expect(conditionOf(verdict.conditions, type)).toEqual({
        type,
        status: "Unknown",
        ...NODE_STATUS_NEVER_UPDATED,
        lastHeartbeatTime: silent.metadata.creationTimestamp,
        lastTransitionTime: now,
      });
    }
    expect(conditionOf(verdict.conditions, "NetworkUnavailable")).toMatchObject({ status: "False" });
    expect(verdict.taints).toEqual([
      UPDATE_TAINT,
      { key: UNREACHABLE_TAINT_KEY, effect: "NoSchedule" },
      { key: UNREACHABLE_TAINT_KEY, effect: "NoExecute", timeAdded: now },
    ]);
    expect(verdict.recheckInMs).toBeUndefined();
    // The node controller counts such a node as unavailable for maxUnavailable.
    const marked = { ...silent, status: { conditions: verdict.conditions } };
    expect(isUnavailable(marked)).toBe(true);
  });

  it("writes nothing more for a node already marked, however long it stays silent", () => {
    const start = 1_700_000_000_000;
    const silent = node({ status: "True", heartbeatMs: start });
    const marked = assessNode(silent, undefined, start + 51_000, start, TIMINGS);
    const stored: KubeObject = {
      ...silent,
      spec: { taints: marked.taints },
      status: { conditions: marked.conditions },
    };
    expect(assessNode(stored, undefined, start + 600_000, start, TIMINGS)).toEqual({});
  });

  it("times a node without a Lease from its Ready condition's lastHeartbeatTime", () => {
    const start = 1_700_000_000_000;
    const posted = node({ status: "True", heartbeatMs: start + 30_000 });
    expect(assessNode(posted, undefined, start + 79_000, start, TIMINGS)).toEqual({ recheckInMs: 1_001 });
    expect(
      conditionOf(assessNode(posted, undefined, start + 80_001, start, TIMINGS).conditions, "Ready"),
    ).toMatchObject({
      status: "Unknown",
      reason: "NodeStatusUnknown",
    });
  });

  it("gives every node a full grace period from the moment the controller starts watching", () => {
    const start = 1_700_000_000_000;
    const stale = node({ status: "True", heartbeatMs: start - 3_600_000 });
    expect(assessNode(stale, lease(start - 3_600_000), start, start, TIMINGS)).toEqual({
      recheckInMs: 50_001,
    });
  });

  it("gives a node that never posted Ready the startup grace period from its creation", () => {
    const created = 1_700_000_000_000;
    const fresh: KubeObject = { metadata: { name: "new", creationTimestamp: iso(created) }, spec: {} };
    expect(assessNode(fresh, undefined, created + 59_000, created, TIMINGS)).toEqual({ recheckInMs: 1_001 });
    const verdict = assessNode(fresh, undefined, created + 60_001, created, TIMINGS);
    expect(conditionOf(verdict.conditions, "Ready")).toMatchObject({
      status: "Unknown",
      ...NODE_STATUS_NEVER_UPDATED,
      lastHeartbeatTime: iso(created),
    });
    expect(verdict.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      `${UNREACHABLE_TAINT_KEY}:NoSchedule`,
      `${UNREACHABLE_TAINT_KEY}:NoExecute`,
    ]);
  });

  it("removes the taints once the kubelet posts Ready=True again, keeping every other taint", () => {
    const now = 1_700_000_000_000;
    const unreachable = [
      { key: UNREACHABLE_TAINT_KEY, effect: "NoSchedule" },
      UPDATE_TAINT,
      { key: UNREACHABLE_TAINT_KEY, effect: "NoExecute", timeAdded: iso(now - 5_000) },
    ];
    const back = node({ status: "True", heartbeatMs: now }, unreachable);
    expect(assessNode(back, lease(now), now, now - 100_000, TIMINGS)).toEqual({
      taints: [UPDATE_TAINT],
      recheckInMs: 50_001,
    });
    // Heartbeats alone do not bring a node back: only the kubelet's own Ready=True does.
    const renewedOnly = node({ status: "Unknown", heartbeatMs: now - 60_000 }, unreachable);
    expect(assessNode(renewedOnly, lease(now), now, now - 100_000, TIMINGS)).toEqual({ recheckInMs: 50_001 });
  });

  it("taints a node whose kubelet posts Ready=False not-ready instead, swapping out unreachable", () => {
    const now = 1_700_000_000_000;
    const rebooting = node({ status: "False", heartbeatMs: now }, [
      { key: UNREACHABLE_TAINT_KEY, effect: "NoExecute", timeAdded: iso(now - 5_000) },
    ]);
    expect(assessNode(rebooting, lease(now), now, now, TIMINGS).taints).toEqual([
      { key: NOT_READY_TAINT_KEY, effect: "NoSchedule" },
      { key: NOT_READY_TAINT_KEY, effect: "NoExecute", timeAdded: iso(now) },
    ]);
  });
});
