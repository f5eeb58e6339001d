// Field-selector labels of the built-in kinds (besides metadata.name and metadata.namespace, which
// every resource supports), after the *ToSelectableFields functions of k8s.io/kubernetes.

import type { KubeObject } from "../../../api/object.ts";
import { at, list, record, text } from "./object-fields.ts";

const EVENT_FIELD_LABELS = [
  "involvedObject.kind",
  "involvedObject.namespace",
  "involvedObject.name",
  "involvedObject.uid",
  "involvedObject.apiVersion",
  "involvedObject.resourceVersion",
  "involvedObject.fieldPath",
  "reason",
  "reportingComponent",
  "source",
  "type",
];

/**
 * The kind-specific field labels each resource supports, by resource key. A field selector naming
 * anything else (except metadata.name / metadata.namespace) is a 400 `field label not supported`.
 */
export const SUPPORTED_FIELD_LABELS: Readonly<Record<string, readonly string[]>> = {
  pods: [
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.nominatedNodeName",
  ],
  nodes: ["spec.unschedulable"],
  events: EVENT_FIELD_LABELS,
  "events.events.k8s.io": EVENT_FIELD_LABELS,
  secrets: ["type"],
  namespaces: ["status.phase"],
  "jobs.batch": ["status.successful"],
};

const str = (value: unknown): string => text(value) ?? "";
const bool = (value: unknown): string => (value === true ? "true" : "false");

export function podFieldLabels(pod: KubeObject): Record<string, string> {
  const firstIp = record(list(at(pod, "status", "podIPs"))[0]);
  return {
    "spec.nodeName": str(at(pod, "spec", "nodeName")),
    "spec.restartPolicy": str(at(pod, "spec", "restartPolicy")),
    "spec.schedulerName": str(at(pod, "spec", "schedulerName")),
    "spec.serviceAccountName": str(at(pod, "spec", "serviceAccountName")),
    "spec.hostNetwork": bool(at(pod, "spec", "hostNetwork")),
    "status.phase": str(at(pod, "status", "phase")),
    "status.podIP": str(firstIp?.ip ?? at(pod, "status", "podIP")),
    "status.nominatedNodeName": str(at(pod, "status", "nominatedNodeName")),
  };
}

export function nodeFieldLabels(node: KubeObject): Record<string, string> {
  return { "spec.unschedulable": bool(at(node, "spec", "unschedulable")) };
}

export function eventFieldLabels(event: KubeObject): Record<string, string> {
  const involved = (field: string) => str(at(event, "involvedObject", field));
  return {
    "involvedObject.kind": involved("kind"),
    "involvedObject.namespace": involved("namespace"),
    "involvedObject.name": involved("name"),
    "involvedObject.uid": involved("uid"),
    "involvedObject.apiVersion": involved("apiVersion"),
    "involvedObject.resourceVersion": involved("resourceVersion"),
    "involvedObject.fieldPath": involved("fieldPath"),
    reason: str(event.reason),
    reportingComponent: str(event.reportingComponent),
    source: str(at(event, "source", "component")),
    type: str(event.type),
  };
}

/**
 * events.k8s.io/v1 Events are selected by the core/v1 field names, as upstream (both are views of
 * one stored type): `regarding` is `involvedObject`, `reportingController` is `reportingComponent`.
 */
export function eventsV1FieldLabels(event: KubeObject): Record<string, string> {
  const regarding = (field: string) => str(at(event, "regarding", field));
  return {
    "involvedObject.kind": regarding("kind"),
    "involvedObject.namespace": regarding("namespace"),
    "involvedObject.name": regarding("name"),
    "involvedObject.uid": regarding("uid"),
    "involvedObject.apiVersion": regarding("apiVersion"),
    "involvedObject.resourceVersion": regarding("resourceVersion"),
    "involvedObject.fieldPath": regarding("fieldPath"),
    reason: str(event.reason),
    reportingComponent: str(event.reportingController),
    source: str(at(event, "deprecatedSource", "component")),
    type: str(event.type),
  };
}

export function secretFieldLabels(secret: KubeObject): Record<string, string> {
  return { type: str(secret.type) };
}

export function namespaceFieldLabels(namespace: KubeObject): Record<string, string> {
  return { "status.phase": str(at(namespace, "status", "phase")) };
}

export function jobFieldLabels(job: KubeObject): Record<string, string> {
  const succeeded = at(job, "status", "succeeded");
  return { "status.successful": String(typeof succeeded === "number" ? succeeded : 0) };
}
