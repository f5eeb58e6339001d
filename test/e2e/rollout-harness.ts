// Shared set-up of the rollout end-to-end tests: the embedded stack (real API server, registry,
// buildah builds through the host kubelet, controllers, simulated nodes running the real daemon
// with the simulated backend) in a temporary directory, driven the way scripts/demo.sh drives it,
// from the documented YAML in examples/. One stack per test file; close() stops every process and
// removes the directory.

import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import { pino } from "pino";
import { expect } from "vitest";
import { parse } from "yaml";
import { NODE_ROLE_LABEL_PREFIX, NodeAnnotations, NodeStates } from "../../src/api/constants.ts";
import type { MachineConfigPool } from "../../src/api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../src/api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../src/api/machineosconfig-v1.ts";
import type { KubeObject } from "../../src/api/object.ts";
import type { AuditSink } from "../../src/apiserver/auth/audit.ts";
import { MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS } from "../../src/controllers/build/resources.ts";
import { MACHINE_CONFIG_POOLS, MACHINE_CONFIGS, NODES } from "../../src/controllers/resources.ts";
import { type EmbeddedStack, startEmbeddedStack } from "../../src/embedded/stack.ts";
import { createLogger, silentLogger } from "../../src/logging.ts";
import type { ResourceClient } from "../../src/runtime/resource-client.ts";
import { eventually } from "../../src/testing/eventually.ts";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");

export interface RolloutOptions {
  workers?: number;
  masters?: number;
  drain?: { timeoutMs?: number; retryIntervalMs?: number };
  /** Where the stack logs (default: silent, or MOB_E2E_LOG=<file>). */
  logger?: Logger;
  /** Serve the controllers' /metrics here. */
  metricsListen?: { host: string; port: number };
  /** The API server's audit records (identities.test.ts). */
  audit?: AuditSink;
  /** Run the controllers behind their Lease, as `--leader-elect`. */
  leaderElection?: boolean;
  /** Where the registry stores blobs and manifests (default: inside the stack's directory). */
  registryStorageDir?: string;
  /** False: no controllers in the test's process (the test runs `mob controller` itself). */
  controllers?: boolean;
  /** Node Lease renewal and node monitor grace period (default 10 s and 50 s). */
  nodeHeartbeat?: { leaseRenewMs?: number; gracePeriodMs?: number };
}

export interface LayeredImage {
  mosb: string;
  image: string;
  config: string;
}

export interface RolloutStack {
  stack: EmbeddedStack;
  dir: string;
  pools: ResourceClient<MachineConfigPool>;
  moscs: ResourceClient<MachineOSConfig>;
  mosbs: ResourceClient<MachineOSBuild>;
  nodes: ResourceClient<KubeObject>;
  configs: ResourceClient<KubeObject>;
  /** A signal for API calls (aborted when the file's time is up). */
  signal: AbortSignal;
  close(): Promise<void>;
}

/** Starts the stack; set MOB_E2E_LOG=<file> to keep the controllers' and daemons' logs. */
export async function startRollout(options: RolloutOptions = {}): Promise<RolloutStack> {
  const dir = await mkdtemp(join(tmpdir(), "mob-rollout-"));
  const stop = new AbortController();
  const logFile = process.env.MOB_E2E_LOG;
  const logger =
    options.logger ??
    (logFile === undefined || logFile === ""
      ? silentLogger()
      : createLogger({ level: "info", destination: pino.destination({ dest: logFile, sync: false }) }));
  let stack: EmbeddedStack;
  try {
    stack = await startEmbeddedStack({
      dir,
      apiListen: { host: "127.0.0.1", port: 0 },
      registryListen: { host: "127.0.0.1", port: 0 },
      workers: options.workers ?? 2,
      masters: options.masters ?? 1,
      rebootDelayMs: 300,
      logger,
      signal: stop.signal,
      ...(options.drain !== undefined ? { drain: options.drain } : {}),
      ...(options.metricsListen !== undefined ? { metricsListen: options.metricsListen } : {}),
      ...(options.audit !== undefined ? { audit: options.audit } : {}),
      ...(options.leaderElection !== undefined ? { leaderElection: options.leaderElection } : {}),
      ...(options.registryStorageDir !== undefined ? { registryStorageDir: options.registryStorageDir } : {}),
      ...(options.controllers !== undefined ? { controllers: options.controllers } : {}),
      ...(options.nodeHeartbeat !== undefined ? { nodeHeartbeat: options.nodeHeartbeat } : {}),
    });
  } catch (error) {
    stop.abort();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const { clients } = stack;
  return {
    stack,
    dir,
    pools: clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS),
    moscs: clients.resource<MachineOSConfig>(MACHINE_OS_CONFIGS),
    mosbs: clients.resource<MachineOSBuild>(MACHINE_OS_BUILDS),
    nodes: clients.resource<KubeObject>(NODES),
    configs: clients.resource<KubeObject>(MACHINE_CONFIGS),
    signal: AbortSignal.timeout(600_000),
    async close() {
      stop.abort();
      await stack.stopped;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function example<T>(file: string): Promise<T> {
  return parse(await readFile(join(EXAMPLES, file), "utf8")) as T;
}

/** examples/layered-pool.yaml, renamed to `name` (role `name`, nodes labelled node-role…/`name`). */
export async function createPool(
  r: RolloutStack,
  name: string,
  spec: Partial<MachineConfigPool["spec"]> = {},
): Promise<void> {
  const pool = await example<MachineConfigPool>("layered-pool.yaml");
  pool.metadata.name = name;
  pool.spec.machineConfigSelector = {
    matchExpressions: [
      { key: "machineconfiguration.openshift.io/role", operator: "In", values: ["worker", name] },
    ],
  };
  pool.spec.nodeSelector = { matchLabels: { [`${NODE_ROLE_LABEL_PREFIX}${name}`]: "" } };
  Object.assign(pool.spec, spec);
  await r.pools.create(pool, { signal: r.signal });
}

/** examples/machineosconfig.yaml for `pool`, pushing to the stack's registry. */
export async function createMosc(
  r: RolloutStack,
  pool: string,
  options: { containerfile?: string; annotations?: Record<string, string> } = {},
): Promise<void> {
  const { containerfile, annotations } = options;
  const text = (await readFile(join(EXAMPLES, "machineosconfig.yaml"), "utf8")).replaceAll(
    "REGISTRY",
    r.stack.registry.url,
  );
  const mosc = parse(text) as MachineOSConfig;
  mosc.metadata.name = pool;
  if (annotations !== undefined) mosc.metadata.annotations = annotations;
  mosc.spec.machineConfigPool.name = pool;
  mosc.spec.renderedImagePushSpec = `${r.stack.registry.url}/os/${pool}:latest`;
  const first = mosc.spec.containerFile?.[0];
  if (containerfile !== undefined && first !== undefined) first.content = containerfile;
  await r.moscs.create(mosc, { signal: r.signal });
}

/** Waits until the pool's current rendered config has a Succeeded build whose image the MOSC serves. */
export async function waitForImage(r: RolloutStack, pool: string, timeoutMs = 90_000): Promise<LayeredImage> {
  return eventually(
    async () => {
      const config = (await r.pools.get(pool, { signal: r.signal })).spec.configuration?.name ?? "";
      const mosc = await r.moscs.get(pool, { signal: r.signal });
      const image = mosc.status?.currentImagePullSpec ?? "";
      const builds = (await r.mosbs.list({ signal: r.signal })).items;
      const failed = builds.find((b) => condition(b, "Failed") === "True");
      if (failed !== undefined) throw new BuildFailed(JSON.stringify(failed.status));
      const build = builds.find(
        (b) =>
          b.spec.machineOSConfig.name === pool &&
          b.spec.machineConfig.name === config &&
          condition(b, "Succeeded") === "True" &&
          b.status?.digestedImagePushSpec === image,
      );
      expect(build, `a Succeeded build of ${config} for ${pool}`).toBeDefined();
      expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
      return { mosb: build?.metadata.name ?? "", image, config };
    },
    { timeoutMs, intervalMs: 500 },
  );
}

class BuildFailed extends Error {
  override readonly name = "BuildFailed";
}

function condition(object: MachineOSBuild | MachineConfigPool, type: string): string | undefined {
  return object.status?.conditions?.find((c) => c.type === type)?.status;
}

export async function poolCondition(
  r: RolloutStack,
  pool: string,
  type: string,
): Promise<{ status?: string; reason?: string; message?: string } | undefined> {
  const found = await r.pools.get(pool, { signal: r.signal });
  return found.status?.conditions?.find((c) => c.type === type);
}

/** Adds (`pool`) or removes (undefined) node-role.kubernetes.io/<role>. */
export async function setRole(r: RolloutStack, node: string, role: string, on: boolean): Promise<void> {
  const key = `${NODE_ROLE_LABEL_PREFIX}${role}`;
  await r.nodes.patch(
    node,
    { metadata: { labels: { [key]: on ? "" : null } } },
    { type: "merge", signal: r.signal },
  );
}

export function annotation(node: KubeObject, key: string): string | undefined {
  return node.metadata.annotations?.[key];
}

/** Waits until `node` is Done on `image` (undefined: no image annotations) at its desiredConfig. */
export async function waitDone(
  r: RolloutStack,
  name: string,
  image: string | undefined,
  timeoutMs = 90_000,
): Promise<KubeObject> {
  return eventually(
    async () => {
      const node = await r.nodes.get(name, { signal: r.signal });
      const state = annotation(node, NodeAnnotations.state);
      if (state === NodeStates.Degraded || state === NodeStates.Unreconcilable) {
        throw new Error(`${name} is ${state}: ${annotation(node, NodeAnnotations.reason)}`);
      }
      expect(state).toBe(NodeStates.Done);
      expect(annotation(node, NodeAnnotations.currentImage)).toBe(image);
      expect(annotation(node, NodeAnnotations.desiredImage)).toBe(image);
      expect(annotation(node, NodeAnnotations.currentConfig)).toBe(
        annotation(node, NodeAnnotations.desiredConfig),
      );
      return node;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** Waits until the pool's Updated condition is True. */
export async function waitPoolUpdated(r: RolloutStack, pool: string, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => expect((await poolCondition(r, pool, "Updated"))?.status).toBe("True"), {
    timeoutMs,
    intervalMs: 250,
  });
}

/** A path inside the node's booted tree. */
export function booted(r: RolloutStack, node: string, path: string): string {
  return join(r.dir, "nodes", node, "booted", "rootfs", path);
}

export async function bootedFile(r: RolloutStack, node: string, path: string): Promise<string | undefined> {
  return readFile(booted(r, node, path), "utf8").catch(() => undefined);
}

export async function bootedExists(r: RolloutStack, node: string, path: string): Promise<boolean> {
  return access(booted(r, node, path)).then(
    () => true,
    () => false,
  );
}

/** A MachineConfig for `role` writing one file (data URL). */
export function fileConfig(name: string, role: string, path: string, text: string): KubeObject {
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineConfig",
    metadata: { name, labels: { "machineconfiguration.openshift.io/role": role } },
    spec: {
      config: {
        ignition: { version: "3.4.0" },
        storage: {
          files: [
            { path, mode: 0o644, overwrite: true, contents: { source: `data:,${encodeURIComponent(text)}` } },
          ],
        },
      },
    },
  };
}
