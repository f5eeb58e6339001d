// apps/v1 Deployment.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { DEPLOYMENT_TABLE } from "../../printers/builtin-tables.ts";
import { builtinResource, statusSubresource } from "./definition.ts";
import { nonNegative } from "./field-issues.ts";
import { at, ensureRecord, setDefault } from "./object-fields.ts";
import { bool, CONDITIONS, int, obj } from "./openapi.ts";
import { POD_TEMPLATE_OWNER_PATCH_SCHEMA } from "./patch-schemas.ts";
import { builtinStrategy, resetStatus } from "./strategy.ts";
import {
  defaultPodTemplate,
  immutableSpecFields,
  LABEL_SELECTOR_SCHEMA,
  POD_TEMPLATE_SCHEMA,
  validateSelectorAndTemplate,
} from "./workload.ts";

function defaultDeployment(deployment: KubeObject): void {
  const spec = ensureRecord(deployment, "spec");
  setDefault(spec, "replicas", 1);
  setDefault(spec, "strategy", { type: "RollingUpdate" });
  const strategy = ensureRecord(spec, "strategy");
  if (strategy.type === "RollingUpdate") {
    setDefault(strategy, "rollingUpdate", {});
    const rollingUpdate = ensureRecord(strategy, "rollingUpdate");
    setDefault(rollingUpdate, "maxUnavailable", "25%");
    setDefault(rollingUpdate, "maxSurge", "25%");
  }
  setDefault(spec, "revisionHistoryLimit", 10);
  setDefault(spec, "progressDeadlineSeconds", 600);
  defaultPodTemplate(deployment);
}

function prepareForCreate(deployment: KubeObject): void {
  resetStatus(deployment);
  defaultDeployment(deployment);
}

function validate(deployment: KubeObject, old: KubeObject | undefined): FieldIssue[] {
  const issues = [
    ...nonNegative("spec.replicas", at(deployment, "spec", "replicas")),
    ...nonNegative("spec.revisionHistoryLimit", at(deployment, "spec", "revisionHistoryLimit")),
    ...validateSelectorAndTemplate(deployment, {
      restartPolicies: ["Always"],
      emptySelectorMessage: "empty selector is invalid for deployment",
    }),
  ];
  if (old !== undefined) issues.push(...immutableSpecFields(deployment, old, ["selector"]));
  return issues;
}

export const DEPLOYMENT_RESOURCE = builtinResource({
  group: "apps",
  version: "v1",
  kind: "Deployment",
  plural: "deployments",
  namespaced: true,
  shortNames: ["deploy"],
  categories: ["all"],
  subresources: [statusSubresource("Deployment")],
  description: "Deployment enables declarative updates for Pods and ReplicaSets.",
  properties: {
    spec: obj("Specification of the desired behavior of the Deployment.", {
      replicas: int("Number of desired pods. Defaults to 1."),
      selector: LABEL_SELECTOR_SCHEMA,
      template: POD_TEMPLATE_SCHEMA,
      strategy: obj("The deployment strategy: RollingUpdate (default) or Recreate."),
      revisionHistoryLimit: int("Old ReplicaSets to retain. Defaults to 10."),
      progressDeadlineSeconds: int("Seconds before a stalled rollout is reported. Defaults to 600."),
      paused: bool("Whether the deployment is paused."),
    }),
    status: obj("Most recently observed status of the Deployment.", {
      observedGeneration: int("The generation observed by the deployment controller."),
      replicas: int("Total number of non-terminated pods targeted by this deployment."),
      updatedReplicas: int("Pods that have the desired template."),
      readyReplicas: int("Pods targeted by this Deployment with a Ready condition."),
      availableReplicas: int("Pods ready for at least minReadySeconds."),
      conditions: CONDITIONS,
    }),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    hasStatusSubresource: true,
    tracksGeneration: true,
    patchSchema: POD_TEMPLATE_OWNER_PATCH_SCHEMA,
    prepareForCreate,
    prepareForUpdate: defaultDeployment,
    validate,
    table: DEPLOYMENT_TABLE,
  }),
});
