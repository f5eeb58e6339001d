// Validation of a CRD's spec.versions: names, exactly one storage version, structural schemas,
// printer columns and subresources.

import type { FieldIssue } from "../errors.ts";
import { record, records, text } from "./crd-spec.ts";
import {
  childPath,
  duplicateIssue,
  indexPath,
  invalidIssue,
  notSupportedIssue,
  requiredIssue,
} from "./field-errors.ts";
import { dns1035LabelProblems } from "./names.ts";
import { isSchema } from "./schema-access.ts";
import { validateStructuralSchema } from "./structural.ts";

const COLUMN_TYPES = ["boolean", "date", "integer", "number", "string"];
const COLUMN_FORMATS = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"];

export function validateVersions(versions: unknown, path: string): FieldIssue[] {
  const list = records(versions);
  if (list.length === 0) return [requiredIssue(path, "must have at least one version")];
  const names = list.map((version) => text(version.name));
  const issues = list.flatMap((version, index) => validateVersion(version, indexPath(path, index)));
  names.forEach((name, index) => {
    if (name !== "" && names.indexOf(name) < index) {
      issues.push(duplicateIssue(childPath(indexPath(path, index), "name"), name));
    }
  });
  if (list.filter((version) => version.storage === true).length !== 1) {
    issues.push(invalidIssue(path, names, "must have exactly one version marked as storage version"));
  }
  return issues;
}

function validateVersion(version: Record<string, unknown>, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const name = text(version.name);
  if (name === "") issues.push(requiredIssue(childPath(path, "name")));
  else {
    const problems = dns1035LabelProblems(name);
    if (problems.length > 0) issues.push(invalidIssue(childPath(path, "name"), name, problems.join(",")));
  }
  const schemaPath = childPath(childPath(path, "schema"), "openAPIV3Schema");
  const schema = record(version.schema).openAPIV3Schema;
  if (isSchema(schema)) issues.push(...validateStructuralSchema(schema, schemaPath));
  else issues.push(requiredIssue(schemaPath, "schemas are required"));
  records(version.additionalPrinterColumns).forEach((column, index) => {
    issues.push(...validateColumn(column, indexPath(childPath(path, "additionalPrinterColumns"), index)));
  });
  issues.push(...validateScale(record(version.subresources).scale, childPath(path, "subresources")));
  return issues;
}

function validateColumn(column: Record<string, unknown>, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (text(column.name) === "") issues.push(requiredIssue(childPath(path, "name")));
  const type = text(column.type);
  if (type === "") issues.push(requiredIssue(childPath(path, "type")));
  else if (!COLUMN_TYPES.includes(type))
    issues.push(notSupportedIssue(childPath(path, "type"), type, COLUMN_TYPES));
  const format = column.format;
  if (format !== undefined && format !== "" && !COLUMN_FORMATS.includes(text(format))) {
    issues.push(notSupportedIssue(childPath(path, "format"), format, COLUMN_FORMATS));
  }
  // Kubernetes names the field by its Go name in this message.
  if (text(column.jsonPath) === "") issues.push(requiredIssue(childPath(path, "JSONPath")));
  return issues;
}

function validateReplicasPath(value: unknown, path: string, under: string): FieldIssue[] {
  const jsonPath = text(value);
  if (jsonPath === "") return [requiredIssue(path)];
  if (!jsonPath.startsWith(`${under}.`))
    return [invalidIssue(path, jsonPath, `should be a json path under ${under}`)];
  return [];
}

function validateScale(scale: unknown, path: string): FieldIssue[] {
  if (scale === undefined) return [];
  const raw = record(scale);
  const scalePath = childPath(path, "scale");
  const issues = [
    ...validateReplicasPath(raw.specReplicasPath, childPath(scalePath, "specReplicasPath"), ".spec"),
    ...validateReplicasPath(raw.statusReplicasPath, childPath(scalePath, "statusReplicasPath"), ".status"),
  ];
  const selector = raw.labelSelectorPath;
  if (selector !== undefined && !/^\.(spec|status)\./.test(text(selector))) {
    const why = "should be a json path under either .spec or .status";
    issues.push(invalidIssue(childPath(scalePath, "labelSelectorPath"), selector, why));
  }
  return issues;
}
