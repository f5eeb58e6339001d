// End-to-end: builds that fail, get interrupted or change mid-way (upstream-ocl.md §9: 8, 12, 13, 14,
// 15, plus mob's failure reasons and archived logs) on the real embedded stack.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MachineOSConfigAnnotations, MCO_NAMESPACE, PoolConditionTypes } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { eventually } from "../../testing/eventually.ts";
import { type BuildState, buildStateOf } from "./build-state.ts";
import { type BuildStack, MACHINE_CONFIGS, startBuildStack } from "./test-stack.ts";

const POOL = "failing";
const slow = { timeoutMs: 90_000, intervalMs: 200 };
const signal = (): AbortSignal => AbortSignal.timeout(30_000);

let stack: BuildStack;
let stopControllers: () => Promise<void>;

beforeAll(async () => {
  stack = await startBuildStack();
  stopControllers = stack.startControllers();
  await stack.createPool(POOL);
}, 120_000);

afterAll(async () => {
  await stopControllers?.();
  await stack?.close();
}, 60_000);

async function setContainerfile(content: string, push?: string): Promise<void> {
  const patch = {
    spec: {
      containerFile: [{ containerfileArch: "NoArch", content }],
      ...(push !== undefined ? { renderedImagePushSecret: { name: push } } : {}),
    },
  };
  await stack.c.moscs.patch(POOL, patch, { type: "merge", signal: signal() });
}

/** The build the config points at once it is not `previous`, in `state`. */
async function currentIn(state: BuildState, previous?: string): Promise<MachineOSBuild> {
  return eventually(async () => {
    const mosc = await stack.c.moscs.get(POOL, { signal: signal() });
    const name = mosc.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
    expect(name).toBeDefined();
    expect(name).not.toBe(previous);
    const mosb = await stack.getBuild(name ?? "");
    expect(mosb && buildStateOf(mosb)).toBe(state);
    return mosb as MachineOSBuild;
  }, slow);
}

function failedMessage(mosb: MachineOSBuild): string {
  return mosb.status?.conditions?.find((c) => c.type === "Failed")?.message ?? "";
}

async function poolCondition(
  type: string,
): Promise<{ status?: string; reason?: string; message?: string } | undefined> {
  return (await stack.pool(POOL)).status?.conditions?.find((c) => c.type === type);
}

async function tableRow(name: string): Promise<unknown[]> {
  const res = await stack.api.client.get(
    `/apis/machineconfiguration.openshift.io/v1/machineosbuilds/${name}`,
    {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    },
  );
  return res.json.rows[0].cells as unknown[];
}

describe("failures", () => {
  let invalid: MachineOSBuild;
  let failed: MachineOSBuild;

  it("an invalid Containerfile fails the build without a Job and degrades the pool (§9.15)", async () => {
    await stack.c.moscs.create(stack.mosc(POOL, "FROM configs AS final\nFOO bar\nRUN\n"), {
      signal: signal(),
    });
    invalid = await currentIn("Failed");
    const name = invalid.metadata.name ?? "";
    expect(failedMessage(invalid)).toContain("invalid Containerfile");
    expect(failedMessage(invalid)).toContain("FOO");
    expect(await stack.get("jobs", `build-${name}`)).toBeUndefined();
    expect(await tableRow(name)).toEqual([
      name,
      "False",
      "False",
      "False",
      "False",
      "True",
      expect.any(String),
    ]);
    await eventually(async () => {
      expect(await poolCondition(PoolConditionTypes.ImageBuildDegraded)).toMatchObject({
        status: "True",
        reason: "BuildFailed",
        message: `Failed to build OS image for pool ${POOL} (MachineOSBuild: ${name}): Failed: Build Failed`,
      });
      expect(await poolCondition(PoolConditionTypes.Degraded)).toMatchObject({ status: "True" });
    }, slow);
  }, 60_000);

  it("a missing or invalid push secret fails the build before any Job, naming the secret", async () => {
    await setContainerfile("FROM configs AS final\nRUN true\n", "missing-push-secret");
    const noSecret = await currentIn("Failed", invalid.metadata.name);
    expect(failedMessage(noSecret)).toContain(
      'step secrets: rendered image push secret "missing-push-secret"',
    );
    expect(await stack.get("jobs", `build-${noSecret.metadata.name ?? ""}`)).toBeUndefined();
    expect(await stack.getBuild(invalid.metadata.name ?? "")).toBeUndefined();
    invalid = noSecret;
  }, 60_000);

  it("a failing instruction fails after 4 pods, names the step, keeps its objects and archives the log (§9.13)", async () => {
    await setContainerfile("FROM configs AS final\nRUN echo boom-marker && exit 3\n", "push-secret");
    const building = await currentIn("Building", invalid.metadata.name);
    await eventually(
      async () =>
        expect(await poolCondition(PoolConditionTypes.ImageBuildDegraded)).toMatchObject({
          status: "False",
          reason: "Building",
        }),
      slow,
    );
    expect(await stack.getBuild(invalid.metadata.name ?? "")).toBeUndefined();
    failed = await currentIn("Failed", invalid.metadata.name);
    expect(failed.metadata.name).toBe(building.metadata.name);
    const name = failed.metadata.name ?? "";
    const message = failedMessage(failed);
    expect(message).toContain("step containerfile");
    expect(message).toContain("RUN echo boom-marker && exit 3");
    expect(message).toContain("container image-build");
    expect(message).toMatch(/Last \d+ lines of output:/);
    const job = (await stack.get("jobs", `build-${name}`)) as KubeObject;
    expect((job.status as { failed?: number }).failed).toBe(4);
    expect(await stack.get("configmaps", `containerfile-${name}`)).toBeDefined();
    expect(await stack.get("secrets", `final-${name}`)).toBeDefined();
    await eventually(
      async () =>
        expect(await poolCondition(PoolConditionTypes.ImageBuildDegraded)).toMatchObject({
          status: "True",
          reason: "BuildFailed",
        }),
      slow,
    );
    await stack.c.jobs.delete(`build-${name}`, {
      namespace: MCO_NAMESPACE,
      propagationPolicy: "Background",
      signal: signal(),
    });
    await eventually(async () => {
      const pods = await stack.c.pods.list({
        namespace: MCO_NAMESPACE,
        labelSelector: `job-name=build-${name}`,
        signal: signal(),
      });
      expect(pods.items).toHaveLength(0);
    }, slow);
    const log = await stack.buildLog(name);
    expect(log.match(/container image-build \(exit code 3\)/g)?.length).toBe(4);
    expect(log).toContain("boom-marker");
    expect(buildStateOf((await stack.getBuild(name)) as MachineOSBuild)).toBe("Failed");
  }, 120_000);

  it("a deleted build pod is replaced and the build keeps going; an edit mid-build replaces the build (§9.12, §9.8)", async () => {
    await setContainerfile("FROM configs AS final\nRUN sleep 8\n");
    const slowBuild = await currentIn("Building", failed.metadata.name);
    const name = slowBuild.metadata.name ?? "";
    expect(await tableRow(name)).toEqual([
      name,
      "False",
      "True",
      "False",
      "False",
      "False",
      expect.any(String),
    ]);
    const pod = await eventually(async () => {
      const pods = await stack.c.pods.list({
        namespace: MCO_NAMESPACE,
        labelSelector: `job-name=build-${name}`,
        signal: signal(),
      });
      const running = pods.items.find((p) => JSON.stringify(p.status ?? {}).includes('"running"'));
      expect(running).toBeDefined();
      return running as KubeObject;
    }, slow);
    await stack.c.pods.delete(pod.metadata.name ?? "", { namespace: MCO_NAMESPACE, signal: signal() });
    await eventually(async () => {
      const pods = await stack.c.pods.list({
        namespace: MCO_NAMESPACE,
        labelSelector: `job-name=build-${name}`,
        signal: signal(),
      });
      expect(pods.items.some((p) => p.metadata.uid !== pod.metadata.uid)).toBe(true);
    }, slow);
    expect(buildStateOf((await stack.getBuild(name)) as MachineOSBuild)).toBe("Building");
    await setContainerfile("FROM configs AS final\nRUN echo fixed > /etc/fixed\n");
    await eventually(async () => {
      expect(await stack.getBuild(name)).toBeUndefined();
      expect(await stack.get("jobs", `build-${name}`)).toBeUndefined();
      expect(await stack.getBuild(failed.metadata.name ?? "")).toBeUndefined();
    }, slow);
    const fixed = await currentIn("Succeeded", name);
    await eventually(async () => {
      expect(await poolCondition(PoolConditionTypes.ImageBuildDegraded)).toMatchObject({
        status: "False",
        reason: "BuildSuccess",
      });
      expect(await poolCondition(PoolConditionTypes.Degraded)).toMatchObject({ status: "False" });
      const mosc = await stack.c.moscs.get(POOL, { signal: signal() });
      expect(mosc.status?.currentImagePullSpec).toBe(fixed.status?.digestedImagePushSpec);
    }, slow);
  }, 120_000);

  it("a wrong push secret fails the build at the push with an authentication reason", async () => {
    const good = (await stack.c.moscs.get(POOL, { signal: signal() })).metadata.annotations?.[
      MachineOSConfigAnnotations.currentMachineOSBuild
    ];
    await setContainerfile("FROM configs AS final\nRUN echo pushed > /etc/pushed\n", "wrong-push-secret");
    const bad = await currentIn("Failed", good);
    const message = failedMessage(bad);
    expect(message).toContain("step authentication");
    expect(message).toContain("container image-push");
    expect(message).not.toContain("wrong-password");
  }, 120_000);
  it("a MachineConfig that needs a rebuild, arriving mid-build, replaces the build (§9.9)", async () => {
    const before = (await stack.c.moscs.get(POOL, { signal: signal() })).metadata.annotations?.[
      MachineOSConfigAnnotations.currentMachineOSBuild
    ];
    await setContainerfile("FROM configs AS final\nRUN sleep 8 && echo slow > /etc/slow\n", "push-secret");
    const building = await currentIn("Building", before);
    const name = building.metadata.name ?? "";
    // Kernel arguments are one of the fields that require a new image (RequiresRebuild).
    await stack.clients.resource(MACHINE_CONFIGS).create(
      {
        apiVersion: "machineconfiguration.openshift.io/v1",
        kind: "MachineConfig",
        metadata: { name: "99-failing-kargs", labels: { "machineconfiguration.openshift.io/role": POOL } },
        spec: { kernelArguments: ["mob.test=1"] },
      },
      { signal: signal() },
    );
    await eventually(async () => {
      expect(await stack.getBuild(name)).toBeUndefined();
      expect(await stack.get("jobs", `build-${name}`)).toBeUndefined();
    }, slow);
    const rebuilt = await currentIn("Succeeded", name);
    expect(rebuilt.spec.machineConfig.name).not.toBe(building.spec.machineConfig.name);
    expect((await stack.pool(POOL)).spec.configuration?.name).toBe(rebuilt.spec.machineConfig.name);
  }, 150_000);
  it("a running MachineOSBuild that is deleted is recreated under the same name with a new Job (§9.12)", async () => {
    const before = (await stack.c.moscs.get(POOL, { signal: signal() })).metadata.annotations?.[
      MachineOSConfigAnnotations.currentMachineOSBuild
    ];
    await setContainerfile(
      "FROM configs AS final\nRUN sleep 6 && echo deleted-midway > /etc/midway\n",
      "push-secret",
    );
    const running = await currentIn("Building", before);
    const name = running.metadata.name ?? "";
    const job = await eventually(async () => {
      const found = await stack.get("jobs", `build-${name}`);
      expect(found).toBeDefined();
      return found as KubeObject;
    }, slow);
    await stack.c.mosbs.delete(name, { signal: signal() });
    const recreated = await eventually(async () => {
      const again = await stack.getBuild(name);
      expect(again?.metadata.uid).toBeDefined();
      expect(again?.metadata.uid).not.toBe(running.metadata.uid);
      return again as MachineOSBuild;
    }, slow);
    await eventually(async () => {
      const newJob = await stack.get("jobs", `build-${name}`);
      if (newJob !== undefined) expect(newJob.metadata.uid).not.toBe(job.metadata.uid);
      const current = await stack.getBuild(name);
      expect(current?.metadata.uid).toBe(recreated.metadata.uid);
      expect(current && buildStateOf(current)).toBe("Succeeded");
    }, slow);
  }, 150_000);
});
