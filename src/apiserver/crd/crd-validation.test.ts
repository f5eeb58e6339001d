import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import {
  crdStatusFor,
  prepareCustomResourceDefinition,
  validateCustomResourceDefinition,
} from "./crd-validation.ts";
import { loadCRDFile, loadUpstreamCRD, UPSTREAM_CRD_FILES } from "./upstream-crds.fixture.ts";

function widgetCRD(): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "widgets", kind: "Widget" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object" } } } },
        },
      ],
    },
  };
}

function messages(crd: KubeObject): string[] {
  return validateCustomResourceDefinition(crd).map((issue) => issue.message);
}

describe("validateCustomResourceDefinition", () => {
  it.each(UPSTREAM_CRD_FILES)("accepts upstream %s", (file) => {
    expect(validateCustomResourceDefinition(loadCRDFile(file))).toEqual([]);
  });

  it("accepts a minimal CRD, defaulting singular and listKind", () => {
    expect(messages(widgetCRD())).toEqual([]);
  });

  it("requires metadata.name to be plural.group", () => {
    const crd = widgetCRD();
    crd.metadata.name = "x";
    expect(messages(crd)).toEqual([
      'metadata.name: Invalid value: "x": must be spec.names.plural+"."+spec.group',
    ]);
  });

  it("rejects a group without a dot, a bad scope and an upper-case plural", () => {
    const crd = widgetCRD();
    crd.metadata.name = "Widgets.example";
    Object.assign(crd.spec as object, {
      group: "example",
      scope: "Global",
      names: { plural: "Widgets", kind: "Widget" },
    });
    expect(messages(crd)).toEqual([
      'spec.group: Invalid value: "example": should be a domain with at least one dot',
      expect.stringMatching(/^spec\.names\.plural: Invalid value: "Widgets": a DNS-1035 label must consist/),
      'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
    ]);
  });

  it("requires exactly one storage version and at least one version", () => {
    const crd = widgetCRD();
    const spec = crd.spec as { versions: Record<string, unknown>[] };
    spec.versions.push({ ...spec.versions[0], name: "v2" });
    expect(messages(crd)).toEqual([
      'spec.versions: Invalid value: []interface {}{"v1", "v2"}: must have exactly one version marked as storage version',
    ]);
    spec.versions = [];
    expect(messages(crd)).toEqual(["spec.versions: Required value: must have at least one version"]);
  });

  it("reports non-structural schemas and printer columns without jsonPath", () => {
    const crd = widgetCRD();
    const version = (crd.spec as { versions: Record<string, unknown>[] }).versions[0] ?? {};
    version.schema = { openAPIV3Schema: { type: "object", properties: { spec: { properties: {} } } } };
    version.additionalPrinterColumns = [{ name: "Phase", type: "text" }];
    expect(messages(crd)).toEqual([
      "spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields",
      'spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "text": supported values: "boolean", "date", "integer", "number", "string"',
      "spec.versions[0].additionalPrinterColumns[0].JSONPath: Required value",
    ]);
  });

  it("rejects kind equal to listKind", () => {
    const crd = widgetCRD();
    (crd.spec as { names: object }).names = { plural: "widgets", kind: "Widget", listKind: "Widget" };
    expect(messages(crd)).toEqual([
      'spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same',
    ]);
  });
});

describe("prepareCustomResourceDefinition", () => {
  it("defaults singular, listKind and the conversion strategy", () => {
    const crd = widgetCRD();
    prepareCustomResourceDefinition(crd);
    const spec = crd.spec as Record<string, unknown>;
    expect(spec.names).toEqual({
      plural: "widgets",
      kind: "Widget",
      singular: "widget",
      listKind: "WidgetList",
    });
    expect(spec.conversion).toEqual({ strategy: "None" });
  });
});

describe("crdStatusFor", () => {
  const now = new Date("2026-05-01T10:20:30.456Z");

  it("accepts names and establishes the CRD", () => {
    const status = crdStatusFor(loadUpstreamCRD("machineconfigpools"), now);
    expect(status).toEqual({
      conditions: [
        {
          type: "NamesAccepted",
          status: "True",
          reason: "NoConflicts",
          message: "no conflicts found",
          lastTransitionTime: "2026-05-01T10:20:30Z",
        },
        {
          type: "Established",
          status: "True",
          reason: "InitialNamesAccepted",
          message: "the initial names have been accepted",
          lastTransitionTime: "2026-05-01T10:20:30Z",
        },
      ],
      acceptedNames: {
        plural: "machineconfigpools",
        singular: "machineconfigpool",
        kind: "MachineConfigPool",
        listKind: "MachineConfigPoolList",
        shortNames: ["mcp"],
      },
      storedVersions: ["v1"],
    });
  });

  it("keeps transition times and previously stored versions", () => {
    const crd = widgetCRD();
    crd.status = crdStatusFor(crd, new Date("2026-01-01T00:00:00Z"));
    (crd.status as { storedVersions: string[] }).storedVersions = ["v1beta1", "v1"];
    const status = crdStatusFor(crd, now);
    expect(status.storedVersions).toEqual(["v1beta1", "v1"]);
    expect((status.conditions as { lastTransitionTime: string }[])[1]?.lastTransitionTime).toBe(
      "2026-01-01T00:00:00Z",
    );
  });
});
