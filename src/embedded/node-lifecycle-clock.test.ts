// The node lifecycle controller on an in-memory store, its grace periods timed by a fake clock: the
// node turns Unknown exactly when its grace period runs out, not a moment before.

import { afterEach, describe, expect, it } from "vitest";
import { newTestStack, type TestStack } from "../apiserver/controllers/test-stack.ts";
import { at } from "../apiserver/registry/builtin/object-fields.ts";
import { eventually } from "../testing/eventually.ts";
import { FakeClock } from "../testing/fake-clock.ts";
import { NodeLifecycleController } from "./node-lifecycle.ts";
import { UNREACHABLE_TAINT_KEY } from "./node-lifecycle-rules.ts";
import { LEASES, NODES, writeStatus } from "./store-access.ts";

let stack: TestStack | undefined;
let stop = new AbortController();
afterEach(() => {
  stop.abort();
  stack?.close();
});

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const micro = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}000Z`;
/** Lets the controller's queue (setImmediate) run what the clock made due. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function readyStatus(heartbeatMs: number, status = "True") {
  return {
    conditions: [{ type: "Ready", status, reason: "KubeletReady", lastHeartbeatTime: iso(heartbeatMs) }],
  };
}

describe("node lifecycle controller on a fake clock", () => {
  it("marks a node whose Lease stops at the end of the grace period, and un-taints it when it posts Ready", async () => {
    const s = newTestStack();
    stack = s;
    stop = new AbortController();
    const clock = new FakeClock(Date.now());
    s.create(NODES, { metadata: { name: "w" }, spec: {}, status: readyStatus(clock.now()) });
    const leaseObject = {
      metadata: { name: "w", namespace: "kube-node-lease" },
      spec: { holderIdentity: "w", renewTime: micro(clock.now()) },
    };
    s.create(LEASES, leaseObject);
    new NodeLifecycleController({ store: s.store, clock, timings: { gracePeriodMs: 5_000 } }).start(
      stop.signal,
    );
    await settle();
    const untouched = s.find(NODES, "w")?.metadata.resourceVersion;
    expect(clock.pendingTimers).toBe(1);

    clock.advance(5_000);
    await settle();
    expect(s.find(NODES, "w")?.metadata.resourceVersion).toBe(untouched);
    clock.advance(1);
    const marked = await eventually(() => {
      const node = s.find(NODES, "w");
      expect(at(node, "status", "conditions")).toContainEqual(
        expect.objectContaining({ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" }),
      );
      expect(at(node, "spec", "taints")).toContainEqual({
        key: UNREACHABLE_TAINT_KEY,
        effect: "NoExecute",
        timeAdded: iso(clock.now()),
      });
      return node;
    });

    // The Lease comes back: the node stays Unknown (only the kubelet says Ready) …
    clock.advance(1_000);
    s.store.write(s.scope(LEASES, "kube-node-lease"), "w", undefined, (current) => ({
      ...current,
      spec: { ...(current.spec as object), renewTime: micro(clock.now()) },
    }));
    await settle();
    expect(s.find(NODES, "w")?.metadata.resourceVersion).toBe(marked?.metadata.resourceVersion);
    // … until the kubelet posts Ready=True, which takes the taints off.
    if (marked === undefined) throw new Error("the node is gone");
    writeStatus(s.store, NODES, marked, () => readyStatus(clock.now()));
    await eventually(() => expect(at(s.find(NODES, "w"), "spec", "taints")).toEqual([]));
    expect(clock.pendingTimers).toBe(1);
  }, 10_000);
});
