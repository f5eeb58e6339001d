// meta.k8s.io Table output from a resource's table convertor (or the default columns).

import type { KubeObject } from "../../api/object.ts";
import { DEFAULT_TABLE } from "../printers/builtin-tables.ts";
import type { ResourceDefinition, ResourceVersionDefinition, TableConvertor } from "../registry/resource.ts";

export type IncludeObject = "None" | "Metadata" | "Object";

export function tableConvertor(
  definition: ResourceDefinition,
  version: ResourceVersionDefinition,
): TableConvertor {
  return version.table ?? definition.strategy.table ?? DEFAULT_TABLE;
}

function rowObject(object: KubeObject, include: IncludeObject): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return object;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata };
}

export interface TableOptions {
  tableVersion: "v1" | "v1beta1";
  include: IncludeObject;
  withColumns: boolean;
  now: Date;
  listMetadata?: Record<string, unknown>;
}

export function toTable(
  convertor: TableConvertor,
  objects: readonly KubeObject[],
  options: TableOptions,
): Record<string, unknown> {
  const rows = objects.map((object) => {
    const row: Record<string, unknown> = { cells: convertor.row(object, options.now) };
    const embedded = rowObject(object, options.include);
    if (embedded !== undefined) row.object = embedded;
    return row;
  });
  const table: Record<string, unknown> = {
    kind: "Table",
    apiVersion: `meta.k8s.io/${options.tableVersion}`,
    metadata: options.listMetadata ?? {},
  };
  if (options.withColumns) table.columnDefinitions = convertor.columns;
  table.rows = rows;
  return table;
}

export function tableContentType(version: "v1" | "v1beta1"): string {
  return `application/json;as=Table;v=${version};g=meta.k8s.io`;
}
