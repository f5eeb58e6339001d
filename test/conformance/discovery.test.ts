// §9.1 Discovery: /version and health, legacy and aggregated discovery, the MCO group served from
// the upstream CRD, and the pod subresources in /api/v1.

import { describe, expect, it } from "vitest";
import { MCO_GROUP, useApiServer } from "./helpers.ts";

const AGGREGATED_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
const AGGREGATED_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

const api = useApiServer({ machineConfigPools: true });

describe("version and health", () => {
  it("GET /version answers the Kubernetes 1.32 version info", async () => {
    const res = await api.client.get("/version");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json).toMatchObject({ major: "1", minor: "32", gitVersion: "v1.32.0" });
    expect(Object.keys(res.json).sort()).toEqual(
      [
        "buildDate",
        "compiler",
        "gitCommit",
        "gitTreeState",
        "gitVersion",
        "goVersion",
        "major",
        "minor",
        "platform",
      ].sort(),
    );
  });

  it.each(["/healthz", "/readyz", "/livez"])(
    "%s answers 200 text/plain ok, without a token",
    async (path) => {
      const res = await api.client.get(path, { token: null });
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/plain/);
      expect(res.text).toBe("ok");
    },
  );

  it("rejects a request without a token with 401 Status", async () => {
    const res = await api.client.get("/api/v1/namespaces", { token: null });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ kind: "Status", status: "Failure", reason: "Unauthorized", code: 401 });
  });
});

describe("legacy discovery", () => {
  it("GET /api lists v1 and the server address", async () => {
    const res = await api.client.get("/api");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json).toEqual({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [
        { clientCIDR: "0.0.0.0/0", serverAddress: `127.0.0.1:${api.server.port}` },
      ],
    });
  });

  it("GET /apis lists named groups with a preferred version, MCO included", async () => {
    const res = await api.client.get("/apis");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: "APIGroupList", apiVersion: "v1" });
    const names = res.json.groups.map((g: { name: string }) => g.name);
    expect(names).not.toContain("");
    expect(names).toEqual(expect.arrayContaining(["batch", "apiextensions.k8s.io", MCO_GROUP]));
    const batch = res.json.groups.find((g: { name: string }) => g.name === "batch");
    expect(batch).toEqual({
      name: "batch",
      versions: [{ groupVersion: "batch/v1", version: "v1" }],
      preferredVersion: { groupVersion: "batch/v1", version: "v1" },
    });
  });

  it("GET /api/v1 lists pods with short names and categories, and the pod subresources", async () => {
    const res = await api.client.get("/api/v1");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: "APIResourceList", apiVersion: "v1", groupVersion: "v1" });
    const byName = new Map<string, Record<string, unknown>>(
      res.json.resources.map((r: { name: string }) => [r.name, r]),
    );
    expect(byName.get("pods")).toMatchObject({
      name: "pods",
      singularName: "pod",
      namespaced: true,
      kind: "Pod",
      shortNames: ["po"],
      categories: ["all"],
    });
    expect(byName.get("pods")?.verbs).toEqual(
      expect.arrayContaining(["create", "delete", "get", "list", "patch", "update", "watch"]),
    );
    expect(byName.get("pods/status")).toMatchObject({ namespaced: true, kind: "Pod" });
    expect([...((byName.get("pods/status")?.verbs as string[]) ?? [])].sort()).toEqual([
      "get",
      "patch",
      "update",
    ]);
    expect(byName.get("pods/eviction")).toMatchObject({
      namespaced: true,
      group: "policy",
      version: "v1",
      kind: "Eviction",
      verbs: ["create"],
    });
    expect(byName.has("pods/log")).toBe(true);
    expect(byName.has("pods/binding")).toBe(true);
  });

  it("GET /apis/<mco>/v1 lists machineconfigpools and machineconfigpools/status from the CRD", async () => {
    const res = await api.client.get(`/apis/${MCO_GROUP}/v1`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: "APIResourceList", groupVersion: `${MCO_GROUP}/v1` });
    const byName = new Map<string, Record<string, unknown>>(
      res.json.resources.map((r: { name: string }) => [r.name, r]),
    );
    expect(byName.get("machineconfigpools")).toMatchObject({
      name: "machineconfigpools",
      singularName: "machineconfigpool",
      namespaced: false,
      kind: "MachineConfigPool",
      shortNames: ["mcp"],
    });
    expect(byName.get("machineconfigpools/status")).toMatchObject({
      namespaced: false,
      kind: "MachineConfigPool",
    });
    expect([...((byName.get("machineconfigpools/status")?.verbs as string[]) ?? [])].sort()).toEqual([
      "get",
      "patch",
      "update",
    ]);
  });

  it("GET /apis/<group> answers the APIGroup; unknown groups and versions are 404", async () => {
    const group = await api.client.get(`/apis/${MCO_GROUP}`);
    expect(group.status).toBe(200);
    expect(group.json).toMatchObject({
      kind: "APIGroup",
      name: MCO_GROUP,
      preferredVersion: { groupVersion: `${MCO_GROUP}/v1`, version: "v1" },
    });
    expect((await api.client.get("/apis/nope.example.com/v1")).status).toBe(404);
    expect((await api.client.get("/apis/nope.example.com")).status).toBe(404);
  });
});

describe("aggregated discovery", () => {
  it('GET /api with the kubectl Accept answers an APIGroupDiscoveryList with one item named ""', async () => {
    const res = await api.client.get("/api", { accept: AGGREGATED_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe(AGGREGATED_TYPE);
    expect(res.json).toMatchObject({
      kind: "APIGroupDiscoveryList",
      apiVersion: "apidiscovery.k8s.io/v2",
      metadata: {},
    });
    expect(res.json.items).toHaveLength(1);
    expect(res.json.items[0].metadata).toEqual({ name: "" });
    const v1 = res.json.items[0].versions[0];
    expect(v1).toMatchObject({ version: "v1", freshness: "Current" });
    const pods = v1.resources.find((r: { resource: string }) => r.resource === "pods");
    expect(pods).toMatchObject({
      resource: "pods",
      responseKind: { group: "", version: "v1", kind: "Pod" },
      scope: "Namespaced",
      singularResource: "pod",
      shortNames: ["po"],
    });
    const eviction = pods.subresources.find((s: { subresource: string }) => s.subresource === "eviction");
    expect(eviction).toMatchObject({
      responseKind: { group: "policy", version: "v1", kind: "Eviction" },
      verbs: ["create"],
    });
  });

  it("GET /apis lists the MCO group with machineconfigpools and its status subresource", async () => {
    const res = await api.client.get("/apis", { accept: AGGREGATED_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe(AGGREGATED_TYPE);
    const names = res.json.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    expect(names).not.toContain("");
    const mco = res.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === MCO_GROUP);
    expect(mco.versions.map((v: { version: string }) => v.version)).toEqual(["v1"]);
    const pools = mco.versions[0].resources.find(
      (r: { resource: string }) => r.resource === "machineconfigpools",
    );
    expect(pools).toMatchObject({
      resource: "machineconfigpools",
      responseKind: { group: MCO_GROUP, version: "v1", kind: "MachineConfigPool" },
      scope: "Cluster",
      singularResource: "machineconfigpool",
      shortNames: ["mcp"],
      subresources: [
        {
          subresource: "status",
          responseKind: { group: MCO_GROUP, version: "v1", kind: "MachineConfigPool" },
        },
      ],
    });
    expect([...pools.subresources[0].verbs].sort()).toEqual(["get", "patch", "update"]);
    expect(pools.verbs).toEqual(
      expect.arrayContaining(["get", "list", "watch", "create", "patch", "delete"]),
    );
  });

  it("v2beta1 alone is answered as v2beta1", async () => {
    const res = await api.client.get("/apis", {
      accept: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe(
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
    );
    expect(res.json.apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
  });

  it("plain JSON Accept gets legacy discovery with Content-Type application/json", async () => {
    const res = await api.client.get("/apis", { accept: "application/json" });
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json.kind).toBe("APIGroupList");
  });
});
