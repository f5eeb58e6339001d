// Events: core/v1 Event (what `kubectl get events` and most controllers use) and the
// events.k8s.io/v1 view. Upstream both are one stored type; mob keeps them as two resources.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { EVENT_TABLE, EVENTS_V1_TABLE } from "../../printers/builtin-tables.ts";
import { builtinResource } from "./definition.ts";
import { fieldInvalid, fieldRequired, fieldTooLong } from "./field-issues.ts";
import { eventFieldLabels, eventsV1FieldLabels, SUPPORTED_FIELD_LABELS } from "./field-labels.ts";
import { isQualifiedName } from "./names.ts";
import { at, text } from "./object-fields.ts";
import { int, obj, str } from "./openapi.ts";
import { builtinStrategy } from "./strategy.ts";

/** The involved object's namespace must be the event's, or empty for events in "default" or cluster scope. */
function validateCoreEvent(event: KubeObject): FieldIssue[] {
  const involvedNamespace = text(at(event, "involvedObject", "namespace")) ?? "";
  const namespace = event.metadata.namespace ?? "";
  const matches =
    involvedNamespace === "" ? namespace === "" || namespace === "default" : involvedNamespace === namespace;
  return matches
    ? []
    : [fieldInvalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace")];
}

const MAX_FIELD_CHARS = 128;
const NOTE_LIMIT_BYTES = 1024;

function validateEventsV1(event: KubeObject): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (event.eventTime === undefined || event.eventTime === null) issues.push(fieldRequired("eventTime"));
  const controller = text(event.reportingController) ?? "";
  if (controller === "") issues.push(fieldRequired("reportingController"));
  else
    for (const message of isQualifiedName(controller))
      issues.push(fieldInvalid("reportingController", controller, message));
  for (const field of ["reportingInstance", "action", "reason"]) {
    const value = text(event[field]) ?? "";
    if (value === "") issues.push(fieldRequired(field));
    else if (value.length > MAX_FIELD_CHARS) issues.push(fieldTooLong(field, MAX_FIELD_CHARS));
  }
  const type = text(event.type) ?? "";
  if (type !== "Normal" && type !== "Warning")
    issues.push(fieldInvalid("type", "", `has invalid value: ${type}`));
  if (Buffer.byteLength(text(event.note) ?? "") > NOTE_LIMIT_BYTES)
    issues.push(fieldTooLong("note", NOTE_LIMIT_BYTES));
  return issues;
}

const objectReference = (description: string) =>
  obj(description, {
    kind: str("Kind of the referent."),
    namespace: str("Namespace of the referent."),
    name: str("Name of the referent."),
    uid: str("UID of the referent."),
    apiVersion: str("API version of the referent."),
    fieldPath: str("A field within the referent, e.g. spec.containers{name}."),
  });

export const EVENT_RESOURCE = builtinResource({
  group: "",
  version: "v1",
  kind: "Event",
  plural: "events",
  namespaced: true,
  shortNames: ["ev"],
  description: "Event is a report of an event somewhere in the cluster.",
  properties: {
    involvedObject: objectReference("The object this event is about."),
    reason: str("Short, machine-understandable reason for the transition."),
    message: str("Human-readable description of the status of this operation."),
    type: str("Normal or Warning."),
    count: int("The number of times this event has occurred."),
    firstTimestamp: str("The time at which the event was first recorded."),
    lastTimestamp: str("The time at which the most recent occurrence was recorded."),
    source: obj("The component reporting this event.", {
      component: str("Component name."),
      host: str("Node name."),
    }),
    reportingComponent: str("Name of the controller that emitted this event."),
    reportingInstance: str("ID of the controller instance."),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    fieldLabels: eventFieldLabels,
    selectableFields: SUPPORTED_FIELD_LABELS.events ?? [],
    validate: validateCoreEvent,
    table: EVENT_TABLE,
  }),
});

export const EVENTS_V1_RESOURCE = builtinResource({
  group: "events.k8s.io",
  version: "v1",
  kind: "Event",
  plural: "events",
  namespaced: true,
  shortNames: ["ev"],
  description: "Event is a report of an event somewhere in the cluster.",
  properties: {
    eventTime: {
      type: "string",
      format: "date-time",
      description: "The time this event was first observed.",
    },
    regarding: objectReference("The object this event is about."),
    related: objectReference("A secondary object for more complex actions."),
    reason: str("Why the action was taken; machine-readable."),
    note: str("Human-readable description, at most 1kB."),
    type: str("Normal or Warning."),
    action: str("What action was taken or failed on the regarding object."),
    reportingController: str(
      "Name of the controller that emitted this event, e.g. example.com/my-controller.",
    ),
    reportingInstance: str("ID of the controller instance, e.g. my-controller-xyzf."),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    fieldLabels: eventsV1FieldLabels,
    selectableFields: SUPPORTED_FIELD_LABELS["events.events.k8s.io"] ?? [],
    validate: validateEventsV1,
    table: EVENTS_V1_TABLE,
  }),
});
