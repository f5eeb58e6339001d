// §9.6 Delete and garbage collection: finalizer-held deletion (MODIFIED, then DELETED once emptied),
// the DELETE response shapes (Status for ConfigMaps and CRs, the object for Pods), preconditions,
// and owner-reference GC: Background, Orphan, Foreground and dangling owners.

import { describe, expect, it } from "vitest";
import type { ApiResponse } from "../../src/testing/api-client.ts";
import { eventually } from "../../src/testing/eventually.ts";
import { expectStatus, MCO_GROUP, MCP_PATH, MERGE, mcp, pod, useApiServer } from "./helpers.ts";

const NS = "delete-ns";
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const GC_WAIT = { timeoutMs: 8000, intervalMs: 100 };

const api = useApiServer({ namespaces: [NS], machineConfigPools: true });

interface Owner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  blockOwnerDeletion?: boolean;
  controller?: boolean;
}

function ownerRef(res: ApiResponse, extra: Partial<Owner> = {}): Owner {
  return {
    apiVersion: res.json.apiVersion,
    kind: res.json.kind,
    name: res.json.metadata.name,
    uid: res.json.metadata.uid,
    ...extra,
  };
}

async function createCm(name: string, metadata: Record<string, unknown> = {}): Promise<ApiResponse> {
  const res = await api.client.post(CM, { metadata: { name, ...metadata }, data: { k: "v" } });
  expect(res.status, res.text).toBe(201);
  return res;
}

async function gone(path: string): Promise<void> {
  await eventually(async () => expect((await api.client.get(path)).status).toBe(404), GC_WAIT);
}

describe("DELETE responses", () => {
  it("a ConfigMap without finalizers → 200 Success Status with details", async () => {
    const created = await createCm("plain");
    const res = await api.client.delete(`${CM}/plain`, { propagationPolicy: "Background" });
    expect(res.status, res.text).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name: "plain", group: "", kind: "configmaps", uid: created.json.metadata.uid },
    });
    expectStatus(await api.client.get(`${CM}/plain`), 404, "NotFound", 'configmaps "plain" not found');
  });

  it("a CR → Success Status naming the group", async () => {
    const created = await api.client.post(MCP_PATH, mcp("del"));
    const res = await api.client.delete(`${MCP_PATH}/del`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      kind: "Status",
      status: "Success",
      details: { name: "del", group: MCO_GROUP, kind: "machineconfigpools", uid: created.json.metadata.uid },
    });
    expectStatus(
      await api.client.get(`${MCP_PATH}/del`),
      404,
      "NotFound",
      `machineconfigpools.${MCO_GROUP} "del" not found`,
    );
  });

  it("a Pod → the Pod", async () => {
    const created = await api.client.post(PODS, pod("del-pod"));
    expect(created.status, created.text).toBe(201);
    const res = await api.client.delete(`${PODS}/del-pod`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.kind).toBe("Pod");
    expect(res.json.metadata.name).toBe("del-pod");
    expect(res.json.metadata.uid).toBe(created.json.metadata.uid);
    await gone(`${PODS}/del-pod`);
  });

  it("a missing object → 404", async () => {
    expectStatus(await api.client.delete(`${CM}/never`), 404, "NotFound", 'configmaps "never" not found');
  });

  it("a failed uid or resourceVersion precondition → 409 and nothing is deleted", async () => {
    const created = await createCm("pre");
    const byUid = await api.client.delete(`${CM}/pre`, {
      preconditions: { uid: "33333333-3333-4333-8333-333333333333" },
    });
    expectStatus(byUid, 409, "Conflict", /Precondition failed: UID in precondition/);
    const byRv = await api.client.delete(`${CM}/pre`, { preconditions: { resourceVersion: "1" } });
    expectStatus(byRv, 409, "Conflict", /Precondition failed: ResourceVersion in precondition/);
    expect((await api.client.get(`${CM}/pre`)).status).toBe(200);
    const ok = await api.client.delete(`${CM}/pre`, { preconditions: { uid: created.json.metadata.uid } });
    expect(ok.status).toBe(200);
  });

  it("an unknown propagationPolicy → 400", async () => {
    await createCm("badpolicy");
    expectStatus(
      await api.client.delete(`${CM}/badpolicy`, { propagationPolicy: "Sideways" }),
      400,
      "BadRequest",
    );
    expect((await api.client.get(`${CM}/badpolicy`)).status).toBe(200);
  });

  it("dryRun=All deletes nothing", async () => {
    await createCm("dry");
    const res = await api.client.delete(`${CM}/dry?dryRun=All`);
    expect(res.status).toBe(200);
    expect((await api.client.get(`${CM}/dry`)).status).toBe(200);
  });
});

describe("finalizers", () => {
  it("delete → 200 with deletionTimestamp and a MODIFIED event; emptying finalizers → DELETED, then 404", async () => {
    const created = await createCm("fin", { finalizers: ["example.com/hold"] });
    const watch = await api.client.watch(
      `${CM}?watch=true&fieldSelector=metadata.name%3Dfin&resourceVersion=${created.json.metadata.resourceVersion}`,
    );
    try {
      const res = await api.client.delete(`${CM}/fin`);
      expect(res.status, res.text).toBe(200);
      expect(res.json.kind).toBe("ConfigMap");
      expect(res.json.metadata.deletionTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(res.json.metadata.deletionGracePeriodSeconds).toBe(0);
      expect(res.json.metadata.finalizers).toEqual(["example.com/hold"]);
      const modified = await watch.next();
      expect(modified.type).toBe("MODIFIED");
      expect(modified.object.metadata.deletionTimestamp).toBe(res.json.metadata.deletionTimestamp);

      // Still readable while held; a repeat delete answers the object.
      expect((await api.client.get(`${CM}/fin`)).json.metadata.deletionTimestamp).toBeDefined();
      const again = await api.client.delete(`${CM}/fin`);
      expect(again.status).toBe(200);
      expect(again.json.metadata.deletionTimestamp).toBe(res.json.metadata.deletionTimestamp);

      // No new finalizers once deletion started.
      const current = (await api.client.get(`${CM}/fin`)).json;
      const add = await api.client.put(`${CM}/fin`, {
        ...current,
        metadata: { ...current.metadata, finalizers: ["example.com/hold", "example.com/more"] },
      });
      expectStatus(add, 422, "Invalid", /no new finalizers can be added if the object is being deleted/);

      const release = await api.client.patch(`${CM}/fin`, { metadata: { finalizers: null } }, MERGE);
      expect(release.status, release.text).toBe(200);
      const deleted = await watch.next();
      expect(deleted.type).toBe("DELETED");
      expect(deleted.object.metadata.name).toBe("fin");
      expect(Number(deleted.object.metadata.resourceVersion)).toBeGreaterThan(
        Number(modified.object.metadata.resourceVersion),
      );
      expectStatus(await api.client.get(`${CM}/fin`), 404, "NotFound");
    } finally {
      watch.close();
    }
  });
});

describe("garbage collection", () => {
  it("Background (default): dependents of the deleted owner go, including grandchildren", async () => {
    const owner = await createCm("bg-owner");
    const child = await createCm("bg-child", { ownerReferences: [ownerRef(owner)] });
    await createCm("bg-grandchild", { ownerReferences: [ownerRef(child)] });
    const podDep = await api.client.post(PODS, pod("bg-pod", ["c1"], {}));
    expect(podDep.status).toBe(201);
    expect(
      (await api.client.patch(`${PODS}/bg-pod`, { metadata: { ownerReferences: [ownerRef(owner)] } }, MERGE))
        .status,
    ).toBe(200);
    const res = await api.client.delete(`${CM}/bg-owner`, { propagationPolicy: "Background" });
    expect(res.status).toBe(200);
    expect(res.json.kind).toBe("Status");
    await gone(`${CM}/bg-child`);
    await gone(`${CM}/bg-grandchild`);
    await gone(`${PODS}/bg-pod`);
  });

  it("Background keeps a dependent that has another live owner and drops the dead reference", async () => {
    const a = await createCm("multi-a");
    const b = await createCm("multi-b");
    await createCm("multi-dep", { ownerReferences: [ownerRef(a), ownerRef(b)] });
    expect((await api.client.delete(`${CM}/multi-a`)).status).toBe(200);
    await eventually(async () => {
      const dep = await api.client.get(`${CM}/multi-dep`);
      expect(dep.status).toBe(200);
      expect(dep.json.metadata.ownerReferences.map((r: Owner) => r.name)).toEqual(["multi-b"]);
    }, GC_WAIT);
  });

  it("a cluster-scoped owner (MachineConfigPool) collects namespaced dependents", async () => {
    const owner = await api.client.post(MCP_PATH, mcp("gc-owner"));
    expect(owner.status).toBe(201);
    await createCm("mcp-dep", { ownerReferences: [ownerRef(owner)] });
    expect((await api.client.delete(`${MCP_PATH}/gc-owner`)).status).toBe(200);
    await gone(`${CM}/mcp-dep`);
  });

  it("Orphan: finalizer orphan, dependents lose the reference and stay, then the owner goes", async () => {
    const owner = await createCm("or-owner");
    const keep = await createCm("or-keep");
    await createCm("or-dep", { ownerReferences: [ownerRef(owner), ownerRef(keep)] });
    await createCm("or-dep2", { ownerReferences: [ownerRef(owner)] });
    const res = await api.client.delete(`${CM}/or-owner`, { propagationPolicy: "Orphan" });
    expect(res.status, res.text).toBe(200);
    // Either still held by the orphan finalizer (the object) or already processed.
    if (res.json.kind === "ConfigMap") {
      expect(res.json.metadata.finalizers).toContain("orphan");
      expect(res.json.metadata.deletionTimestamp).toBeDefined();
    }
    await gone(`${CM}/or-owner`);
    const dep = await api.client.get(`${CM}/or-dep`);
    expect(dep.status).toBe(200);
    expect(dep.json.metadata.ownerReferences.map((r: Owner) => r.name)).toEqual(["or-keep"]);
    const dep2 = await api.client.get(`${CM}/or-dep2`);
    expect(dep2.status).toBe(200);
    expect(dep2.json.metadata.ownerReferences ?? []).toEqual([]);
  });

  it("Foreground: the owner waits (foregroundDeletion) until blocking dependents are gone", async () => {
    const owner = await createCm("fg-owner");
    await createCm("fg-block", {
      ownerReferences: [ownerRef(owner, { blockOwnerDeletion: true })],
      finalizers: ["example.com/hold"],
    });
    await createCm("fg-plain", { ownerReferences: [ownerRef(owner)] });
    const res = await api.client.delete(`${CM}/fg-owner`, { propagationPolicy: "Foreground" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.kind).toBe("ConfigMap");
    expect(res.json.metadata.finalizers).toContain("foregroundDeletion");
    expect(res.json.metadata.deletionTimestamp).toBeDefined();

    // The collector starts deleting the dependents; the held one blocks the owner.
    await eventually(async () => {
      const blocker = await api.client.get(`${CM}/fg-block`);
      expect(blocker.json.metadata.deletionTimestamp).toBeDefined();
    }, GC_WAIT);
    await gone(`${CM}/fg-plain`);
    const waiting = await api.client.get(`${CM}/fg-owner`);
    expect(waiting.status).toBe(200);
    expect(waiting.json.metadata.finalizers).toContain("foregroundDeletion");

    expect((await api.client.patch(`${CM}/fg-block`, { metadata: { finalizers: null } }, MERGE)).status).toBe(
      200,
    );
    await gone(`${CM}/fg-block`);
    await gone(`${CM}/fg-owner`);
  });

  it("dangling owners: an object whose owners are all absent is collected", async () => {
    const res = await createCm("dangling", {
      ownerReferences: [
        { apiVersion: "v1", kind: "ConfigMap", name: "ghost", uid: "44444444-4444-4444-8444-444444444444" },
      ],
    });
    expect(res.json.metadata.ownerReferences).toHaveLength(1);
    await gone(`${CM}/dangling`);
  });

  it("an owner with the same name but another uid does not keep a dependent alive", async () => {
    const first = await createCm("reborn");
    await createCm("reborn-dep", { ownerReferences: [ownerRef(first)] });
    expect((await api.client.delete(`${CM}/reborn`)).status).toBe(200);
    await createCm("reborn");
    await gone(`${CM}/reborn-dep`);
  });
});
