// The drain controller's watch: Nodes whose drain annotations (or cordon) changed. Timing (eviction
// retries, the drain timeout) comes from the reconciler's requeueAfter, not from events.

import type { Logger } from "pino";
import { NodeAnnotations } from "../../api/constants.ts";
import type { KubeObject } from "../../api/object.ts";
import { Controller } from "../../runtime/controller.ts";
import type { EventRecorder } from "../../runtime/events.ts";
import type { Informer } from "../../runtime/informer.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import type { Manager } from "../../runtime/manager.ts";
import type { RuntimeMetrics } from "../../runtime/metrics.ts";
import type { ObjectEvent } from "../../runtime/predicates.ts";
import { DRAIN_CONTROLLER, DrainFailureAnnotations } from "./constants.ts";
import { drainApiFor, isUnschedulable } from "./drain-api.ts";
import { DrainReconciler } from "./reconcile.ts";

export interface DrainControllerOptions {
  clients: KubeClients;
  nodes: Informer<KubeObject>;
  events: EventRecorder;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  /** Give up (and uncordon) after this long; default 10 minutes. */
  timeoutMs?: number;
  /** Eviction retry interval while a PodDisruptionBudget refuses; default 5 s. */
  retryIntervalMs?: number;
  /** Nodes drained in parallel (default 10; the node controller's maxUnavailable is the real limit). */
  workers?: number;
}

const WATCHED = [
  NodeAnnotations.desiredDrain,
  NodeAnnotations.lastAppliedDrain,
  DrainFailureAnnotations.failedDrain,
] as const;

/** Adds and deletes, and updates that touched a drain annotation or spec.unschedulable. */
export function drainStateChanged(event: ObjectEvent<KubeObject>): boolean {
  const old = event.old;
  if (event.type !== "update" || old === undefined) return true;
  const before = old.metadata.annotations ?? {};
  const after = event.object.metadata.annotations ?? {};
  return (
    WATCHED.some((key) => before[key] !== after[key]) ||
    isUnschedulable(old) !== isUnschedulable(event.object)
  );
}

export function registerDrainController(manager: Manager, options: DrainControllerOptions): Controller {
  const reconciler = new DrainReconciler({
    api: drainApiFor(options.clients),
    events: options.events,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
  });
  const controller = new Controller({
    name: DRAIN_CONTROLLER,
    reconciler,
    workers: options.workers ?? 10,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
  }).watch(options.nodes, { predicates: [drainStateChanged] });
  manager.add(controller);
  return controller;
}
