// What Job, Deployment and DaemonSet share: a selector that must select the pod template, a
// defaulted pod template, and the schema of that template.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { fieldImmutable, fieldInvalid, fieldRequired } from "./field-issues.ts";
import { selectorIsEmpty, selectorMatches, validateLabelSelector } from "./label-selector.ts";
import { at, ensurePath, jsonEqual, stringMap } from "./object-fields.ts";
import { obj } from "./openapi.ts";
import { POD_SPEC_SCHEMA } from "./pod.ts";
import { defaultPodSpec, type PodSpecRules, validatePodTemplate } from "./pod-spec.ts";

export function defaultPodTemplate(object: KubeObject): void {
  defaultPodSpec(ensurePath(object, "spec", "template", "spec"));
}

export interface WorkloadRules extends PodSpecRules {
  /** Deployment and DaemonSet reject a selector that selects everything. */
  emptySelectorMessage?: string;
}

/** spec.selector present and valid, selecting spec.template's labels; the template valid under `rules`. */
export function validateSelectorAndTemplate(object: KubeObject, rules: WorkloadRules): FieldIssue[] {
  const selector = at(object, "spec", "selector");
  const issues: FieldIssue[] = [];
  if (selector === undefined || selector === null) {
    issues.push(fieldRequired("spec.selector"));
  } else {
    issues.push(...validateLabelSelector(selector, "spec.selector"));
    if (rules.emptySelectorMessage !== undefined && selectorIsEmpty(selector)) {
      issues.push(fieldInvalid("spec.selector", selector, rules.emptySelectorMessage));
    }
    const labels = stringMap(at(object, "spec", "template", "metadata", "labels"));
    if (!selectorMatches(selector, labels)) {
      issues.push(
        fieldInvalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"),
      );
    }
  }
  issues.push(...validatePodTemplate(at(object, "spec", "template"), "spec.template", rules));
  return issues;
}

/** One `field is immutable` issue for each listed spec field that changed. */
export function immutableSpecFields(
  object: KubeObject,
  old: KubeObject,
  fields: readonly string[],
): FieldIssue[] {
  return fields
    .filter((field) => !jsonEqual(at(object, "spec", field), at(old, "spec", field)))
    .map((field) => fieldImmutable(`spec.${field}`, at(object, "spec", field) ?? null));
}

export const POD_TEMPLATE_SCHEMA = obj("Describes the pods that will be created.", {
  metadata: obj("Standard object's metadata of the pods."),
  spec: POD_SPEC_SCHEMA,
});

export const LABEL_SELECTOR_SCHEMA = obj("A label query over pods.", {
  matchLabels: {
    type: "object",
    description: "Labels that must all match.",
    additionalProperties: { type: "string" },
  },
  matchExpressions: {
    type: "array",
    description: "Requirements that must all hold.",
    items: obj("A requirement."),
  },
});
