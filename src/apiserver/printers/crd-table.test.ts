import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { crdTableConvertor, type PrinterColumn } from "./crd-table.ts";

const CRDS = new URL("../../../../shared/upstream/crds/v1/", import.meta.url);

function upstreamColumns(file: string): PrinterColumn[] {
  const crd: unknown = parse(readFileSync(new URL(file, CRDS), "utf8"));
  const versions = isPlainObject(crd) && isPlainObject(crd.spec) ? crd.spec.versions : undefined;
  if (!Array.isArray(versions) || !isPlainObject(versions[0])) throw new Error(`no versions in ${file}`);
  const columns = versions[0].additionalPrinterColumns;
  if (!Array.isArray(columns)) throw new Error(`no printer columns in ${file}`);
  return columns.map((raw: unknown): PrinterColumn => {
    if (!isPlainObject(raw)) throw new Error("printer column is not an object");
    const column: PrinterColumn = {
      name: String(raw.name),
      type: String(raw.type),
      jsonPath: String(raw.jsonPath),
    };
    if (typeof raw.description === "string") column.description = raw.description;
    if (typeof raw.priority === "number") column.priority = raw.priority;
    if (typeof raw.format === "string") column.format = raw.format;
    return column;
  });
}

const now = new Date("2026-03-01T12:00:00Z");

describe("MachineConfigPool columns from the upstream CRD", () => {
  const table = crdTableConvertor(upstreamColumns("0000_80_machine-config_01_machineconfigpools.crd.yaml"));
  const pool: KubeObject = {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineConfigPool",
    metadata: { name: "worker", creationTimestamp: "2026-02-27T09:30:00Z" },
    status: {
      configuration: { name: "rendered-worker-abc" },
      conditions: [
        { type: "Updated", status: "True" },
        { type: "Updating", status: "False" },
        { type: "Degraded", status: "False" },
      ],
      machineCount: 3,
      readyMachineCount: 3,
      updatedMachineCount: 3,
      degradedMachineCount: 0,
    },
  };

  it("declares Name then the CRD's columns", () => {
    expect(table.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ["Name", "string", "name", 0],
      ["Config", "string", "", 0],
      ["Updated", "string", "", 0],
      ["Updating", "string", "", 0],
      ["Degraded", "string", "", 0],
      ["MachineCount", "number", "", 0],
      ["ReadyMachineCount", "number", "", 0],
      ["UpdatedMachineCount", "number", "", 0],
      ["DegradedMachineCount", "number", "", 0],
      ["Age", "date", "", 0],
    ]);
    expect(table.columns[1]?.description).toBe(
      "Custom resource definition column (in JSONPath format): .status.configuration.name",
    );
    expect(table.columns[2]?.description).toBe(
      "When all the machines in the pool are updated to the correct machine config.",
    );
  });

  it("prints a pool as oc get mcp does", () => {
    expect(table.row(pool, now)).toEqual([
      "worker",
      "rendered-worker-abc",
      "True",
      "False",
      "False",
      3,
      3,
      3,
      0,
      "2d2h",
    ]);
  });

  // A missing creationTimestamp has no JSONPath result, so even Age is null (Kubernetes does the same).
  it("prints null for missing conditions and counts", () => {
    const fresh: KubeObject = {
      metadata: { name: "infra" },
      status: { conditions: [{ type: "Updated", status: "False" }] },
    };
    expect(table.row(fresh, now)).toEqual(["infra", null, "False", null, null, null, null, null, null, null]);
  });
});

describe("MachineConfig columns from the upstream CRD", () => {
  const table = crdTableConvertor(upstreamColumns("0000_80_machine-config_01_machineconfigs.crd.yaml"));

  it("reads the annotation behind the escaped-dot path", () => {
    const config: KubeObject = {
      metadata: {
        name: "rendered-worker-abc",
        creationTimestamp: "2026-03-01T11:58:30Z",
        annotations: { "machineconfiguration.openshift.io/generated-by-controller-version": "4.18.0-abc" },
      },
      spec: { config: { ignition: { version: "3.4.0" } } },
    };
    expect(table.columns.map((c) => c.name)).toEqual([
      "Name",
      "GeneratedByController",
      "IgnitionVersion",
      "Age",
    ]);
    expect(table.row(config, now)).toEqual(["rendered-worker-abc", "4.18.0-abc", "3.4.0", "90s"]);
    expect(table.row({ metadata: { name: "00-worker" } }, now)).toEqual(["00-worker", null, null, null]);
  });
});

describe("crdTableConvertor", () => {
  it("serves Name and Age when there are no columns", () => {
    const table = crdTableConvertor([]);
    expect(table.columns.map((c) => [c.name, c.type, c.format])).toEqual([
      ["Name", "string", "name"],
      ["Age", "date", ""],
    ]);
    expect(table.row({ metadata: { name: "x", creationTimestamp: "2026-03-01T11:00:00Z" } }, now)).toEqual([
      "x",
      "60m",
    ]);
  });

  it("keeps format and priority", () => {
    const table = crdTableConvertor([
      { name: "Size", type: "integer", format: "int32", priority: 1, jsonPath: ".spec.size" },
    ]);
    expect(table.columns[1]).toEqual({
      name: "Size",
      type: "integer",
      format: "int32",
      priority: 1,
      description: "Custom resource definition column (in JSONPath format): .spec.size",
    });
  });

  it("converts cells by column type", () => {
    const table = crdTableConvertor([
      { name: "S", type: "string", jsonPath: ".v" },
      { name: "I", type: "integer", jsonPath: ".v" },
      { name: "N", type: "number", jsonPath: ".v" },
      { name: "B", type: "boolean", jsonPath: ".v" },
      { name: "D", type: "date", jsonPath: ".v" },
    ]);
    const row = (v: unknown): unknown[] => table.row({ metadata: { name: "o" }, v }, now).slice(1);
    expect(row(3.7)).toEqual(["3.7", 3, 3.7, null, null]);
    expect(row(true)).toEqual(["true", null, null, true, null]);
    expect(row("x")).toEqual(["x", null, null, null, "<invalid>"]);
    expect(row("2026-03-01T11:59:00.123456Z")).toEqual([
      "2026-03-01T11:59:00.123456Z",
      null,
      null,
      null,
      "59s",
    ]);
    expect(row("2026-03-01")).toEqual(["2026-03-01", null, null, null, "<invalid>"]);
    expect(row("")).toEqual(["", null, null, null, "<unknown>"]);
    expect(row({ a: [1] })).toEqual(['{"a":[1]}', null, null, null, null]);
    expect(row(null)).toEqual([null, null, null, null, null]);
  });

  it("uses the first of several results", () => {
    const table = crdTableConvertor([
      { name: "Image", type: "string", jsonPath: ".spec.containers[*].image" },
    ]);
    const object: KubeObject = {
      metadata: { name: "o" },
      spec: { containers: [{ image: "a" }, { image: "b" }] },
    };
    expect(table.row(object, now)).toEqual(["o", "a"]);
  });

  it("rejects a path that does not parse", () => {
    expect(() =>
      crdTableConvertor([{ name: "Bad", type: "string", jsonPath: ".status.conditions[?(@.type=" }]),
    ).toThrow('unrecognized column definition ".status.conditions[?(@.type="');
  });
});
