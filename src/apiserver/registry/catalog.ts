// The set of resources the server serves: built-ins at start, custom resources as their
// CustomResourceDefinitions come and go. Discovery and OpenAPI read it; the store resolves URLs with it.

import { type ResourceDefinition, type ResourceVersionDefinition, resourceKey } from "./resource.ts";

export interface ResolvedResource {
  definition: ResourceDefinition;
  version: ResourceVersionDefinition;
}

export interface GroupVersions {
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
}

export class ResourceCatalog {
  readonly #byKey = new Map<string, ResourceDefinition>();
  readonly #listeners = new Set<() => void>();
  #generation = 0;

  add(definition: ResourceDefinition): void {
    this.#byKey.set(resourceKey(definition), definition);
    this.#changed();
  }

  remove(key: string): void {
    if (this.#byKey.delete(key)) this.#changed();
  }

  /** A counter that moves on every change, for caches of derived documents. */
  get generation(): number {
    return this.#generation;
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get(key: string): ResourceDefinition | undefined {
    return this.#byKey.get(key);
  }

  all(): ResourceDefinition[] {
    return [...this.#byKey.values()];
  }

  /** The resource served at `/api(s)/<group>/<version>/<plural>`, if that version is served. */
  resolve(group: string, version: string, plural: string): ResolvedResource | undefined {
    const definition = this.#byKey.get(group === "" ? plural : `${plural}.${group}`);
    const served = definition?.versions.find((v) => v.name === version && v.served);
    return definition && served ? { definition, version: served } : undefined;
  }

  /** Resources served at one group-version. */
  inGroupVersion(group: string, version: string): ResolvedResource[] {
    const found: ResolvedResource[] = [];
    for (const definition of this.#byKey.values()) {
      if (definition.group !== group) continue;
      const served = definition.versions.find((v) => v.name === version && v.served);
      if (served) found.push({ definition, version: served });
    }
    return found.sort((a, b) => a.definition.plural.localeCompare(b.definition.plural));
  }

  /** The resource of a kind in a group, for owner references and conversions. */
  byGroupKind(group: string, kind: string): ResourceDefinition | undefined {
    for (const definition of this.#byKey.values()) {
      if (definition.group === group && definition.kind === kind) return definition;
    }
    return undefined;
  }

  /** Groups with their served versions (preferred first); the core group "" first, then by name. */
  groups(): GroupVersions[] {
    const byGroup = new Map<string, string[]>();
    for (const definition of this.#byKey.values()) {
      const versions = byGroup.get(definition.group) ?? [];
      for (const version of definition.versions) {
        if (version.served && !versions.includes(version.name)) versions.push(version.name);
      }
      byGroup.set(definition.group, versions);
    }
    return [...byGroup.entries()]
      .map(([group, versions]) => ({ group, versions: versions.sort(compareKubeVersions) }))
      .sort((a, b) => (a.group === "" ? -1 : b.group === "" ? 1 : a.group.localeCompare(b.group)));
  }

  #changed(): void {
    this.#generation++;
    for (const listener of this.#listeners) listener();
  }
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first, others last by name. */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = KUBE_VERSION.exec(v);
    if (!m) return [0, 0, 0];
    const stability = m[2] === undefined ? 3 : m[2] === "beta" ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = rank(a);
  const [sb, mb, nb] = rank(b);
  if (sa !== sb) return sb - sa;
  if (sa === 0) return a.localeCompare(b);
  if (ma !== mb) return mb - ma;
  return nb - na;
}
