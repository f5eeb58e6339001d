// Test support: checks converted objects against the upstream CRD schemas, read at runtime from the
// shared reference checkout beside the repository (never copied into it).

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { pruneUnknownFields } from "../../apiserver/crd/prune.ts";
import { validateAgainstSchema } from "../../apiserver/crd/validate.ts";
import type { OpenAPISchema } from "../../apiserver/registry/resource.ts";
import { isPlainObject } from "../object.ts";
import type { ApiVersion } from "./constants.ts";

export type Plural = "machineosconfigs" | "machineosbuilds";

const CRDS = resolve(import.meta.dirname, "../../../../shared/upstream/crds");
const cache = new Map<string, OpenAPISchema>();

function child(value: unknown, name: string): unknown {
  return isPlainObject(value) ? value[name] : undefined;
}

export function upstreamSchema(plural: Plural, version: ApiVersion): OpenAPISchema {
  const key = `${version}/${plural}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const file = resolve(CRDS, version, `0000_80_machine-config_01_${plural}.crd.yaml`);
  const crd: unknown = parse(readFileSync(file, "utf8"));
  const versions = child(child(crd, "spec"), "versions");
  const served = Array.isArray(versions)
    ? versions.find((each) => child(each, "name") === version)
    : undefined;
  const schema = child(child(served, "schema"), "openAPIV3Schema");
  if (!isPlainObject(schema)) throw new Error(`no ${version} schema in ${file}`);
  cache.set(key, schema);
  return schema;
}

/** Schema problems (types, required fields, enums, lengths, list maps) and unknown fields. */
export function schemaProblems(object: unknown, plural: Plural, version: ApiVersion): string[] {
  const schema = upstreamSchema(plural, version);
  const issues = validateAgainstSchema(object, schema).map((issue) => issue.message);
  const unknown = pruneUnknownFields(structuredClone(object), schema).map((path) => `unknown field ${path}`);
  return [...issues, ...unknown];
}

/**
 * The v1 CEL rules a conversion could break (CEL is not evaluated by validateAgainstSchema):
 * MachineOSBuild's builder union rule and the non-empty `group` of every ObjectReference.
 */
export function v1RuleProblems(object: unknown): string[] {
  const status = child(object, "status");
  const problems: string[] = [];
  const builder = child(status, "builder");
  if (
    builder !== undefined &&
    (child(builder, "imageBuilderType") === "Job") !== (child(builder, "job") !== undefined)
  ) {
    problems.push("status.builder: job is required when imageBuilderType is Job, and forbidden otherwise");
  }
  const related = child(status, "relatedObjects");
  const references = [
    child(builder, "job"),
    child(status, "machineOSBuild"),
    ...(Array.isArray(related) ? related : []),
  ];
  for (const reference of references) {
    if (reference !== undefined && child(reference, "group") === "")
      problems.push("reference with an empty group");
  }
  return problems;
}
