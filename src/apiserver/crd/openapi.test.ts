import { describe, expect, it } from "vitest";
import type { ResourceDefinition } from "../registry/resource.ts";
import { resourceDefinitionFromCRD } from "./crd-resource.ts";
import { openAPIDocument, openAPIDocumentHash, openAPIRoot, openAPISchemaName } from "./openapi.ts";
import { loadUpstreamCRD } from "./upstream-crds.fixture.ts";

const makeTable = () => ({ columns: [], row: () => [] });
const gv = { group: "machineconfiguration.openshift.io", version: "v1" };
const resources = ["machineconfigpools", "machineosbuilds"].map((plural) =>
  resourceDefinitionFromCRD(loadUpstreamCRD(plural), makeTable),
);

interface Document {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

const document = openAPIDocument(gv, resources) as Document;

describe("openAPIDocument", () => {
  it("has a PATCH operation kubectl recognises for each kind", () => {
    const patch =
      document.paths["/apis/machineconfiguration.openshift.io/v1/machineconfigpools/{name}"]?.patch;
    expect(patch?.["x-kubernetes-group-version-kind"]).toEqual({ ...gv, kind: "MachineConfigPool" });
    expect(patch?.parameters).toContainEqual(
      expect.objectContaining({ name: "fieldValidation", in: "query" }),
    );
    expect(Object.keys((patch?.requestBody as { content: object } | undefined)?.content ?? {})).toEqual([
      "application/json-patch+json",
      "application/merge-patch+json",
      "application/apply-patch+yaml",
    ]);
    expect(Object.keys(document.paths)).toEqual([
      "/apis/machineconfiguration.openshift.io/v1/machineconfigpools",
      "/apis/machineconfiguration.openshift.io/v1/machineconfigpools/{name}",
      "/apis/machineconfiguration.openshift.io/v1/machineconfigpools/{name}/status",
      "/apis/machineconfiguration.openshift.io/v1/machineosbuilds",
      "/apis/machineconfiguration.openshift.io/v1/machineosbuilds/{name}",
      "/apis/machineconfiguration.openshift.io/v1/machineosbuilds/{name}/status",
    ]);
  });

  it("publishes kind schemas for kubectl explain", () => {
    const schema = document.components.schemas["io.openshift.machineconfiguration.v1.MachineConfigPool"];
    expect(schema?.["x-kubernetes-group-version-kind"]).toEqual([{ ...gv, kind: "MachineConfigPool" }]);
    expect(schema?.description).toMatch(/^MachineConfigPool describes a pool of MachineConfigs/);
    expect(Object.keys(schema?.properties as object)).toEqual([
      "apiVersion",
      "kind",
      "metadata",
      "spec",
      "status",
    ]);
    expect(document.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]).toBeDefined();
    expect(
      document.components.schemas["io.openshift.machineconfiguration.v1.MachineOSBuildList"],
    ).toBeDefined();
  });

  it("uses namespaced paths and a schemaless fallback", () => {
    const configMaps: ResourceDefinition = {
      ...resources[0],
      group: "",
      kind: "ConfigMap",
      listKind: "ConfigMapList",
      plural: "configmaps",
      namespaced: true,
      subresources: [],
      versions: [{ name: "v1", served: true, storage: true, schema: undefined }],
    } as ResourceDefinition;
    const core = openAPIDocument({ group: "", version: "v1" }, [configMaps]) as Document;
    expect(Object.keys(core.paths)).toEqual([
      "/api/v1/namespaces/{namespace}/configmaps",
      "/api/v1/namespaces/{namespace}/configmaps/{name}",
      "/api/v1/configmaps",
    ]);
    expect(
      core.paths["/api/v1/namespaces/{namespace}/configmaps/{name}"]?.patch?.[
        "x-kubernetes-group-version-kind"
      ],
    ).toEqual({
      group: "",
      version: "v1",
      kind: "ConfigMap",
    });
    expect(core.components.schemas["io.k8s.api.core.v1.ConfigMap"]).toMatchObject({
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
      "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "ConfigMap" }],
    });
  });
});

describe("openAPISchemaName", () => {
  it("names schemas like Kubernetes", () => {
    expect(openAPISchemaName("", "v1", "Pod")).toBe("io.k8s.api.core.v1.Pod");
    expect(openAPISchemaName("apps", "v1", "Deployment")).toBe("io.k8s.api.apps.v1.Deployment");
    expect(openAPISchemaName("rbac.authorization.k8s.io", "v1", "Role")).toBe("io.k8s.api.rbac.v1.Role");
    expect(openAPISchemaName("apiextensions.k8s.io", "v1", "CustomResourceDefinition")).toBe(
      "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
    );
  });
});

describe("openAPIRoot", () => {
  it("lists each document with a hash of its content", () => {
    const other = openAPIDocument(gv, resources.slice(0, 1));
    const root = openAPIRoot([
      { group: "", version: "v1", document: {} },
      { ...gv, document },
    ]);
    const hash = openAPIDocumentHash(document);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(openAPIDocumentHash(other)).not.toBe(hash);
    expect(root.paths["apis/machineconfiguration.openshift.io/v1"]).toEqual({
      serverRelativeURL: `/openapi/v3/apis/machineconfiguration.openshift.io/v1?hash=${hash}`,
    });
    expect(Object.keys(root.paths)).toEqual(["api/v1", "apis/machineconfiguration.openshift.io/v1"]);
  });
});
