import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { NODE_TABLE } from "./builtin-tables.ts";
import { nodeRoles, nodeStatus } from "./node-table.ts";

const now = new Date("2026-03-01T12:00:00Z");

function node(
  labels: Record<string, string>,
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
): KubeObject {
  return { metadata: { name: "n1", labels, creationTimestamp: "2026-02-20T12:00:00Z" }, spec, status };
}

describe("NODE_TABLE", () => {
  it("prints a ready worker", () => {
    const object = node(
      { "node-role.kubernetes.io/worker": "", "kubernetes.io/hostname": "n1" },
      {},
      {
        conditions: [
          { type: "MemoryPressure", status: "False" },
          { type: "Ready", status: "True" },
        ],
        addresses: [
          { type: "Hostname", address: "n1" },
          { type: "InternalIP", address: "10.0.0.1" },
        ],
        nodeInfo: {
          kubeletVersion: "v1.32.0",
          osImage: "Red Hat Enterprise Linux CoreOS 418",
          kernelVersion: "5.14.0",
          containerRuntimeVersion: "cri-o://1.32.0",
        },
      },
    );
    expect(NODE_TABLE.row(object, now)).toEqual([
      "n1",
      "Ready",
      "worker",
      "9d",
      "v1.32.0",
      "10.0.0.1",
      "<none>",
      "Red Hat Enterprise Linux CoreOS 418",
      "5.14.0",
      "cri-o://1.32.0",
    ]);
  });

  it("prints unknowns for a node that never reported", () => {
    expect(NODE_TABLE.row(node({}, {}, {}), now)).toEqual([
      "n1",
      "Unknown",
      "<none>",
      "9d",
      "",
      "<none>",
      "<none>",
      "<unknown>",
      "<unknown>",
      "<unknown>",
    ]);
  });
});

describe("nodeStatus", () => {
  it("reads the Ready condition and cordoning", () => {
    expect(nodeStatus(node({}, {}, { conditions: [{ type: "Ready", status: "False" }] }))).toBe("NotReady");
    expect(nodeStatus(node({}, {}, { conditions: [{ type: "Ready", status: "Unknown" }] }))).toBe("NotReady");
    expect(
      nodeStatus(node({}, { unschedulable: true }, { conditions: [{ type: "Ready", status: "True" }] })),
    ).toBe("Ready,SchedulingDisabled");
    expect(nodeStatus(node({}, { unschedulable: true }, {}))).toBe("Unknown,SchedulingDisabled");
  });
});

describe("nodeRoles", () => {
  it("collects, sorts and de-duplicates roles from both label styles", () => {
    const labels = {
      "node-role.kubernetes.io/worker": "",
      "node-role.kubernetes.io/master": "",
      "node-role.kubernetes.io/": "",
      "kubernetes.io/role": "worker",
      "node-role.kubernetes.io/infra": "true",
    };
    expect(nodeRoles(node(labels, {}, {}))).toEqual(["infra", "master", "worker"]);
    expect(nodeRoles(node({ "kubernetes.io/role": "" }, {}, {}))).toEqual([]);
  });
});
