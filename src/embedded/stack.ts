// The whole embedded mob on one machine: the API server with mob's CRDs and default pools, the
// embedded platform (Job controller, scheduler, host kubelet), a registry with the base OS image,
// the registry secrets the builds use, and mob's controllers. Start order follows the data: API
// server → registry → base image → cluster objects that point at them → controllers; stop in reverse.

import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { MCO_NAMESPACE, ObjectNames } from "../api/constants.ts";
import type { KubeObject } from "../api/object.ts";
import { type RunningApiServer, startApiServer } from "../apiserver/apiserver.ts";
import type { AuditSink } from "../apiserver/auth/audit.ts";
import { buildControllerManager } from "../controllers/manager.ts";
import { CONTROLLER_CONFIGS } from "../controllers/resources.ts";
import { silentLogger } from "../logging.ts";
import { isAlreadyExists } from "../runtime/errors.ts";
import { type KubeClients, loadKubeClients } from "../runtime/kube-client.ts";
import type { ListenAddress } from "../runtime/probe-server.ts";
import { startEmbeddedMachineConfigServer } from "../server/embedded.ts";
import type { RunningMachineConfigServer } from "../server/http.ts";
import { embeddedBuildOptions } from "./embedded-build.ts";
import { componentClients } from "./identities/component-clients.ts";
import { applyDeployIdentities } from "./identities/deploy-rbac.ts";
import type { NodeHeartbeat } from "./node-lifecycle.ts";
import { type SimulatedNodeSpec, type SimulatedNodes, startSimulatedNodes } from "./nodes/index.ts";
import { seedBaseImage } from "./registry/base-image.ts";
import { type RunningRegistry, startRegistry } from "./registry/registry-process.ts";

/** The push secret mob creates for its embedded registry (MachineOSConfigs name it). */
export const EMBEDDED_PUSH_SECRET = "mob-registry-push";

export { MOB_COMMAND } from "./embedded-build.ts";

export interface EmbeddedStackOptions {
  dir: string;
  /** Simulated nodes: `master-0…`, `worker-0…` (default 1 master, 2 workers). */
  masters?: number;
  workers?: number;
  /** How long a simulated node stays NotReady while it "reboots" (default 2 s). */
  rebootDelayMs?: number;
  /** Every node's Lease renewal and the node monitor grace period (default 10 s and 50 s). */
  nodeHeartbeat?: NodeHeartbeat;
  /** Drain controller timings (tests shorten the timeout); see ControllerManagerOptions.drain. */
  drain?: { timeoutMs?: number; retryIntervalMs?: number };
  apiListen?: { host: string; port: number };
  registryListen?: { host: string; port: number };
  /** Where the registry stores blobs and manifests (default `<dir>/registry/data`). */
  registryStorageDir?: string;
  /** The machine-config-server (default 127.0.0.1, a free port). */
  serverListen?: { host: string; port: number };
  /** The controllers' /healthz, /readyz and /metrics (no such server when unset). */
  metricsListen?: ListenAddress;
  /**
   * Run mob's controllers in this process (default true). False leaves them to a separate
   * `mob controller` given `embeddedBuildArgs(dir)`, which can then crash and restart on its own.
   */
  controllers?: boolean;
  /** Run the controllers behind the Lease `machine-config-controller`, as `--leader-elect` (default off). */
  leaderElection?: boolean;
  /** The API server's audit records (see AuditSink); off when unset. */
  audit?: AuditSink;
  logger?: Logger;
  signal: AbortSignal;
}

export interface EmbeddedStack {
  api: RunningApiServer;
  registry: RunningRegistry;
  /** The base OS image, digest-pinned. */
  baseImage: string;
  clients: KubeClients;
  nodes: SimulatedNodes;
  /** The machine-config-server (HTTPS, trusted by the kubeconfig's CA); `mob node add` uses it. */
  server: RunningMachineConfigServer;
  /** Where the controllers serve /metrics (with `metricsListen`). */
  metrics?: AddressInfo;
  /** Resolves when everything has stopped (after the signal aborts). */
  stopped: Promise<void>;
}

const SECRET = { group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true } as const;

async function upsert(clients: KubeClients, object: KubeObject, signal: AbortSignal): Promise<void> {
  const secrets = clients.resource(SECRET);
  try {
    await secrets.create(object, { signal });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    const current = await secrets.get(object.metadata.name ?? "", { namespace: MCO_NAMESPACE, signal });
    await secrets.update(
      {
        ...object,
        metadata: { ...object.metadata, resourceVersion: current.metadata.resourceVersion ?? "" },
      },
      { signal },
    );
  }
}

function registrySecret(name: string, dockerConfigJson: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: MCO_NAMESPACE, labels: { "mob.openshift.io/embedded-registry": "" } },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": Buffer.from(dockerConfigJson).toString("base64") },
  };
}

/** Points the ControllerConfig at the seeded base image (the `00-<role>` configs follow it). */
async function useBaseImage(clients: KubeClients, image: string, signal: AbortSignal): Promise<void> {
  const configs = clients.resource(CONTROLLER_CONFIGS);
  const current = await configs.get(ObjectNames.controllerConfig, { signal });
  const spec = (current.spec ?? {}) as Record<string, unknown>;
  if (spec.baseOSContainerImage === image && spec.osImageURL === image) return;
  await configs.patch(
    ObjectNames.controllerConfig,
    { spec: { baseOSContainerImage: image, osImageURL: image } },
    { type: "merge", signal },
  );
}

function nodeSpecs(masters: number, workers: number): SimulatedNodeSpec[] {
  return [
    ...Array.from(
      { length: masters },
      (_, i): SimulatedNodeSpec => ({ name: `master-${i}`, roles: ["master"] }),
    ),
    ...Array.from(
      { length: workers },
      (_, i): SimulatedNodeSpec => ({ name: `worker-${i}`, roles: ["worker"] }),
    ),
  ];
}

export async function startEmbeddedStack(options: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const logger = options.logger ?? silentLogger();
  const { signal, dir } = options;
  const api = await startApiServer({
    dir,
    host: options.apiListen?.host ?? "127.0.0.1",
    port: options.apiListen?.port ?? 6443,
    logger,
    installCrds: true,
    defaults: true,
    embeddedPlatform: true,
    ...(options.nodeHeartbeat !== undefined ? { nodeHeartbeat: options.nodeHeartbeat } : {}),
    ...(options.audit !== undefined ? { audit: options.audit } : {}),
  });
  let registry: RunningRegistry | undefined;
  try {
    registry = await startRegistry({
      dir,
      host: options.registryListen?.host ?? "127.0.0.1",
      port: options.registryListen?.port ?? 0,
      ...(options.registryStorageDir !== undefined ? { storageDir: options.registryStorageDir } : {}),
      logger,
      signal,
    });
    const base = await seedBaseImage({ registry, dir, logger, signal });
    const clients = loadKubeClients(api.kubeconfigPath, { fieldManager: "mob-up" });
    await useBaseImage(clients, base.ref, signal);
    const credentials = registry.dockerConfigJson();
    await upsert(clients, registrySecret(ObjectNames.globalPullSecretCopy, credentials), signal);
    await upsert(clients, registrySecret(EMBEDDED_PUSH_SECRET, credentials), signal);
    // From here on each component runs as deploy/ says; the admin's clients stay the installer's.
    await applyDeployIdentities(clients, signal);
    const identities = await componentClients(api, clients, signal);

    const manager =
      options.controllers === false
        ? undefined
        : buildControllerManager({
            clients: identities.controller,
            buildClients: identities.builder,
            ...(options.leaderElection === true ? { leaderElectionNamespace: MCO_NAMESPACE } : {}),
            logger: logger.child({ component: "controllers" }),
            build: embeddedBuildOptions(dir),
            ...(options.drain !== undefined ? { drain: options.drain } : {}),
            ...(options.metricsListen !== undefined ? { metricsListen: options.metricsListen } : {}),
          }).manager;
    const controllers = manager?.start(signal) ?? Promise.resolve();
    const metrics = (await manager?.listening())?.address;
    const server = await startEmbeddedMachineConfigServer({
      dir,
      clients: identities.server,
      ...(options.serverListen !== undefined ? { listen: options.serverListen } : {}),
      logger,
      signal,
    });
    const nodes = await startSimulatedNodes({
      clients,
      identities: { daemon: identities.daemon, node: identities.node },
      dir,
      nodes: nodeSpecs(options.masters ?? 1, options.workers ?? 2),
      registryCredentials: { dockerConfigJson: credentials },
      baseImage: base.ref,
      signal,
      logger,
      ...(options.rebootDelayMs !== undefined ? { rebootDelayMs: options.rebootDelayMs } : {}),
      ...(options.nodeHeartbeat?.leaseRenewMs !== undefined
        ? { leaseRenewMs: options.nodeHeartbeat.leaseRenewMs }
        : {}),
    });
    const running = registry;
    const stopped = (async () => {
      await nodes.stopped();
      await server.stopped;
      await controllers.catch((error: unknown) =>
        logger.error({ err: error }, "controllers stopped with an error"),
      );
      await running.stop();
      await api.stop();
    })();
    logger.info({ baseImage: base.ref, registry: registry.url }, "embedded mob is up");
    const stack = { api, registry, baseImage: base.ref, clients, nodes, server, stopped };
    return metrics === undefined ? stack : { ...stack, metrics };
  } catch (error) {
    await registry?.stop();
    await api.stop();
    throw error;
  }
}
