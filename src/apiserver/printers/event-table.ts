// `kubectl get events` as printers.go printEvent computes it, for core/v1 Events and for
// events.k8s.io/v1 Events (which Kubernetes stores as core Events; the fields map one to one).

import type { KubeObject } from "../../api/object.ts";
import type { TableConvertor } from "../registry/resource.ts";
import { age } from "./human-duration.ts";
import { at, column, integer, NAME_DESCRIPTION, text, wide } from "./table-columns.ts";

/** The fields printEvent reads, under their core/v1 names. */
interface EventFields {
  name: string;
  type: string;
  reason: string;
  message: string;
  involvedObject: unknown;
  source: unknown;
  reportingComponent: string;
  reportingInstance: string;
  firstTimestamp: string;
  lastTimestamp: string;
  eventTime: string;
  count: number;
  series: unknown;
}

function coreEventFields(event: KubeObject): EventFields {
  return {
    name: event.metadata.name ?? "",
    type: text(event.type),
    reason: text(event.reason),
    message: text(event.message),
    involvedObject: event.involvedObject,
    source: event.source,
    reportingComponent: text(event.reportingComponent),
    reportingInstance: text(event.reportingInstance),
    firstTimestamp: text(event.firstTimestamp),
    lastTimestamp: text(event.lastTimestamp),
    eventTime: text(event.eventTime),
    count: integer(event.count),
    series: event.series,
  };
}

function eventsV1Fields(event: KubeObject): EventFields {
  return {
    name: event.metadata.name ?? "",
    type: text(event.type),
    reason: text(event.reason),
    message: text(event.note),
    involvedObject: event.regarding,
    source: event.deprecatedSource,
    reportingComponent: text(event.reportingController),
    reportingInstance: text(event.reportingInstance),
    firstTimestamp: text(event.deprecatedFirstTimestamp),
    lastTimestamp: text(event.deprecatedLastTimestamp),
    eventTime: text(event.eventTime),
    count: integer(event.deprecatedCount),
    series: event.series,
  };
}

/** formatEventSource: component (or reporting controller), then `, host` (or reporting instance) when set. */
function eventSource(fields: EventFields): string {
  const component = text(at(fields.source, "component")) || fields.reportingComponent;
  const instance = text(at(fields.source, "host")) || fields.reportingInstance;
  return instance === "" ? component : `${component}, ${instance}`;
}

function eventRow(fields: EventFields, now: Date): unknown[] {
  const firstSeen =
    fields.firstTimestamp !== "" ? age(fields.firstTimestamp, now) : age(fields.eventTime, now);
  let lastSeen = fields.lastTimestamp !== "" ? age(fields.lastTimestamp, now) : firstSeen;
  let count = fields.count;
  if (fields.series !== undefined && fields.series !== null) {
    lastSeen = age(text(at(fields.series, "lastObservedTime")), now);
    count = integer(at(fields.series, "count"));
  } else if (count === 0) {
    // Singleton events carry no count in events.k8s.io/v1.
    count = 1;
  }
  const kind = text(at(fields.involvedObject, "kind")).toLowerCase();
  const objectName = text(at(fields.involvedObject, "name"));
  return [
    lastSeen,
    fields.type,
    fields.reason,
    objectName === "" ? kind : `${kind}/${objectName}`,
    text(at(fields.involvedObject, "fieldPath")),
    eventSource(fields),
    fields.message.trim(),
    firstSeen,
    count,
    fields.name,
  ];
}

// As in Kubernetes, an Event table starts with Last Seen; Name comes last and only with -o wide.
const EVENT_COLUMNS = [
  column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
  column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
  column(
    "Reason",
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column("Object", "The object that this event is about."),
  wide("Subobject", "The part of the object the event is about, such as a container within a pod."),
  wide("Source", "The component reporting this event."),
  column("Message", "A human-readable description of the status of this operation."),
  wide("First Seen", "The time at which the event was first recorded."),
  wide("Count", "The number of times this event has occurred."),
  column("Name", NAME_DESCRIPTION, { format: "name", priority: 1 }),
];

export const EVENT_TABLE: TableConvertor = {
  columns: EVENT_COLUMNS,
  row: (event, now) => eventRow(coreEventFields(event), now),
};

export const EVENTS_V1_TABLE: TableConvertor = {
  columns: EVENT_COLUMNS,
  row: (event, now) => eventRow(eventsV1Fields(event), now),
};
