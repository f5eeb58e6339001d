// One level-based pass over a Job: count finished pods (two-phase, through uncountedTerminatedPods and
// the tracking finalizer), decide success or failure, create or delete pods, write status.

import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import type { ProcessResult } from "../apiserver/controllers/work-queue.ts";
import { at, record } from "../apiserver/registry/builtin/object-fields.ts";
import { timestamp } from "../apiserver/registry/names.ts";
import type { Store } from "../apiserver/registry/store.ts";
import {
  classifyPod,
  controllingJob,
  hasTrackingFinalizer,
  isPodReady,
  JOB_TRACKING_FINALIZER,
  renderJobPod,
  restartCount,
} from "./job-pods.ts";
import {
  condition,
  conditions,
  count,
  type Fields,
  isFinished,
  JOB_REASONS,
  jobStatus,
  setCondition,
  setCount,
  TERMINAL_AFTER,
  uncounted,
  uncountedField,
} from "./job-status.ts";
import { find, isNotFound, JOBS, PODS, scopeOf, splitKey, writeStatus } from "./store-access.ts";

export interface JobBackoff {
  /** Delay before the pod after the first failure (Kubernetes: 10 s). */
  baseMs: number;
  /** Upper bound of the doubling delay (Kubernetes: 6 min). */
  maxMs: number;
}

export interface JobContext {
  store: Store;
  logger: Logger | undefined;
  backoff: JobBackoff;
  /** Failures counted per Job uid and when the last one was, for the back-off between pods. */
  failures: Map<string, { count: number; lastMs: number }>;
  /** How long a deleted pod may stay non-terminal before it is counted failed without its kubelet. */
  terminatingGiveUpMs: number;
}

export function reconcileJob(ctx: JobContext, key: string): ProcessResult | undefined {
  const { namespace, name } = splitKey(key);
  const job = find(ctx.store, JOBS, namespace, name);
  const pods = ctx.store.storage
    .list(PODS, { namespace, filter: (pod) => controllingJob(pod)?.name === name })
    .items.filter(hasTrackingFinalizerOrLive);
  const owned = pods.filter((pod) => controllingJob(pod)?.uid === job?.metadata.uid);
  for (const pod of pods) if (!owned.includes(pod)) releasePod(ctx, pod);
  if (job === undefined) return undefined;
  if (isFinished(job)) {
    for (const pod of owned) releasePod(ctx, pod);
    return undefined;
  }
  if (countFinishedPods(ctx, job, owned)) return { requeueAfterMs: 0 };
  return manageJob(ctx, job, owned);
}

function hasTrackingFinalizerOrLive(pod: KubeObject): boolean {
  return hasTrackingFinalizer(pod) || classifyPod(pod) === "active";
}

/** Phase 1-3 of Kubernetes' pod tracking; true when anything was counted. */
function countFinishedPods(ctx: JobContext, job: KubeObject, owned: KubeObject[]): boolean {
  const status = jobStatus(job);
  const succeeded = new Set(uncounted(status, "succeeded"));
  const failed = new Set(uncounted(status, "failed"));
  const release: KubeObject[] = [];
  for (const pod of owned) {
    if (!hasTrackingFinalizer(pod)) continue;
    const uid = pod.metadata.uid ?? "";
    const kind = classifyPod(pod);
    if (kind === "succeeded") succeeded.add(uid);
    else if (kind === "failed") failed.add(uid);
    else if (kind === "terminating" && givenUp(ctx, pod)) failed.add(uid);
    else continue;
    release.push(pod);
  }
  if (succeeded.size + failed.size === 0) return false;
  const pending = uncountedField([...succeeded], [...failed]);
  writeStatus(ctx.store, JOBS, job, (current) => ({
    ...jobStatus(current),
    uncountedTerminatedPods: pending,
  }));
  for (const pod of release) releasePod(ctx, pod);
  writeStatus(ctx.store, JOBS, job, (current) => {
    const next = { ...jobStatus(current), uncountedTerminatedPods: {} };
    setCount(next, "succeeded", count(next, "succeeded") + succeeded.size);
    setCount(next, "failed", count(next, "failed") + failed.size);
    return next;
  });
  if (failed.size > 0) {
    const uid = job.metadata.uid ?? "";
    const previous = ctx.failures.get(uid)?.count ?? 0;
    ctx.failures.set(uid, { count: previous + failed.size, lastMs: Date.now() });
  }
  return true;
}

/** A deleted pod that never reached a node, or whose kubelet stays silent, counts as failed. */
function givenUp(ctx: JobContext, pod: KubeObject): boolean {
  if (typeof at(pod, "spec", "nodeName") !== "string" || at(pod, "spec", "nodeName") === "") return true;
  const deleted = Date.parse(pod.metadata.deletionTimestamp ?? "");
  const grace = Number(at(pod, "spec", "terminationGracePeriodSeconds") ?? 30) * 1000;
  return Date.now() - deleted > grace + ctx.terminatingGiveUpMs;
}

function releasePod(ctx: JobContext, pod: KubeObject): void {
  if (!hasTrackingFinalizer(pod)) return;
  const { namespace = "", name = "", uid } = pod.metadata;
  try {
    ctx.store.write(scopeOf(ctx.store, PODS, namespace), name, undefined, (current) => {
      if (current.metadata.uid !== uid) return current;
      const next = structuredClone(current);
      const finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
      if (finalizers.length > 0) next.metadata.finalizers = finalizers;
      else delete next.metadata.finalizers;
      return next;
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

function deletePod(ctx: JobContext, pod: KubeObject): void {
  const { namespace = "", name = "", uid } = pod.metadata;
  try {
    ctx.store.delete(
      scopeOf(ctx.store, PODS, namespace),
      name,
      uid === undefined ? {} : { preconditions: { uid } },
    );
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

interface Plan {
  /** The interim condition (FailureTarget/SuccessCriteriaMet) and its reason, once decided. */
  target: { type: string; reason: string } | undefined;
  requeueAfterMs: number | undefined;
}

function manageJob(ctx: JobContext, job: KubeObject, owned: KubeObject[]): ProcessResult | undefined {
  const spec = record(job.spec) ?? {};
  const now = ctx.store.now();
  const suspended = spec.suspend === true;
  const status = jobStatus(job);
  const startMs = suspended ? undefined : Date.parse(String(status.startTime ?? timestamp(now)));
  const plan = decide(job, owned, startMs, now.getTime());
  const active = owned.filter((pod) => classifyPod(pod) === "active");
  if (plan.target !== undefined || suspended) for (const pod of active) deletePod(ctx, pod);
  else if (job.metadata.deletionTimestamp === undefined) {
    const wait = scalePods(ctx, job, active, owned);
    if (wait !== undefined) plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? wait, wait);
  }
  const after = ctx.store.storage.list(PODS, {
    namespace: job.metadata.namespace ?? "",
    filter: (pod) => controllingJob(pod)?.uid === job.metadata.uid,
  }).items;
  writeStatus(ctx.store, JOBS, job, (current) => nextStatus(jobStatus(current), after, plan, suspended, now));
  if (plan.target !== undefined && after.some((pod) => classifyPod(pod) === "terminating")) {
    plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? 1000, 1000);
  }
  return plan.requeueAfterMs === undefined ? undefined : { requeueAfterMs: plan.requeueAfterMs };
}

/** Failure before success, as Kubernetes checks them; an interim condition already set stays. */
function decide(job: KubeObject, owned: KubeObject[], startMs: number | undefined, nowMs: number): Plan {
  const status = jobStatus(job);
  for (const type of Object.keys(TERMINAL_AFTER)) {
    const existing = condition(status, type);
    if (existing !== undefined)
      return { target: { type, reason: String(existing.reason ?? "") }, requeueAfterMs: undefined };
  }
  const spec = record(job.spec) ?? {};
  const active = owned.filter((pod) => classifyPod(pod) === "active");
  const onFailure = at(spec, "template", "spec", "restartPolicy") === "OnFailure";
  const failed =
    count(status, "failed") + (onFailure ? active.reduce((n, pod) => n + restartCount(pod), 0) : 0);
  if (failed > Number(spec.backoffLimit ?? 6)) {
    return {
      target: { type: "FailureTarget", reason: JOB_REASONS.backoffLimitExceeded },
      requeueAfterMs: undefined,
    };
  }
  let requeueAfterMs: number | undefined;
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === "number" && startMs !== undefined) {
    const left = startMs + deadline * 1000 - nowMs;
    if (left <= 0)
      return { target: { type: "FailureTarget", reason: JOB_REASONS.deadlineExceeded }, requeueAfterMs };
    requeueAfterMs = left;
  }
  const succeeded = count(status, "succeeded");
  const completions = spec.completions;
  const done =
    typeof completions === "number" ? succeeded >= completions : succeeded > 0 && active.length === 0;
  if (done)
    return { target: { type: "SuccessCriteriaMet", reason: JOB_REASONS.completionsReached }, requeueAfterMs };
  return { target: undefined, requeueAfterMs };
}

/** Creates or deletes pods towards the wanted number of active ones; returns a back-off wait. */
function scalePods(
  ctx: JobContext,
  job: KubeObject,
  active: KubeObject[],
  owned: KubeObject[],
): number | undefined {
  const spec = record(job.spec) ?? {};
  const status = jobStatus(job);
  const parallelism = Number(spec.parallelism ?? 1);
  const succeeded = count(status, "succeeded");
  const wanted =
    typeof spec.completions === "number"
      ? Math.max(0, Math.min(parallelism, spec.completions - succeeded))
      : succeeded > 0
        ? 0
        : parallelism;
  // With podReplacementPolicy Failed a terminating pod is replaced only once it has failed.
  const busy =
    spec.podReplacementPolicy === "Failed"
      ? owned.filter((pod) => classifyPod(pod) === "terminating").length
      : 0;
  const missing = wanted - active.length - busy;
  if (missing < 0) {
    const newest = [...active].sort((a, b) =>
      String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
    );
    for (const pod of newest.slice(0, -missing)) deletePod(ctx, pod);
    return undefined;
  }
  if (missing === 0) return undefined;
  const failures = ctx.failures.get(job.metadata.uid ?? "");
  if (failures !== undefined && failures.count > 0) {
    const delay = Math.min(ctx.backoff.maxMs, ctx.backoff.baseMs * 2 ** (failures.count - 1));
    const left = failures.lastMs + delay - Date.now();
    if (left > 0) return left;
  }
  const scope = scopeOf(ctx.store, PODS, job.metadata.namespace ?? "");
  for (let i = 0; i < missing; i++) {
    const pod = ctx.store.create(scope, renderJobPod(job));
    ctx.logger?.info({ job: job.metadata.name, pod: pod.metadata.name }, "created job pod");
  }
  return undefined;
}

function nextStatus(current: Fields, pods: KubeObject[], plan: Plan, suspended: boolean, now: Date): Fields {
  const at = timestamp(now);
  const next: Fields = { ...current };
  let list = conditions(current);
  if (suspended) {
    delete next.startTime;
    list = setCondition(list, "Suspended", "True", JOB_REASONS.suspended, at);
  } else {
    if (list.some((c) => c.type === "Suspended" && c.status === "True")) {
      list = setCondition(list, "Suspended", "False", JOB_REASONS.resumed, at);
    }
    next.startTime ??= at;
  }
  const active = pods.filter((pod) => classifyPod(pod) === "active");
  const terminating = pods.filter((pod) => classifyPod(pod) === "terminating");
  setCount(next, "active", active.length);
  next.ready = active.filter(isPodReady).length;
  next.terminating = terminating.length;
  next.uncountedTerminatedPods ??= {};
  if (plan.target !== undefined) {
    list = setCondition(list, plan.target.type, "True", plan.target.reason, at);
    const settled = active.length === 0 && terminating.length === 0 && !pods.some(hasTrackingFinalizer);
    const terminal = TERMINAL_AFTER[plan.target.type];
    if (settled && terminal !== undefined) {
      list = setCondition(list, terminal, "True", plan.target.reason, at);
      if (terminal === "Complete") next.completionTime = at;
    }
  }
  if (list.length > 0) next.conditions = list;
  return next;
}
