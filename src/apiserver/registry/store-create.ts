// Storing a new object under its name, or under a generated one (retrying on a collision).

import type { KubeObject } from "../../api/object.ts";
import { invalid } from "../errors.ts";
import { StorageError } from "../storage/storage.ts";
import { generateName } from "./names.ts";
import { translateStorageError } from "./storage-errors.ts";
import { groupResource, objectKey, type Scope, type Store, type WriteOptions } from "./store.ts";

const GENERATE_NAME_ATTEMPTS = 8;

export function createWithName(
  store: Store,
  scope: Scope,
  object: KubeObject,
  options: WriteOptions,
): KubeObject {
  const { definition } = scope;
  const meta = object.metadata;
  const prefix = meta.generateName;
  if (!meta.name && !prefix) {
    throw invalid(definition.group, definition.kind, "", [
      {
        field: "metadata.name",
        reason: "FieldValueRequired",
        message: "metadata.name: Required value: name or generateName is required",
      },
    ]);
  }
  const attempts = meta.name ? 1 : GENERATE_NAME_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const candidate = structuredClone(object);
    if (!meta.name && prefix) candidate.metadata.name = generateName(prefix);
    const name = candidate.metadata.name ?? "";
    store.prepareNew(scope, candidate);
    if (options.dryRun) return candidate;
    try {
      return store.storage.create(objectKey(scope, name), candidate);
    } catch (error) {
      if (error instanceof StorageError && error.code === "AlreadyExists" && attempt < attempts) continue;
      throw translateStorageError(error, groupResource(definition), name);
    }
  }
}
