// Label and field selectors turned into one predicate over stored objects.

import type { KubeObject } from "../../api/object.ts";
import { matchesFields, parseFieldSelector, validateFieldSelector } from "../selectors/field-selector.ts";
import { matchesLabels, parseLabelSelector } from "../selectors/label-selector.ts";
import type { ResourceDefinition } from "./resource.ts";

export type ObjectFilter = (object: KubeObject) => boolean;

const ALWAYS_SELECTABLE = ["metadata.name", "metadata.namespace"];

export function objectFields(definition: ResourceDefinition, object: KubeObject): Record<string, string> {
  return {
    ...definition.strategy.fieldLabels(object),
    "metadata.name": object.metadata.name ?? "",
    "metadata.namespace": object.metadata.namespace ?? "",
  };
}

/** Undefined when neither selector restricts anything. Throws a 400 for selectors that do not parse. */
export function selectionFilter(
  definition: ResourceDefinition,
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
): ObjectFilter | undefined {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  if (fields) {
    validateFieldSelector(
      fields,
      new Set([...ALWAYS_SELECTABLE, ...(definition.strategy.selectableFields ?? [])]),
    );
  }
  if (!labels && !fields) return undefined;
  return (object) =>
    (!labels || matchesLabels(labels, object.metadata.labels)) &&
    (!fields || matchesFields(fields, objectFields(definition, object)));
}
