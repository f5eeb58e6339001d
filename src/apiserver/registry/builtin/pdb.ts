// policy/v1 PodDisruptionBudget, which the eviction subresource consults.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { PDB_TABLE } from "../../printers/builtin-tables.ts";
import { builtinResource, statusSubresource } from "./definition.ts";
import { fieldInvalid, fieldNotSupported, nonNegative } from "./field-issues.ts";
import { validateLabelSelector } from "./label-selector.ts";
import { record, text } from "./object-fields.ts";
import { CONDITIONS, int, obj, str } from "./openapi.ts";
import { builtinStrategy } from "./strategy.ts";
import { LABEL_SELECTOR_SCHEMA } from "./workload.ts";

const EVICTION_POLICIES = ["IfHealthyBudget", "AlwaysAllow"] as const;
const PERCENT = /^[0-9]+%$/;
const PERCENT_MESSAGE =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** An IntOrString that is a non-negative integer or a percentage of at most 100%. */
function validateIntOrPercent(value: unknown, path: string): FieldIssue[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "number") return nonNegative(path, value);
  const percent = text(value) ?? "";
  if (!PERCENT.test(percent)) return [fieldInvalid(path, value, PERCENT_MESSAGE)];
  return Number.parseInt(percent, 10) > 100
    ? [fieldInvalid(path, value, "must not be greater than 100%")]
    : [];
}

function prepareForCreate(pdb: KubeObject): void {
  // These counters are not omitempty upstream, so a new budget shows them as 0.
  pdb.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
}

function validate(pdb: KubeObject): FieldIssue[] {
  const spec = record(pdb.spec) ?? {};
  const issues: FieldIssue[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) {
    issues.push(fieldInvalid("spec", spec, "minAvailable and maxUnavailable cannot be both set"));
  }
  issues.push(
    ...validateIntOrPercent(spec.minAvailable, "spec.minAvailable"),
    ...validateIntOrPercent(spec.maxUnavailable, "spec.maxUnavailable"),
    ...validateLabelSelector(spec.selector, "spec.selector"),
  );
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !(EVICTION_POLICIES as readonly unknown[]).includes(policy)) {
    issues.push(fieldNotSupported("spec.unhealthyPodEvictionPolicy", policy, EVICTION_POLICIES));
  }
  return issues;
}

const intOrString = (description: string) => ({ "x-kubernetes-int-or-string": true, description });

export const PDB_RESOURCE = builtinResource({
  group: "policy",
  version: "v1",
  kind: "PodDisruptionBudget",
  plural: "poddisruptionbudgets",
  namespaced: true,
  shortNames: ["pdb"],
  subresources: [statusSubresource("PodDisruptionBudget")],
  description: "PodDisruptionBudget limits the number of pods of a collection disrupted at once.",
  properties: {
    spec: obj("Specification of the desired behavior of the PodDisruptionBudget.", {
      minAvailable: intOrString(
        "Pods that must still be available after an eviction (number or percentage).",
      ),
      maxUnavailable: intOrString("Pods that may be unavailable after an eviction (number or percentage)."),
      selector: LABEL_SELECTOR_SCHEMA,
      unhealthyPodEvictionPolicy: str("IfHealthyBudget (default) or AlwaysAllow."),
    }),
    status: obj("Most recently observed status of the PodDisruptionBudget.", {
      disruptionsAllowed: int("Number of pod disruptions currently allowed."),
      currentHealthy: int("Current number of healthy pods."),
      desiredHealthy: int("Minimum desired number of healthy pods."),
      expectedPods: int("Total number of pods counted by this budget."),
      conditions: CONDITIONS,
    }),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    hasStatusSubresource: true,
    tracksGeneration: true,
    prepareForCreate,
    validate,
    table: PDB_TABLE,
  }),
});
