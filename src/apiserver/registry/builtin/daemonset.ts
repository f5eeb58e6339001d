// apps/v1 DaemonSet.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { DAEMONSET_TABLE } from "../../printers/builtin-tables.ts";
import { builtinResource, statusSubresource } from "./definition.ts";
import { nonNegative } from "./field-issues.ts";
import { at, ensureRecord, setDefault } from "./object-fields.ts";
import { CONDITIONS, int, obj } from "./openapi.ts";
import { POD_TEMPLATE_OWNER_PATCH_SCHEMA } from "./patch-schemas.ts";
import { builtinStrategy } from "./strategy.ts";
import {
  defaultPodTemplate,
  immutableSpecFields,
  LABEL_SELECTOR_SCHEMA,
  POD_TEMPLATE_SCHEMA,
  validateSelectorAndTemplate,
} from "./workload.ts";

function defaultDaemonSet(daemonSet: KubeObject): void {
  const spec = ensureRecord(daemonSet, "spec");
  setDefault(spec, "updateStrategy", { type: "RollingUpdate" });
  const strategy = ensureRecord(spec, "updateStrategy");
  if (strategy.type === "RollingUpdate") {
    setDefault(strategy, "rollingUpdate", {});
    const rollingUpdate = ensureRecord(strategy, "rollingUpdate");
    setDefault(rollingUpdate, "maxUnavailable", 1);
    setDefault(rollingUpdate, "maxSurge", 0);
  }
  setDefault(spec, "revisionHistoryLimit", 10);
  defaultPodTemplate(daemonSet);
}

function prepareForCreate(daemonSet: KubeObject): void {
  // These counters are not omitempty upstream, so a new DaemonSet shows them as 0.
  daemonSet.status = {
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    desiredNumberScheduled: 0,
    numberReady: 0,
  };
  defaultDaemonSet(daemonSet);
}

function validate(daemonSet: KubeObject, old: KubeObject | undefined): FieldIssue[] {
  const issues = [
    ...nonNegative("spec.minReadySeconds", at(daemonSet, "spec", "minReadySeconds")),
    ...validateSelectorAndTemplate(daemonSet, {
      restartPolicies: ["Always"],
      emptySelectorMessage: "empty selector is invalid for daemonset",
    }),
  ];
  if (old !== undefined) issues.push(...immutableSpecFields(daemonSet, old, ["selector"]));
  return issues;
}

export const DAEMONSET_RESOURCE = builtinResource({
  group: "apps",
  version: "v1",
  kind: "DaemonSet",
  plural: "daemonsets",
  namespaced: true,
  shortNames: ["ds"],
  categories: ["all"],
  subresources: [statusSubresource("DaemonSet")],
  description: "DaemonSet represents the configuration of a daemon set: one pod on each selected node.",
  properties: {
    spec: obj("The desired behavior of this daemon set.", {
      selector: LABEL_SELECTOR_SCHEMA,
      template: POD_TEMPLATE_SCHEMA,
      updateStrategy: obj("How pods are replaced: RollingUpdate (default) or OnDelete."),
      minReadySeconds: int("Seconds a new pod must be ready to count as available."),
      revisionHistoryLimit: int("Old history to retain. Defaults to 10."),
    }),
    status: obj("The current status of this daemon set.", {
      currentNumberScheduled: int("Nodes running at least one daemon pod that should."),
      desiredNumberScheduled: int("Nodes that should be running the daemon pod."),
      numberReady: int("Nodes whose daemon pod is ready."),
      numberMisscheduled: int("Nodes running the daemon pod that should not."),
      updatedNumberScheduled: int("Nodes running the updated daemon pod."),
      conditions: CONDITIONS,
    }),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    hasStatusSubresource: true,
    tracksGeneration: true,
    patchSchema: POD_TEMPLATE_OWNER_PATCH_SCHEMA,
    prepareForCreate,
    prepareForUpdate: defaultDaemonSet,
    validate,
    table: DAEMONSET_TABLE,
  }),
});
