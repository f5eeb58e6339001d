// Custom resources get Kubernetes' ObjectMeta rules (ValidateObjectMetaAccessor): labels,
// annotations, finalizers and owner references are checked as for any kind. They used to be stored
// unchecked: a 64-character label value, a label key with spaces, a finalizer that is not a
// qualified name, 300 KiB of annotations.

import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { MOSC_FILE, upstreamDefinition, validateCreate } from "../cel/upstream.fixture.ts";

const definition = upstreamDefinition(MOSC_FILE);

function mosc(metadata: Partial<KubeObject["metadata"]>): KubeObject {
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineOSConfig",
    metadata: { name: "worker", ...metadata },
    spec: {
      machineConfigPool: { name: "worker" },
      imageBuilder: { imageBuilderType: "Job" },
      renderedImagePushSecret: { name: "push" },
      renderedImagePushSpec: "quay.io/mco/renderedImg:latest",
    },
  };
}

function fields(metadata: Partial<KubeObject["metadata"]>): string[] {
  return validateCreate(definition, mosc(metadata)).map((issue) => issue.field);
}

describe("metadata of a custom resource", () => {
  it("accepts valid labels, annotations, finalizers and owner references", () => {
    const valid = {
      labels: { "example.com/role": "a".repeat(63) },
      annotations: { "Example.com/Note": "x".repeat(1000) },
      finalizers: ["example.com/cleanup", "foregroundDeletion"],
      ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: "1", controller: true }],
    };
    expect(validateCreate(definition, mosc(valid))).toEqual([]);
  });

  it("accepts a finalizer without a domain, which only built-in kinds refuse", () => {
    expect(fields({ finalizers: ["cleanup"] })).toEqual([]);
  });

  it("refuses invalid labels, oversize annotations, malformed finalizers and owner references", () => {
    expect(fields({ labels: { fuzz: "v".repeat(64) } })).toEqual(["metadata.labels"]);
    expect(fields({ labels: { "bad key!": "x" } })).toEqual(["metadata.labels"]);
    expect(fields({ annotations: { a: "x".repeat(300 * 1024) } })).toEqual(["metadata.annotations"]);
    expect(fields({ finalizers: ["not a finalizer!"] })).toEqual(["metadata.finalizers"]);
    expect(
      fields({ ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "", uid: "1" }] }),
    ).toEqual(["metadata.ownerReferences.name"]);
    const [issue] = validateCreate(definition, mosc({ labels: { fuzz: "v".repeat(64) } }));
    expect(issue?.message).toBe(
      `metadata.labels: Invalid value: "${"v".repeat(64)}": must be no more than 63 characters`,
    );
  });
});
