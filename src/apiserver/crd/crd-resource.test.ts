import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import type { TableConvertor } from "../registry/resource.ts";
import { type CustomResourceColumn, resourceDefinitionFromCRD } from "./crd-resource.ts";
import { loadUpstreamCRD } from "./upstream-crds.fixture.ts";

function recordingTable(): {
  made: CustomResourceColumn[][];
  makeTable: (c: readonly CustomResourceColumn[]) => TableConvertor;
} {
  const made: CustomResourceColumn[][] = [];
  const makeTable = (columns: readonly CustomResourceColumn[]): TableConvertor => {
    made.push([...columns]);
    return { columns: [], row: () => [] };
  };
  return { made, makeTable };
}

function pool(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineConfigPool",
    metadata: { name: "worker" },
    spec,
  };
}

const mcp = resourceDefinitionFromCRD(loadUpstreamCRD("machineconfigpools"), recordingTable().makeTable);

describe("resourceDefinitionFromCRD", () => {
  it("describes MachineConfigPools", () => {
    expect(mcp).toMatchObject({
      group: "machineconfiguration.openshift.io",
      kind: "MachineConfigPool",
      listKind: "MachineConfigPoolList",
      plural: "machineconfigpools",
      singular: "machineconfigpool",
      namespaced: false,
      shortNames: ["mcp"],
      categories: [],
      subresources: [{ name: "status", kind: "MachineConfigPool", verbs: ["get", "patch", "update"] }],
    });
    expect(mcp.versions.map((v) => [v.name, v.served, v.storage])).toEqual([["v1", true, true]]);
    expect(mcp.strategy).toMatchObject({
      hasStatusSubresource: true,
      tracksGeneration: true,
      allowUnconditionalUpdate: false,
      deleteReturnsObject: false,
      patchSchema: undefined,
    });
    expect(mcp.convert).toBeUndefined();
  });

  it("publishes a whole-object schema with an ObjectMeta reference", () => {
    const properties = mcp.versions[0]?.schema?.properties as Record<string, Record<string, unknown>>;
    expect(properties.metadata?.allOf).toEqual([
      { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" },
    ]);
    expect(properties.apiVersion?.type).toBe("string");
    expect(properties.spec?.type).toBe("object");
  });

  it("passes the printer columns, or an Age column, to makeTable", () => {
    const { made, makeTable } = recordingTable();
    resourceDefinitionFromCRD(loadUpstreamCRD("machineconfigpools"), makeTable);
    expect(made[0]?.map((c) => c.name)).toEqual([
      "Config",
      "Updated",
      "Updating",
      "Degraded",
      "MachineCount",
      "ReadyMachineCount",
      "UpdatedMachineCount",
      "DegradedMachineCount",
      "Age",
    ]);
    resourceDefinitionFromCRD(loadUpstreamCRD("machineosconfigs"), makeTable);
    expect(made[1]?.map((c) => [c.name, c.type, c.jsonPath])).toEqual([
      ["Age", "date", ".metadata.creationTimestamp"],
    ]);
  });
});

describe("custom resource strategy", () => {
  it("accepts a valid MachineConfigPool", () => {
    const object = pool({
      machineConfigSelector: { matchLabels: { "machineconfiguration.openshift.io/role": "worker" } },
      nodeSelector: { matchLabels: { "node-role.kubernetes.io/worker": "" } },
      maxUnavailable: "10%",
      paused: false,
    });
    mcp.strategy.prepareForCreate(object);
    expect(mcp.strategy.validate(object, undefined)).toEqual([]);
  });

  it("rejects wrong types with field paths", () => {
    const object = pool({ maxUnavailable: {}, paused: "yes", pinnedImageSets: [{}] });
    expect(mcp.strategy.validate(object, undefined).map((i) => i.message)).toEqual([
      'spec.maxUnavailable: Invalid value: "object": spec.maxUnavailable in body must be of type integer,string: "object"',
      'spec.paused: Invalid value: "string": spec.paused in body must be of type boolean: "string"',
      "spec.pinnedImageSets[0].name: Required value",
    ]);
  });

  it("requires spec and a DNS-1123 subdomain name", () => {
    const object: KubeObject = { metadata: { name: "Worker_1" } };
    const issues = mcp.strategy.validate(object, undefined);
    expect(issues.map((i) => i.field)).toEqual(["metadata.name", "spec"]);
    expect(issues[0]?.message).toMatch(
      /^metadata\.name: Invalid value: "Worker_1": a lowercase RFC 1123 subdomain/,
    );
  });

  it("prunes unknown fields and drops status on create", () => {
    const object = pool({ paused: true, foo: 1 });
    object.status = { machineCount: 3 };
    expect(mcp.strategy.unknownFields?.(object)).toEqual(["spec.foo"]);
    expect((object.spec as Record<string, unknown>).foo).toBe(1);
    mcp.strategy.prepareForCreate(object);
    expect(object).toEqual(pool({ paused: true }));
  });

  it("defaults and detects duplicate map-list keys in a MachineOSConfig", () => {
    const mosc = resourceDefinitionFromCRD(loadUpstreamCRD("machineosconfigs"), recordingTable().makeTable);
    const object: KubeObject = {
      apiVersion: "machineconfiguration.openshift.io/v1",
      kind: "MachineOSConfig",
      metadata: { name: "worker" },
      spec: {
        machineConfigPool: { name: "worker" },
        imageBuilder: { imageBuilderType: "Job" },
        renderedImagePushSecret: { name: "push" },
        renderedImagePushSpec: "registry.example.com/os/image:latest",
        containerFile: [{ content: "FROM a" }, { content: "FROM b", containerfileArch: "NoArch" }],
      },
    };
    mosc.strategy.prepareForUpdate(object, object);
    expect(mosc.strategy.validate(object, undefined).map((i) => [i.field, i.reason, i.message])).toEqual([
      [
        "spec.containerFile[1]",
        "FieldValueDuplicate",
        'spec.containerFile[1]: Duplicate value: map[string]interface {}{"containerfileArch":"NoArch"}',
      ],
    ]);
  });
});

describe("multi-version CRDs", () => {
  const crd: KubeObject = {
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "widgets", kind: "Widget" },
      versions: ["v1alpha1", "v2", "v1beta1", "v1"].map((name) => ({
        name,
        served: name !== "v1alpha1",
        storage: name === "v1",
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: { size: { type: "integer", default: name === "v2" ? 2 : 1 } },
              },
            },
          },
        },
      })),
    },
  };
  const widgets = resourceDefinitionFromCRD(crd, recordingTable().makeTable);

  it("orders served versions by Kubernetes priority", () => {
    expect(widgets.namespaced).toBe(true);
    expect(widgets.singular).toBe("widget");
    expect(widgets.listKind).toBe("WidgetList");
    expect(widgets.versions.map((v) => v.name)).toEqual(["v2", "v1", "v1beta1"]);
  });

  it("converts by rewriting apiVersion and defaulting for the target version", () => {
    const object: KubeObject = {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "a" },
      spec: {},
    };
    expect(widgets.convert?.(object, "v2")).toEqual({
      apiVersion: "example.com/v2",
      kind: "Widget",
      metadata: { name: "a" },
      spec: { size: 2 },
    });
    expect(object.apiVersion).toBe("example.com/v1");
  });
});
