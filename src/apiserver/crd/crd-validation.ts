// Validation, defaulting and status of CustomResourceDefinition objects, following
// apiextensions-apiserver's ValidateCustomResourceDefinition and its strategy.

import type { KubeObject } from "../../api/object.ts";
import { validateCelRules } from "../cel/crd-rules.ts";
import type { FieldIssue } from "../errors.ts";
import { defaultedNames, record, text } from "./crd-spec.ts";
import { validateVersions } from "./crd-versions-validation.ts";
import { childPath, indexPath, invalidIssue, notSupportedIssue, requiredIssue } from "./field-errors.ts";
import { dns1035LabelProblems, dns1123SubdomainProblems } from "./names.ts";

export { crdStatusFor } from "./crd-status.ts";

const SCOPES = ["Cluster", "Namespaced"];

export function validateCustomResourceDefinition(crd: KubeObject): FieldIssue[] {
  const spec = record(crd.spec);
  const group = text(spec.group);
  const names = defaultedNames(spec.names);
  const issues: FieldIssue[] = [];
  const expected = `${names.plural}.${group}`;
  if (crd.metadata.name !== expected) {
    issues.push(
      invalidIssue("metadata.name", crd.metadata.name ?? "", 'must be spec.names.plural+"."+spec.group'),
    );
  }
  issues.push(...validateGroup(group), ...validateNames(spec.names), ...validateScope(spec.scope));
  issues.push(...validateVersions(spec.versions, "spec.versions"), ...validateConversion(spec));
  issues.push(...validateCelRules(crd));
  return issues;
}

function validateGroup(group: string): FieldIssue[] {
  if (group === "") return [requiredIssue("spec.group")];
  const problems = dns1123SubdomainProblems(group);
  if (problems.length > 0) return [invalidIssue("spec.group", group, problems.join(","))];
  if (!group.includes("."))
    return [invalidIssue("spec.group", group, "should be a domain with at least one dot")];
  return [];
}

function validateScope(scope: unknown): FieldIssue[] {
  if (scope === undefined || scope === "") return [requiredIssue("spec.scope")];
  return SCOPES.includes(text(scope)) ? [] : [notSupportedIssue("spec.scope", scope, SCOPES)];
}

function labelIssues(path: string, value: string, prefix = ""): FieldIssue[] {
  const problems = dns1035LabelProblems(prefix === "" ? value : value.toLowerCase());
  return problems.length === 0 ? [] : [invalidIssue(path, value, prefix + problems.join(","))];
}

function validateNames(raw: unknown): FieldIssue[] {
  const names = defaultedNames(raw);
  const path = "spec.names";
  const mixedCase = "may have mixed case, but should otherwise match: ";
  const fields: [string, string, string][] = [
    ["plural", names.plural, ""],
    ["singular", names.singular, ""],
    ["kind", names.kind, mixedCase],
    ["listKind", names.listKind, mixedCase],
  ];
  const issues = fields.flatMap(([field, value, prefix]) =>
    value === ""
      ? [requiredIssue(childPath(path, field))]
      : labelIssues(childPath(path, field), value, prefix),
  );
  for (const list of ["shortNames", "categories"] as const) {
    names[list].forEach((value, index) => {
      issues.push(...labelIssues(indexPath(childPath(path, list), index), value));
    });
  }
  if (names.kind !== "" && names.kind === names.listKind) {
    issues.push(
      invalidIssue(childPath(path, "listKind"), names.listKind, "kind and listKind may not be the same"),
    );
  }
  return issues;
}

function validateConversion(spec: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (spec.preserveUnknownFields === true) {
    const why =
      "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead";
    issues.push(invalidIssue("spec.preserveUnknownFields", true, why));
  }
  const strategy = record(spec.conversion).strategy;
  // mob has no conversion webhooks: versions of one CRD differ only in apiVersion.
  if (strategy !== undefined && strategy !== "None") {
    issues.push(notSupportedIssue("spec.conversion.strategy", strategy, ["None"]));
  }
  return issues;
}

/** Kubernetes' defaults for a CRD's spec (mutates): names.singular, names.listKind, conversion. */
export function prepareCustomResourceDefinition(crd: KubeObject): void {
  const spec = record(crd.spec);
  if (crd.spec !== spec) return;
  const names = record(spec.names);
  const defaulted = defaultedNames(names);
  if (spec.names === names) {
    if (text(names.singular) === "" && defaulted.singular !== "") names.singular = defaulted.singular;
    if (text(names.listKind) === "" && defaulted.listKind !== "") names.listKind = defaulted.listKind;
  }
  if (spec.conversion === undefined) spec.conversion = { strategy: "None" };
}
