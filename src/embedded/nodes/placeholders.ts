// Workload stand-ins so drains on simulated nodes are real: two Running, Ready pods per worker
// (labels app=placeholder), the first of each covered by the PodDisruptionBudget `placeholder`
// (maxUnavailable 1). A small loop stands in for a ReplicaSet: a pod that went away (evicted by a
// drain) is recreated after `replaceDelayMs` on the schedulable, Ready worker with the fewest.

import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { NODES } from "../../controllers/resources.ts";
import { type Clock, realClock, sleep } from "../../runtime/clock.ts";
import { isAlreadyExists } from "../../runtime/errors.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import type { ResourceRef } from "../../runtime/rest.ts";

export const PLACEHOLDER_NAMESPACE = "default";
export const PLACEHOLDER_LABEL = { app: "placeholder" } as const;
export const PLACEHOLDER_BUDGET = "placeholder";
const COVERED_LABEL = "mob.openshift.io/placeholder-budget";
export const PODS_PER_WORKER = 2;

const PODS: ResourceRef = { group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true };
const PDBS: ResourceRef = {
  group: "policy",
  version: "v1",
  plural: "poddisruptionbudgets",
  kind: "PodDisruptionBudget",
  namespaced: true,
};

export interface PlaceholderOptions {
  clients: KubeClients;
  workers: string[];
  logger: Logger;
  /** Wait before replacing a pod that went away (default 1 s). */
  replaceDelayMs?: number;
  clock?: Clock;
}

function placeholderPod(name: string, nodeName: string, covered: boolean): KubeObject {
  return {
    metadata: {
      name,
      namespace: PLACEHOLDER_NAMESPACE,
      labels: { ...PLACEHOLDER_LABEL, ...(covered ? { [COVERED_LABEL]: "true" } : {}) },
    },
    spec: { nodeName, containers: [{ name: "pause", image: "registry.k8s.io/pause:3.10" }] },
    status: {
      phase: "Running",
      conditions: [
        { type: "Ready", status: "True" },
        { type: "PodScheduled", status: "True" },
      ],
    },
  };
}

function isReadyAndSchedulable(node: KubeObject): boolean {
  if (isPlainObject(node.spec) && node.spec.unschedulable === true) return false;
  const conditions =
    isPlainObject(node.status) && Array.isArray(node.status.conditions) ? node.status.conditions : [];
  return conditions.some((c: unknown) => isPlainObject(c) && c.type === "Ready" && c.status === "True");
}

export class Placeholders {
  readonly #options: PlaceholderOptions;
  readonly #clock: Clock;

  constructor(options: PlaceholderOptions) {
    this.#options = options;
    this.#clock = options.clock ?? realClock;
  }

  /** Creates the budget and the first pods (those already there are kept). */
  async create(signal: AbortSignal): Promise<void> {
    const { clients, workers } = this.#options;
    const budget = {
      metadata: { name: PLACEHOLDER_BUDGET, namespace: PLACEHOLDER_NAMESPACE },
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: { ...PLACEHOLDER_LABEL, [COVERED_LABEL]: "true" } },
      },
    };
    await ignoreExisting(clients.resource<KubeObject>(PDBS).create(budget, { signal }));
    for (const worker of workers) {
      for (let i = 0; i < PODS_PER_WORKER; i++) {
        const pod = placeholderPod(`placeholder-${worker}-${i}`, worker, i === 0);
        await ignoreExisting(clients.resource<KubeObject>(PODS).create(pod, { signal }));
      }
    }
  }

  /** Keeps PODS_PER_WORKER × workers placeholder pods until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const delay = this.#options.replaceDelayMs ?? 1_000;
    while (!signal.aborted) {
      await sleep(this.#clock, delay, signal);
      if (signal.aborted) return;
      try {
        await this.#replaceMissing(signal);
      } catch (error) {
        if (!signal.aborted) this.#options.logger.warn({ err: error }, "could not replace placeholder pods");
      }
    }
  }

  async #replaceMissing(signal: AbortSignal): Promise<void> {
    const { clients, workers } = this.#options;
    const selector = `app=${PLACEHOLDER_LABEL.app}`;
    const pods = (
      await clients
        .resource<KubeObject>(PODS)
        .list({ namespace: PLACEHOLDER_NAMESPACE, labelSelector: selector, signal })
    ).items;
    const missing = workers.length * PODS_PER_WORKER - pods.length;
    if (missing <= 0) return;
    const covered = pods.filter((pod) => pod.metadata.labels?.[COVERED_LABEL] === "true").length;
    const nodes = (await clients.resource<KubeObject>(NODES).list({ signal })).items.filter(
      (node) => workers.includes(node.metadata.name ?? "") && isReadyAndSchedulable(node),
    );
    const count = (name: string) =>
      pods.filter((pod) => isPlainObject(pod.spec) && pod.spec.nodeName === name).length;
    for (let i = 0; i < missing; i++) {
      const target = nodes.map((node) => node.metadata.name ?? "").sort((a, b) => count(a) - count(b))[0];
      if (target === undefined) return;
      const pod = placeholderPod(
        `placeholder-${randomBytes(3).toString("hex")}`,
        target,
        covered + i < workers.length,
      );
      await clients.resource<KubeObject>(PODS).create(pod, { signal });
      pods.push(pod);
      this.#options.logger.debug({ node: target, pod: pod.metadata.name }, "replaced a placeholder pod");
    }
  }
}

async function ignoreExisting(write: Promise<unknown>): Promise<void> {
  await write.catch((error: unknown) => {
    if (!isAlreadyExists(error)) throw error;
  });
}
