import { describe, expect, it } from "vitest";
import type { KubeObject } from "../object.ts";
import { V1_FIELDS_ANNOTATION, V1ALPHA1_FIELDS_ANNOTATION } from "./constants.ts";
import { convertMachineOSBuild } from "./machineosbuild.ts";
import { getPath, setPath } from "./paths.ts";
import { schemaProblems, v1RuleProblems } from "./schema.fixture.ts";

const NAME = "layered-c8d3b6e9a1f24b6c9d2e0f4a5b6c7d8e";
const NAMESPACE = "openshift-machine-config-operator";
const PUSH_SPEC = `image-registry.openshift-image-registry.svc:5000/openshift/os-image:${NAME}`;
const DIGEST = `image-registry.openshift-image-registry.svc:5000/openshift/os-image@sha256:${"0f".repeat(32)}`;
const CREATED = "2024-06-03T10:00:00Z";

function condition(type: string, status: string): Record<string, unknown> {
  return { type, status, reason: "Ready", message: "", lastTransitionTime: "2024-06-03T10:20:00Z" };
}

const conditions = [
  condition("Prepared", "False"),
  condition("Building", "False"),
  condition("Succeeded", "True"),
];

/** A finished build as the 4.16 Tech Preview MCO wrote it (a bare build Pod). */
const v1alpha1Build: KubeObject = {
  apiVersion: "machineconfiguration.openshift.io/v1alpha1",
  kind: "MachineOSBuild",
  metadata: {
    name: NAME,
    creationTimestamp: CREATED,
    labels: { "machineconfiguration.openshift.io/machine-os-config": "layered" },
  },
  spec: {
    configGeneration: 1,
    desiredConfig: { name: "rendered-layered-3a1f0c2d9e8b7a6f5e4d3c2b1a0f9e8d" },
    machineOSConfig: { name: "layered" },
    version: 1,
    renderedImagePushspec: PUSH_SPEC,
  },
  status: {
    conditions,
    builderReference: {
      imageBuilderType: "PodImageBuilder",
      buildPod: { group: "", resource: "pods", namespace: NAMESPACE, name: `build-${NAME}` },
    },
    relatedObjects: [
      { group: "", resource: "configmaps", namespace: NAMESPACE, name: `containerfile-${NAME}` },
    ],
    buildStart: "2024-06-03T10:00:01Z",
    buildEnd: "2024-06-03T10:20:00Z",
    finalImagePullspec: DIGEST,
  },
};

const v1Build: KubeObject = {
  apiVersion: "machineconfiguration.openshift.io/v1",
  kind: "MachineOSBuild",
  metadata: { name: NAME, creationTimestamp: CREATED },
  spec: {
    machineConfig: { name: "rendered-layered-3a1f0c2d9e8b7a6f5e4d3c2b1a0f9e8d" },
    machineOSConfig: { name: "layered" },
    renderedImagePushSpec: PUSH_SPEC,
  },
  status: {
    conditions,
    builder: {
      imageBuilderType: "Job",
      job: { group: "batch", resource: "jobs", namespace: NAMESPACE, name: `build-${NAME}` },
    },
    buildStart: "2024-06-03T10:00:01Z",
    buildEnd: "2024-06-03T10:20:00Z",
    digestedImagePushSpec: DIGEST,
  },
};

function withField(object: KubeObject, path: string, value: unknown): KubeObject {
  const copy = structuredClone(object);
  setPath(copy, path, value);
  return copy;
}

function preserved(object: KubeObject, annotation: string): unknown {
  return JSON.parse(object.metadata.annotations?.[annotation] ?? "null");
}

describe("convertMachineOSBuild", () => {
  it("maps a Tech Preview build to v1, the build Pod becoming the Job of the same name", () => {
    const v1 = convertMachineOSBuild(v1alpha1Build, "v1");
    expect(v1.spec).toStrictEqual(v1Build.spec);
    expect(v1.status).toStrictEqual(withField(v1Build, "status.relatedObjects", []).status);
    expect(preserved(v1, V1ALPHA1_FIELDS_ANNOTATION)).toStrictEqual({
      "status.builderReference": getPath(v1alpha1Build, "status.builderReference"),
      "status.relatedObjects": getPath(v1alpha1Build, "status.relatedObjects"),
    });
    expect([...schemaProblems(v1, "machineosbuilds", "v1"), ...v1RuleProblems(v1)]).toEqual([]);
    expect(convertMachineOSBuild(v1, "v1alpha1")).toStrictEqual(v1alpha1Build);
  });

  it("shows a v1 build in v1alpha1 with generation and version 1 and needs no annotation", () => {
    const v1alpha1 = convertMachineOSBuild(v1Build, "v1alpha1");
    expect(v1alpha1.metadata).toStrictEqual(v1Build.metadata);
    expect(v1alpha1.spec).toMatchObject({
      configGeneration: 1,
      version: 1,
      desiredConfig: getPath(v1Build, "spec.machineConfig"),
    });
    expect(getPath(v1alpha1, "status.builderReference")).toStrictEqual({
      imageBuilderType: "PodImageBuilder",
      buildPod: { group: "batch", resource: "jobs", namespace: NAMESPACE, name: `build-${NAME}` },
    });
    expect(getPath(v1alpha1, "status.finalImagePullspec")).toBe(DIGEST);
    expect(schemaProblems(v1alpha1, "machineosbuilds", "v1alpha1")).toEqual([]);
    expect(convertMachineOSBuild(v1alpha1, "v1")).toStrictEqual(v1Build);
  });

  it("preserves configGeneration and version other than 1", () => {
    const object = withField(withField(v1alpha1Build, "spec.configGeneration", 4), "spec.version", 2);
    const v1 = convertMachineOSBuild(object, "v1");
    expect(preserved(v1, V1ALPHA1_FIELDS_ANNOTATION)).toMatchObject({
      "spec.configGeneration": 4,
      "spec.version": 2,
    });
    expect(convertMachineOSBuild(v1, "v1alpha1")).toStrictEqual(object);
  });

  it("shows the creation time as v1alpha1's required buildStart when v1 has none", () => {
    const object = withField(v1Build, "status", { conditions: [condition("Prepared", "True")] });
    const v1alpha1 = convertMachineOSBuild(object, "v1alpha1");
    expect(getPath(v1alpha1, "status.buildStart")).toBe(CREATED);
    expect(preserved(v1alpha1, V1_FIELDS_ANNOTATION)).toStrictEqual({ "status.buildStart": null });
    expect(convertMachineOSBuild(v1alpha1, "v1")).toStrictEqual(object);
  });

  it("shows no v1 builder until the build Pod is known", () => {
    const object = withField(v1alpha1Build, "status.builderReference", {
      imageBuilderType: "PodImageBuilder",
    });
    const v1 = convertMachineOSBuild(object, "v1");
    expect(getPath(v1, "status.builder")).toBeUndefined();
    expect(v1RuleProblems(v1)).toEqual([]);
    expect(convertMachineOSBuild(v1, "v1alpha1")).toStrictEqual(object);
  });

  it("keeps only v1-valid related objects in v1 and restores the full list", () => {
    const related = [
      { group: "", resource: "secrets", namespace: NAMESPACE, name: "push" },
      { group: "batch", resource: "jobs", namespace: NAMESPACE, name: "build" },
      { group: "batch", resource: "jobs", namespace: NAMESPACE, name: "build" },
    ];
    const object = withField(v1alpha1Build, "status.relatedObjects", related);
    const v1 = convertMachineOSBuild(object, "v1");
    expect(getPath(v1, "status.relatedObjects")).toStrictEqual([related[1]]);
    expect(convertMachineOSBuild(v1, "v1alpha1")).toStrictEqual(object);
  });

  it("lets a v1 builder written after the conversion win over the preserved build Pod", () => {
    const v1 = convertMachineOSBuild(v1alpha1Build, "v1");
    const job = { group: "batch", resource: "jobs", namespace: NAMESPACE, name: "build-again" };
    const edited = withField(v1, "status.builder", { imageBuilderType: "Job", job });
    expect(getPath(convertMachineOSBuild(edited, "v1alpha1"), "status.builderReference")).toStrictEqual({
      imageBuilderType: "PodImageBuilder",
      buildPod: job,
    });
  });

  it("round-trips a v1 job reference that v1alpha1 would read as a Pod", () => {
    const job = { group: "", resource: "pods", namespace: NAMESPACE, name: "odd" };
    const object = withField(v1Build, "status.builder.job", job);
    expect(convertMachineOSBuild(convertMachineOSBuild(object, "v1alpha1"), "v1")).toStrictEqual(object);
  });
});
