// Daemon test set-up: a real API server with mob's CRDs, one Node, rendered MachineConfigs, a
// FakeOsBackend on a temporary root, and a stand-in drain controller that records every drain
// request and answers it (cordon on drain-*, uncordon on uncordon-*).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeAnnotations } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { MACHINE_CONFIGS, NODES } from "../../controllers/resources.ts";
import { silentLogger } from "../../logging.ts";
import { Informer } from "../../runtime/informer.ts";
import { type KubeClients, loadKubeClients } from "../../runtime/kube-client.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";
import { type DaemonOptions, runDaemon } from "../daemon.ts";
import { FakeOsBackend } from "./fake-backend.ts";

export const BASE_IMAGE = `registry.test/os/base@sha256:${"b".repeat(64)}`;
export const LAYERED_IMAGE = `registry.test/os/layered@sha256:${"1".repeat(64)}`;

export interface DaemonStack {
  clients: KubeClients;
  nodes: ResourceClient<KubeObject>;
  configs: ResourceClient<MachineConfig>;
  backend: FakeOsBackend;
  root: string;
  nodeName: string;
  /** Every desiredDrain value the stand-in drain controller answered, in order. */
  drains: string[];
  /** Starts a daemon instance loop (a fresh one after every reboot). */
  startDaemon(options?: Partial<DaemonOptions>): void;
  stopDaemon(): Promise<void>;
  node(): Promise<KubeObject>;
  annotate(changes: Record<string, string | null>): Promise<void>;
  close(): Promise<void>;
}

export function renderedConfig(
  name: string,
  files: Record<string, string>,
  osImageURL = BASE_IMAGE,
): MachineConfig {
  return {
    metadata: { name },
    spec: {
      osImageURL,
      config: {
        ignition: { version: "3.4.0" },
        storage: {
          files: Object.entries(files).map(([path, text]) => ({
            path,
            mode: 0o644,
            contents: { source: `data:,${encodeURIComponent(text)}` },
          })),
        },
      },
    },
  };
}

export async function startDaemonStack(api?: TestApiServer): Promise<DaemonStack & { api: TestApiServer }> {
  const server = api ?? (await startTestApiServer({ installCrds: true }));
  const clients = loadKubeClients(server.server.kubeconfigPath);
  const nodes = clients.resource<KubeObject>(NODES);
  const configs = clients.resource<MachineConfig>(MACHINE_CONFIGS);
  const nodeName = `node-${Math.random().toString(36).slice(2, 8)}`;
  await nodes.create(
    { metadata: { name: nodeName, labels: { "node-role.kubernetes.io/worker": "" } } },
    {
      signal: AbortSignal.timeout(10_000),
    },
  );
  const root = await mkdtemp(join(tmpdir(), "mob-daemon-root-"));
  const backend = new FakeOsBackend(root, BASE_IMAGE);
  const drains: string[] = [];
  const stopDrains = new AbortController();
  const informer = new Informer<KubeObject>({
    clients,
    resource: NODES,
    fieldSelector: `metadata.name=${nodeName}`,
  });
  informer.addEventHandler({
    onAdd: (node) => answerDrain(node),
    onUpdate: (_old, node) => answerDrain(node),
  });
  function answerDrain(node: KubeObject): void {
    const annotations = node.metadata.annotations ?? {};
    const desired = annotations[NodeAnnotations.desiredDrain];
    if (desired === undefined || desired === annotations[NodeAnnotations.lastAppliedDrain]) return;
    if (drains.at(-1) !== desired) drains.push(desired);
    const patch = {
      metadata: { annotations: { [NodeAnnotations.lastAppliedDrain]: desired } },
      spec: { unschedulable: desired.startsWith("drain-") ? true : null },
    };
    void nodes.patch(nodeName, patch, { type: "merge", signal: stopDrains.signal }).catch(() => undefined);
  }
  await informer.start(stopDrains.signal);
  let daemon: { stop: AbortController; done: Promise<void> } | undefined;
  const stack: DaemonStack & { api: TestApiServer } = {
    api: server,
    clients,
    nodes,
    configs,
    backend,
    root,
    nodeName,
    drains,
    startDaemon(options = {}) {
      const stop = new AbortController();
      const done = runDaemon(
        {
          nodeName,
          clients,
          backend,
          logger: silentLogger(),
          pollIntervalMs: 20,
          retryDelayMs: 60_000,
          ...options,
        },
        stop.signal,
      );
      daemon = { stop, done };
    },
    async stopDaemon() {
      daemon?.stop.abort();
      await daemon?.done;
      daemon = undefined;
    },
    node: () => nodes.get(nodeName, { signal: AbortSignal.timeout(10_000) }),
    async annotate(changes) {
      await nodes.patch(
        nodeName,
        { metadata: { annotations: changes } },
        {
          type: "merge",
          signal: AbortSignal.timeout(10_000),
        },
      );
    },
    async close() {
      await stack.stopDaemon();
      stopDrains.abort();
      await informer.stopped();
      await rm(root, { recursive: true, force: true });
      if (api === undefined) await server.close();
    },
  };
  return stack;
}
