// End-to-end: the build lifecycle that ends well (upstream-ocl.md §9: 1, 2, 6, 7, 10, 11, 16, 17, 27)
// on the real embedded stack — API server, Job controller, host kubelet running buildah, registry.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BuildKeys,
  MachineOSConfigAnnotations,
  MCO_NAMESPACE,
  PoolConditionTypes,
} from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import { eventually } from "../../testing/eventually.ts";
import { buildStateOf } from "./build-state.ts";
import { type BuildStack, fileConfig, MACHINE_CONFIGS, startBuildStack } from "./test-stack.ts";

const POOL = "layered";
const CONTAINERFILE = "FROM configs AS final\nRUN echo hello-from-mob > /etc/mob-hello\n";
const slow = { timeoutMs: 60_000, intervalMs: 200 };
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

async function succeeded(name: string): Promise<MachineOSBuild> {
  return eventually(async () => {
    const mosb = await stack.getBuild(name);
    expect(mosb && buildStateOf(mosb)).toBe("Succeeded");
    return mosb as MachineOSBuild;
  }, slow);
}

async function currentBuild(): Promise<string> {
  return eventually(async () => {
    const mosc = await stack.c.moscs.get(POOL, { signal: signal() });
    const name = mosc.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
    expect(name).toBeDefined();
    return name as string;
  }, slow);
}

async function tableRow(name: string): Promise<unknown[]> {
  const res = await stack.api.client.get(
    `/apis/machineconfiguration.openshift.io/v1/machineosbuilds/${name}`,
    {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    },
  );
  expect(res.status).toBe(200);
  return res.json.rows[0].cells as unknown[];
}

describe("a build that succeeds", () => {
  let first: MachineOSBuild;

  it("opting in creates one build with its Job, ConfigMaps and Secrets (§9.1)", async () => {
    await stack.c.moscs.create(stack.mosc(POOL, CONTAINERFILE), { signal: signal() });
    const name = await currentBuild();
    expect(name).toMatch(/^layered-[0-9a-f]{32}$/);
    const mosb = (await stack.getBuild(name)) as MachineOSBuild;
    expect(mosb.metadata.labels?.[BuildKeys.targetMachineConfigPool]).toBe(POOL);
    expect(mosb.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "MachineOSConfig",
      name: POOL,
      controller: true,
    });
    expect(mosb.metadata.finalizers).toContain("foregroundDeletion");
    expect(mosb.spec.renderedImagePushSpec).toBe(`${stack.registry.registry.url}/os/${POOL}:${name}`);
    const job = await eventually(async () => {
      const found = await stack.get("jobs", `build-${name}`);
      expect(found).toBeDefined();
      return found;
    }, slow);
    const cm = await stack.get("configmaps", `containerfile-${name}`);
    if (cm !== undefined) {
      expect(String((cm.data as Record<string, string>).Containerfile)).toContain("hello-from-mob");
      expect(cm.metadata.labels?.[BuildKeys.ephemeralBuildObject]).toBe("");
      expect(cm.metadata.ownerReferences?.some((o) => o.uid === job?.metadata.uid)).toBe(true);
    }
  }, 60_000);

  it("the Job completes: Succeeded with a digest, objects cleaned up, config points at it (§9.2)", async () => {
    const name = await currentBuild();
    first = await succeeded(name);
    const image = first.status?.digestedImagePushSpec ?? "";
    expect(image).toMatch(new RegExp(`^${stack.registry.registry.url}/os/${POOL}@sha256:[0-9a-f]{64}$`));
    expect(
      first.status?.buildEnd && first.status.buildStart && first.status.buildEnd > first.status.buildStart,
    ).toBe(true);
    expect(first.status?.builder?.job?.name).toBe(`build-${name}`);
    expect(await tableRow(name)).toEqual([
      name,
      "False",
      "False",
      "True",
      "False",
      "False",
      expect.any(String),
    ]);
    await eventually(async () => {
      expect(await stack.get("jobs", `build-${name}`)).toBeUndefined();
      expect(await stack.get("configmaps", `containerfile-${name}`)).toBeUndefined();
      expect(await stack.get("configmaps", `mc-${name}`)).toBeUndefined();
      expect(await stack.get("secrets", `base-${name}`)).toBeUndefined();
      expect(await stack.get("secrets", `final-${name}`)).toBeUndefined();
    }, slow);
    const digest = await stack.get("configmaps", `digest-${name}`);
    expect(image.endsWith(String((digest?.data as Record<string, string> | undefined)?.digest))).toBe(true);
    const mosc = await stack.c.moscs.get(POOL, { signal: signal() });
    await eventually(async () => {
      const fresh = await stack.c.moscs.get(POOL, { signal: signal() });
      expect(fresh.status?.currentImagePullSpec).toBe(image);
    }, slow);
    expect(mosc.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild]).toBe(name);
    const inspected = await stack.registry.client.inspect(image, { signal: signal() });
    expect(inspected.labels.machineconfigpool).toBe(POOL);
    expect(await stack.buildLog(name)).toContain("STEP");
    const pool = await stack.pool(POOL);
    const condition = pool.status?.conditions?.find((c) => c.type === PoolConditionTypes.ImageBuildDegraded);
    expect(condition).toMatchObject({ status: "False", reason: "BuildSuccess" });
  }, 90_000);
});

async function annotate(annotations: Record<string, string | null>): Promise<void> {
  await stack.c.moscs.patch(POOL, { metadata: { annotations } }, { type: "merge", signal: signal() });
}

describe("changes after the first build", () => {
  let firstName: string;
  let firstImage: string;
  let layerOnly: string;

  it("a layer-only MachineConfig gives a Succeeded build with the same digest and no Job (§9.10)", async () => {
    firstName = await currentBuild();
    firstImage = (await succeeded(firstName)).status?.digestedImagePushSpec ?? "";
    await stack.clients
      .resource(MACHINE_CONFIGS)
      .create(fileConfig("50-layered-motd", POOL, "/etc/motd", "hi\n"), { signal: signal() });
    layerOnly = await eventually(async () => {
      const name = await currentBuild();
      expect(name).not.toBe(firstName);
      return name;
    }, slow);
    const mosb = await succeeded(layerOnly);
    expect(mosb.status?.digestedImagePushSpec).toBe(firstImage);
    expect(mosb.metadata.annotations?.[BuildKeys.jobUID]).toBeUndefined();
    expect(mosb.status?.builder).toBeUndefined();
    expect(await stack.get("jobs", `build-${layerOnly}`)).toBeUndefined();
    const mosc = await stack.c.moscs.get(POOL, { signal: signal() });
    expect(mosc.status?.currentImagePullSpec).toBe(firstImage);
  }, 60_000);

  it("reverting the MachineConfig reuses the earlier build without building (§9.11)", async () => {
    await stack.clients.resource(MACHINE_CONFIGS).delete("50-layered-motd", { signal: signal() });
    await eventually(async () => expect(await currentBuild()).toBe(firstName), slow);
    const mosb = (await stack.getBuild(firstName)) as MachineOSBuild;
    expect(buildStateOf(mosb)).toBe("Succeeded");
    expect(await stack.get("jobs", `build-${firstName}`)).toBeUndefined();
    expect((await stack.getBuild(layerOnly)) !== undefined).toBe(true);
  }, 60_000);

  it("a reused build whose image was deleted from the registry is built again under the same name (§9.11)", async () => {
    const first = (await stack.getBuild(firstName)) as MachineOSBuild;
    // Move the pool to a configuration that needs its own image, then delete the first image.
    await stack.clients.resource(MACHINE_CONFIGS).create(
      {
        apiVersion: "machineconfiguration.openshift.io/v1",
        kind: "MachineConfig",
        metadata: { name: "60-layered-kargs", labels: { "machineconfiguration.openshift.io/role": POOL } },
        spec: { kernelArguments: ["mob.reuse=1"] },
      },
      { signal: signal() },
    );
    const other = await eventually(async () => {
      const name = await currentBuild();
      expect(name).not.toBe(firstName);
      return name;
    }, slow);
    await succeeded(other);
    const deleted = await stack.registry.client.deleteManifest(firstImage, { signal: signal() });
    expect(deleted.deleted).toBe(true);
    await stack.clients.resource(MACHINE_CONFIGS).delete("60-layered-kargs", { signal: signal() });
    const rebuilt = await eventually(async () => {
      expect(await currentBuild()).toBe(firstName);
      const again = (await stack.getBuild(firstName)) as MachineOSBuild;
      expect(again.metadata.uid).not.toBe(first.metadata.uid);
      expect(buildStateOf(again)).toBe("Succeeded");
      return again;
    }, slow);
    const image = rebuilt.status?.digestedImagePushSpec ?? "";
    expect(await stack.registry.client.resolve(image, { signal: signal() })).toBe(
      image.slice(image.indexOf("@") + 1),
    );
    // The MachineOSConfig's status follows the build's success in a later write.
    await eventually(async () => {
      const mosc = await stack.c.moscs.get(POOL, { signal: signal() });
      expect(mosc.status?.currentImagePullSpec).toBe(image);
    }, slow);
    firstImage = image;
  }, 150_000);

  it("a build for an MC the pool does not target never starts a Job (§9.17)", async () => {
    const mosc = await stack.c.moscs.get(POOL, { signal: signal() });
    const stale = stack.mosc(POOL, CONTAINERFILE);
    await stack.c.mosbs.create(
      {
        apiVersion: "machineconfiguration.openshift.io/v1",
        kind: "MachineOSBuild",
        metadata: {
          name: "layered-stale",
          labels: {
            [BuildKeys.machineOSConfig]: POOL,
            [BuildKeys.targetMachineConfigPool]: POOL,
            [BuildKeys.renderedMachineConfig]: "rendered-layered-old",
          },
          ownerReferences: [
            {
              apiVersion: "machineconfiguration.openshift.io/v1",
              kind: "MachineOSConfig",
              name: POOL,
              uid: mosc.metadata.uid ?? "",
              controller: true,
            },
          ],
        },
        spec: {
          machineConfig: { name: "rendered-layered-old" },
          machineOSConfig: { name: POOL },
          renderedImagePushSpec: `${stale.spec.renderedImagePushSpec.replace(/:latest$/, "")}:layered-stale`,
        },
      },
      { signal: signal() },
    );
    await new Promise((done) => setTimeout(done, 1500));
    expect(await stack.get("jobs", "build-layered-stale")).toBeUndefined();
    expect(await currentBuild()).toBe(firstName);
    await stack.c.mosbs.delete("layered-stale", { signal: signal() });
  }, 30_000);

  it("the rebuild annotation recreates the build under the same name; deleting its Job interrupts it (§9.6, §9.7)", async () => {
    const before = (await stack.getBuild(firstName)) as MachineOSBuild;
    await annotate({ [MachineOSConfigAnnotations.rebuild]: "" });
    const job = await eventually(async () => {
      const mosb = await stack.getBuild(firstName);
      expect(mosb?.metadata.uid).toBeDefined();
      expect(mosb?.metadata.uid).not.toBe(before.metadata.uid);
      const found = await stack.get("jobs", `build-${firstName}`);
      expect(found).toBeDefined();
      return found;
    }, slow);
    const mosc = await stack.c.moscs.get(POOL, { signal: signal() });
    expect(mosc.metadata.annotations?.[MachineOSConfigAnnotations.rebuild]).toBeUndefined();
    expect(job?.metadata.uid).toBeDefined();
    await stack.c.jobs.delete(`build-${firstName}`, {
      namespace: MCO_NAMESPACE,
      signal: signal(),
      propagationPolicy: "Background",
    });
    await eventually(async () => {
      const mosb = await stack.getBuild(firstName);
      expect(mosb && buildStateOf(mosb)).toBe("Interrupted");
    }, slow);
    expect(await tableRow(firstName)).toEqual([
      firstName,
      "False",
      "False",
      "False",
      "True",
      "False",
      expect.any(String),
    ]);
    await eventually(async () => {
      const pods = await stack.c.pods.list({
        namespace: MCO_NAMESPACE,
        labelSelector: `job-name=build-${firstName}`,
        signal: signal(),
      });
      expect(pods.items).toHaveLength(0);
    }, slow);
  }, 60_000);

  it("after a rebuild request, a Job that finishes while the controller is down is picked up (§9.7, §9.16)", async () => {
    const interrupted = (await stack.getBuild(firstName)) as MachineOSBuild;
    await annotate({ [MachineOSConfigAnnotations.rebuild]: "" });
    await eventually(async () => {
      const mosb = await stack.getBuild(firstName);
      expect(mosb?.metadata.uid).not.toBe(interrupted.metadata.uid);
      expect(await stack.get("jobs", `build-${firstName}`)).toBeDefined();
    }, slow);
    await stopControllers();
    await eventually(async () => {
      const job = await stack.get("jobs", `build-${firstName}`);
      expect((job?.status as { succeeded?: number } | undefined)?.succeeded).toBe(1);
    }, slow);
    stopControllers = stack.startControllers();
    const done = await succeeded(firstName);
    expect(done.status?.digestedImagePushSpec).toMatch(/@sha256:/);
    await eventually(async () => {
      const mosc = await stack.c.moscs.get(POOL, { signal: signal() });
      expect(mosc.status?.currentImagePullSpec).toBe(done.status?.digestedImagePushSpec);
      expect(await stack.get("jobs", `build-${firstName}`)).toBeUndefined();
    }, slow);
  }, 90_000);

  it("a stale current-build annotation is replaced by the right build (OCPBUGS-84150, §9.20)", async () => {
    await annotate({ [MachineOSConfigAnnotations.currentMachineOSBuild]: "layered-does-not-exist" });
    await eventually(async () => expect(await currentBuild()).toBe(firstName), slow);
  }, 30_000);

  it("deleting the MachineOSConfig removes only the builds it controls (§9.27)", async () => {
    const old = await stack.buildsFor(POOL);
    expect(old.length).toBeGreaterThan(0);
    await stack.c.moscs.delete(POOL, { signal: signal(), propagationPolicy: "Orphan" });
    await eventually(
      async () => expect(stack.c.moscs.get(POOL, { signal: signal() })).rejects.toThrow(),
      slow,
    );
    await stack.c.moscs.create(stack.mosc(POOL, `${CONTAINERFILE}RUN echo second > /etc/second\n`), {
      signal: signal(),
    });
    const fresh = await stack.c.moscs.get(POOL, { signal: signal() });
    await eventually(async () => {
      const builds = await stack.buildsFor(POOL);
      for (const build of old)
        expect(builds.find((b) => b.metadata.uid === build.metadata.uid)).toBeUndefined();
      expect(builds.length).toBeGreaterThan(0);
      for (const build of builds) expect(build.metadata.ownerReferences?.[0]?.uid).toBe(fresh.metadata.uid);
    }, slow);
    const name = await currentBuild();
    const image = (await succeeded(name)).status?.digestedImagePushSpec ?? "";
    await stack.c.moscs.delete(POOL, { signal: signal() });
    await eventually(async () => {
      expect(await stack.buildsFor(POOL)).toHaveLength(0);
      expect(await stack.get("configmaps", `digest-${name}`)).toBeUndefined();
    }, slow);
    await expect(stack.registry.client.resolve(image, { signal: signal() })).rejects.toThrow(/not-found/);
  }, 90_000);
});
