// Installs CustomResourceDefinitions at start: creates missing ones and updates those whose spec
// differs, so a newer mob brings its newer CRDs; objects of those kinds are untouched.

import { isDeepStrictEqual } from "node:util";
import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import type { ResourceCatalog } from "./registry/catalog.ts";
import { CRD_RESOURCE } from "./registry/crd-registrar.ts";
import { isApiError } from "./registry/storage-errors.ts";
import type { Scope, Store } from "./registry/store.ts";

export function installCrds(
  store: Store,
  catalog: ResourceCatalog,
  crds: readonly KubeObject[],
  logger: Logger,
): void {
  const definition = catalog.get(CRD_RESOURCE);
  if (!definition) throw new Error("the CustomResourceDefinition resource is not served");
  const scope: Scope = { definition, version: "v1", namespace: "" };
  for (const crd of crds) {
    const name = crd.metadata.name ?? "";
    let current: KubeObject;
    try {
      current = store.get(scope, name);
    } catch (error) {
      if (!isApiError(error, 404)) throw error;
      store.create(scope, crd);
      logger.info({ crd: name }, "installed CustomResourceDefinition");
      continue;
    }
    if (
      isDeepStrictEqual(current.spec, crd.spec) &&
      isDeepStrictEqual(current.metadata.labels, crd.metadata.labels)
    )
      continue;
    store.write(scope, name, current.metadata.resourceVersion, (latest) => ({
      ...structuredClone(latest),
      metadata: { ...structuredClone(latest.metadata), labels: { ...crd.metadata.labels } },
      spec: structuredClone(crd.spec),
    }));
    logger.info({ crd: name }, "updated CustomResourceDefinition");
  }
}
