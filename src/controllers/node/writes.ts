// Every write the node controller makes:
//   node desired annotations  merge patch of desiredConfig/desiredImage (null removes the image);
//   node taints               merge patch of the whole spec.taints list (a list replaces as a
//                             whole), pinned to the resourceVersion it was computed from, so a
//                             concurrent taint change fails with 409 and is recomputed;
//   pool status               PUT to /status at the cached resourceVersion (the conditions list is
//                             atomic and shared with the render and build controllers), skipped
//                             when nothing changed.
// Node writes retry conflicts a few times before failing the reconcile.

import { NodeAnnotations, UPDATE_IN_PROGRESS_TAINT } from "../../api/constants.ts";
import type { MachineConfigPool, MachineConfigPoolStatus } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { canonicalJson } from "../../ignition/index.ts";
import { isConflict } from "../../runtime/errors.ts";
import type { EventRecord, EventRecorder } from "../../runtime/events.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { PATCH_ATTEMPTS } from "./constants.ts";
import { type Taint, taintsOf } from "./node-state.ts";
import type { NodeUpdate } from "./plan.ts";

export interface NodeControllerClients {
  nodes: ResourceClient<KubeObject>;
  pools: ResourceClient<MachineConfigPool>;
}

export type EventSink = Pick<EventRecorder, "record">;

export interface NodeWritesOptions {
  clients: NodeControllerClients;
  events?: EventSink;
  now?: () => Date;
}

export class NodeWrites {
  readonly #clients: NodeControllerClients;
  readonly #events: EventSink | undefined;
  readonly #now: () => Date;

  constructor(options: NodeWritesOptions) {
    this.#clients = options.clients;
    this.#events = options.events;
    this.#now = options.now ?? (() => new Date());
  }

  now(): Date {
    return this.#now();
  }

  /** Points the node at its target; a missing desiredImage in `update` removes the annotation. */
  async setDesired(update: NodeUpdate, signal: AbortSignal): Promise<void> {
    const annotations = {
      [NodeAnnotations.desiredConfig]: update.desiredConfig,
      [NodeAnnotations.desiredImage]: update.desiredImage ?? null,
    };
    await retryOnConflict(() =>
      this.#clients.nodes.patch(update.node, { metadata: { annotations } }, { type: "merge", signal }),
    );
  }

  /** Adds or removes the UpdateInProgress:PreferNoSchedule taint, re-reading the node on conflict. */
  async setTaint(node: string, taint: boolean, signal: AbortSignal): Promise<void> {
    await retryOnConflict(async () => {
      const live = await this.#clients.nodes.get(node, { signal });
      const taints = withUpdateTaint(taintsOf(live), taint);
      if (taints === undefined) return;
      const patch = { metadata: { resourceVersion: live.metadata.resourceVersion }, spec: { taints } };
      await this.#clients.nodes.patch(node, patch, { type: "merge", signal });
    });
  }

  /** Writes `status` unless it equals the pool's; returns whether it wrote. */
  async writeStatus(
    pool: MachineConfigPool,
    status: MachineConfigPoolStatus,
    signal: AbortSignal,
  ): Promise<boolean> {
    if (canonicalJson(status) === canonicalJson(pool.status ?? {})) return false;
    await this.#clients.pools.updateStatus({ ...structuredClone(pool), status }, { signal });
    return true;
  }

  /** Records an event without waiting: events are informational; the recorder never rejects. */
  event(pool: MachineConfigPool, event: EventRecord, signal: AbortSignal): void {
    void this.#events?.record(pool, event, signal);
  }
}

/** The taint list with the update taint added or removed; undefined when it is already so. */
export function withUpdateTaint(list: readonly Taint[], taint: boolean): Taint[] | undefined {
  const isUpdate = (t: Taint): boolean =>
    t.key === UPDATE_IN_PROGRESS_TAINT.key && t.effect === UPDATE_IN_PROGRESS_TAINT.effect;
  const has = list.some(isUpdate);
  if (has === taint) return undefined;
  return taint ? [...list, { ...UPDATE_IN_PROGRESS_TAINT }] : list.filter((t) => !isUpdate(t));
}

async function retryOnConflict<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isConflict(error) || attempt >= PATCH_ATTEMPTS) throw error;
    }
  }
}
