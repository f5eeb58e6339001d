// batch/v1 Job. Without spec.manualSelector the server generates the selector from the Job's uid,
// which the generic store assigns before prepareForCreate runs.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { JOB_TABLE } from "../../printers/builtin-tables.ts";
import { builtinResource, statusSubresource } from "./definition.ts";
import { fieldInvalid, nonNegative } from "./field-issues.ts";
import { jobFieldLabels, SUPPORTED_FIELD_LABELS } from "./field-labels.ts";
import { at, ensurePath, ensureRecord, record, setDefault } from "./object-fields.ts";
import { bool, CONDITIONS, int, obj, str } from "./openapi.ts";
import { POD_TEMPLATE_OWNER_PATCH_SCHEMA } from "./patch-schemas.ts";
import { builtinStrategy, resetStatus } from "./strategy.ts";
import {
  defaultPodTemplate,
  immutableSpecFields,
  LABEL_SELECTOR_SCHEMA,
  POD_TEMPLATE_SCHEMA,
  validateSelectorAndTemplate,
} from "./workload.ts";

export const JOB_LABELS = {
  controllerUid: "batch.kubernetes.io/controller-uid",
  jobName: "batch.kubernetes.io/job-name",
  legacyControllerUid: "controller-uid",
  legacyJobName: "job-name",
} as const;

function defaultJob(job: KubeObject): void {
  const spec = ensureRecord(job, "spec");
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  setDefault(spec, "parallelism", 1);
  setDefault(spec, "backoffLimit", 6);
  setDefault(spec, "completionMode", "NonIndexed");
  setDefault(spec, "suspend", false);
  setDefault(
    spec,
    "podReplacementPolicy",
    spec.podFailurePolicy === undefined ? "TerminatingOrFailed" : "Failed",
  );
  defaultPodTemplate(job);
}

/** Adds the job-name and controller-uid labels the user did not set; a conflicting one fails validation. */
function generateSelector(job: KubeObject): void {
  const name = job.metadata.name ?? "";
  const uid = job.metadata.uid ?? "";
  const labels = ensurePath(job, "spec", "template", "metadata", "labels");
  setDefault(labels, JOB_LABELS.legacyJobName, name);
  setDefault(labels, JOB_LABELS.jobName, name);
  setDefault(labels, JOB_LABELS.legacyControllerUid, uid);
  setDefault(labels, JOB_LABELS.controllerUid, uid);
  setDefault(ensurePath(job, "spec", "selector", "matchLabels"), JOB_LABELS.controllerUid, uid);
}

function prepareForCreate(job: KubeObject): void {
  resetStatus(job);
  defaultJob(job);
  if (at(job, "spec", "manualSelector") !== true) generateSelector(job);
}

function validate(job: KubeObject, old: KubeObject | undefined): FieldIssue[] {
  const spec = record(job.spec) ?? {};
  const issues = [
    ...nonNegative("spec.parallelism", spec.parallelism),
    ...nonNegative("spec.completions", spec.completions),
    ...nonNegative("spec.backoffLimit", spec.backoffLimit),
    ...validateSelectorAndTemplate(job, { restartPolicies: ["OnFailure", "Never"] }),
  ];
  const generatedUid = record(record(spec.selector)?.matchLabels)?.[JOB_LABELS.controllerUid];
  if (spec.manualSelector !== true && generatedUid !== job.metadata.uid) {
    issues.push(fieldInvalid("spec.selector", spec.selector ?? null, "`selector` not auto-generated"));
  }
  if (old !== undefined)
    issues.push(...immutableSpecFields(job, old, ["selector", "template", "completionMode"]));
  return issues;
}

export const JOB_RESOURCE = builtinResource({
  group: "batch",
  version: "v1",
  kind: "Job",
  plural: "jobs",
  namespaced: true,
  categories: ["all"],
  subresources: [statusSubresource("Job")],
  description: "Job represents the configuration of a single job.",
  properties: {
    spec: obj("Specification of the desired behavior of a job.", {
      parallelism: int("Maximum number of pods running at any time."),
      completions: int("Number of successfully finished pods the job needs."),
      backoffLimit: int("Retries before marking the job failed. Defaults to 6."),
      activeDeadlineSeconds: int("Duration after which the job's pods are terminated."),
      ttlSecondsAfterFinished: int("Seconds after finishing before the job is deleted."),
      completionMode: str("NonIndexed or Indexed."),
      suspend: bool("Whether the job controller should create pods."),
      manualSelector: bool("Use spec.selector as given instead of generating it."),
      selector: LABEL_SELECTOR_SCHEMA,
      template: POD_TEMPLATE_SCHEMA,
    }),
    status: obj("Current status of a job.", {
      conditions: CONDITIONS,
      active: int("Number of pending and running pods."),
      succeeded: int("Number of pods which reached phase Succeeded."),
      failed: int("Number of pods which reached phase Failed."),
      startTime: str("When the job controller started processing the job."),
      completionTime: str("When the job completed."),
    }),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    hasStatusSubresource: true,
    tracksGeneration: true,
    patchSchema: POD_TEMPLATE_OWNER_PATCH_SCHEMA,
    fieldLabels: jobFieldLabels,
    selectableFields: SUPPORTED_FIELD_LABELS["jobs.batch"] ?? [],
    prepareForCreate,
    prepareForUpdate: defaultJob,
    validate,
    table: JOB_TABLE,
  }),
});
