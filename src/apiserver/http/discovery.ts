// Discovery documents, legacy (APIVersions, APIGroupList, APIResourceList) and aggregated
// (apidiscovery.k8s.io APIGroupDiscoveryList), derived from the catalog.

import type { ResolvedResource, ResourceCatalog } from "../registry/catalog.ts";
import { apiVersionOf } from "../registry/resource.ts";

function verbsOf(resolved: ResolvedResource): string[] {
  return [...resolved.definition.verbs].sort();
}

export function legacyVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: apiVersionOf(group, version), version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

export function groupList(catalog: ResourceCatalog): Record<string, unknown> {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: catalog
      .groups()
      .filter((g) => g.group !== "")
      .map((g) => groupEntry(g.group, g.versions)),
  };
}

export function apiGroup(catalog: ResourceCatalog, group: string): Record<string, unknown> | undefined {
  const found = catalog.groups().find((g) => g.group === group);
  return found ? { kind: "APIGroup", apiVersion: "v1", ...groupEntry(group, found.versions) } : undefined;
}

export function resourceList(
  catalog: ResourceCatalog,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const resolved = catalog.inGroupVersion(group, version);
  if (resolved.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const entry of resolved) {
    const { definition } = entry;
    const main: Record<string, unknown> = {
      name: definition.plural,
      singularName: definition.singular,
      namespaced: definition.namespaced,
      kind: definition.kind,
      verbs: verbsOf(entry),
    };
    if (definition.shortNames.length > 0) main.shortNames = definition.shortNames;
    if (definition.categories.length > 0) main.categories = definition.categories;
    resources.push(main);
    for (const sub of definition.subresources) {
      const item: Record<string, unknown> = {
        name: `${definition.plural}/${sub.name}`,
        singularName: "",
        namespaced: definition.namespaced,
        kind: sub.kind,
        verbs: [...sub.verbs],
      };
      if (sub.group !== undefined) item.group = sub.group;
      if (sub.version !== undefined) item.version = sub.version;
      resources.push(item);
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: apiVersionOf(group, version), resources };
}

function discoveryResource(entry: ResolvedResource, version: string): Record<string, unknown> {
  const { definition } = entry;
  const resource: Record<string, unknown> = {
    resource: definition.plural,
    responseKind: { group: definition.group, version, kind: definition.kind },
    scope: definition.namespaced ? "Namespaced" : "Cluster",
    singularResource: definition.singular,
    verbs: verbsOf(entry),
  };
  if (definition.shortNames.length > 0) resource.shortNames = definition.shortNames;
  if (definition.categories.length > 0) resource.categories = definition.categories;
  if (definition.subresources.length > 0) {
    resource.subresources = definition.subresources.map((sub) => ({
      subresource: sub.name,
      responseKind: { group: sub.group ?? definition.group, version: sub.version ?? version, kind: sub.kind },
      verbs: [...sub.verbs],
    }));
  }
  return resource;
}

/** `/api` (core only) or `/apis` (every named group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(
  catalog: ResourceCatalog,
  root: "api" | "apis",
  apiVersion: string,
): Record<string, unknown> {
  const groups = catalog.groups().filter((g) => (root === "api" ? g.group === "" : g.group !== ""));
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.group },
      versions: g.versions.map((version) => ({
        version,
        resources: catalog.inGroupVersion(g.group, version).map((entry) => discoveryResource(entry, version)),
        freshness: "Current",
      })),
    })),
  };
}

export function discoveryContentType(version: string): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

export const VERSION_INFO = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64",
};
