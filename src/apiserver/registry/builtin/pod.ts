// core/v1 Pod with its status, log, eviction and binding subresources (handled elsewhere).

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { POD_TABLE } from "../../printers/builtin-tables.ts";
import { builtinResource, statusSubresource } from "./definition.ts";
import { podFieldLabels, SUPPORTED_FIELD_LABELS } from "./field-labels.ts";
import { ensureRecord, record, text } from "./object-fields.ts";
import { arrayOf, bool, CONDITIONS, int, obj, str, stringMapOf } from "./openapi.ts";
import { POD_PATCH_SCHEMA } from "./patch-schemas.ts";
import {
  defaultPodSpec,
  podQosClass,
  RESTART_POLICIES,
  validatePodSpec,
  validatePodSpecUpdate,
} from "./pod-spec.ts";
import { builtinStrategy } from "./strategy.ts";

/**
 * Defaults the spec and, unlike upstream (which always resets status to Pending), keeps a status
 * that already has a phase so fixtures and node agents may create pods in any phase.
 */
function prepareForCreate(pod: KubeObject): void {
  const spec = ensureRecord(pod, "spec");
  defaultPodSpec(spec);
  const status = record(pod.status);
  const qosClass = podQosClass(spec);
  if (status === undefined || text(status.phase) === undefined) {
    pod.status = { phase: "Pending", qosClass };
  } else if (status.qosClass === undefined) {
    status.qosClass = qosClass;
  }
}

/** Defaults again so that a PUT omitting defaulted fields is not taken for a spec change. */
function prepareForUpdate(pod: KubeObject): void {
  defaultPodSpec(ensureRecord(pod, "spec"));
}

function validate(pod: KubeObject, old: KubeObject | undefined): FieldIssue[] {
  const issues = validatePodSpec(pod.spec, "spec", { restartPolicies: RESTART_POLICIES });
  if (old !== undefined) issues.push(...validatePodSpecUpdate(pod.spec, old.spec));
  return issues;
}

const container = obj("A container of the pod.", {
  name: str("Name of the container, a DNS label unique within the pod."),
  image: str("Container image name."),
  command: arrayOf("Entrypoint array.", str("An argument.")),
  args: arrayOf("Arguments to the entrypoint.", str("An argument.")),
  env: arrayOf(
    "Environment variables.",
    obj("An environment variable.", { name: str("Name."), value: str("Value.") }),
  ),
  resources: obj("Compute resources required by this container."),
  volumeMounts: arrayOf("Volumes mounted into the container.", obj("A volume mount.")),
  securityContext: obj("Security options the container runs with."),
});

export const POD_SPEC_SCHEMA = obj("Specification of the desired behavior of the pod.", {
  containers: arrayOf("Containers of the pod; at least one.", container),
  initContainers: arrayOf("Containers run to completion, in order, before the others start.", container),
  volumes: arrayOf("Volumes that containers may mount.", obj("A named volume.")),
  restartPolicy: str("Restart policy for all containers: Always, OnFailure or Never."),
  nodeName: str("The node the pod is bound to."),
  nodeSelector: stringMapOf("Labels a node must have for the pod to fit."),
  serviceAccountName: str("Name of the ServiceAccount used to run the pod."),
  hostNetwork: bool("Use the host's network namespace."),
  tolerations: arrayOf("Taints the pod tolerates.", obj("A toleration.")),
  terminationGracePeriodSeconds: int("Seconds the pod needs to terminate gracefully."),
});

export const POD_RESOURCE = builtinResource({
  group: "",
  version: "v1",
  kind: "Pod",
  plural: "pods",
  namespaced: true,
  shortNames: ["po"],
  categories: ["all"],
  subresources: [
    statusSubresource("Pod"),
    { name: "log", kind: "Pod", verbs: ["get"] },
    { name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
    { name: "binding", kind: "Binding", verbs: ["create"] },
  ],
  description: "Pod is a collection of containers that can run on a host.",
  properties: {
    spec: POD_SPEC_SCHEMA,
    status: obj("Most recently observed status of the pod.", {
      phase: str("Pending, Running, Succeeded, Failed or Unknown."),
      conditions: CONDITIONS,
      podIP: str("IP address allocated to the pod."),
      qosClass: str("Quality of Service class: BestEffort, Burstable or Guaranteed."),
      containerStatuses: arrayOf("Status of each container.", obj("A container status.")),
    }),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    hasStatusSubresource: true,
    deleteReturnsObject: true,
    patchSchema: POD_PATCH_SCHEMA,
    fieldLabels: podFieldLabels,
    selectableFields: SUPPORTED_FIELD_LABELS.pods ?? [],
    prepareForCreate,
    prepareForUpdate,
    validate,
    table: POD_TABLE,
  }),
});
