// Test data: the upstream CRDs (read from the shared reference checkout, never copied) served with
// the CEL rule validator, and helpers that run the strategy as the store does.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { resourceDefinitionFromCRD } from "../crd/crd-resource.ts";
import type { FieldIssue } from "../errors.ts";
import { crdTableConvertor } from "../printers/crd-table.ts";
import type { ResourceDefinition } from "../registry/resource.ts";
import { celRuleValidator } from "./validator.ts";

export const MOSC_FILE = "0000_80_machine-config_01_machineosconfigs.crd.yaml";
export const MOSB_FILE = "0000_80_machine-config_01_machineosbuilds.crd.yaml";
export const MCP_FILE = "0000_80_machine-config_01_machineconfigpools.crd.yaml";

export function loadUpstream(file: string): KubeObject {
  const path = resolve(import.meta.dirname, "../../../../shared/upstream/crds/v1", file);
  const parsed: unknown = parse(readFileSync(path, "utf8"));
  if (!isPlainObject(parsed) || !isPlainObject(parsed.metadata)) throw new Error(`${file} is not an object`);
  return { ...parsed, metadata: parsed.metadata };
}

export function upstreamDefinition(file: string): ResourceDefinition {
  return resourceDefinitionFromCRD(loadUpstream(file), crdTableConvertor, celRuleValidator());
}

/** Validation of a create, after the strategy's normalisation (status is kept: tests set it). */
export function validateCreate(definition: ResourceDefinition, object: KubeObject): FieldIssue[] {
  return definition.strategy.validate(structuredClone(object), undefined);
}

export function validateUpdate(
  definition: ResourceDefinition,
  object: KubeObject,
  old: KubeObject,
): FieldIssue[] {
  return definition.strategy.validate(structuredClone(object), structuredClone(old));
}

/** The messages of the issues, for compact assertions. */
export function messages(issues: readonly FieldIssue[]): string[] {
  return issues.map((issue) => issue.message);
}
