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

/** A merge patch that is JSON `null` (jsonpatch.ErrBadJSONPatch, which Kubernetes answers with 400). */
export function nullMergePatch(): ApiError {
  return badRequest("Invalid JSON Patch");
}

/**
 * A patch whose result is not an object. Kubernetes cannot decode it and answers 422 with one cause
 * on the field `patch` (handlers/patch.go), with an empty kind and name. Kubernetes quotes the
 * patched JSON as the value; mob names only its JSON type, because a JSON patch can copy a stored
 * value (a Secret's, say) to the root and the answer must not echo it.
 */
export function patchedNotAnObject(patched: unknown): ApiError {
  const type = goJsonType(patched);
  const body = `Invalid value: "${type}": json: cannot unmarshal ${type} into Go value of type map[string]interface {}`;
  return new ApiError(422, "Invalid", ` "" is invalid: patch: ${body}`, {
    causes: [{ reason: "FieldValueInvalid", message: body, field: "patch" }],
  });
}

/** How encoding/json names a JSON value's type in an UnmarshalTypeError. */
function goJsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null || value === undefined) return "null";
  return typeof value === "boolean" ? "bool" : typeof value === "number" ? "number" : typeof value;
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
