// The one place where storage's typed errors become API Status errors.

import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  type GroupResource,
  internalError,
  notFound,
  OBJECT_MODIFIED,
} from "../errors.ts";
import { StorageError } from "../storage/storage.ts";

export function translateStorageError(error: unknown, gr: GroupResource, name: string): unknown {
  if (!(error instanceof StorageError)) return error;
  switch (error.code) {
    case "NotFound":
      return notFound(gr, name);
    case "AlreadyExists":
      return alreadyExists(gr, name);
    case "Conflict":
      return conflict(gr, name, OBJECT_MODIFIED);
    case "Expired":
      return expired(error.message, error.continue);
    case "InvalidContinue":
      return badRequest(`continue key is not valid: ${error.message}`);
    case "InvalidResourceVersion":
      return badRequest(`invalid resource version: ${error.message}`);
    case "Internal":
      return internalError(error.message);
  }
}

/** Runs `fn`, translating storage errors for this resource and name. */
export function withStorageErrors<T>(gr: GroupResource, name: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw translateStorageError(error, gr, name);
  }
}

export function isApiError(error: unknown, code: number): error is ApiError {
  return error instanceof ApiError && error.code === code;
}
