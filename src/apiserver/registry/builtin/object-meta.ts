// ObjectMeta validation shared by every built-in kind, CustomResourceDefinitions and (labels,
// annotations, finalizers, owner references) custom resources, after
// k8s.io/apimachinery/pkg/api/validation ValidateObjectMeta / ValidateObjectMetaUpdate.

import type { ObjectMeta } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import {
  child,
  fieldForbidden,
  fieldImmutable,
  fieldInvalid,
  fieldRequired,
  fieldTooLong,
} from "./field-issues.ts";
import {
  isDns1123Label,
  isDns1123Subdomain,
  isPathSegmentName,
  isQualifiedName,
  isValidLabelValue,
} from "./names.ts";
import { record } from "./object-fields.ts";

/** How a kind's metadata.name is checked: RFC 1123 subdomain (most), label (Namespace), path segment (RBAC). */
export type NameRule = "subdomain" | "label" | "path-segment";

export interface ObjectMetaRules {
  namespaced: boolean;
  nameRule: NameRule;
}

export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

/** Finalizer names without a `/` that Kubernetes itself defines. */
const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

const NAME_CHECKS: Record<NameRule, (name: string) => string[]> = {
  subdomain: isDns1123Subdomain,
  label: isDns1123Label,
  "path-segment": isPathSegmentName,
};

export function validateObjectMeta(meta: ObjectMeta, rules: ObjectMetaRules): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const name = meta.name ?? "";
  if (name === "") {
    issues.push(fieldRequired("metadata.name", "name or generateName is required"));
  } else {
    for (const message of NAME_CHECKS[rules.nameRule](name)) {
      issues.push(fieldInvalid("metadata.name", name, message));
    }
  }
  const namespace = meta.namespace ?? "";
  if (rules.namespaced && namespace === "") {
    issues.push(fieldRequired("metadata.namespace"));
  } else if (rules.namespaced) {
    for (const message of isDns1123Label(namespace)) {
      issues.push(fieldInvalid("metadata.namespace", namespace, message));
    }
  } else if (namespace !== "") {
    issues.push(fieldForbidden("metadata.namespace", "not allowed on this type"));
  }
  issues.push(...validateMetadataContents(meta, "kubernetes"));
  return issues;
}

/**
 * How finalizer names are checked: built-in kinds also want a domain or a standard name
 * (pkg/apis/core/validation); custom resources only a qualified name (apimachinery's
 * ValidateFinalizerName), an unqualified one being a warning there.
 */
export type FinalizerRule = "kubernetes" | "qualified-name";

/** Labels, annotations, finalizers and owner references: the ObjectMeta rules beyond name and namespace. */
export function validateMetadataContents(meta: ObjectMeta, finalizers: FinalizerRule): FieldIssue[] {
  return [
    ...validateLabels(meta.labels, "metadata.labels"),
    ...validateAnnotations(meta.annotations, "metadata.annotations"),
    ...validateFinalizers(meta.finalizers, finalizers),
    ...validateOwnerReferences(meta.ownerReferences),
  ];
}

/** What an update may not change in metadata, beyond what the generic store already keeps server-owned. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if ((meta.name ?? "") !== (old.name ?? "")) issues.push(fieldImmutable("metadata.name", meta.name ?? ""));
  if ((meta.namespace ?? "") !== (old.namespace ?? "")) {
    issues.push(fieldImmutable("metadata.namespace", meta.namespace ?? ""));
  }
  return issues;
}

export function validateLabels(labels: unknown, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(record(labels) ?? {})) {
    for (const message of isQualifiedName(key)) issues.push(fieldInvalid(path, key, message));
    if (typeof value !== "string") {
      issues.push(fieldInvalid(path, value, "label values must be strings"));
      continue;
    }
    for (const message of isValidLabelValue(value)) issues.push(fieldInvalid(path, value, message));
  }
  return issues;
}

export function validateAnnotations(annotations: unknown, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  let totalBytes = 0;
  for (const [key, value] of Object.entries(record(annotations) ?? {})) {
    // Kubernetes checks the lower-cased key, so upper-case annotation names are allowed.
    for (const message of isQualifiedName(key.toLowerCase())) issues.push(fieldInvalid(path, key, message));
    if (typeof value !== "string") {
      issues.push(fieldInvalid(child(path, key), value, "annotation values must be strings"));
      continue;
    }
    totalBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (totalBytes > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
    issues.push(fieldTooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  }
  return issues;
}

function validateFinalizers(finalizers: unknown, rule: FinalizerRule): FieldIssue[] {
  if (finalizers === undefined) return [];
  if (!Array.isArray(finalizers)) return [fieldInvalid("metadata.finalizers", finalizers, "must be a list")];
  const issues: FieldIssue[] = [];
  for (const finalizer of finalizers) {
    const name = typeof finalizer === "string" ? finalizer : "";
    const messages = isQualifiedName(name);
    for (const message of messages) issues.push(fieldInvalid("metadata.finalizers", finalizer, message));
    const standardOrQualified = name.includes("/") || STANDARD_FINALIZERS.has(name);
    if (rule === "kubernetes" && messages.length === 0 && !standardOrQualified) {
      issues.push(
        fieldInvalid(
          "metadata.finalizers",
          name,
          "name is neither a standard finalizer name nor is it fully qualified",
        ),
      );
    }
  }
  return issues;
}

function validateOwnerReferences(references: unknown): FieldIssue[] {
  if (references === undefined) return [];
  const path = "metadata.ownerReferences";
  if (!Array.isArray(references)) return [fieldInvalid(path, references, "must be a list")];
  const issues: FieldIssue[] = [];
  const controllers: string[] = [];
  for (const reference of references) {
    const fields = record(reference) ?? {};
    const required: [string, string][] = [
      ["apiVersion", "version must not be empty"],
      ["kind", "kind must not be empty"],
      ["name", "name must not be empty"],
      ["uid", "uid must not be empty"],
    ];
    for (const [field, message] of required) {
      if (typeof fields[field] !== "string" || fields[field] === "") {
        issues.push(fieldInvalid(child(path, field), fields[field] ?? "", message));
      }
    }
    if (fields.controller === true) controllers.push(`${String(fields.kind)}/${String(fields.name)}`);
  }
  if (controllers.length > 1) {
    issues.push(
      fieldInvalid(
        path,
        references,
        `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(" and ")}`,
      ),
    );
  }
  return issues;
}
