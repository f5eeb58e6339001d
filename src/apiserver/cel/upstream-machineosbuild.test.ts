import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import {
  MOSB_FILE,
  messages,
  upstreamDefinition,
  validateCreate,
  validateUpdate,
} from "./upstream.fixture.ts";

const mosb = upstreamDefinition(MOSB_FILE);
const START = "2024-05-01T10:00:00Z";

function machineOSBuild(status?: Record<string, unknown>): KubeObject {
  const object: KubeObject = {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineOSBuild",
    metadata: { name: "worker-build", resourceVersion: "1", generation: 1 },
    spec: {
      machineConfig: { name: "rendered-worker-abcd" },
      machineOSConfig: { name: "worker" },
      renderedImagePushSpec: "quay.io/mco/renderedImage:latest",
    },
  };
  if (status !== undefined) object.status = status;
  return object;
}

function condition(type: string, status: string) {
  return { type, status, reason: "Test", message: "", lastTransitionTime: START };
}

function conditions(...entries: [string, string][]): Record<string, unknown> {
  return { conditions: entries.map(([type, status]) => condition(type, status)) };
}

const job = {
  group: "batch",
  resource: "jobs",
  namespace: "openshift-machine-config-operator",
  name: "build-x",
};

describe("MachineOSBuild spec", () => {
  it("accepts the minimal object", () => {
    expect(validateCreate(mosb, machineOSBuild())).toEqual([]);
  });

  it("is immutable once set", () => {
    const updated = machineOSBuild();
    updated.spec = { ...(updated.spec as object), machineOSConfig: { name: "infra" } };
    expect(messages(validateUpdate(mosb, updated, machineOSBuild()))).toEqual([
      'spec: Invalid value: "object": machineOSBuildSpec is immutable once set',
    ]);
  });
});

describe("MachineOSBuild status", () => {
  it("requires buildEnd to be after buildStart (strictly)", () => {
    const old = machineOSBuild();
    expect(
      validateUpdate(mosb, machineOSBuild({ buildStart: START, buildEnd: "2024-05-01T11:00:00Z" }), old),
    ).toEqual([]);
    const same = machineOSBuild({ buildStart: START, buildEnd: START });
    expect(messages(validateUpdate(mosb, same, old))).toEqual([
      'status: Invalid value: "object": buildEnd must be after buildStart',
    ]);
    const endOnly = machineOSBuild({ buildEnd: START });
    expect(messages(validateUpdate(mosb, endOnly, old))).toEqual([
      'status: Invalid value: "object": buildEnd must be after buildStart',
    ]);
  });

  it("keeps buildStart immutable, but lets it be removed", () => {
    const old = machineOSBuild({ buildStart: START });
    const moved = machineOSBuild({ buildStart: "2024-05-01T10:30:00Z" });
    expect(messages(validateUpdate(mosb, moved, old))).toEqual([
      'status.buildStart: Invalid value: "string": buildStart is immutable once set',
    ]);
    expect(validateUpdate(mosb, machineOSBuild({}), old)).toEqual([]);
  });

  it("enforces the builder union", () => {
    const old = machineOSBuild();
    expect(validateUpdate(mosb, machineOSBuild({ builder: { imageBuilderType: "Job", job } }), old)).toEqual(
      [],
    );
    expect(
      messages(validateUpdate(mosb, machineOSBuild({ builder: { imageBuilderType: "Job" } }), old)),
    ).toEqual([
      'status.builder: Invalid value: "object": job is required when imageBuilderType is Job, and forbidden otherwise',
    ]);
    const other = machineOSBuild({ builder: { imageBuilderType: "Other", job } });
    expect(validateUpdate(mosb, other, old)).toHaveLength(1);
  });

  it("lets Succeeded go from False to True", () => {
    const old = machineOSBuild(conditions(["Succeeded", "False"]));
    expect(validateUpdate(mosb, machineOSBuild(conditions(["Succeeded", "True"])), old)).toEqual([]);
  });

  it.each([
    ["Failed", "once a Failed condition is set, conditions are immutable"],
    ["Interrupted", "once an Interrupted condition is set, conditions are immutable"],
    ["Succeeded", "once an Succeeded condition is set, conditions are immutable"],
  ])("freezes conditions after %s=True", (type, message) => {
    const old = machineOSBuild(conditions([type, "True"]));
    const changed = machineOSBuild(conditions([type, "True"], ["Building", "False"]));
    expect(validateUpdate(mosb, changed, old)).toEqual([
      {
        field: "status.conditions",
        reason: "FieldValueInvalid",
        message: `status.conditions: Invalid value: "array": ${message}`,
      },
    ]);
    expect(validateUpdate(mosb, machineOSBuild(conditions([type, "True"])), old)).toEqual([]);
  });

  it("reports every violated rule at once", () => {
    const old = machineOSBuild({ ...conditions(["Failed", "True"]), buildStart: START });
    const updated = machineOSBuild({
      ...conditions(["Failed", "False"]),
      buildStart: "2024-05-01T12:00:00Z",
      buildEnd: "2024-05-01T11:00:00Z",
      digestedImagePushSpec: "quay.io/mco/image:latest",
    });
    expect(messages(validateUpdate(mosb, updated, old)).sort()).toEqual(
      [
        'status: Invalid value: "object": buildEnd must be after buildStart',
        'status.buildStart: Invalid value: "string": buildStart is immutable once set',
        'status.conditions: Invalid value: "array": once a Failed condition is set, conditions are immutable',
        `status.digestedImagePushSpec: Invalid value: "string": the OCI Image reference must end with a valid '@sha256:<digest>' suffix, where '<digest>' is 64 characters long`,
        `status.digestedImagePushSpec: Invalid value: "string": the OCI Image name should follow the host[:port][/namespace]/name format, resembling a valid URL without the scheme`,
      ].sort(),
    );
  });
});
