import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../testing/eventually.ts";
import { JOB_TRACKING_FINALIZER } from "./job-pods.ts";
import { shellJob, startTestPlatform, statusOf, type TestPlatform, trueConditions } from "./test-platform.ts";

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => {
  await t?.close();
});

const job = (name: string) => t.stack.find("jobs.batch", name, "default");

describe("job controller", () => {
  it("runs a pod to completion: SuccessCriteriaMet, then Complete", async () => {
    const created = t.stack.create("jobs.batch", shellJob("ok", "echo hello"));
    await eventually(() => expect(trueConditions(job("ok")).map(([type]) => type)).toContain("Complete"));
    const status = statusOf(job("ok"));
    expect(trueConditions(job("ok"))).toEqual([
      ["SuccessCriteriaMet", "CompletionsReached"],
      ["Complete", "CompletionsReached"],
    ]);
    expect(status).toMatchObject({ succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(status.active).toBeUndefined();
    expect(status.failed).toBeUndefined();
    expect(typeof status.completionTime).toBe("string");
    const [pod] = t.jobPods("ok");
    expect(pod?.metadata.name).toMatch(/^ok-[a-z0-9]{5}$/);
    expect(pod?.metadata.labels).toMatchObject({
      "batch.kubernetes.io/job-name": "ok",
      "batch.kubernetes.io/controller-uid": created.metadata.uid,
      "job-name": "ok",
      "controller-uid": created.metadata.uid,
    });
    expect(pod?.metadata.ownerReferences).toEqual([
      {
        apiVersion: "batch/v1",
        kind: "Job",
        name: "ok",
        uid: created.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(pod?.metadata.finalizers ?? []).not.toContain(JOB_TRACKING_FINALIZER);
  });

  it("replaces failed pods until failed > backoffLimit, then fails with BackoffLimitExceeded", async () => {
    t.stack.create("jobs.batch", shellJob("bad", "echo boom; exit 3", { backoffLimit: 2 }));
    await eventually(() => expect(trueConditions(job("bad")).map(([type]) => type)).toContain("Failed"), {
      timeoutMs: 15_000,
    });
    expect(trueConditions(job("bad"))).toEqual([
      ["FailureTarget", "BackoffLimitExceeded"],
      ["Failed", "BackoffLimitExceeded"],
    ]);
    const failed = (statusOf(job("bad")).conditions as { type: string; message: string }[]).find(
      (c) => c.type === "Failed",
    );
    expect(failed?.message).toBe("Job has reached the specified backoff limit");
    expect(statusOf(job("bad"))).toMatchObject({ failed: 3, ready: 0, terminating: 0 });
    expect(statusOf(job("bad")).succeeded).toBeUndefined();
    expect(statusOf(job("bad")).completionTime).toBeUndefined();
    const pods = t.jobPods("bad");
    expect(pods).toHaveLength(3);
    expect(pods.map((p) => statusOf(p).phase)).toEqual(["Failed", "Failed", "Failed"]);
  });

  it("kills the pods of a Job past activeDeadlineSeconds: DeadlineExceeded", async () => {
    t.stack.create("jobs.batch", shellJob("slow", "sleep 30", { activeDeadlineSeconds: 1 }));
    await eventually(() => expect(trueConditions(job("slow")).map(([type]) => type)).toContain("Failed"), {
      timeoutMs: 10_000,
    });
    expect(trueConditions(job("slow"))).toEqual([
      ["FailureTarget", "DeadlineExceeded"],
      ["Failed", "DeadlineExceeded"],
    ]);
    expect(statusOf(job("slow"))).toMatchObject({ failed: 1, terminating: 0 });
    expect(statusOf(job("slow")).active).toBeUndefined();
    // The controller deleted the pod; once it was counted and its finalizer removed it is gone.
    expect(t.jobPods("slow")).toEqual([]);
  });

  it("counts container restarts against backoffLimit with restartPolicy OnFailure", async () => {
    const body = shellJob("flaky", "exit 1", { backoffLimit: 1 });
    const template = (body.spec as { template: { spec: { restartPolicy: string } } }).template;
    template.spec.restartPolicy = "OnFailure";
    t.stack.create("jobs.batch", body);
    await eventually(() => expect(trueConditions(job("flaky")).map(([type]) => type)).toContain("Failed"), {
      timeoutMs: 10_000,
    });
    expect(trueConditions(job("flaky"))).toEqual([
      ["FailureTarget", "BackoffLimitExceeded"],
      ["Failed", "BackoffLimitExceeded"],
    ]);
    expect(statusOf(job("flaky"))).toMatchObject({ failed: 1 });
  });

  it("creates no pods for a suspended Job", async () => {
    t.stack.create("jobs.batch", shellJob("held", "true", { suspend: true }));
    await eventually(() => expect(trueConditions(job("held"))).toEqual([["Suspended", "JobSuspended"]]));
    expect(t.jobPods("held")).toEqual([]);
  });

  it("counts a pod deleted while running as failed and replaces it", async () => {
    t.stack.create("jobs.batch", shellJob("victim", "sleep 30", { backoffLimit: 1 }));
    const first = await eventually(() => {
      const pod = t.jobPods("victim")[0];
      expect(statusOf(pod).phase).toBe("Running");
      return pod;
    });
    t.stack.store.delete(t.stack.scope("pods", "default"), first?.metadata.name ?? "");
    await eventually(() => {
      expect(statusOf(job("victim"))).toMatchObject({ failed: 1, active: 1 });
      expect(t.pod(first?.metadata.name ?? "")).toBeUndefined();
    });
    const [replacement] = t.jobPods("victim");
    expect(replacement?.metadata.uid).not.toBe(first?.metadata.uid);
    t.stack.store.delete(t.stack.scope("jobs.batch", "default"), "victim");
  });
});
