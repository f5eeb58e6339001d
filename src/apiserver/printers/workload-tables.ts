// Jobs, Deployments, DaemonSets and PodDisruptionBudgets as printers.go prints them.

import type { KubeObject } from "../../api/object.ts";
import { isPlainObject } from "../../api/object.ts";
import {
  formatLabelSelector,
  formatLabels,
  labelSelectorFromObject,
  labelSelectorToString,
} from "../selectors/label-selector.ts";
import { age, humanDuration } from "./human-duration.ts";
import {
  AGE_COLUMN,
  at,
  CONTAINERS_COLUMN,
  column,
  conditionTrue,
  containerCells,
  IMAGES_COLUMN,
  instant,
  integer,
  NAME_COLUMN,
  table,
  wide,
} from "./table-columns.ts";

/** metav1.LabelSelectorAsSelector(...).String(): "" for none, `<invalid>` when it does not convert. */
function selectorText(selector: unknown): string {
  try {
    return labelSelectorToString(labelSelectorFromObject(isPlainObject(selector) ? selector : undefined));
  } catch {
    return "<invalid>";
  }
}

/** Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running, in Kubernetes 1.32's order. */
export function jobStatus(job: KubeObject): string {
  const conditions = at(job, "status", "conditions");
  if (conditionTrue(conditions, "Complete")) return "Complete";
  if (conditionTrue(conditions, "Failed")) return "Failed";
  if (job.metadata.deletionTimestamp !== undefined) return "Terminating";
  if (conditionTrue(conditions, "Suspended")) return "Suspended";
  if (conditionTrue(conditions, "FailureTarget")) return "FailureTarget";
  if (conditionTrue(conditions, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
  return "Running";
}

function jobCompletions(job: KubeObject): string {
  const succeeded = integer(at(job, "status", "succeeded"));
  const completions = at(job, "spec", "completions");
  if (typeof completions === "number") return `${succeeded}/${completions}`;
  const parallelism = integer(at(job, "spec", "parallelism"));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KubeObject, now: Date): string {
  const start = instant(at(job, "status", "startTime"));
  if (start === undefined) return "";
  const end = instant(at(job, "status", "completionTime")) ?? now.getTime();
  return humanDuration(end - start);
}

export const JOB_TABLE = table(
  [
    NAME_COLUMN,
    column("Status", "Status of the job."),
    column("Completions", "The number of pods which reached phase Succeeded."),
    column("Duration", "Time required to complete the job."),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wide("Selector", "A label query over pods that should match the pod count."),
  ],
  (job, now) => {
    const [names, images] = containerCells(at(job, "spec", "template", "spec"));
    return [
      job.metadata.name ?? "",
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, now),
      age(job.metadata.creationTimestamp, now),
      names,
      images,
      selectorText(at(job, "spec", "selector")),
    ];
  },
);

export const DEPLOYMENT_TABLE = table(
  [
    NAME_COLUMN,
    column("Ready", "Number of the pod with ready state"),
    column(
      "Up-to-date",
      "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
    ),
    column(
      "Available",
      "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
    ),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wide(
      "Selector",
      "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
    ),
  ],
  (deployment, now) => {
    const replicas = at(deployment, "spec", "replicas");
    // apps/v1 defaults spec.replicas to 1.
    const desired = typeof replicas === "number" ? replicas : 1;
    const [names, images] = containerCells(at(deployment, "spec", "template", "spec"));
    return [
      deployment.metadata.name ?? "",
      `${integer(at(deployment, "status", "readyReplicas"))}/${desired}`,
      integer(at(deployment, "status", "updatedReplicas")),
      integer(at(deployment, "status", "availableReplicas")),
      age(deployment.metadata.creationTimestamp, now),
      names,
      images,
      selectorText(at(deployment, "spec", "selector")),
    ];
  },
);

function selectorObject(value: unknown): Parameters<typeof formatLabelSelector>[0] {
  return isPlainObject(value) ? value : undefined;
}

function labelMap(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : String(v)]),
  );
}

export const DAEMONSET_TABLE = table(
  [
    NAME_COLUMN,
    column("Desired", "The total number of nodes that should be running the daemon pod.", {
      type: "integer",
    }),
    column(
      "Current",
      "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.",
      {
        type: "integer",
      },
    ),
    column(
      "Ready",
      "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.",
      {
        type: "integer",
      },
    ),
    column("Up-to-date", "The total number of nodes that are running updated daemon pod.", {
      type: "integer",
    }),
    column(
      "Available",
      "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.",
      {
        type: "integer",
      },
    ),
    column("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wide("Selector", "A label query over pods that are managed by the daemon set."),
  ],
  (daemonSet, now) => {
    const status = at(daemonSet, "status");
    const [names, images] = containerCells(at(daemonSet, "spec", "template", "spec"));
    return [
      daemonSet.metadata.name ?? "",
      integer(at(status, "desiredNumberScheduled")),
      integer(at(status, "currentNumberScheduled")),
      integer(at(status, "numberReady")),
      integer(at(status, "updatedNumberScheduled")),
      integer(at(status, "numberAvailable")),
      formatLabels(labelMap(at(daemonSet, "spec", "template", "spec", "nodeSelector"))),
      age(daemonSet.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(selectorObject(at(daemonSet, "spec", "selector"))),
    ];
  },
);

/** An IntOrString as Go prints it; `N/A` when unset. */
function intOrString(value: unknown): string {
  if (typeof value === "number" || typeof value === "string") return String(value);
  return "N/A";
}

export const PDB_TABLE = table(
  [
    NAME_COLUMN,
    column("Min Available", "The minimum number of pods that must be available."),
    column("Max Unavailable", "The maximum number of pods that may be unavailable."),
    column("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time.", {
      type: "integer",
    }),
    AGE_COLUMN,
  ],
  (pdb, now) => [
    pdb.metadata.name ?? "",
    intOrString(at(pdb, "spec", "minAvailable")),
    intOrString(at(pdb, "spec", "maxUnavailable")),
    integer(at(pdb, "status", "disruptionsAllowed")),
    age(pdb.metadata.creationTimestamp, now),
  ],
);
