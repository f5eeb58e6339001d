import { describe, expect, it } from "vitest";
import { applyStrategicMergePatch } from "./strategic-merge.ts";
import { PATCH_SCHEMAS } from "./strategic-schemas.ts";

describe("applyStrategicMergePatch on a node", () => {
  const node = {
    kind: "Node",
    metadata: { name: "n1" },
    spec: {
      podCIDRs: ["10.0.0.0/24"],
      taints: [
        { key: "a", effect: "NoSchedule" },
        { key: "b", effect: "NoExecute" },
      ],
    },
    status: {
      conditions: [
        { type: "Ready", status: "True" },
        { type: "DiskPressure", status: "False" },
      ],
      addresses: [{ type: "InternalIP", address: "10.0.0.1" }],
    },
  };
  const cases: { name: string; patch: unknown; want: unknown }[] = [
    {
      name: "cordon",
      patch: { spec: { unschedulable: true } },
      want: { ...node, spec: { ...node.spec, unschedulable: true } },
    },
    { name: "uncordon", patch: { spec: { unschedulable: null } }, want: node },
    {
      name: "taints are atomic",
      patch: { spec: { taints: [{ key: "c", effect: "NoSchedule" }] } },
      want: { ...node, spec: { ...node.spec, taints: [{ key: "c", effect: "NoSchedule" }] } },
    },
    {
      name: "podCIDRs merge as a set",
      patch: { spec: { podCIDRs: ["10.0.0.0/24", "fd00::/64"] } },
      want: { ...node, spec: { ...node.spec, podCIDRs: ["10.0.0.0/24", "fd00::/64"] } },
    },
    {
      name: "conditions merge by type",
      patch: { status: { conditions: [{ type: "Ready", status: "False", reason: "KubeletDown" }] } },
      want: {
        ...node,
        status: {
          ...node.status,
          conditions: [{ type: "Ready", status: "False", reason: "KubeletDown" }, node.status.conditions[1]],
        },
      },
    },
    {
      name: "addresses merge by type",
      patch: { status: { addresses: [{ type: "Hostname", address: "n1" }] } },
      want: {
        ...node,
        status: {
          ...node.status,
          addresses: [{ type: "Hostname", address: "n1" }, ...node.status.addresses],
        },
      },
    },
  ];
  it.each(cases)("$name", ({ patch, want }) => {
    expect(applyStrategicMergePatch(node, patch, PATCH_SCHEMAS.node)).toEqual(want);
  });
});

describe("strategic schemas", () => {
  it("reaches the pod template of workloads", () => {
    const job = {
      spec: {
        template: { metadata: { finalizers: ["a"] }, spec: { containers: [{ name: "c", image: "1" }] } },
      },
    };
    const patch = {
      spec: { template: { metadata: { finalizers: ["b"] }, spec: { containers: [{ name: "d" }] } } },
    };
    for (const schema of [PATCH_SCHEMAS.job, PATCH_SCHEMAS.deployment, PATCH_SCHEMAS.daemonSet]) {
      expect(applyStrategicMergePatch(job, patch, schema)).toEqual({
        spec: {
          template: {
            metadata: { finalizers: ["b", "a"] },
            spec: { containers: [{ name: "d" }, { name: "c", image: "1" }] },
          },
        },
      });
    }
  });

  it("merges ownerReferences by uid in every schema", () => {
    const object = { metadata: { ownerReferences: [{ uid: "1", name: "a" }] } };
    const patch = { metadata: { ownerReferences: [{ uid: "2", name: "b" }] } };
    for (const schema of Object.values(PATCH_SCHEMAS)) {
      expect(applyStrategicMergePatch(object, patch, schema)).toEqual({
        metadata: {
          ownerReferences: [
            { uid: "2", name: "b" },
            { uid: "1", name: "a" },
          ],
        },
      });
    }
  });
});
