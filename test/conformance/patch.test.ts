// §9.4 Patch: JSON patch errors (400 for a non-array, 422 for a failed op, 409 for a pinned
// resourceVersion), merge patch, strategic merge on built-ins (kubectl apply's pod patch, atomic
// taints) and 415 on a CR, and server-side apply (create, then update; fieldManager required).

import { describe, expect, it } from "vitest";
import {
  APPLY,
  expectStatus,
  JSON_PATCH,
  MCO_GROUP,
  MCP_PATH,
  MERGE,
  mcp,
  STRATEGIC,
  useApiServer,
} from "./helpers.ts";

const NS = "patch-ns";
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const PODS = `/api/v1/namespaces/${NS}/pods`;

const api = useApiServer({ namespaces: [NS], machineConfigPools: true });

async function createCm(name: string, data: Record<string, string> = { a: "1", b: "2" }) {
  const res = await api.client.post(CM, { metadata: { name }, data });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

describe("json patch", () => {
  it("applies add, remove, replace, move, copy and test with ~1 escapes", async () => {
    await createCm("jp");
    const res = await api.client.patch(
      `${CM}/jp`,
      [
        { op: "test", path: "/data/a", value: "1" },
        { op: "add", path: "/metadata/labels", value: { "app.kubernetes.io/name": "x" } },
        { op: "replace", path: "/metadata/labels/app.kubernetes.io~1name", value: "y" },
        { op: "copy", from: "/data/a", path: "/data/c" },
        { op: "move", from: "/data/b", path: "/data/d" },
        { op: "remove", path: "/data/a" },
      ],
      JSON_PATCH,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.data).toEqual({ c: "1", d: "2" });
    expect(res.json.metadata.labels).toEqual({ "app.kubernetes.io/name": "y" });
  });

  it("a failed test op → 422 and nothing changes", async () => {
    const created = await createCm("jp-test");
    const res = await api.client.patch(
      `${CM}/jp-test`,
      [
        { op: "replace", path: "/data/a", value: "changed" },
        { op: "test", path: "/data/b", value: "not-2" },
      ],
      JSON_PATCH,
    );
    expectStatus(res, 422, "Invalid");
    const after = await api.client.get(`${CM}/jp-test`);
    expect(after.json).toEqual(created);
  });

  it("an object body as json-patch → 400 BadRequest", async () => {
    await createCm("jp-object");
    const res = await api.client.patch(`${CM}/jp-object`, { data: { a: "x" } }, JSON_PATCH);
    expectStatus(res, 400, "BadRequest");
    expect((await api.client.get(`${CM}/jp-object`)).json.data).toEqual({ a: "1", b: "2" });
  });

  it("a patched /metadata/resourceVersion acts as a precondition → 409", async () => {
    const created = await createCm("jp-rv");
    expect((await api.client.patch(`${CM}/jp-rv`, { data: { a: "2" } }, MERGE)).status).toBe(200);
    const res = await api.client.patch(
      `${CM}/jp-rv`,
      [
        { op: "replace", path: "/metadata/resourceVersion", value: created.metadata.resourceVersion },
        { op: "replace", path: "/data/a", value: "3" },
      ],
      JSON_PATCH,
    );
    expectStatus(res, 409, "Conflict", /the object has been modified/);
    expect((await api.client.get(`${CM}/jp-rv`)).json.data.a).toBe("2");
  });

  it("patching a missing object → 404", async () => {
    const res = await api.client.patch(`${CM}/nope`, [{ op: "add", path: "/data", value: {} }], JSON_PATCH);
    expectStatus(res, 404, "NotFound", 'configmaps "nope" not found');
  });
});

describe("merge patch", () => {
  it("merges objects, deletes with null and replaces arrays", async () => {
    await createCm("mp");
    const res = await api.client.patch(
      `${CM}/mp`,
      { metadata: { labels: { k: "v" }, finalizers: ["x/y"] }, data: { a: null, c: "3" } },
      MERGE,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.data).toEqual({ b: "2", c: "3" });
    expect(res.json.metadata.labels).toEqual({ k: "v" });
    const replaced = await api.client.patch(`${CM}/mp`, { metadata: { finalizers: [] } }, MERGE);
    expect(replaced.status).toBe(200);
    expect(replaced.json.metadata.finalizers ?? []).toEqual([]);
  });

  it("merge patch works on a CR", async () => {
    expect((await api.client.post(MCP_PATH, mcp("mp"))).status).toBe(201);
    const res = await api.client.patch(`${MCP_PATH}/mp`, { spec: { paused: true } }, MERGE);
    expect(res.status, res.text).toBe(200);
    expect(res.json.spec.paused).toBe(true);
    expect(res.json.metadata.generation).toBe(2);
  });
});

describe("strategic merge patch", () => {
  it("on a MachineConfigPool → 415 naming the accepted patch types", async () => {
    expect((await api.client.post(MCP_PATH, mcp("smp"))).status).toBe(201);
    const res = await api.client.patch(`${MCP_PATH}/smp`, { spec: { paused: true } }, STRATEGIC);
    expectStatus(
      res,
      415,
      "UnsupportedMediaType",
      /^the body of the request was in an unknown format - accepted media types include: /,
    );
    expect(res.json.message).toContain("application/merge-patch+json");
    expect(res.json.message).toContain("application/json-patch+json");
    expect(res.json.message).toContain("application/apply-patch+yaml");
    expect(res.json.message).not.toContain(STRATEGIC);
    expect((await api.client.get(`${MCP_PATH}/smp`)).json.spec.paused).toBe(false);
  });

  // §2's patch changes env, which a Pod's immutable spec forbids (422, as on a real cluster), so it
  // is applied to a Deployment's pod template; on a Pod only the image part is allowed.
  const applyPodPatch = {
    "$setElementOrder/containers": [{ name: "c1" }, { name: "c2" }],
    containers: [
      {
        "$setElementOrder/env": [{ name: "A" }, { name: "C" }],
        env: [
          { name: "C", value: "3" },
          { $patch: "delete", name: "B" },
        ],
        name: "c1",
      },
      { image: "nginx:2", name: "c2" },
    ],
  };
  const twoContainers = () => ({
    containers: [
      {
        name: "c1",
        image: "nginx:1",
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "2" },
        ],
      },
      { name: "c2", image: "nginx:1" },
    ],
  });

  it("kubectl apply's pod patch: $setElementOrder, $patch delete, merge by name", async () => {
    const path = `/apis/apps/v1/namespaces/${NS}/deployments`;
    const created = await api.client.post(path, {
      metadata: { name: "smp-deploy" },
      spec: {
        selector: { matchLabels: { app: "smp" } },
        template: { metadata: { labels: { app: "smp" } }, spec: twoContainers() },
      },
    });
    expect(created.status, created.text).toBe(201);
    const res = await api.client.patch(
      `${path}/smp-deploy`,
      { spec: { template: { spec: applyPodPatch } } },
      STRATEGIC,
    );
    expect(res.status, res.text).toBe(200);
    const [c1, c2, extra] = res.json.spec.template.spec.containers;
    expect(extra).toBeUndefined();
    expect(c1).toMatchObject({ name: "c1", image: "nginx:1" });
    expect(c1.env).toEqual([
      { name: "A", value: "1" },
      { name: "C", value: "3" },
    ]);
    expect(c2).toMatchObject({ name: "c2", image: "nginx:2" });
    expect(JSON.stringify(res.json)).not.toContain("$setElementOrder");
    expect(res.json.metadata.generation).toBe(2);
  });

  it("on a Pod, the image merges by container name; the env change is 422 (immutable spec)", async () => {
    const created = await api.client.post(PODS, { metadata: { name: "smp-pod" }, spec: twoContainers() });
    expect(created.status, created.text).toBe(201);
    const image = await api.client.patch(
      `${PODS}/smp-pod`,
      {
        spec: {
          "$setElementOrder/containers": [{ name: "c1" }, { name: "c2" }],
          containers: [{ name: "c2", image: "nginx:2" }],
        },
      },
      STRATEGIC,
    );
    expect(image.status, image.text).toBe(200);
    expect(image.json.spec.containers.map((c: { image: string }) => c.image)).toEqual(["nginx:1", "nginx:2"]);
    const env = await api.client.patch(`${PODS}/smp-pod`, { spec: applyPodPatch }, STRATEGIC);
    expectStatus(env, 422, "Invalid", /pod updates may not change fields/);
  });

  it("a taint patch replaces the whole (atomic) list", async () => {
    const node = await api.client.post("/api/v1/nodes", {
      metadata: { name: "n-taint" },
      spec: {
        taints: [
          { key: "a", value: "1", effect: "NoSchedule" },
          { key: "b", effect: "NoExecute" },
        ],
      },
    });
    expect(node.status, node.text).toBe(201);
    const res = await api.client.patch(
      "/api/v1/nodes/n-taint",
      { spec: { taints: [{ key: "c", effect: "NoSchedule" }] } },
      STRATEGIC,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.spec.taints).toEqual([{ key: "c", effect: "NoSchedule" }]);
  });

  it("cordon and uncordon (unschedulable true / null)", async () => {
    expect((await api.client.post("/api/v1/nodes", { metadata: { name: "n-cordon" } })).status).toBe(201);
    const cordon = await api.client.patch(
      "/api/v1/nodes/n-cordon",
      { spec: { unschedulable: true } },
      STRATEGIC,
    );
    expect(cordon.json.spec.unschedulable).toBe(true);
    const uncordon = await api.client.patch(
      "/api/v1/nodes/n-cordon",
      { spec: { unschedulable: null } },
      STRATEGIC,
    );
    expect(uncordon.json.spec.unschedulable).toBeUndefined();
  });

  it("an unknown $patch directive → 400", async () => {
    await createCm("smp-bad");
    const res = await api.client.patch(`${CM}/smp-bad`, { data: { $patch: "explode" } }, STRATEGIC);
    expectStatus(res, 400, "BadRequest");
  });
});

describe("server-side apply", () => {
  const manifest = (value: string) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "ssa", namespace: NS },
      data: { k: value },
    });

  it("creates with 201, then updates with 200", async () => {
    const created = await api.client.patch(
      `${CM}/ssa?fieldManager=kubectl&fieldValidation=Strict&force=false`,
      manifest("1"),
      APPLY,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json.data).toEqual({ k: "1" });
    expect(created.json.metadata.uid).toBeTruthy();
    const updated = await api.client.patch(
      `${CM}/ssa?fieldManager=kubectl&force=false`,
      manifest("2"),
      APPLY,
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json.data).toEqual({ k: "2" });
    expect(updated.json.metadata.uid).toBe(created.json.metadata.uid);
  });

  it("re-applying the same configuration is a no-op: same resourceVersion", async () => {
    const path = `${CM}/ssa?fieldManager=kubectl&force=false`;
    const first = await api.client.patch(path, manifest("3"), APPLY);
    expect(first.status, first.text).toBe(200);
    const again = await api.client.patch(path, manifest("3"), APPLY);
    expect(again.status, again.text).toBe(200);
    expect(again.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
  });

  it("accepts a YAML body and removes fields the manager no longer applies", async () => {
    const first = await api.client.patch(
      `${CM}/ssa-yaml?fieldManager=mgr`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-yaml\ndata:\n  a: "1"\n  b: "2"\n`,
      APPLY,
    );
    expect(first.status, first.text).toBe(201);
    const second = await api.client.patch(
      `${CM}/ssa-yaml?fieldManager=mgr`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-yaml\ndata:\n  a: "1"\n`,
      APPLY,
    );
    expect(second.status, second.text).toBe(200);
    expect(second.json.data).toEqual({ a: "1" });
  });

  it("without fieldManager → 422 PatchOptions invalid", async () => {
    const res = await api.client.patch(`${CM}/ssa-nofm`, manifest("1"), APPLY);
    expectStatus(res, 422, "Invalid", /fieldManager: Required value/);
    expect(res.json.details).toMatchObject({ group: "meta.k8s.io", kind: "PatchOptions" });
    expect(res.json.details.causes).toEqual([expect.objectContaining({ field: "fieldManager" })]);
    expect((await api.client.get(`${CM}/ssa-nofm`)).status).toBe(404);
  });

  it("force with a non-apply patch → 422", async () => {
    await createCm("force");
    const res = await api.client.patch(`${CM}/force?force=true`, { data: { a: "x" } }, MERGE);
    expectStatus(res, 422, "Invalid", /force/);
  });

  it("applies to a CR (never 415)", async () => {
    const body = JSON.stringify(mcp("ssa-mcp"));
    const created = await api.client.patch(`${MCP_PATH}/ssa-mcp?fieldManager=kubectl`, body, APPLY);
    expect(created.status, created.text).toBe(201);
    expect(created.json.metadata.generation).toBe(1);
    const again = await api.client.patch(
      `${MCP_PATH}/ssa-mcp?fieldManager=kubectl`,
      JSON.stringify(
        mcp("ssa-mcp", { spec: { paused: true, machineConfigSelector: { matchLabels: { role: "x" } } } }),
      ),
      APPLY,
    );
    expect(again.status, again.text).toBe(200);
    expect(again.json.spec.paused).toBe(true);
    expect(again.json.apiVersion).toBe(`${MCO_GROUP}/v1`);
  });

  it("an unknown patch Content-Type → 415", async () => {
    await createCm("ct");
    const res = await api.client.patch(`${CM}/ct`, { data: { a: "x" } }, "application/x-whatever");
    expectStatus(res, 415, "UnsupportedMediaType");
    expect(res.json.message).toContain(STRATEGIC);
  });
});
