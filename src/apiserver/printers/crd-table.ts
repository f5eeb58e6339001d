// Tables for custom resources from a CRD version's additionalPrinterColumns, as
// apiextensions-apiserver's tableconvertor builds them: Name, then one column per entry, each cell
// the first JSONPath result converted by the column's type.

import type { TableColumn, TableConvertor } from "../registry/resource.ts";
import { humanDuration } from "./human-duration.ts";
import { evaluateJsonPath, formatJsonPathValue, type JsonPath, parseJsonPath } from "./jsonpath.ts";
import { CREATION_TIMESTAMP_DESCRIPTION, NAME_COLUMN } from "./table-columns.ts";

/** One additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  /** integer, number, string, boolean or date; cells of any other type are null. */
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** What Kubernetes serves for a CRD version without printer columns. */
export const DEFAULT_PRINTER_COLUMNS: readonly PrinterColumn[] = [
  {
    name: "Age",
    type: "date",
    jsonPath: ".metadata.creationTimestamp",
    description: CREATION_TIMESTAMP_DESCRIPTION,
  },
];

// Go's time.RFC3339 layout as metav1.Time.UnmarshalQueryParameter accepts it (fractions allowed).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function dateCell(value: string, now: Date): string {
  if (value === "" || value === "null") return "<unknown>";
  const ms = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? "<invalid>" : humanDuration(now.getTime() - ms);
}

/** cellForJSONValue, plus the string case that kubectl's JSONPath printer handles. */
function cell(type: string, results: readonly unknown[], now: Date): unknown {
  if (results.length === 0) return null;
  const value = results[0];
  // A JSON null prints as a blank cell whatever the column's type.
  if (value === null || value === undefined) return null;
  switch (type) {
    case "string":
      return formatJsonPathValue(value);
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "date":
      return typeof value === "string" ? dateCell(value, now) : null;
    default:
      return null;
  }
}

function definition(column: PrinterColumn): TableColumn {
  return {
    name: column.name,
    type: column.type,
    format: column.format ?? "",
    description:
      column.description === undefined || column.description === ""
        ? `Custom resource definition column (in JSONPath format): ${column.jsonPath}`
        : column.description,
    priority: column.priority ?? 0,
  };
}

function compile(column: PrinterColumn): JsonPath {
  try {
    return parseJsonPath(column.jsonPath);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`unrecognized column definition ${JSON.stringify(column.jsonPath)}: ${detail}`);
  }
}

/**
 * The Table for one CRD version. No columns means Kubernetes' default (Age). Throws an Error for
 * a jsonPath that does not parse, so CRD validation can reject the definition.
 */
export function crdTableConvertor(columns: readonly PrinterColumn[]): TableConvertor {
  const effective = columns.length > 0 ? columns : DEFAULT_PRINTER_COLUMNS;
  const compiled = effective.map((column) => ({ type: column.type, path: compile(column) }));
  return {
    columns: [NAME_COLUMN, ...effective.map(definition)],
    row: (object, now) => [
      object.metadata.name ?? "",
      ...compiled.map(({ type, path }) => cell(type, evaluateJsonPath(object, path), now)),
    ],
  };
}
