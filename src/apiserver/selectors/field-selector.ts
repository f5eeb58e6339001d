// Field selectors as k8s.io/apimachinery/pkg/fields parses them: comma-joined `field=value`,
// `field==value` and `field!=value` terms, values escaped with `\,` `\=` `\\`. Which fields a kind
// supports is the strategy's answer (Strategy.fieldLabels) plus metadata.name/namespace.

import type { KubeObject } from "../../api/object.ts";
import { badRequest } from "../errors.ts";

export interface FieldRequirement {
  readonly field: string;
  readonly operator: "=" | "!=";
  /** Unescaped. */
  readonly value: string;
}

/** Requirements are ANDed; none selects everything. */
export interface FieldSelector {
  /** In the order Kubernetes keeps them: sorted by term text. */
  readonly requirements: readonly FieldRequirement[];
}

/** Splits on commas that are not escaped; escapes stay in the terms. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (escaped) escaped = false;
    else if (ch === "\\") escaped = true;
    else if (ch === ",") {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

// `==` is tried before `=` so that it does not leave a leading `=` on the value.
const TERM_OPERATORS = ["!=", "==", "="] as const;

function splitTerm(term: string): { field: string; operator: string; rawValue: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const operator = TERM_OPERATORS.find((op) => term.startsWith(op, i));
    if (operator !== undefined)
      return { field: term.slice(0, i), operator, rawValue: term.slice(i + operator.length) };
  }
  return undefined;
}

function unescapeValue(raw: string): string {
  let value = "";
  let escaped = false;
  for (const ch of raw) {
    if (escaped) {
      if (ch !== "\\" && ch !== "," && ch !== "=") {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      value += ch;
      escaped = false;
    } else if (ch === "\\") {
      escaped = true;
    } else if (ch === "," || ch === "=") {
      throw badRequest(`invalid field selector: unescaped character in value: ${ch}`);
    } else {
      value += ch;
    }
  }
  if (escaped) throw badRequest("invalid field selector: invalid escape sequence: \\");
  return value;
}

/** Escapes a value for use in field selector text (fields.EscapeValue). */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/** Parses `?fieldSelector=` text; "" selects everything. Throws a 400 ApiError. */
export function parseFieldSelector(text: string): FieldSelector {
  const terms = text === "" ? [] : splitTerms(text).sort();
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === "") continue;
    const parts = splitTerm(term);
    if (parts === undefined) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const value = unescapeValue(parts.rawValue);
    requirements.push({ field: parts.field, operator: parts.operator === "!=" ? "!=" : "=", value });
  }
  return { requirements };
}

/** Whether the object's field values satisfy every requirement; an absent field reads as "". */
export function matchesFields(selector: FieldSelector, fields: Readonly<Record<string, string>>): boolean {
  return selector.requirements.every((requirement) => {
    const actual = Object.hasOwn(fields, requirement.field) ? fields[requirement.field] : "";
    return requirement.operator === "=" ? actual === requirement.value : actual !== requirement.value;
  });
}

/** Canonical text (fields.Selector.String()). */
export function fieldSelectorToString(selector: FieldSelector): string {
  return selector.requirements
    .map((r) => `${r.field}${r.operator === "=" ? "=" : "!="}${escapeFieldValue(r.value)}`)
    .join(",");
}

/** Fields every kind supports. */
export const METADATA_FIELDS: ReadonlySet<string> = new Set(["metadata.name", "metadata.namespace"]);

/**
 * Throws 400 `field label not supported: x` for the first field outside `supported`
 * (metadata.name and metadata.namespace are always supported).
 */
export function validateFieldSelector(selector: FieldSelector, supported: ReadonlySet<string>): void {
  for (const { field } of selector.requirements) {
    if (!METADATA_FIELDS.has(field) && !supported.has(field))
      throw badRequest(`field label not supported: ${field}`);
  }
}

/** The selectable fields of an object: metadata.name, metadata.namespace ("" when cluster-scoped) and the strategy's extras. */
export function fieldsOf(
  object: KubeObject,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    "metadata.name": object.metadata.name ?? "",
    "metadata.namespace": object.metadata.namespace ?? "",
    ...extra,
  };
}

/** Field values a selector needs exactly (`field=value`), for index lookups such as pods by spec.nodeName. */
export function requiredFieldValue(selector: FieldSelector, field: string): string | undefined {
  return selector.requirements.find((r) => r.field === field && r.operator === "=")?.value;
}
