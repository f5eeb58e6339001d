import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { DAEMONSET_TABLE, DEPLOYMENT_TABLE, JOB_TABLE, PDB_TABLE } from "./builtin-tables.ts";
import { jobStatus } from "./workload-tables.ts";

const now = new Date("2026-03-01T12:00:00Z");
const metadata = { name: "w", namespace: "ns", creationTimestamp: "2026-03-01T11:00:00Z" };
const template = {
  spec: {
    containers: [
      { name: "build", image: "quay.io/buildah:latest" },
      { name: "wait", image: "registry/wait:1" },
    ],
  },
};

function job(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  extra: Partial<KubeObject["metadata"]> = {},
): KubeObject {
  return { metadata: { ...metadata, ...extra }, spec: { template, ...spec }, status };
}

describe("JOB_TABLE", () => {
  it("prints a running job", () => {
    const object = job(
      { completions: 1, selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "u1" } } },
      { active: 1, startTime: "2026-03-01T11:55:00Z" },
    );
    expect(JOB_TABLE.row(object, now)).toEqual([
      "w",
      "Running",
      "0/1",
      "5m",
      "60m",
      "build,wait",
      "quay.io/buildah:latest,registry/wait:1",
      "batch.kubernetes.io/controller-uid=u1",
    ]);
  });

  it("prints a completed job's duration from start to completion", () => {
    const object = job(
      { completions: 1 },
      {
        succeeded: 1,
        startTime: "2026-03-01T11:10:00Z",
        completionTime: "2026-03-01T11:13:20Z",
        conditions: [{ type: "Complete", status: "True" }],
      },
    );
    expect(JOB_TABLE.row(object, now).slice(1, 4)).toEqual(["Complete", "1/1", "3m20s"]);
  });

  it("prints completions without spec.completions", () => {
    expect(JOB_TABLE.row(job({}, {}), now).slice(2, 4)).toEqual(["0/1", ""]);
    expect(JOB_TABLE.row(job({ parallelism: 3 }, { succeeded: 2 }), now)[2]).toBe("2/1 of 3");
    expect(JOB_TABLE.row(job({}, {}), now)[7]).toBe("");
  });

  it("derives the status in Kubernetes' order", () => {
    const withConditions = (...types: string[]): KubeObject =>
      job({}, { conditions: types.map((type) => ({ type, status: "True" })) });
    expect(jobStatus(withConditions("Failed"))).toBe("Failed");
    expect(jobStatus(withConditions("FailureTarget", "Complete"))).toBe("Complete");
    expect(jobStatus(withConditions("Suspended"))).toBe("Suspended");
    expect(jobStatus(withConditions("FailureTarget"))).toBe("FailureTarget");
    expect(jobStatus(withConditions("SuccessCriteriaMet"))).toBe("SuccessCriteriaMet");
    expect(jobStatus(job({}, { conditions: [{ type: "Complete", status: "False" }] }))).toBe("Running");
    expect(jobStatus(job({}, {}, { deletionTimestamp: "2026-03-01T11:59:00Z" }))).toBe("Terminating");
  });
});

describe("DEPLOYMENT_TABLE", () => {
  it("prints replica counts", () => {
    const deployment: KubeObject = {
      metadata,
      spec: {
        replicas: 3,
        template,
        selector: {
          matchLabels: { app: "web" },
          matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }],
        },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(DEPLOYMENT_TABLE.row(deployment, now)).toEqual([
      "w",
      "2/3",
      3,
      2,
      "60m",
      "build,wait",
      "quay.io/buildah:latest,registry/wait:1",
      "app=web,tier in (a,b)",
    ]);
  });

  it("defaults replicas to 1 and shows a bad selector as <invalid>", () => {
    const deployment: KubeObject = {
      metadata,
      spec: { template, selector: { matchExpressions: [{ key: "a", operator: "Bogus" }] } },
    };
    const row = DEPLOYMENT_TABLE.row(deployment, now);
    expect([row[1], row[2], row[3], row[7]]).toEqual(["0/1", 0, 0, "<invalid>"]);
  });
});

describe("DAEMONSET_TABLE", () => {
  it("prints scheduling counts and selectors", () => {
    const daemonSet: KubeObject = {
      metadata,
      spec: {
        selector: { matchLabels: { k8s: "mcd" } },
        template: { spec: { ...template.spec, nodeSelector: { "kubernetes.io/os": "linux", a: "b" } } },
      },
      status: {
        desiredNumberScheduled: 5,
        currentNumberScheduled: 5,
        numberReady: 4,
        updatedNumberScheduled: 3,
        numberAvailable: 4,
      },
    };
    expect(DAEMONSET_TABLE.row(daemonSet, now)).toEqual([
      "w",
      5,
      5,
      4,
      3,
      4,
      "a=b,kubernetes.io/os=linux",
      "60m",
      "build,wait",
      "quay.io/buildah:latest,registry/wait:1",
      "k8s=mcd",
    ]);
  });

  it("prints <none> for empty selectors", () => {
    const row = DAEMONSET_TABLE.row({ metadata, spec: { template: { spec: {} } } }, now);
    expect([row[1], row[6], row[8], row[9], row[10]]).toEqual([0, "<none>", "", "", "<none>"]);
  });
});

describe("PDB_TABLE", () => {
  it("prints integers, percentages and N/A", () => {
    const pdb: KubeObject = { metadata, spec: { minAvailable: 1 }, status: { disruptionsAllowed: 2 } };
    expect(PDB_TABLE.row(pdb, now)).toEqual(["w", "1", "N/A", 2, "60m"]);
    const percent: KubeObject = { metadata, spec: { maxUnavailable: "50%" } };
    expect(PDB_TABLE.row(percent, now)).toEqual(["w", "N/A", "50%", 0, "60m"]);
  });
});
