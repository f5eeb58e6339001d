import { describe, expect, it } from "vitest";
import { resourceKey } from "../resource.ts";
import { SUPPORTED_FIELD_LABELS } from "./field-labels.ts";
import { BUILTIN_RESOURCES, builtinResources } from "./index.ts";

const ALL = builtinResources({ validate: () => [], prepare: () => {} });

describe("built-in resource definitions", () => {
  it("include every kind once, and the CRD only through builtinResources", () => {
    const keys = ALL.map(resourceKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain("customresourcedefinitions.apiextensions.k8s.io");
    expect(BUILTIN_RESOURCES.map(resourceKey)).not.toContain(
      "customresourcedefinitions.apiextensions.k8s.io",
    );
    expect(keys).toEqual(
      expect.arrayContaining([
        "namespaces",
        "nodes",
        "pods",
        "configmaps",
        "secrets",
        "serviceaccounts",
        "services",
        "events",
        "events.events.k8s.io",
        "leases.coordination.k8s.io",
        "jobs.batch",
        "poddisruptionbudgets.policy",
        "deployments.apps",
        "daemonsets.apps",
        "roles.rbac.authorization.k8s.io",
        "clusterroles.rbac.authorization.k8s.io",
        "rolebindings.rbac.authorization.k8s.io",
        "clusterrolebindings.rbac.authorization.k8s.io",
        "selfsubjectaccessreviews.authorization.k8s.io",
      ]),
    );
  });

  it.each(ALL.map((d) => [resourceKey(d), d] as const))("%s is well-formed", (_key, definition) => {
    expect(definition.versions.filter((v) => v.storage)).toHaveLength(1);
    expect(definition.versions.every((v) => v.served)).toBe(true);
    expect(definition.listKind).toBe(`${definition.kind}List`);
    expect(definition.singular).toBe(definition.kind.toLowerCase());
    expect(definition.plural).toMatch(/^[a-z]+$/);
    const schema = definition.versions[0]?.schema;
    expect(schema?.description).toEqual(expect.any(String));
    expect(schema?.["x-kubernetes-group-version-kind"]).toEqual([
      { group: definition.group, version: "v1", kind: definition.kind },
    ]);
    for (const sub of definition.subresources) {
      expect(sub.verbs.length).toBeGreaterThan(0);
      if (sub.name === "status") expect(sub.verbs).toEqual(["get", "patch", "update"]);
    }
    const hasStatus = definition.subresources.some((s) => s.name === "status");
    expect(definition.strategy.hasStatusSubresource).toBe(hasStatus);
    expect(definition.strategy.selectableFields ?? []).toEqual(
      SUPPORTED_FIELD_LABELS[resourceKey(definition)] ?? [],
    );
  });

  it("use Kubernetes' short names, unique except the shared `ev` of the two Event APIs", () => {
    const byShortName = new Map<string, string[]>();
    for (const d of ALL) {
      for (const short of d.shortNames)
        byShortName.set(short, [...(byShortName.get(short) ?? []), resourceKey(d)]);
    }
    for (const [short, owners] of byShortName) {
      expect(owners, short).toHaveLength(short === "ev" ? 2 : 1);
    }
    const shortNames = Object.fromEntries(ALL.map((d) => [resourceKey(d), d.shortNames]));
    expect(shortNames).toMatchObject({
      namespaces: ["ns"],
      nodes: ["no"],
      pods: ["po"],
      configmaps: ["cm"],
      serviceaccounts: ["sa"],
      events: ["ev"],
      "poddisruptionbudgets.policy": ["pdb"],
      "deployments.apps": ["deploy"],
      "daemonsets.apps": ["ds"],
      "customresourcedefinitions.apiextensions.k8s.io": ["crd", "crds"],
    });
  });

  it("put pods, jobs, deployments and daemonsets in category all", () => {
    const inAll = ALL.filter((d) => d.categories.includes("all")).map(resourceKey);
    expect(inAll.sort()).toEqual(["daemonsets.apps", "deployments.apps", "jobs.batch", "pods", "services"]);
  });

  it("describe the pod subresources as discovery shows them", () => {
    const pods = ALL.find((d) => resourceKey(d) === "pods");
    expect(pods?.subresources).toEqual([
      { name: "status", kind: "Pod", verbs: ["get", "patch", "update"] },
      { name: "log", kind: "Pod", verbs: ["get"] },
      { name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
      { name: "binding", kind: "Binding", verbs: ["create"] },
    ]);
    expect(pods?.strategy.deleteReturnsObject).toBe(true);
  });

  it("set scope, generation tracking and verbs per kind", () => {
    const find = (key: string) => ALL.find((d) => resourceKey(d) === key);
    const clusterScoped = ALL.filter((d) => !d.namespaced).map(resourceKey);
    expect(clusterScoped.sort()).toEqual([
      "clusterrolebindings.rbac.authorization.k8s.io",
      "clusterroles.rbac.authorization.k8s.io",
      "customresourcedefinitions.apiextensions.k8s.io",
      "namespaces",
      "nodes",
      "selfsubjectaccessreviews.authorization.k8s.io",
      "subjectaccessreviews.authorization.k8s.io",
    ]);
    const tracking = ALL.filter((d) => d.strategy.tracksGeneration).map(resourceKey);
    expect(tracking.sort()).toEqual([
      "customresourcedefinitions.apiextensions.k8s.io",
      "daemonsets.apps",
      "deployments.apps",
      "jobs.batch",
      "poddisruptionbudgets.policy",
    ]);
    expect(find("selfsubjectaccessreviews.authorization.k8s.io")?.verbs).toEqual(["create"]);
    expect(
      ALL.every((d) => d.strategy.allowUnconditionalUpdate && d.strategy.patchSchema !== undefined),
    ).toBe(true);
  });
});
