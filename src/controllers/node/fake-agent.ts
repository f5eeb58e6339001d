// Test double for the machine-config daemon on every node: when a node's desiredConfig or
// desiredImage differs from what it runs, the agent sets state Working, waits `delayMs`, then
// reports current = desired and state Done — or Degraded with a reason for configs told to fail.
// It stands in for the real daemon in the node controller's end-to-end tests.

import { NodeAnnotations, NodeStates } from "../../api/constants.ts";
import type { KubeObject } from "../../api/object.ts";
import { Informer } from "../../runtime/informer.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { NODES } from "../resources.ts";
import {
  currentConfig,
  currentImage,
  desiredConfig,
  desiredImage,
  nodeName,
  nodeState,
} from "./node-state.ts";

export interface FakeAgentsOptions {
  clients: KubeClients;
  /** How long an update "takes" (default 100 ms). */
  delayMs?: number;
}

export class FakeNodeAgents {
  readonly #nodes: ResourceClient<KubeObject>;
  readonly #informer: Informer<KubeObject>;
  readonly #delayMs: number;
  readonly #busy = new Set<string>();
  readonly #failing = new Map<string, string>();
  #signal: AbortSignal | undefined;

  constructor(options: FakeAgentsOptions) {
    this.#nodes = options.clients.resource(NODES);
    this.#informer = new Informer<KubeObject>({ clients: options.clients, resource: NODES });
    this.#delayMs = options.delayMs ?? 100;
    const handle = (node: KubeObject): void => this.#maybeUpdate(node);
    this.#informer.addEventHandler({ onAdd: handle, onUpdate: (_old, node) => handle(node) });
  }

  /** Nodes told to run `config` go Degraded with `reason` instead of Done. */
  failConfig(config: string, reason: string): void {
    this.#failing.set(config, reason);
  }

  start(signal: AbortSignal): Promise<void> {
    this.#signal = signal;
    return this.#informer.start(signal);
  }

  stopped(): Promise<void> {
    return this.#informer.stopped();
  }

  #maybeUpdate(node: KubeObject): void {
    const name = nodeName(node);
    if (!isPending(node) || this.#busy.has(name)) return;
    this.#busy.add(name);
    void this.#apply(name).finally(() => {
      this.#busy.delete(name);
      // Desired may have moved on while this update ran; the cache has the latest view.
      const latest = this.#informer.get(name);
      if (latest !== undefined && !this.#signal?.aborted) this.#maybeUpdate(latest);
    });
  }

  async #apply(name: string): Promise<void> {
    const signal = this.#signal;
    if (signal === undefined || signal.aborted) return;
    try {
      if (!isPending(await this.#nodes.get(name, { signal }))) return;
      await this.#annotate(name, { [NodeAnnotations.state]: NodeStates.Working }, signal);
      await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
      const live = await this.#nodes.get(name, { signal });
      const config = desiredConfig(live);
      const reason = config === undefined ? undefined : this.#failing.get(config);
      if (reason !== undefined) {
        await this.#annotate(
          name,
          { [NodeAnnotations.state]: NodeStates.Degraded, [NodeAnnotations.reason]: reason },
          signal,
        );
        return;
      }
      await this.#annotate(
        name,
        {
          [NodeAnnotations.currentConfig]: config ?? null,
          [NodeAnnotations.currentImage]: desiredImage(live) ?? null,
          [NodeAnnotations.state]: NodeStates.Done,
          [NodeAnnotations.reason]: null,
        },
        signal,
      );
    } catch {
      // The node went away or the test is over; the next event retries.
    }
  }

  #annotate(
    name: string,
    annotations: Record<string, string | null>,
    signal: AbortSignal,
  ): Promise<KubeObject> {
    return this.#nodes.patch(name, { metadata: { annotations } }, { type: "merge", signal });
  }
}

/** The node has an update to apply and has not failed it. */
function isPending(node: KubeObject): boolean {
  const differs = desiredConfig(node) !== currentConfig(node) || desiredImage(node) !== currentImage(node);
  return differs && nodeState(node) !== NodeStates.Degraded;
}
