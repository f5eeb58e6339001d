import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import {
  MOSC_FILE,
  messages,
  upstreamDefinition,
  validateCreate,
  validateUpdate,
} from "./upstream.fixture.ts";

const mosc = upstreamDefinition(MOSC_FILE);
const NAME_RULE =
  'Invalid value: "object": MachineOSConfig name must match the referenced MachineConfigPool name; can only have one MachineOSConfig per MachineConfigPool';
const TAG_MESSAGE =
  "the OCI Image name should follow the host[:port][/namespace]/name format, resembling a valid URL without the scheme. Or it must be a valid .svc followed by a port, repository, image name, and tag.";
const DIGEST = `sha256:${"a".repeat(64)}`;

function machineOSConfig(
  name: string,
  pool: string,
  pushSpec = "quay.io/mco/renderedImg:latest",
): KubeObject {
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineOSConfig",
    metadata: { name, resourceVersion: "1", generation: 1 },
    spec: {
      machineConfigPool: { name: pool },
      imageBuilder: { imageBuilderType: "Job" },
      renderedImagePushSecret: { name: "push-secret" },
      renderedImagePushSpec: pushSpec,
    },
  };
}

function withStatus(object: KubeObject, status: Record<string, unknown>): KubeObject {
  return { ...structuredClone(object), status };
}

describe("MachineOSConfig root rule (optionalOldSelf)", () => {
  it("accepts a create whose name is the pool's name", () => {
    expect(validateCreate(mosc, machineOSConfig("worker", "worker"))).toEqual([]);
  });

  it("rejects a create with a different name, as a root-level error without a path", () => {
    const issues = validateCreate(mosc, machineOSConfig("other", "worker"));
    expect(issues).toEqual([{ field: "", reason: "FieldValueInvalid", message: NAME_RULE }]);
  });

  it("ratchets an update of a mismatched object that keeps its pool", () => {
    const old = machineOSConfig("legacy", "worker");
    const updated = machineOSConfig("legacy", "worker", "quay.io/mco/other:v2");
    expect(validateUpdate(mosc, updated, old)).toEqual([]);
  });

  it("rejects an update that moves a mismatched object to another pool", () => {
    const old = machineOSConfig("legacy", "worker");
    expect(messages(validateUpdate(mosc, machineOSConfig("legacy", "infra"), old))).toEqual([NAME_RULE]);
  });

  it("accepts an update that fixes the name match", () => {
    const old = machineOSConfig("infra", "worker");
    expect(validateUpdate(mosc, machineOSConfig("infra", "infra"), old)).toEqual([]);
  });
});

describe("MachineOSConfig renderedImagePushSpec (ImageTagFormat)", () => {
  it.each([
    "registry.test.example.local:5000/test/custom-os-image:v0.1",
    "quay.io/mco/renderedImg:latest",
    "image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest",
  ])("accepts %s", (spec) => {
    expect(validateCreate(mosc, machineOSConfig("worker", "worker", spec))).toEqual([]);
  });

  it.each(["foo.bar", "quay.io/no-tag", "localhost/a:b"])("rejects %s with upstream's message", (spec) => {
    expect(validateCreate(mosc, machineOSConfig("worker", "worker", spec))).toEqual([
      {
        field: "spec.renderedImagePushSpec",
        reason: "FieldValueInvalid",
        message: `spec.renderedImagePushSpec: Invalid value: "string": ${TAG_MESSAGE}`,
      },
    ]);
  });
});

describe("MachineOSConfig status", () => {
  const base = machineOSConfig("worker", "worker");

  it("accepts a digested currentImagePullSpec", () => {
    const object = withStatus(base, { currentImagePullSpec: `quay.io/mco/renderedImg@${DIGEST}` });
    expect(validateUpdate(mosc, object, base)).toEqual([]);
  });

  it("reports both digest rules independently", () => {
    const object = withStatus(base, { currentImagePullSpec: "quay.io/a/b/c@sha256:abc" });
    expect(messages(validateUpdate(mosc, object, base))).toEqual([
      `status.currentImagePullSpec: Invalid value: "string": the OCI Image reference must end with a valid '@sha256:<digest>' suffix, where '<digest>' is 64 characters long`,
      `status.currentImagePullSpec: Invalid value: "string": the OCI Image name should follow the host[:port][/namespace]/name format, resembling a valid URL without the scheme`,
    ]);
  });

  it("rejects more than one namespace segment before the digest", () => {
    const object = withStatus(base, { currentImagePullSpec: `quay.io/a/b/c@${DIGEST}` });
    expect(validateUpdate(mosc, object, base)).toHaveLength(1);
  });

  it("keeps observedGeneration from moving backwards, but allows it to grow", () => {
    const old = withStatus(base, { observedGeneration: 3 });
    expect(validateUpdate(mosc, withStatus(base, { observedGeneration: 4 }), old)).toEqual([]);
    expect(validateUpdate(mosc, withStatus(base, { observedGeneration: 2 }), old)).toEqual([
      {
        field: "status.observedGeneration",
        reason: "FieldValueInvalid",
        message:
          'status.observedGeneration: Invalid value: "integer": observedGeneration must not move backwards',
      },
    ]);
  });

  it("checks the transition rule only when there is an old value", () => {
    expect(validateUpdate(mosc, withStatus(base, { observedGeneration: 0 }), base)).toEqual([]);
  });

  it("validates the machineOSBuild reference's names", () => {
    const reference = { group: "Bad_Group", resource: "1abc", namespace: "ns", name: "ok" };
    const object = withStatus(base, { machineOSBuild: reference });
    expect(messages(validateUpdate(mosc, object, base))).toEqual([
      `status.machineOSBuild.group: Invalid value: "string": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character.`,
      `status.machineOSBuild.resource: Invalid value: "string": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character`,
    ]);
  });
});
