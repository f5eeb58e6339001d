// The build Job is pure: golden file, and the properties that matter called out.

import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { renderBuildJob } from "./job.ts";

const id = { mosb: "layered-abc", mosc: "layered", pool: "layered", machineConfig: "rendered-layered-1" };
const owner = {
  apiVersion: "machineconfiguration.openshift.io/v1",
  kind: "MachineOSBuild",
  name: "layered-abc",
  uid: "u-1",
  controller: true,
  blockOwnerDeletion: true,
};

function render(overrides: Partial<Parameters<typeof renderBuildJob>[0]> = {}): KubeObject {
  return renderBuildJob(
    {
      mobCommand: "/opt/mob/bin/mob",
      builderImage: "quay.io/mob/mob:0.1",
      buildahStorage: { kind: "hostPath", path: "/var/lib/mob/buildah-cache" },
      nodeName: "mob-host",
      ...overrides,
    },
    {
      id,
      owner,
      tag: "127.0.0.1:5000/os/layered:layered-abc",
      pulledImages: ["127.0.0.1:5000/os/base@sha256:aa"],
    },
  );
}

type Container = {
  name: string;
  volumeMounts: { name: string }[];
  command: string[];
  terminationMessagePath?: string;
};
const podSpec = (job: KubeObject) =>
  (job.spec as { template: { spec: Record<string, unknown> } }).template.spec;

describe("renderBuildJob", () => {
  it("matches the golden Job", async () => {
    await expect(`${JSON.stringify(render(), null, 2)}\n`).toMatchFileSnapshot(
      "testdata/build-job.golden.json",
    );
  });

  it("mounts the push secret only in image-push and reports the digest through the termination message", () => {
    const spec = podSpec(render());
    const all = [...(spec.initContainers as Container[]), ...(spec.containers as Container[])];
    const withPush = all.filter((c) => c.volumeMounts.some((m) => m.name === "final-image-push-creds"));
    expect(withPush.map((c) => c.name)).toEqual(["image-push"]);
    const report = (spec.containers as Container[])[0];
    expect(report?.terminationMessagePath).toBe("/tmp/done/digestfile");
    expect(spec.automountServiceAccountToken).toBe(false);
    expect((render().spec as { backoffLimit: number }).backoffLimit).toBe(3);
  });

  it("skips TLS only for loopback registries and uses an emptyDir cache in cluster mode", () => {
    const cluster = renderBuildJob(
      { mobCommand: "mob", builderImage: "quay.io/mob/mob:0.1", buildahStorage: { kind: "emptyDir" } },
      { id, owner, tag: "quay.io/org/os:layered-abc", pulledImages: ["quay.io/org/base@sha256:aa"] },
    );
    const spec = podSpec(cluster);
    const [build, push] = spec.initContainers as Container[];
    expect(build?.command[2]).toContain("--tls-verify=true");
    expect(build?.command[2]).toContain("mob build prepare-context");
    expect(push?.command[2]).toContain("--tls-verify=true");
    expect(
      (spec.volumes as { name: string; emptyDir?: unknown }[]).find((v) => v.name === "buildah-storage")
        ?.emptyDir,
    ).toEqual({});
    expect(spec.nodeName).toBeUndefined();
    const embedded = podSpec(render()).initContainers as Container[];
    expect(embedded[1]?.command[2]).toContain("--tls-verify=false");
  });
});
