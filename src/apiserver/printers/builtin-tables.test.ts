import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import type { TableConvertor } from "../registry/resource.ts";
import {
  CONFIGMAP_TABLE,
  CRD_TABLE,
  DAEMONSET_TABLE,
  DEPLOYMENT_TABLE,
  EVENT_TABLE,
  EVENTS_V1_TABLE,
  JOB_TABLE,
  LEASE_TABLE,
  NAMESPACE_TABLE,
  NODE_TABLE,
  PDB_TABLE,
  POD_TABLE,
  SECRET_TABLE,
  SERVICEACCOUNT_TABLE,
} from "./builtin-tables.ts";

const now = new Date("2026-03-01T12:00:00Z");
const metadata = { name: "x", namespace: "ns", creationTimestamp: "2026-03-01T09:00:00Z" };

function header(table: TableConvertor): string[] {
  return table.columns.map((c) => (c.priority > 0 ? `${c.name}*` : c.name));
}

describe("column definitions", () => {
  it.each<[string, TableConvertor, string[]]>([
    ["Namespace", NAMESPACE_TABLE, ["Name", "Status", "Age"]],
    ["ConfigMap", CONFIGMAP_TABLE, ["Name", "Data", "Age"]],
    ["Secret", SECRET_TABLE, ["Name", "Type", "Data", "Age"]],
    ["Lease", LEASE_TABLE, ["Name", "Holder", "Age"]],
    ["ServiceAccount", SERVICEACCOUNT_TABLE, ["Name", "Secrets", "Age"]],
    ["CRD", CRD_TABLE, ["Name", "Created At"]],
    [
      "Node",
      NODE_TABLE,
      [
        "Name",
        "Status",
        "Roles",
        "Age",
        "Version",
        "Internal-IP*",
        "External-IP*",
        "OS-Image*",
        "Kernel-Version*",
        "Container-Runtime*",
      ],
    ],
    [
      "Pod",
      POD_TABLE,
      ["Name", "Ready", "Status", "Restarts", "Age", "IP*", "Node*", "Nominated Node*", "Readiness Gates*"],
    ],
    [
      "Event",
      EVENT_TABLE,
      [
        "Last Seen",
        "Type",
        "Reason",
        "Object",
        "Subobject*",
        "Source*",
        "Message",
        "First Seen*",
        "Count*",
        "Name*",
      ],
    ],
    [
      "Job",
      JOB_TABLE,
      ["Name", "Status", "Completions", "Duration", "Age", "Containers*", "Images*", "Selector*"],
    ],
    [
      "Deployment",
      DEPLOYMENT_TABLE,
      ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers*", "Images*", "Selector*"],
    ],
    [
      "DaemonSet",
      DAEMONSET_TABLE,
      [
        "Name",
        "Desired",
        "Current",
        "Ready",
        "Up-to-date",
        "Available",
        "Node Selector",
        "Age",
        "Containers*",
        "Images*",
        "Selector*",
      ],
    ],
    ["PDB", PDB_TABLE, ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"]],
  ])("%s", (_kind, table, expected) => {
    expect(header(table)).toEqual(expected);
    const name = table.columns.find((c) => c.name === "Name");
    expect(name).toMatchObject({ type: "string", format: "name" });
    for (const column of table.columns) {
      expect(column.description).not.toBe("");
      if (column.name !== "Name") expect(column.format).toBe("");
    }
  });

  it("puts Name first everywhere but events", () => {
    for (const table of [NAMESPACE_TABLE, POD_TABLE, NODE_TABLE, JOB_TABLE, PDB_TABLE, CRD_TABLE]) {
      expect(table.columns[0]).toMatchObject({ name: "Name", type: "string", format: "name", priority: 0 });
    }
    expect(EVENTS_V1_TABLE.columns).toBe(EVENT_TABLE.columns);
  });

  it("types numeric columns as Kubernetes does", () => {
    expect(DAEMONSET_TABLE.columns.filter((c) => c.type === "integer").map((c) => c.name)).toEqual([
      "Desired",
      "Current",
      "Ready",
      "Up-to-date",
      "Available",
    ]);
    expect(PDB_TABLE.columns[3]?.type).toBe("integer");
    expect(CRD_TABLE.columns[1]?.type).toBe("date");
  });
});

describe("simple rows", () => {
  it("prints namespaces", () => {
    expect(NAMESPACE_TABLE.row({ metadata, status: { phase: "Active" } }, now)).toEqual([
      "x",
      "Active",
      "3h",
    ]);
    expect(NAMESPACE_TABLE.row({ metadata: { name: "y" } }, now)).toEqual(["y", "", "<unknown>"]);
  });

  it("counts ConfigMap data and binaryData keys", () => {
    const configMap: KubeObject = { metadata, data: { a: "1", b: "2" }, binaryData: { c: "AA==" } };
    expect(CONFIGMAP_TABLE.row(configMap, now)).toEqual(["x", 3, "3h"]);
    expect(CONFIGMAP_TABLE.row({ metadata }, now)).toEqual(["x", 0, "3h"]);
  });

  it("prints Secret type and data count", () => {
    const secret: KubeObject = {
      metadata,
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": "e30=" },
    };
    expect(SECRET_TABLE.row(secret, now)).toEqual(["x", "kubernetes.io/dockerconfigjson", 1, "3h"]);
  });

  it("prints the Lease holder", () => {
    expect(LEASE_TABLE.row({ metadata, spec: { holderIdentity: "mob-1" } }, now)).toEqual([
      "x",
      "mob-1",
      "3h",
    ]);
    expect(LEASE_TABLE.row({ metadata, spec: {} }, now)).toEqual(["x", "", "3h"]);
  });

  it("counts ServiceAccount secrets", () => {
    expect(SERVICEACCOUNT_TABLE.row({ metadata, secrets: [{ name: "t" }] }, now)).toEqual(["x", 1, "3h"]);
    expect(SERVICEACCOUNT_TABLE.row({ metadata }, now)).toEqual(["x", 0, "3h"]);
  });

  it("prints CRDs with an RFC 3339 creation time", () => {
    const crd: KubeObject = {
      metadata: {
        name: "machineconfigpools.machineconfiguration.openshift.io",
        creationTimestamp: "2026-03-01T10:00:00.250Z",
      },
    };
    expect(CRD_TABLE.row(crd, now)).toEqual([
      "machineconfigpools.machineconfiguration.openshift.io",
      "2026-03-01T10:00:00Z",
    ]);
    expect(CRD_TABLE.row({ metadata: { name: "a" } }, now)).toEqual(["a", "0001-01-01T00:00:00Z"]);
  });
});
