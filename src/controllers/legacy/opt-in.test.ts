import { describe, expect, it } from "vitest";
import { BuildKeys, MachineOSConfigAnnotations, MCO_NAMESPACE, PoolKeys } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "./constants.ts";
import { planMirrors } from "./mirror.ts";
import { desiredSpec, isOptedIn, keyForField, managedMachineOSConfig } from "./opt-in.ts";

const cm = (name: string, data: Record<string, string>): KubeObject => ({
  metadata: { name, namespace: MCO_NAMESPACE },
  data,
});
const config = (data: Record<string, string>) => cm("on-cluster-build-config", data);
const valid = {
  baseImagePullSecretName: "global-pull-secret-copy",
  finalImagePushSecretName: "push",
  finalImagePullspec: "quay.io/org/os:latest",
};

describe("desiredSpec", () => {
  it("maps the ConfigMaps onto a MachineOSConfig spec", () => {
    const dockerfiles = cm("on-cluster-build-custom-dockerfile", {
      layering: "FROM configs AS final\nRUN true\n",
      worker: "",
    });
    expect(desiredSpec("layering", config(valid), dockerfiles)).toEqual({
      ok: true,
      spec: {
        machineConfigPool: { name: "layering" },
        imageBuilder: { imageBuilderType: "Job" },
        baseImagePullSecret: { name: "global-pull-secret-copy" },
        renderedImagePushSecret: { name: "push" },
        renderedImagePushSpec: "quay.io/org/os:latest",
        containerFile: [{ containerfileArch: "NoArch", content: "FROM configs AS final\nRUN true\n" }],
      },
    });
    const worker = desiredSpec("worker", config(valid), dockerfiles);
    expect(worker.ok && worker.spec.containerFile).toBeUndefined();
  });

  it("adds the tag 4.14 ignored", () => {
    const spec = desiredSpec("p", config({ ...valid, finalImagePullspec: "127.0.0.1:5000/os/p" }), undefined);
    expect(spec.ok && spec.spec.renderedImagePushSpec).toBe("127.0.0.1:5000/os/p:latest");
  });

  it("names every missing or invalid key", () => {
    const missing = desiredSpec("p", undefined, undefined);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.issues[0]?.message).toContain(
      "ConfigMap openshift-machine-config-operator/on-cluster-build-config is missing",
    );
    const bad = desiredSpec(
      "p",
      config({ baseImagePullSecretName: "s", finalImagePullspec: "quay.io/org/os@sha256:nothex" }),
      cm("on-cluster-build-custom-dockerfile", { p: "x".repeat(4097) }),
    );
    expect(!bad.ok && bad.issues.map((i) => [i.path, i.code])).toEqual([
      ["on-cluster-build-config.data.finalImagePushSecretName", "Missing"],
      ["on-cluster-build-config.data.finalImagePullspec", "Invalid"],
      ["on-cluster-build-custom-dockerfile.data.p", "TooLong"],
    ]);
    expect(!bad.ok && bad.issues[0]?.message).toBe(
      "ConfigMap openshift-machine-config-operator/on-cluster-build-config key finalImagePushSecretName is missing or empty",
    );
  });

  it("traces an API rejection back to the key", () => {
    expect(keyForField("spec.renderedImagePushSpec", "p")).toContain("key finalImagePullspec");
    expect(keyForField("spec.containerFile[0].content", "p")).toContain(
      "on-cluster-build-custom-dockerfile key p",
    );
    expect(keyForField("metadata.name", "p")).toBeUndefined();
  });
});

describe("isOptedIn", () => {
  const pool = (labels: Record<string, string>, deleting = false): MachineConfigPool =>
    ({
      metadata: { name: "p", labels, ...(deleting ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}) },
      spec: {},
    }) as MachineConfigPool;
  it("is the label's presence, whatever its value", () => {
    expect(isOptedIn(pool({ [PoolKeys.layeringEnabled]: "" }))).toBe(true);
    expect(isOptedIn(pool({ [PoolKeys.layeringEnabled]: "true" }))).toBe(true);
    expect(isOptedIn(pool({}))).toBe(false);
    expect(isOptedIn(pool({ [PoolKeys.layeringEnabled]: "" }, true))).toBe(false);
    expect(isOptedIn(undefined)).toBe(false);
  });
});

describe("planMirrors", () => {
  const lister = <T extends KubeObject>(items: T[], keyed: (o: T) => string) => ({
    get: (key: string) => items.find((o) => keyed(o) === key),
    list: () => items,
  });
  const build = (state: "Building" | "Succeeded" | "Failed"): MachineOSBuild =>
    ({
      metadata: { name: "p-abc", uid: "u1" },
      spec: {
        machineConfig: { name: "rendered-p-123" },
        machineOSConfig: { name: "p" },
        renderedImagePushSpec: "quay.io/org/os:p-abc",
      },
      status: { conditions: [{ type: state, status: "True" }] },
    }) as MachineOSBuild;
  const spec = desiredSpec("p", config(valid), undefined);
  if (!spec.ok) throw new Error("fixture must be valid");
  const base = managedMachineOSConfig("p", spec.spec);
  const mosc = {
    ...base,
    metadata: {
      ...base.metadata,
      annotations: { [MachineOSConfigAnnotations.currentMachineOSBuild]: "p-abc" },
    },
  };
  const sources = [
    cm("containerfile-p-abc", { Containerfile: "FROM base\n" }),
    cm("mc-p-abc", { "machineconfig.json.gz": "H4sI" }),
  ];
  const mirrorOf = (name: string, mosb: string): KubeObject => ({
    metadata: {
      name,
      namespace: MCO_NAMESPACE,
      labels: {
        [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
        [BuildKeys.targetMachineConfigPool]: "p",
        [BuildKeys.machineOSBuild]: mosb,
      },
    },
  });
  const plan = (state: "Building" | "Succeeded" | "Failed", configMaps: KubeObject[]) =>
    planMirrors({
      pool: "p",
      mosc,
      mosbs: lister([build(state)], (b) => b.metadata.name ?? ""),
      configMaps: lister(configMaps, (c) => `${c.metadata.namespace}/${c.metadata.name}`),
    });

  it("shows a running build as dockerfile-/mc-<rendered>", () => {
    const { upserts, deletes } = plan("Building", sources);
    expect(upserts.map((c) => [c.metadata.name, c.data])).toEqual([
      ["dockerfile-rendered-p-123", { Dockerfile: "FROM base\n" }],
      ["mc-rendered-p-123", { "machineconfig.json.gz": "H4sI" }],
    ]);
    expect(upserts[0]?.metadata.ownerReferences?.[0]).toMatchObject({ kind: "MachineOSBuild", uid: "u1" });
    expect(deletes).toEqual([]);
  });

  it("removes them after a success, keeps them after a failure, and drops other builds' ones", () => {
    const existing = [
      ...sources,
      mirrorOf("dockerfile-rendered-p-123", "p-abc"),
      mirrorOf("mc-rendered-p-old", "p-old"),
      { metadata: { name: "dockerfile-user", namespace: MCO_NAMESPACE } },
    ];
    expect(plan("Succeeded", existing)).toEqual({
      upserts: [],
      deletes: ["dockerfile-rendered-p-123", "mc-rendered-p-old"],
    });
    expect(plan("Failed", existing)).toEqual({ upserts: [], deletes: ["mc-rendered-p-old"] });
  });
});
