// Test set-up for the build controller, all real: the embedded API server with mob's CRDs and the
// embedded platform (Job controller, host kubelet running buildah), a registry seeded with the base
// image, and the render and build controllers in one runtime Manager (restartable, for "controller
// down" scenarios). Shared by the end-to-end test files; one stack per file.

import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { MachineConfigKeys, MCO_NAMESPACE, ObjectNames, V1 } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { startTestRegistry, type TestRegistry } from "../../embedded/registry/test-registry.ts";
import { isNotFound } from "../../runtime/errors.ts";
import { type KubeClients, loadKubeClients } from "../../runtime/kube-client.ts";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";
import { buildControllerManager } from "../manager.ts";
import { CONTROLLER_CONFIGS, MACHINE_CONFIGS } from "../resources.ts";
import { BUILD_LOG_KEY } from "./constants.ts";
import { type BuildClients, buildClientsFor } from "./resources.ts";

export const MOB_COMMAND = resolve(import.meta.dirname, "../../../bin/mob");

export interface BuildStack {
  api: TestApiServer;
  registry: TestRegistry;
  clients: KubeClients;
  c: BuildClients;
  /** Starts the controllers; the returned function stops them and waits. */
  startControllers(): () => Promise<void>;
  /** Creates pool `name` (selecting role worker and `name`), its push secret and nothing else. */
  createPool(name: string): Promise<void>;
  mosc(pool: string, containerfile: string, push?: string): MachineOSConfig;
  getBuild(name: string): Promise<MachineOSBuild | undefined>;
  buildsFor(mosc: string): Promise<MachineOSBuild[]>;
  get(kind: "configmaps" | "secrets" | "jobs", name: string): Promise<KubeObject | undefined>;
  pool(name: string): Promise<MachineConfigPool>;
  buildLog(mosb: string): Promise<string>;
  close(): Promise<void>;
}

const signal = (): AbortSignal => AbortSignal.timeout(30_000);

async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function startBuildStack(): Promise<BuildStack> {
  const registry = await startTestRegistry();
  const api = await startTestApiServer({ installCrds: true, embeddedPlatform: true });
  const clients = loadKubeClients(api.server.kubeconfigPath, { fieldManager: "build-test" });
  const c = buildClientsFor(clients);
  const creds = registry.registry.dockerConfigJson();
  await clients.core.createNamespace({ body: { metadata: { name: MCO_NAMESPACE } } });
  await clients.resource(CONTROLLER_CONFIGS).create(
    {
      apiVersion: V1,
      kind: "ControllerConfig",
      metadata: {
        name: ObjectNames.controllerConfig,
        annotations: { [MachineConfigKeys.releaseImageVersion]: "4.99.0-test" },
      },
      spec: {
        baseOSContainerImage: registry.base.ref,
        releaseImage: "",
        additionalTrustBundle: null,
        proxy: null,
        images: {},
      },
    },
    { signal: signal() },
  );
  const secret = (name: string, json: string): KubeObject => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: MCO_NAMESPACE },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": Buffer.from(json).toString("base64") },
  });
  await c.secrets.create(secret(ObjectNames.globalPullSecretCopy, creds), { signal: signal() });
  await c.secrets.create(secret("push-secret", creds), { signal: signal() });
  const wrong = JSON.stringify({
    auths: { [registry.registry.url]: { auth: Buffer.from("mob:wrong-password").toString("base64") } },
  });
  await c.secrets.create(secret("wrong-push-secret", wrong), { signal: signal() });

  const startControllers = (): (() => Promise<void>) => {
    // The production wiring: the controllers manager with the build controller enabled.
    const { manager } = buildControllerManager({
      clients,
      renderWorkers: 1,
      build: {
        mobCommand: MOB_COMMAND,
        builderImage: "localhost/mob:dev",
        imagePullPolicy: "IfNotPresent",
        buildahStorage: { kind: "hostPath", path: join(api.dir, "buildah-cache") },
        nodeName: "mob-host",
      },
    });
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    return async () => {
      stop.abort();
      await running;
    };
  };

  return {
    api,
    registry,
    clients,
    c,
    startControllers,
    async createPool(name) {
      await c.pools.create(
        {
          apiVersion: V1,
          kind: "MachineConfigPool",
          metadata: { name },
          spec: {
            machineConfigSelector: {
              matchExpressions: [{ key: MachineConfigKeys.role, operator: "In", values: ["worker", name] }],
            },
            nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${name}`]: "" } },
            paused: false,
          },
        },
        { signal: signal() },
      );
    },
    mosc(pool, containerfile, push = "push-secret") {
      return {
        apiVersion: V1,
        kind: "MachineOSConfig",
        metadata: { name: pool },
        spec: {
          machineConfigPool: { name: pool },
          imageBuilder: { imageBuilderType: "Job" },
          renderedImagePushSecret: { name: push },
          renderedImagePushSpec: `${registry.registry.url}/os/${pool}:latest`,
          containerFile: [{ containerfileArch: "NoArch", content: containerfile }],
        },
      };
    },
    getBuild: (name) => orUndefined(c.mosbs.get(name, { signal: signal() })),
    async buildsFor(mosc) {
      const list = await c.mosbs.list({ signal: signal() });
      return list.items.filter((b) => b.spec.machineOSConfig.name === mosc);
    },
    get(kind, name) {
      const client = kind === "configmaps" ? c.configMaps : kind === "secrets" ? c.secrets : c.jobs;
      return orUndefined(client.get(name, { namespace: MCO_NAMESPACE, signal: signal() }));
    },
    pool: (name) => c.pools.get(name, { signal: signal() }),
    async buildLog(mosb) {
      const cm = await c.configMaps.get(`build-log-${mosb}`, { namespace: MCO_NAMESPACE, signal: signal() });
      const data = (cm.binaryData ?? {}) as Record<string, string>;
      return gunzipSync(Buffer.from(data[BUILD_LOG_KEY] ?? "", "base64")).toString("utf8");
    },
    async close() {
      await api.close();
      await registry.close();
    },
  };
}

/** A MachineConfig for `role` writing one file. */
export function fileConfig(name: string, role: string, path: string, text: string): KubeObject {
  return {
    apiVersion: V1,
    kind: "MachineConfig",
    metadata: { name, labels: { [MachineConfigKeys.role]: role } },
    spec: {
      config: {
        ignition: { version: "3.4.0" },
        storage: { files: [{ path, mode: 420, contents: { source: `data:,${encodeURIComponent(text)}` } }] },
      },
    },
  };
}

export { MACHINE_CONFIGS };
