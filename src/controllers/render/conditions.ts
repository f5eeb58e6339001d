// MachineConfigPool conditions (the MCO's own struct: type, status, lastTransitionTime, reason,
// message). lastTransitionTime moves only when the status changes.

import type { MachineConfigPoolStatus } from "../../api/machineconfigpool-v1.ts";

export type PoolCondition = NonNullable<MachineConfigPoolStatus["conditions"]>[number];

export interface ConditionUpdate {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
}

/** The conditions with `update` applied; the list order is kept and a new type is appended. */
export function setPoolCondition(
  conditions: readonly PoolCondition[] | undefined,
  update: ConditionUpdate,
  now: Date,
): PoolCondition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((condition) => condition.type === update.type);
  const previous = index < 0 ? undefined : list[index];
  const lastTransitionTime =
    previous?.status === update.status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : timestamp(now);
  const next: PoolCondition = { ...update, lastTransitionTime };
  if (index < 0) list.push(next);
  else list[index] = next;
  return list;
}

export function findPoolCondition(
  conditions: readonly PoolCondition[] | undefined,
  type: string,
): PoolCondition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

/** RFC 3339 with whole seconds, as metav1.Time serialises. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}
