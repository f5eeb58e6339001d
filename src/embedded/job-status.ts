// batch/v1 JobStatus as Kubernetes 1.32 writes it: conditions with its reasons and messages, counters
// that are omitted at zero (omitempty) except `ready` and `terminating` (pointers), and the
// two-phase `uncountedTerminatedPods` bookkeeping.

import type { KubeObject } from "../api/object.ts";
import { at, list, record, text } from "../apiserver/registry/builtin/object-fields.ts";

export type Fields = Record<string, unknown>;

export const JOB_REASONS = {
  backoffLimitExceeded: "BackoffLimitExceeded",
  deadlineExceeded: "DeadlineExceeded",
  completionsReached: "CompletionsReached",
  suspended: "JobSuspended",
  resumed: "JobResumed",
} as const;

export const JOB_MESSAGES: Record<string, string> = {
  [JOB_REASONS.backoffLimitExceeded]: "Job has reached the specified backoff limit",
  [JOB_REASONS.deadlineExceeded]: "Job was active longer than specified deadline",
  [JOB_REASONS.completionsReached]: "Reached expected number of succeeded pods",
  [JOB_REASONS.suspended]: "Job suspended",
  [JOB_REASONS.resumed]: "Job resumed",
};

/** The interim condition each terminal condition follows. */
export const TERMINAL_AFTER: Record<string, string> = {
  FailureTarget: "Failed",
  SuccessCriteriaMet: "Complete",
};

export function jobStatus(job: KubeObject): Fields {
  return record(job.status) ?? {};
}

export function conditions(status: Fields): Fields[] {
  return list(status.conditions).flatMap((c) => (record(c) === undefined ? [] : [record(c) as Fields]));
}

export function condition(status: Fields, type: string): Fields | undefined {
  return conditions(status).find((c) => c.type === type && c.status === "True");
}

export function isFinished(job: KubeObject): boolean {
  const status = jobStatus(job);
  return condition(status, "Complete") !== undefined || condition(status, "Failed") !== undefined;
}

/**
 * `conditions` with `type` set to `status`; an existing condition keeps its lastTransitionTime
 * when its status does not change.
 */
export function setCondition(
  existing: Fields[],
  type: string,
  status: "True" | "False",
  reason: string,
  now: string,
): Fields[] {
  const current = existing.find((c) => c.type === type);
  if (current !== undefined && current.status === status && current.reason === reason) return existing;
  const next = {
    type,
    status,
    lastProbeTime: now,
    lastTransitionTime: now,
    reason,
    message: JOB_MESSAGES[reason] ?? "",
  };
  return current === undefined ? [...existing, next] : existing.map((c) => (c === current ? next : c));
}

export function count(status: Fields, field: "succeeded" | "failed"): number {
  const value = status[field];
  return typeof value === "number" ? value : 0;
}

export function uncounted(status: Fields, field: "succeeded" | "failed"): string[] {
  return list(at(status, "uncountedTerminatedPods", field)).flatMap((uid) =>
    text(uid) === undefined ? [] : [uid as string],
  );
}

/** Sets a counter, leaving it out at zero like Go's omitempty. */
export function setCount(status: Fields, field: string, value: number): void {
  if (value > 0) status[field] = value;
  else delete status[field];
}

export function uncountedField(succeeded: readonly string[], failed: readonly string[]): Fields {
  return {
    ...(succeeded.length > 0 ? { succeeded: [...succeeded] } : {}),
    ...(failed.length > 0 ? { failed: [...failed] } : {}),
  };
}
