// `/openapi/v3` and its per-group-version documents, rebuilt when the catalog changes. The root lists
// each document with a content hash, so kubectl's cache refreshes when a CRD changes.

import { createHash } from "node:crypto";
import { openAPIDocument } from "../crd/openapi.ts";
import type { ResourceCatalog } from "../registry/catalog.ts";

function pathOf(group: string, version: string): string {
  return group === "" ? `api/${version}` : `apis/${group}/${version}`;
}

export class OpenAPIService {
  readonly #catalog: ResourceCatalog;
  #generation = -1;
  #documents = new Map<string, { body: object; hash: string }>();

  constructor(catalog: ResourceCatalog) {
    this.#catalog = catalog;
  }

  root(): object {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [path, { hash }] of this.#current()) {
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
    }
    return { paths };
  }

  /** `api/v1` or `apis/<group>/<version>`. */
  document(path: string): object | undefined {
    return this.#current().get(path)?.body;
  }

  #current(): Map<string, { body: object; hash: string }> {
    if (this.#generation === this.#catalog.generation) return this.#documents;
    const documents = new Map<string, { body: object; hash: string }>();
    for (const { group, versions } of this.#catalog.groups()) {
      for (const version of versions) {
        const resources = this.#catalog.inGroupVersion(group, version).map((r) => r.definition);
        const body = openAPIDocument({ group, version }, resources);
        const hash = createHash("sha512")
          .update(JSON.stringify(body))
          .digest("hex")
          .slice(0, 128)
          .toUpperCase();
        documents.set(pathOf(group, version), { body, hash });
      }
    }
    this.#documents = documents;
    this.#generation = this.#catalog.generation;
    return documents;
  }
}
