// PolicyRule matching as Kubernetes' RBAC evaluates it (pkg/apis/rbac/v1/evaluation_helpers.go):
// verbs and apiGroups with `*`; resources with `*`, `<resource>/<subresource>` and `*/<subresource>`;
// resourceNames as an allow-list; nonResourceURLs exact or with a trailing `*` prefix match.

import type { Attributes, ResourceAttributes } from "./attributes.ts";

export interface PolicyRule {
  verbs: readonly string[];
  apiGroups?: readonly string[];
  resources?: readonly string[];
  resourceNames?: readonly string[];
  nonResourceURLs?: readonly string[];
}

const has = (values: readonly string[] | undefined, wanted: string): boolean =>
  values !== undefined && (values.includes("*") || values.includes(wanted));

function resourceMatches(resources: readonly string[] | undefined, request: ResourceAttributes): boolean {
  if (resources === undefined) return false;
  if (request.subresource === "") return has(resources, request.resource);
  const combined = `${request.resource}/${request.subresource}`;
  return resources.some((r) => r === "*" || r === combined || r === `*/${request.subresource}`);
}

function nonResourceURLMatches(urls: readonly string[] | undefined, path: string): boolean {
  if (urls === undefined) return false;
  return urls.some(
    (url) => url === "*" || url === path || (url.endsWith("*") && path.startsWith(url.slice(0, -1))),
  );
}

export function ruleAllows(rule: PolicyRule, request: Attributes): boolean {
  if (!has(rule.verbs, request.verb)) return false;
  if (request.kind === "nonResource") return nonResourceURLMatches(rule.nonResourceURLs, request.path);
  if (!has(rule.apiGroups, request.group)) return false;
  if (!resourceMatches(rule.resources, request)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(request.name);
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}

/** The PolicyRules of a stored Role or ClusterRole; malformed entries are skipped. */
export function rulesOf(role: Readonly<Record<string, unknown>>): PolicyRule[] {
  if (!Array.isArray(role.rules)) return [];
  const rules: PolicyRule[] = [];
  for (const raw of role.rules as unknown[]) {
    if (typeof raw !== "object" || raw === null) continue;
    const fields = raw as Record<string, unknown>;
    const rule: PolicyRule = { verbs: strings(fields.verbs) ?? [] };
    const apiGroups = strings(fields.apiGroups);
    const resources = strings(fields.resources);
    const resourceNames = strings(fields.resourceNames);
    const nonResourceURLs = strings(fields.nonResourceURLs);
    if (apiGroups) rule.apiGroups = apiGroups;
    if (resources) rule.resources = resources;
    if (resourceNames) rule.resourceNames = resourceNames;
    if (nonResourceURLs) rule.nonResourceURLs = nonResourceURLs;
    rules.push(rule);
  }
  return rules;
}
