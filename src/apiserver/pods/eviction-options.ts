// Eviction.deleteOptions (a meta/v1 DeleteOptions) as the store's DeleteOptions.

import { isPlainObject } from "../../api/object.ts";
import { badRequest } from "../errors.ts";
import { type DeleteOptions, parsePropagationPolicy } from "../registry/store-delete.ts";

export function parseEvictionDeleteOptions(value: unknown): DeleteOptions {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw badRequest("deleteOptions must be an object");
  const options: DeleteOptions = {};
  const policy = parsePropagationPolicy(value.propagationPolicy);
  if (policy !== undefined) options.propagationPolicy = policy;
  if (value.orphanDependents === true && policy === undefined) options.propagationPolicy = "Orphan";
  if (typeof value.gracePeriodSeconds === "number") options.gracePeriodSeconds = value.gracePeriodSeconds;
  if (isPlainObject(value.preconditions)) {
    const { uid, resourceVersion } = value.preconditions;
    options.preconditions = {
      ...(typeof uid === "string" ? { uid } : {}),
      ...(typeof resourceVersion === "string" ? { resourceVersion } : {}),
    };
  }
  if (Array.isArray(value.dryRun) && value.dryRun.includes("All")) options.dryRun = true;
  return options;
}
