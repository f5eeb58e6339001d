// Column definitions and cell helpers shared by the built-in printers, after
// k8s.io/kubernetes/pkg/printers/internalversion/printers.go.

import type { KubeObject } from "../../api/object.ts";
import { isPlainObject } from "../../api/object.ts";
import type { TableColumn, TableConvertor } from "../registry/resource.ts";

/** metav1.ObjectMeta's documentation of `name`, which Kubernetes uses for every Name column. */
export const NAME_DESCRIPTION =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

/** metav1.ObjectMeta's documentation of `creationTimestamp`, used for every Age column. */
export const CREATION_TIMESTAMP_DESCRIPTION =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

export const NAME_COLUMN: TableColumn = {
  name: "Name",
  type: "string",
  format: "name",
  description: NAME_DESCRIPTION,
  priority: 0,
};

/** Built-in Age columns are strings (already humanized), unlike CRD `date` columns. */
export const AGE_COLUMN: TableColumn = column("Age", CREATION_TIMESTAMP_DESCRIPTION);

export function column(
  name: string,
  description: string,
  options: { type?: string; priority?: number; format?: string } = {},
): TableColumn {
  return {
    name,
    type: options.type ?? "string",
    format: options.format ?? "",
    description,
    priority: options.priority ?? 0,
  };
}

/** A priority-1 column: shown by `kubectl get -o wide` only. */
export function wide(name: string, description: string, type = "string"): TableColumn {
  return column(name, description, { type, priority: 1 });
}

export function table(
  columns: readonly TableColumn[],
  row: (object: KubeObject, now: Date) => unknown[],
): TableConvertor {
  return { columns, row };
}

/** The value at a path of nested objects, undefined when any step is missing or not an object. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isPlainObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

export function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** A JSON integer, 0 when absent (Go's zero value). */
export function integer(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : 0;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function keyCount(value: unknown): number {
  return isPlainObject(value) ? Object.keys(value).length : 0;
}

/** Milliseconds since the epoch, undefined for a missing or unparsable timestamp (Go's zero time). */
export function instant(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Whether a condition of `type` exists with status True (the first of that type decides). */
export function conditionTrue(conditions: unknown, type: string): boolean {
  const condition = list(conditions).find((c) => at(c, "type") === type);
  return at(condition, "status") === "True";
}

/** printers.go layoutContainerCells: names and images, each comma-joined. */
export function containerCells(podSpec: unknown): [names: string, images: string] {
  const containers = list(at(podSpec, "containers"));
  return [
    containers.map((c) => text(at(c, "name"))).join(","),
    containers.map((c) => text(at(c, "image"))).join(","),
  ];
}

export const CONTAINERS_COLUMN = wide("Containers", "Names of each container in the template.");
export const IMAGES_COLUMN = wide("Images", "Images referenced by each container in the template.");
