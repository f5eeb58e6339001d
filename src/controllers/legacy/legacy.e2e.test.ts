// End-to-end: the 4.14 developer-preview opt-in on the whole embedded mob (startEmbeddedStack: API
// server, registry, Job controller and host kubelet running buildah, controllers). ConfigMaps plus
// the pool label → a managed MachineOSConfig → a real build → the pool annotation; an edited custom
// Dockerfile builds again; removing the label deletes the managed MachineOSConfig. A user's own
// MachineOSConfig is never touched, and a broken opt-in shows on the pool, naming the key.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MCO_NAMESPACE, PoolConditionTypes, PoolKeys, V1 } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { EMBEDDED_PUSH_SECRET, type EmbeddedStack, startEmbeddedStack } from "../../embedded/stack.ts";
import { isNotFound } from "../../runtime/errors.ts";
import { CONFIG_MAPS, EVENTS } from "../../runtime/kube-client.ts";
import { eventually } from "../../testing/eventually.ts";
import { buildStateOf } from "../build/build-state.ts";
import { MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS } from "../build/resources.ts";
import { MACHINE_CONFIG_POOLS } from "../resources.ts";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "./constants.ts";

const POOL = "legacy";
const slow = { timeoutMs: 60_000, intervalMs: 100 };
const call = () => ({ signal: AbortSignal.timeout(30_000) });
const inNamespace = () => ({ ...call(), namespace: MCO_NAMESPACE });
// The sleep keeps the build running long enough to see its mirrored ConfigMaps.
const dockerfile = (release: string) =>
  `FROM configs AS final\nRUN echo ${release} > /etc/legacy-release && sleep 2\n`;

let dir: string;
let stop: AbortController;
let stack: EmbeddedStack;
let pushSpec: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mob-legacy-e2e-"));
  stop = new AbortController();
  stack = await startEmbeddedStack({
    dir,
    apiListen: { host: "127.0.0.1", port: 0 },
    registryListen: { host: "127.0.0.1", port: 0 },
    masters: 0,
    workers: 0,
    signal: stop.signal,
  });
  pushSpec = `${stack.registry.url}/os/legacy:latest`;
}, 120_000);

afterAll(async () => {
  stop?.abort();
  await stack?.stopped;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}, 60_000);

const pools = () => stack.clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS);
const moscs = () => stack.clients.resource<MachineOSConfig>(MACHINE_OS_CONFIGS);
const configMaps = () => stack.clients.resource<KubeObject>(CONFIG_MAPS);

async function orUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: MCO_NAMESPACE }, data };
}

async function putConfigMap(name: string, data: Record<string, string>): Promise<void> {
  const current = await orUndefined(configMaps().get(name, inNamespace()));
  if (current === undefined) await configMaps().create(configMap(name, data), inNamespace());
  else await configMaps().update({ ...current, data }, inNamespace());
}

async function createPool(name: string, labelled: boolean): Promise<void> {
  await pools().create(
    {
      apiVersion: V1,
      kind: "MachineConfigPool",
      metadata: { name, ...(labelled ? { labels: { [PoolKeys.layeringEnabled]: "" } } : {}) },
      spec: {
        machineConfigSelector: {
          matchExpressions: [
            { key: "machineconfiguration.openshift.io/role", operator: "In", values: ["worker", name] },
          ],
        },
        nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${name}`]: "" } },
        paused: false,
      },
    },
    call(),
  );
}

async function setLabel(pool: string, value: string | null): Promise<void> {
  const patch = { metadata: { labels: { [PoolKeys.layeringEnabled]: value } } };
  await pools().patch(pool, patch, { ...call(), type: "merge" });
}

/** The MachineOSConfig's newest build once it has succeeded, with the pool annotated with its image. */
async function succeededBuild(notNamed?: string): Promise<{ mosb: MachineOSBuild; image: string }> {
  return eventually(async () => {
    const mosc = await moscs().get(POOL, call());
    const image = mosc.status?.currentImagePullSpec ?? "";
    const name = mosc.status?.machineOSBuild?.name ?? "";
    expect(name).not.toBe(notNamed ?? "");
    const mosb = await stack.clients.resource<MachineOSBuild>(MACHINE_OS_BUILDS).get(name, call());
    expect(buildStateOf(mosb)).toBe("Succeeded");
    const pool = await pools().get(POOL, call());
    expect(pool.metadata.annotations?.[PoolKeys.newestImageEquivalentConfig]).toBe(image);
    return { mosb, image };
  }, slow);
}

describe("the 4.14 opt-in: layering-enabled label and on-cluster-build ConfigMaps", () => {
  let first: { mosb: MachineOSBuild; image: string };

  it("a broken opt-in shows on the pool, naming the ConfigMap key", async () => {
    await putConfigMap("on-cluster-build-config", {
      baseImagePullSecretName: "global-pull-secret-copy",
      finalImagePullspec: pushSpec,
    });
    await createPool(POOL, true);
    const condition = await eventually(async () => {
      const pool = await pools().get(POOL, call());
      const found = pool.status?.conditions?.find((c) => c.type === PoolConditionTypes.ImageBuildDegraded);
      expect(found?.status).toBe("True");
      return found;
    }, slow);
    expect(condition?.reason).toBe("InvalidLayeringConfig");
    expect(condition?.message).toContain("on-cluster-build-config key finalImagePushSecretName");
    expect(await orUndefined(moscs().get(POOL, call()))).toBeUndefined();
  }, 90_000);

  it("a complete opt-in makes a managed MachineOSConfig whose build is mirrored while it runs", async () => {
    await putConfigMap("on-cluster-build-custom-dockerfile", { [POOL]: dockerfile("one") });
    await putConfigMap("on-cluster-build-config", {
      baseImagePullSecretName: "global-pull-secret-copy",
      finalImagePushSecretName: EMBEDDED_PUSH_SECRET,
      finalImagePullspec: pushSpec,
    });
    const mosc = await eventually(() => moscs().get(POOL, call()), slow);
    expect(mosc.metadata.labels?.[MANAGED_BY_LABEL]).toBe(MANAGED_BY_VALUE);
    expect(mosc.spec).toMatchObject({
      machineConfigPool: { name: POOL },
      baseImagePullSecret: { name: "global-pull-secret-copy" },
      renderedImagePushSecret: { name: EMBEDDED_PUSH_SECRET },
      renderedImagePushSpec: pushSpec,
      containerFile: [{ content: dockerfile("one") }],
    });
    const rendered = (await pools().get(POOL, call())).spec.configuration?.name ?? "";
    expect(rendered).toMatch(/^rendered-legacy-/);
    const shown = await eventually(async () => {
      const docker = await configMaps().get(`dockerfile-${rendered}`, inNamespace());
      const mc = await configMaps().get(`mc-${rendered}`, inNamespace());
      return { docker: docker.data as Record<string, string>, mc: mc.data as Record<string, string> };
    }, slow);
    expect(shown.docker.Dockerfile).toContain("echo one > /etc/legacy-release");
    const decoded = JSON.parse(
      gunzipSync(Buffer.from(shown.mc["machineconfig.json.gz"] ?? "", "base64")).toString("utf8"),
    );
    expect(decoded.metadata.name).toBe(rendered);

    first = await succeededBuild();
    expect(first.image).toMatch(new RegExp(`^${stack.registry.url}/os/legacy@sha256:[0-9a-f]{64}$`));
    await eventually(async () => {
      expect(await orUndefined(configMaps().get(`dockerfile-${rendered}`, inNamespace()))).toBeUndefined();
      expect(await orUndefined(configMaps().get(`mc-${rendered}`, inNamespace()))).toBeUndefined();
    }, slow);
    const pool = await pools().get(POOL, call());
    const degraded = pool.status?.conditions?.find((c) => c.type === PoolConditionTypes.ImageBuildDegraded);
    expect(degraded).toMatchObject({ status: "False", reason: "BuildSuccess" });
  }, 90_000);

  it("editing the custom Dockerfile builds a new image", async () => {
    await putConfigMap("on-cluster-build-custom-dockerfile", { [POOL]: dockerfile("two") });
    const second = await succeededBuild(first.mosb.metadata.name);
    expect(second.mosb.spec.machineConfig.name).toBe(first.mosb.spec.machineConfig.name);
    expect(second.image).not.toBe(first.image);
    const mosc = await moscs().get(POOL, call());
    expect(mosc.spec.containerFile?.[0]?.content).toBe(dockerfile("two"));
  }, 90_000);

  it("a user's own MachineOSConfig is left alone", async () => {
    await createPool("mine", false);
    const own: MachineOSConfig = {
      apiVersion: V1,
      kind: "MachineOSConfig",
      metadata: { name: "mine" },
      spec: {
        machineConfigPool: { name: "mine" },
        imageBuilder: { imageBuilderType: "Job" },
        renderedImagePushSecret: { name: "no-such-secret" },
        renderedImagePushSpec: `${stack.registry.url}/os/mine:latest`,
      },
    };
    const created = await moscs().create(own, call());
    await setLabel("mine", "");
    await eventually(async () => {
      const events = await stack.clients
        .resource<KubeObject>(EVENTS)
        .list({ ...call(), namespace: "default" });
      const reasons = events.items
        .filter((e) => (e.involvedObject as { name?: string }).name === "mine")
        .map((e) => e.reason);
      expect(reasons).toContain("UnmanagedMachineOSConfig");
    }, slow);
    await setLabel("mine", null);
    // Give the controller time to act on the removed label; the user's object must survive it.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await moscs().get("mine", call());
    expect(after.metadata.uid).toBe(created.metadata.uid);
    expect(after.metadata.labels?.[MANAGED_BY_LABEL]).toBeUndefined();
    expect(after.spec).toEqual(created.spec);
  }, 60_000);

  it("removing the label deletes the managed MachineOSConfig and the pool annotation", async () => {
    await setLabel(POOL, null);
    await eventually(async () => {
      expect(await orUndefined(moscs().get(POOL, call()))).toBeUndefined();
      const pool = await pools().get(POOL, call());
      expect(pool.metadata.annotations?.[PoolKeys.newestImageEquivalentConfig]).toBeUndefined();
    }, slow);
  }, 90_000);
});
