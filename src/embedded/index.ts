// Embedded mode's stand-ins for kube-controller-manager, kube-scheduler and the kubelet, in-process
// on the API server's store: the Job controller, the node lifecycle controller, the scheduler and
// the host kubelet.

import type { Logger } from "pino";
import type { ResourceCatalog } from "../apiserver/registry/catalog.ts";
import type { Store } from "../apiserver/registry/store.ts";
import { silentLogger } from "../logging.ts";
import { HostKubelet, type HostKubeletOptions } from "./host-kubelet.ts";
import { type JobBackoff, JobController } from "./job-controller.ts";
import { type NodeHeartbeat, NodeLifecycleController } from "./node-lifecycle.ts";
import { Scheduler } from "./scheduler.ts";

export { HostKubelet, type HostKubeletOptions } from "./host-kubelet.ts";
export { EMBEDDED_JOB_BACKOFF, type JobBackoff, JobController } from "./job-controller.ts";
export { JOB_TRACKING_FINALIZER } from "./job-pods.ts";
export { type NodeHeartbeat, NodeLifecycleController } from "./node-lifecycle.ts";
export { DEFAULT_NODE_NAME, Scheduler } from "./scheduler.ts";

export interface EmbeddedPlatformOptions {
  store: Store;
  catalog: ResourceCatalog;
  /** mob's state directory; the kubelet keeps pods and logs under `<dir>/kubelet/`. */
  dir: string;
  logger?: Logger;
  /** The one node (default `mob-host`). */
  nodeName?: string;
  /** Back-off between a Job's failed pods (default 1 s doubling up to 10 s). */
  jobBackoff?: Partial<JobBackoff>;
  /** Host kubelet tuning (grace period cap, lease period, isolation, restart back-off). */
  kubelet?: Omit<HostKubeletOptions, "store" | "dir" | "logger" | "nodeName">;
  /** The host kubelet's Lease renewal and the node lifecycle controller's grace period. */
  nodeHeartbeat?: NodeHeartbeat;
}

export interface EmbeddedPlatform {
  kubelet: HostKubelet;
  /** Settles once, after `signal` aborted, every pod process has exited. */
  stopped(): Promise<void>;
}

/**
 * Starts the kubelet (node registered, earlier pods recovered), then the scheduler, the Job
 * controller and the node lifecycle controller.
 */
export async function startEmbeddedPlatform(
  options: EmbeddedPlatformOptions,
  signal: AbortSignal,
): Promise<EmbeddedPlatform> {
  const logger = options.logger ?? silentLogger();
  const nodeName = options.nodeName;
  const leaseRenewMs = options.nodeHeartbeat?.leaseRenewMs;
  const gracePeriodMs = options.nodeHeartbeat?.gracePeriodMs;
  const kubelet = new HostKubelet({
    ...(leaseRenewMs === undefined ? {} : { leaseIntervalMs: leaseRenewMs }),
    ...options.kubelet,
    store: options.store,
    dir: options.dir,
    logger: logger.child({ component: "host-kubelet" }),
    ...(nodeName === undefined ? {} : { nodeName }),
  });
  await kubelet.start(signal);
  new Scheduler({
    store: options.store,
    logger: logger.child({ component: "scheduler" }),
    nodeName: kubelet.nodeName,
  }).start(signal);
  new JobController({
    store: options.store,
    logger: logger.child({ component: "job-controller" }),
    ...(options.jobBackoff === undefined ? {} : { backoff: options.jobBackoff }),
  }).start(signal);
  new NodeLifecycleController({
    store: options.store,
    logger: logger.child({ component: "node-lifecycle" }),
    ...(gracePeriodMs === undefined ? {} : { timings: { gracePeriodMs } }),
  }).start(signal);
  return { kubelet, stopped: () => kubelet.stopped() };
}
