// §9.11 OpenAPI v3: the root lists a hashed document for every served group-version (CRD groups
// included), and every patchable resource has a PATCH operation with the GVK extension, the
// fieldValidation parameter and the patch media types kubectl looks for (strategic left out).

import { describe, expect, it } from "vitest";
import { installCrd, MCO_GROUP, useApiServer, widgetCrd } from "./helpers.ts";

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

const api = useApiServer({ machineConfigPools: true });

/** Every served group-version, from legacy discovery: `api/v1`, `apis/<group>/<version>`. */
async function groupVersions(): Promise<string[]> {
  const groups = await api.client.get("/apis");
  const named = groups.json.groups.flatMap((g: { versions: { groupVersion: string }[] }) =>
    g.versions.map((v) => `apis/${v.groupVersion}`),
  );
  return ["api/v1", ...named];
}

async function root(): Promise<Record<string, { serverRelativeURL: string }>> {
  const res = await api.client.get("/openapi/v3");
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toBe("application/json");
  return res.json.paths;
}

describe("OpenAPI v3", () => {
  it("the root lists every served group-version with a hashed serverRelativeURL", async () => {
    const paths = await root();
    const gvs = await groupVersions();
    expect(gvs).toContain(`apis/${MCO_GROUP}/v1`);
    for (const gv of gvs) {
      expect(paths[gv], gv).toBeDefined();
      expect(paths[gv]?.serverRelativeURL).toMatch(
        new RegExp(`^/openapi/v3/${gv.replaceAll(".", "\\.")}\\?hash=[0-9A-F]+$`),
      );
    }
  });

  it("every group-version document has a PATCH with GVK, fieldValidation and the patch media types", async () => {
    const paths = await root();
    const checked: string[] = [];
    for (const gv of await groupVersions()) {
      const doc = await api.client.get(paths[gv]?.serverRelativeURL ?? "");
      expect(doc.status, gv).toBe(200);
      expect(doc.json.openapi, gv).toMatch(/^3\.0/);
      const list = await api.client.get(`/${gv}`);
      const [group, version] = gv === "api/v1" ? ["", "v1"] : gv.slice("apis/".length).split("/");
      const resources: ApiResource[] = list.json.resources.filter(
        (r: ApiResource) => !r.name.includes("/") && r.verbs.includes("patch"),
      );
      checked.push(...resources.map((r) => `${gv}/${r.name}`));
      for (const resource of resources) {
        const path = `/${gv}/${resource.namespaced ? "namespaces/{namespace}/" : ""}${resource.name}/{name}`;
        const patch = doc.json.paths[path]?.patch;
        expect(patch, `${gv} ${path}`).toBeDefined();
        expect(patch["x-kubernetes-group-version-kind"], path).toEqual({
          group,
          version,
          kind: resource.kind,
        });
        expect(patch.parameters, path).toContainEqual(
          expect.objectContaining({ name: "fieldValidation", in: "query" }),
        );
        const types = Object.keys(patch.requestBody.content);
        expect(types, path).toEqual(
          expect.arrayContaining([
            "application/json-patch+json",
            "application/merge-patch+json",
            "application/apply-patch+yaml",
          ]),
        );
        expect(types, path).not.toContain("application/strategic-merge-patch+json");
      }
    }
    // Create-only groups (authorization.k8s.io) have nothing to patch; the rest do.
    expect(checked).toEqual(
      expect.arrayContaining([
        "api/v1/configmaps",
        "api/v1/pods",
        "api/v1/nodes",
        "apis/batch/v1/jobs",
        "apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        `apis/${MCO_GROUP}/v1/machineconfigpools`,
      ]),
    );
  });

  it("the MachineConfigPool document carries the CRD schema for kubectl explain", async () => {
    const doc = await api.client.get(`/openapi/v3/apis/${MCO_GROUP}/v1`);
    const schemas: Record<string, Record<string, unknown>> = doc.json.components.schemas;
    const pool = Object.values(schemas).find((schema) =>
      JSON.stringify(schema["x-kubernetes-group-version-kind"] ?? []).includes('"MachineConfigPool"'),
    );
    expect(pool).toBeDefined();
    expect(pool?.["x-kubernetes-group-version-kind"]).toEqual([
      { group: MCO_GROUP, version: "v1", kind: "MachineConfigPool" },
    ]);
    expect(pool?.description).toMatch(/^MachineConfigPool describes a pool of MachineConfigs/);
    expect(Object.keys(pool?.properties as object)).toEqual(
      expect.arrayContaining(["apiVersion", "kind", "metadata", "spec", "status"]),
    );
    expect(doc.json.paths[`/apis/${MCO_GROUP}/v1/machineconfigpools/{name}/status`]?.patch).toBeDefined();
  });

  it("a new CRD gets a document, and the root hash set changes", async () => {
    const before = await root();
    expect(before["apis/example.com/v1"]).toBeUndefined();
    await installCrd(api.client, widgetCrd(), "/apis/example.com/v1/widgets");
    const after = await root();
    expect(after["apis/example.com/v1"]?.serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/example\.com\/v1\?hash=/,
    );
    const doc = await api.client.get("/openapi/v3/apis/example.com/v1");
    const patch = doc.json.paths["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]?.patch;
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({
      group: "example.com",
      version: "v1",
      kind: "Widget",
    });
    // Unchanged groups keep their hash, so kubectl's cache stays valid.
    expect(after["api/v1"]).toEqual(before["api/v1"]);
  });

  it("an unknown document → 404", async () => {
    const res = await api.client.get("/openapi/v3/apis/nope.example.com/v1");
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ kind: "Status", reason: "NotFound" });
  });
});
