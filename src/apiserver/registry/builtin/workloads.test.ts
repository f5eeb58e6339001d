import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../api/object.ts";
import { DAEMONSET_RESOURCE } from "./daemonset.ts";
import { DEPLOYMENT_RESOURCE } from "./deployment.ts";
import { JOB_RESOURCE } from "./job.ts";
import { PDB_RESOURCE } from "./pdb.ts";

const template = (restartPolicy: string, labels: Record<string, string> = {}) => ({
  metadata: { labels },
  spec: { restartPolicy, containers: [{ name: "build", image: "quay.io/buildah/stable" }] },
});

function object(kind: string, spec: Record<string, unknown>): KubeObject {
  return { kind, metadata: { name: "build-1", namespace: "mob", uid: "0f3c" }, spec };
}

describe("Job strategy", () => {
  const strategy = JOB_RESOURCE.strategy;

  it("defaults the spec and generates the selector and template labels from the uid", () => {
    const job = object("Job", { template: template("Never") });
    job.status = { succeeded: 3 };
    strategy.prepareForCreate(job);
    expect(job.status).toEqual({});
    expect(job.spec).toMatchObject({
      backoffLimit: 6,
      completions: 1,
      parallelism: 1,
      completionMode: "NonIndexed",
      suspend: false,
      podReplacementPolicy: "TerminatingOrFailed",
      selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "0f3c" } },
      template: {
        metadata: {
          labels: {
            "batch.kubernetes.io/controller-uid": "0f3c",
            "batch.kubernetes.io/job-name": "build-1",
            "controller-uid": "0f3c",
            "job-name": "build-1",
          },
        },
        spec: { restartPolicy: "Never", dnsPolicy: "ClusterFirst" },
      },
    });
    expect((job.spec as Record<string, unknown>).manualSelector).toBeUndefined();
    expect(strategy.validate(job, undefined)).toEqual([]);
  });

  it("leaves completions unset when only parallelism is given", () => {
    const job = object("Job", { parallelism: 3, template: template("Never") });
    strategy.prepareForCreate(job);
    expect(job.spec).toMatchObject({ parallelism: 3 });
    expect((job.spec as Record<string, unknown>).completions).toBeUndefined();
  });

  it("requires restartPolicy OnFailure or Never in the template", () => {
    const job = object("Job", { template: template("Always") });
    strategy.prepareForCreate(job);
    expect(strategy.validate(job, undefined).map((i) => i.message)).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
  });

  it("adds the uid to a hand-written selector, and rejects a wrong uid and template changes", () => {
    const job = object("Job", {
      selector: { matchLabels: { a: "b" } },
      template: template("Never", { a: "b" }),
    });
    strategy.prepareForCreate(job);
    expect(strategy.validate(job, undefined)).toEqual([]);

    const wrongUid = { "batch.kubernetes.io/controller-uid": "other" };
    const forged = object("Job", { selector: { matchLabels: wrongUid }, template: template("Never") });
    strategy.prepareForCreate(forged);
    expect(strategy.validate(forged, undefined).map((i) => i.message)).toEqual([
      expect.stringMatching(
        /^spec.template.metadata.labels: Invalid value: .*: `selector` does not match template `labels`$/,
      ),
      'spec.selector: Invalid value: {"matchLabels":{"batch.kubernetes.io/controller-uid":"other"}}: `selector` not auto-generated',
    ]);

    const old = object("Job", { template: template("Never") });
    strategy.prepareForCreate(old);
    const changed = structuredClone(old);
    (changed.spec as { template: { spec: Record<string, unknown> } }).template.spec.restartPolicy =
      "OnFailure";
    strategy.prepareForUpdate(changed, old);
    expect(strategy.validate(changed, old).map((i) => i.message)).toEqual([
      expect.stringMatching(/^spec.template: Invalid value: .*: field is immutable$/),
    ]);
  });

  it("answers status.successful, 0 until set", () => {
    expect(strategy.fieldLabels(object("Job", {}))).toEqual({ "status.successful": "0" });
    expect(strategy.fieldLabels({ ...object("Job", {}), status: { succeeded: 2 } })).toEqual({
      "status.successful": "2",
    });
  });
});

describe("Deployment and DaemonSet strategies", () => {
  it("default, reset status, and require a selector that selects the template", () => {
    const deployment = object("Deployment", {
      selector: { matchLabels: { app: "web" } },
      template: template("Always", { app: "web" }),
    });
    deployment.status = { replicas: 4 };
    DEPLOYMENT_RESOURCE.strategy.prepareForCreate(deployment);
    expect(deployment.status).toEqual({});
    expect(deployment.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
    });
    expect(DEPLOYMENT_RESOURCE.strategy.validate(deployment, undefined)).toEqual([]);

    const mismatch = object("DaemonSet", {
      selector: { matchLabels: { app: "agent" } },
      template: template("Always", { app: "other" }),
    });
    DAEMONSET_RESOURCE.strategy.prepareForCreate(mismatch);
    expect(mismatch.status).toEqual({
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    });
    expect(DAEMONSET_RESOURCE.strategy.validate(mismatch, undefined).map((i) => i.message)).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    ]);
  });

  it("reject a missing selector and a changed one", () => {
    const noSelector = object("Deployment", { template: template("Always", { app: "web" }) });
    expect(DEPLOYMENT_RESOURCE.strategy.validate(noSelector, undefined).map((i) => i.message)).toEqual([
      "spec.selector: Required value",
    ]);
    const old = object("Deployment", {
      selector: { matchLabels: { app: "web" } },
      template: template("Always", { app: "web", v: "1" }),
    });
    const changed = object("Deployment", {
      selector: { matchLabels: { v: "1" } },
      template: template("Always", { app: "web", v: "1" }),
    });
    expect(DEPLOYMENT_RESOURCE.strategy.validate(changed, old).map((i) => i.message)).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"v":"1"}}: field is immutable',
    ]);
  });
});

describe("PodDisruptionBudget strategy", () => {
  const strategy = PDB_RESOURCE.strategy;
  it("accepts an int or percentage, not both fields", () => {
    expect(strategy.validate(object("PodDisruptionBudget", { minAvailable: "50%" }), undefined)).toEqual([]);
    expect(
      strategy
        .validate(object("PodDisruptionBudget", { minAvailable: 1, maxUnavailable: "150%" }), undefined)
        .map((i) => i.message),
    ).toEqual([
      'spec: Invalid value: {"minAvailable":1,"maxUnavailable":"150%"}: minAvailable and maxUnavailable cannot be both set',
      'spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
    ]);
  });
});
