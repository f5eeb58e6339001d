// The node lifecycle controller inside a real API server (embedded platform, short heartbeats): nodes
// heartbeat through HTTP as a kubelet does — Lease renewals in kube-node-lease, or Ready condition
// posts — and the test stops them to see the node marked, then brings it back.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../api/object.ts";
import { microTime } from "../runtime/leader-election.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { eventually } from "../testing/eventually.ts";
import { NODE_STATUS_UNKNOWN, NOT_READY_TAINT_KEY, UNREACHABLE_TAINT_KEY } from "./node-lifecycle-rules.ts";
import { DEFAULT_NODE_NAME } from "./scheduler.ts";

const GRACE_MS = 3_000;
const HEARTBEAT_MS = 300;
const MARGIN_MS = 7_000;
const NODES = "/api/v1/nodes";
const LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
const MERGE = "application/merge-patch+json";

let api: TestApiServer;
const heartbeats = new Map<string, NodeJS.Timeout>();

beforeAll(async () => {
  api = await startTestApiServer({
    embeddedPlatform: true,
    nodeHeartbeat: { leaseRenewMs: HEARTBEAT_MS, gracePeriodMs: GRACE_MS },
  });
  await api.client.post("/api/v1/namespaces", { metadata: { name: "kube-node-lease" } });
}, 30_000);
afterAll(async () => {
  for (const timer of heartbeats.values()) clearInterval(timer);
  await api?.close();
}, 30_000);

const seconds = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

function readyCondition(status = "True") {
  const now = seconds(new Date());
  return {
    type: "Ready",
    status,
    reason: status === "True" ? "KubeletReady" : "KubeletNotReady",
    message: status === "True" ? "kubelet is posting ready status" : "node is rebooting",
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  };
}

async function postReady(name: string, status = "True"): Promise<void> {
  const body = { status: { conditions: [readyCondition(status)] } };
  const response = await api.client.patch(`${NODES}/${name}/status`, body, MERGE);
  expect(response.status).toBe(200);
}

async function renewLease(name: string): Promise<void> {
  const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(Date.now()) };
  const renewed = await api.client.patch(`${LEASES}/${name}`, { spec }, MERGE);
  if (renewed.status === 404) await api.client.post(LEASES, { metadata: { name }, spec });
}

async function registerNode(name: string, withLease: boolean): Promise<void> {
  expect((await api.client.post(NODES, { metadata: { name }, spec: {} })).status).toBe(201);
  await postReady(name);
  if (withLease) await renewLease(name);
}

function startHeartbeat(name: string, beat: () => Promise<void>): void {
  heartbeats.set(
    name,
    setInterval(() => void beat().catch(() => undefined), HEARTBEAT_MS),
  );
}

function stopHeartbeat(name: string): void {
  clearInterval(heartbeats.get(name));
  heartbeats.delete(name);
}

interface NodeView extends KubeObject {
  spec?: { taints?: { key: string; effect: string; timeAdded?: string }[] };
  status?: { conditions?: Record<string, string>[] };
}

async function getNode(name: string): Promise<NodeView> {
  const response = await api.client.get(`${NODES}/${name}`);
  expect(response.status).toBe(200);
  return response.json;
}

const conditionOf = (node: NodeView, type: string) =>
  (node.status?.conditions ?? []).find((c) => c.type === type);
const taintKeys = (node: NodeView) => (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

/** Waits for the node to be marked; `lastHeardMs` is the earliest its last heartbeat may carry. */
async function waitUnknown(name: string, lastHeardMs: number) {
  const node = await eventually(
    async () => {
      const current = await getNode(name);
      expect(conditionOf(current, "Ready")).toMatchObject({ status: "Unknown", ...NODE_STATUS_UNKNOWN });
      expect(taintKeys(current)).toEqual([
        `${UNREACHABLE_TAINT_KEY}:NoExecute`,
        `${UNREACHABLE_TAINT_KEY}:NoSchedule`,
      ]);
      return current;
    },
    { timeoutMs: GRACE_MS + MARGIN_MS, intervalMs: 100 },
  );
  const marked = Date.parse(conditionOf(node, "Ready")?.lastTransitionTime ?? "");
  // Not before the grace period ran out (timestamps have whole seconds).
  expect(marked).toBeGreaterThanOrEqual(Math.floor((lastHeardMs + GRACE_MS) / 1000) * 1000);
  return node;
}

describe("node lifecycle in the embedded platform", () => {
  it("marks a node whose Lease stops Unknown and unreachable, and clears the taints when it posts Ready", async () => {
    await registerNode("silent", true);
    startHeartbeat("silent", () => renewLease("silent"));
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS / 2));
    stopHeartbeat("silent");
    const silentSince = Date.now();
    const marked = await waitUnknown("silent", silentSince - HEARTBEAT_MS);
    for (const type of ["MemoryPressure", "DiskPressure", "PIDPressure"])
      expect(conditionOf(marked, type), type).toMatchObject({ status: "Unknown" });
    const noExecute = marked.spec?.taints?.find((t) => t.effect === "NoExecute");
    expect(Date.parse(noExecute?.timeAdded ?? "")).toBeGreaterThanOrEqual(
      Math.floor(silentSince / 1000) * 1000,
    );

    // Power back: the Lease is renewed and the kubelet posts Ready=True.
    await renewLease("silent");
    await postReady("silent");
    startHeartbeat("silent", () => renewLease("silent"));
    const back = await eventually(
      async () => {
        const current = await getNode("silent");
        expect(taintKeys(current)).toEqual([]);
        return current;
      },
      { timeoutMs: MARGIN_MS, intervalMs: 100 },
    );
    expect(conditionOf(back, "Ready")).toMatchObject({ status: "True", reason: "KubeletReady" });
    stopHeartbeat("silent");
  }, 30_000);

  it("times a node without a Lease from its Ready condition's lastHeartbeatTime", async () => {
    await registerNode("leaseless", false);
    startHeartbeat("leaseless", () => postReady("leaseless"));
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 1_000));
    const alive = await getNode("leaseless");
    expect(conditionOf(alive, "Ready")).toMatchObject({ status: "True" });
    expect(taintKeys(alive)).toEqual([]);
    stopHeartbeat("leaseless");
    // lastHeartbeatTime has whole seconds: the last post may read up to a second earlier.
    await waitUnknown("leaseless", Date.now() - HEARTBEAT_MS - 1_000);
  }, 30_000);

  it("taints a node that posts Ready=False not-ready", async () => {
    await registerNode("rebooting", true);
    startHeartbeat("rebooting", () => renewLease("rebooting"));
    await postReady("rebooting", "False");
    await eventually(
      async () =>
        expect(taintKeys(await getNode("rebooting"))).toEqual([
          `${NOT_READY_TAINT_KEY}:NoExecute`,
          `${NOT_READY_TAINT_KEY}:NoSchedule`,
        ]),
      { timeoutMs: MARGIN_MS, intervalMs: 100 },
    );
    await postReady("rebooting");
    await eventually(async () => expect(taintKeys(await getNode("rebooting"))).toEqual([]), {
      timeoutMs: MARGIN_MS,
      intervalMs: 100,
    });
    stopHeartbeat("rebooting");
  }, 30_000);

  it("never writes to a node that keeps renewing its Lease, nor to the host kubelet's", async () => {
    await registerNode("busy", true);
    startHeartbeat("busy", () => renewLease("busy"));
    const before = await getNode("busy");
    await new Promise((resolve) => setTimeout(resolve, 2 * GRACE_MS + 500));
    const after = await getNode("busy");
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(conditionOf(after, "Ready")).toMatchObject({ status: "True" });
    const host = await getNode(DEFAULT_NODE_NAME);
    expect(conditionOf(host, "Ready")).toMatchObject({ status: "True" });
    expect(taintKeys(host)).toEqual([]);
    stopHeartbeat("busy");
  }, 30_000);
});
