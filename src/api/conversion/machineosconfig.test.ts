import { describe, expect, it } from "vitest";
import type { KubeObject } from "../object.ts";
import { V1_FIELDS_ANNOTATION, V1ALPHA1_FIELDS_ANNOTATION } from "./constants.ts";
import { ConversionError } from "./convert.ts";
import { convertMachineOSConfig } from "./machineosconfig.ts";
import { getPath, setPath } from "./paths.ts";
import { schemaProblems } from "./schema.fixture.ts";

const CONTAINERFILE = "FROM configs AS final\nRUN rpm-ostree install tree && ostree container commit";
const PUSH_SPEC = "image-registry.openshift-image-registry.svc:5000/openshift/os-image:latest";
const DIGEST = `quay.io/example/os-image@sha256:${"a1".repeat(32)}`;

/** The OpenShift 4.16 Tech Preview documentation example. */
const techPreview: KubeObject = {
  apiVersion: "machineconfiguration.openshift.io/v1alpha1",
  kind: "MachineOSConfig",
  metadata: { name: "layered" },
  spec: {
    machineConfigPool: { name: "layered" },
    buildInputs: {
      imageBuilder: { imageBuilderType: "PodImageBuilder" },
      baseImagePullSecret: { name: "global-pull-secret-copy" },
      renderedImagePushSecret: { name: "builder-dockercfg-7lzwl" },
      renderedImagePushspec: PUSH_SPEC,
      containerFile: [{ containerfileArch: "noarch", content: CONTAINERFILE }],
    },
    buildOutputs: { currentImagePullSecret: { name: "builder-dockercfg-7lzwl" } },
  },
};

const v1Object: KubeObject = {
  apiVersion: "machineconfiguration.openshift.io/v1",
  kind: "MachineOSConfig",
  metadata: { name: "worker", generation: 2, annotations: { "example.com/owner": "platform" } },
  spec: {
    machineConfigPool: { name: "worker" },
    imageBuilder: { imageBuilderType: "Job" },
    renderedImagePushSecret: { name: "push-secret" },
    renderedImagePushSpec: "quay.io/mco/renderedImg:latest",
    containerFile: [
      { containerfileArch: "AMD64", content: "FROM configs AS final" },
      { containerfileArch: "NoArch", content: CONTAINERFILE },
    ],
  },
  status: {
    observedGeneration: 2,
    currentImagePullSpec: DIGEST,
    machineOSBuild: {
      group: "machineconfiguration.openshift.io",
      resource: "machineosbuilds",
      name: "worker-abc",
    },
  },
};

/** A copy of `object` with `value` set at the dotted `path`. */
function withField(object: KubeObject, path: string, value: unknown): KubeObject {
  const copy = structuredClone(object);
  setPath(copy, path, value);
  return copy;
}

function preserved(object: KubeObject, annotation: string): unknown {
  return JSON.parse(object.metadata.annotations?.[annotation] ?? "null");
}

describe("convertMachineOSConfig", () => {
  it("serves the Tech Preview example as v1 and converts it back unchanged", () => {
    const v1 = convertMachineOSConfig(techPreview, "v1");
    expect(v1).toStrictEqual({
      apiVersion: "machineconfiguration.openshift.io/v1",
      kind: "MachineOSConfig",
      metadata: {
        name: "layered",
        annotations: {
          [V1ALPHA1_FIELDS_ANNOTATION]: JSON.stringify({
            "spec.buildOutputs": { currentImagePullSecret: { name: "builder-dockercfg-7lzwl" } },
          }),
        },
      },
      spec: {
        machineConfigPool: { name: "layered" },
        imageBuilder: { imageBuilderType: "Job" },
        baseImagePullSecret: { name: "global-pull-secret-copy" },
        renderedImagePushSecret: { name: "builder-dockercfg-7lzwl" },
        renderedImagePushSpec: PUSH_SPEC,
        containerFile: [{ containerfileArch: "NoArch", content: CONTAINERFILE }],
      },
    });
    expect(schemaProblems(v1, "machineosconfigs", "v1")).toEqual([]);
    expect(convertMachineOSConfig(v1, "v1alpha1")).toStrictEqual(techPreview);
  });

  it("shows a v1 object in v1alpha1 terms and converts it back unchanged", () => {
    const v1alpha1 = convertMachineOSConfig(v1Object, "v1alpha1");
    expect(v1alpha1.spec).toStrictEqual({
      machineConfigPool: { name: "worker" },
      buildInputs: {
        imageBuilder: { imageBuilderType: "PodImageBuilder" },
        baseImagePullSecret: { name: "global-pull-secret-copy" },
        renderedImagePushSecret: { name: "push-secret" },
        renderedImagePushspec: "quay.io/mco/renderedImg:latest",
        containerFile: [
          { containerfileArch: "amd64", content: "FROM configs AS final" },
          { containerfileArch: "noarch", content: CONTAINERFILE },
        ],
      },
    });
    expect(v1alpha1.status).toStrictEqual({ observedGeneration: 2, currentImagePullspec: DIGEST });
    expect(preserved(v1alpha1, V1_FIELDS_ANNOTATION)).toStrictEqual({
      "spec.baseImagePullSecret": null,
      "status.machineOSBuild": {
        group: "machineconfiguration.openshift.io",
        resource: "machineosbuilds",
        name: "worker-abc",
      },
    });
    expect(v1alpha1.metadata.annotations?.["example.com/owner"]).toBe("platform");
    expect(schemaProblems(v1alpha1, "machineosconfigs", "v1alpha1")).toEqual([]);
    expect(convertMachineOSConfig(v1alpha1, "v1")).toStrictEqual(v1Object);
  });

  it("keeps the first of two synonymous architectures and restores both on the way back", () => {
    const containerFile = [
      { containerfileArch: "x86_64", content: "FROM configs AS a" },
      { containerfileArch: "amd64", content: "FROM configs AS b" },
      { containerfileArch: "aarch64", content: "FROM configs AS c" },
    ];
    const object = withField(techPreview, "spec.buildInputs.containerFile", containerFile);
    const v1 = convertMachineOSConfig(object, "v1");
    expect(getPath(v1, "spec.containerFile")).toStrictEqual([
      { containerfileArch: "AMD64", content: "FROM configs AS a" },
      { containerfileArch: "ARM64", content: "FROM configs AS c" },
    ]);
    expect(preserved(v1, V1ALPHA1_FIELDS_ANNOTATION)).toMatchObject({
      "spec.buildInputs.containerFile": containerFile,
    });
    expect(convertMachineOSConfig(v1, "v1alpha1")).toStrictEqual(object);
  });

  it("preserves the v1alpha1-only build inputs", () => {
    const inputs = {
      baseOSImagePullspec: DIGEST,
      baseOSExtensionsImagePullspec: DIGEST,
      releaseVersion: "4.16.0",
    };
    let object = techPreview;
    for (const [name, value] of Object.entries(inputs))
      object = withField(object, `spec.buildInputs.${name}`, value);
    const v1 = convertMachineOSConfig(object, "v1");
    expect(preserved(v1, V1ALPHA1_FIELDS_ANNOTATION)).toMatchObject({
      "spec.buildInputs.baseOSImagePullspec": DIGEST,
      "spec.buildInputs.baseOSExtensionsImagePullspec": DIGEST,
      "spec.buildInputs.releaseVersion": "4.16.0",
    });
    expect(convertMachineOSConfig(v1, "v1alpha1")).toStrictEqual(object);
  });

  it("lets edits made in the other version win over preserved values", () => {
    const synonyms = [
      { containerfileArch: "x86_64", content: "FROM a" },
      { containerfileArch: "amd64", content: "FROM b" },
    ];
    const v1 = convertMachineOSConfig(
      withField(techPreview, "spec.buildInputs.containerFile", synonyms),
      "v1",
    );
    const edited = withField(v1, "spec.containerFile", [{ containerfileArch: "S390X", content: "FROM x" }]);
    expect(
      getPath(convertMachineOSConfig(edited, "v1alpha1"), "spec.buildInputs.containerFile"),
    ).toStrictEqual([{ containerfileArch: "s390x", content: "FROM x" }]);

    const shown = convertMachineOSConfig(v1Object, "v1alpha1");
    const renamed = withField(shown, "spec.buildInputs.baseImagePullSecret", { name: "mine" });
    expect(getPath(convertMachineOSConfig(renamed, "v1"), "spec.baseImagePullSecret")).toStrictEqual({
      name: "mine",
    });
  });

  it("gives v1alpha1 a zero observedGeneration when v1 has none, and removes it again", () => {
    const object = { ...structuredClone(v1Object), status: {} };
    const v1alpha1 = convertMachineOSConfig(object, "v1alpha1");
    expect(v1alpha1.status).toStrictEqual({ observedGeneration: 0 });
    expect(convertMachineOSConfig(v1alpha1, "v1")).toStrictEqual(object);
  });

  it("keeps an entry without an architecture without one (both versions default it)", () => {
    const object = withField(techPreview, "spec.buildInputs.containerFile", [{ content: "FROM x" }]);
    const v1 = convertMachineOSConfig(object, "v1");
    expect(getPath(v1, "spec.containerFile")).toStrictEqual([{ content: "FROM x" }]);
    expect(convertMachineOSConfig(v1, "v1alpha1")).toStrictEqual(object);
  });

  it("ignores a malformed preservation annotation and drops it", () => {
    const object = structuredClone(v1Object);
    object.metadata.annotations = { [V1ALPHA1_FIELDS_ANNOTATION]: "{not json" };
    const v1alpha1 = convertMachineOSConfig(object, "v1alpha1");
    expect(v1alpha1.metadata.annotations?.[V1ALPHA1_FIELDS_ANNOTATION]).toBeUndefined();
    expect(v1alpha1.spec).toMatchObject({
      buildInputs: { renderedImagePushspec: "quay.io/mco/renderedImg:latest" },
    });
  });

  it("copies an object already at the requested version and rejects other versions and kinds", () => {
    const copy = convertMachineOSConfig(v1Object, "v1");
    expect(copy).toStrictEqual(v1Object);
    expect(copy).not.toBe(v1Object);
    expect(() =>
      convertMachineOSConfig({ ...v1Object, apiVersion: "machineconfiguration.openshift.io/v2" }, "v1"),
    ).toThrow(ConversionError);
    expect(() => convertMachineOSConfig({ ...v1Object, kind: "MachineOSBuild" }, "v1alpha1")).toThrow(
      ConversionError,
    );
  });
});
