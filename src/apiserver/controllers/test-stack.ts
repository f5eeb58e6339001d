// Test doubles for the controllers and pod subresources: a real Store on in-memory SQLite with
// every built-in resource.

import type { KubeObject } from "../../api/object.ts";
import type { AdmissionPlugin } from "../registry/admission.ts";
import { BUILTIN_RESOURCES } from "../registry/builtin/index.ts";
import { ResourceCatalog } from "../registry/catalog.ts";
import { type Scope, Store } from "../registry/store.ts";
import { storageVersionOf } from "../registry/versions.ts";
import { SqliteStorage } from "../storage/sqlite-storage.ts";

export interface TestStack {
  storage: SqliteStorage;
  catalog: ResourceCatalog;
  store: Store;
  /** The Scope of a catalog resource (`configmaps`, `poddisruptionbudgets.policy`) in a namespace. */
  scope(resource: string, namespace?: string): Scope;
  /** Creates an object of a catalog resource; the namespace comes from its metadata. */
  create(resource: string, object: KubeObject): KubeObject;
  /** The stored object, or undefined when it is gone. */
  find(resource: string, name: string, namespace?: string): KubeObject | undefined;
  close(): void;
}

export function newTestStack(options: { admission?: (store: Store) => AdmissionPlugin[] } = {}): TestStack {
  const storage = new SqliteStorage({ path: ":memory:" });
  const catalog = new ResourceCatalog();
  for (const definition of BUILTIN_RESOURCES) catalog.add(definition);
  const store = new Store({ storage, catalog });
  for (const plugin of options.admission?.(store) ?? []) store.addAdmission(plugin);
  const scope = (resource: string, namespace = ""): Scope => {
    const definition = catalog.get(resource);
    if (definition === undefined) throw new Error(`no resource ${resource}`);
    return { definition, version: storageVersionOf(definition), namespace };
  };
  return {
    storage,
    catalog,
    store,
    scope,
    create: (resource, object) => store.create(scope(resource, object.metadata.namespace ?? ""), object),
    find(resource, name, namespace = "") {
      const definition = catalog.get(resource);
      const key = { resource, namespace: definition?.namespaced ? namespace : "", name };
      try {
        return storage.get(key);
      } catch {
        return undefined;
      }
    },
    close: () => storage.close(),
  };
}
