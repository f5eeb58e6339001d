// Errors the patch engines answer with, in the words and status codes of the Kubernetes API server.

import { ApiError, badRequest } from "../errors.ts";

/**
 * A patch that is well-formed but cannot be applied: Kubernetes answers 422 with a generic message and
 * the engine's own message as the cause (apierrors.NewGenericServerResponse).
 */
export function patchRejected(cause: string): ApiError {
  return new ApiError(422, "Invalid", "the server rejected our request due to an error in our request", {
    causes: [{ reason: "UnexpectedServerResponse", message: cause }],
  });
}

/** A malformed strategic merge patch (mergepatch.ErrBad* and friends). */
export function badPatch(message: string): ApiError {
  return badRequest(message);
}

/** A value as Go's `%v` prints decoded JSON (`map[a:1 b:[x y]]`), so messages match Kubernetes'. */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goFormat).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([key, item]) => `${key}:${goFormat(item)}`).join(" ")}]`;
  }
  return String(value);
}
