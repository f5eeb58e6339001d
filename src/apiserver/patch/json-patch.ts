// RFC 6902 JSON Patch, with the status codes and messages of the Kubernetes API server (which uses
// evanphx/json-patch): a body that is not a list of operations is a 400, an operation that cannot be
// applied is a 422. Written here rather than using fast-json-patch, which accepts indexes with leading
// zeros, throws TypeErrors on a move into its own child and puts the whole document in its messages.

import { ApiError, badRequest } from "../errors.ts";
import { clone, deepEqual, getField, isObject, type JsonObject, jsonKind, setField } from "./json-value.ts";
import { patchRejected } from "./patch-errors.ts";

/** Kubernetes refuses longer patches (apiserver maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

type OpName = "add" | "remove" | "replace" | "move" | "copy" | "test";

interface Operation {
  op: OpName;
  path: string[];
  pointer: string;
  from?: string[];
  value?: unknown;
}

/** An operation that could not be applied; becomes the 422's cause. */
class OperationError extends Error {}

/** Applies `patch` to a copy of `target`; the input is never mutated. */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  const operations = decodePatch(patch);
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new ApiError(
      413,
      "RequestEntityTooLarge",
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations.length}`,
    );
  }
  let doc = clone(target);
  try {
    for (const raw of operations) doc = applyOperation(doc, parseOperation(raw));
  } catch (error) {
    if (!(error instanceof OperationError)) throw error;
    throw patchRejected(error.message);
  }
  return doc;
}

function decodePatch(patch: unknown): unknown[] {
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of patch) {
    if (!isObject(op)) {
      throw badRequest(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return patch;
}

function parseOperation(raw: unknown): Operation {
  const op = raw as JsonObject;
  const name = getField(op, "op");
  const pointer = getField(op, "path");
  if (typeof pointer !== "string") throw new OperationError(`operation missing path: ${JSON.stringify(op)}`);
  if (!isOpName(name)) throw new OperationError(`Unexpected kind: ${String(name)}`);
  const parsed: Operation = { op: name, path: parsePointer(pointer), pointer };
  if (name === "move" || name === "copy") {
    const from = getField(op, "from");
    if (typeof from !== "string") throw new OperationError(`${name} operation missing from: ${pointer}`);
    parsed.from = parsePointer(from);
  }
  if (name === "add" || name === "replace" || name === "test") {
    if (!Object.hasOwn(op, "value")) throw new OperationError(`${name} operation missing value: ${pointer}`);
    parsed.value = op.value;
  }
  return parsed;
}

function isOpName(value: unknown): value is OpName {
  return ["add", "remove", "replace", "move", "copy", "test"].includes(value as string);
}

/** RFC 6901: "" is the whole document; `~1` is `/` and `~0` is `~`, decoded in that order. */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/"))
    throw new OperationError(`JSON pointer must be empty or start with a "/": ${pointer}`);
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function applyOperation(doc: unknown, op: Operation): unknown {
  switch (op.op) {
    case "add":
      return add(doc, op.path, clone(op.value), op.pointer);
    case "remove":
      return remove(doc, op.path, op.pointer, "remove").doc;
    case "replace":
      return add(remove(doc, op.path, op.pointer, "replace").doc, op.path, clone(op.value), op.pointer);
    case "move":
      return move(doc, op.from ?? [], op.path, op.pointer);
    case "copy":
      return add(doc, op.path, clone(get(doc, op.from ?? [], op.pointer)), op.pointer);
    case "test":
      return test(doc, op);
  }
}

function move(doc: unknown, from: string[], path: string[], pointer: string): unknown {
  if (path.length > from.length && from.every((token, i) => token === path[i])) {
    throw new OperationError(`move operation does not apply: "${pointer}" is a child of its own from path`);
  }
  const removed = remove(doc, from, pointer, "move");
  return add(removed.doc, path, removed.value, pointer);
}

function test(doc: unknown, op: Operation): unknown {
  const found = lookup(doc, op.path);
  const actual = found.ok ? found.value : null;
  if ((found.ok || op.value === null) && deepEqual(actual, op.value)) return doc;
  throw new OperationError(`testing value ${op.pointer} failed: test failed`);
}

/** The container holding the last token of `path`, which must exist. */
function parentOf(doc: unknown, path: string[], pointer: string, verb: string): unknown {
  const found = lookup(doc, path.slice(0, -1));
  if (!found.ok)
    throw new OperationError(`${verb} operation does not apply: doc is missing path: "${pointer}"`);
  return found.value;
}

function add(doc: unknown, path: string[], value: unknown, pointer: string): unknown {
  const last = path.at(-1);
  if (last === undefined) return value;
  const parent = parentOf(doc, path, pointer, "add");
  if (Array.isArray(parent)) {
    const index = last === "-" ? parent.length : arrayIndex(last, parent.length + 1, pointer, "add");
    parent.splice(index, 0, value);
  } else if (isObject(parent)) {
    setField(parent, last, value);
  } else {
    throw new OperationError(`add operation does not apply: doc is missing path: "${pointer}"`);
  }
  return doc;
}

function remove(
  doc: unknown,
  path: string[],
  pointer: string,
  verb: string,
): { doc: unknown; value: unknown } {
  const last = path.at(-1);
  if (last === undefined) return { doc: null, value: doc };
  const parent = parentOf(doc, path, pointer, verb);
  if (Array.isArray(parent)) {
    const index = arrayIndex(last, parent.length, pointer, verb);
    return { doc, value: parent.splice(index, 1)[0] };
  }
  if (isObject(parent) && Object.hasOwn(parent, last)) {
    const value = parent[last];
    delete parent[last];
    return { doc, value };
  }
  throw new OperationError(
    `${verb} operation does not apply: doc is missing path: "${pointer}": missing value`,
  );
}

function get(doc: unknown, path: string[], pointer: string): unknown {
  const found = lookup(doc, path);
  if (!found.ok)
    throw new OperationError(`copy operation does not apply: doc is missing from path: "${pointer}"`);
  return found.value;
}

type Lookup = { ok: true; value: unknown } | { ok: false };

function lookup(doc: unknown, path: string[]): Lookup {
  let current = doc;
  for (const token of path) {
    if (Array.isArray(current) && /^(0|[1-9][0-9]*)$/.test(token) && Number(token) < current.length) {
      current = current[Number(token)];
    } else if (isObject(current) && Object.hasOwn(current, token)) {
      current = current[token];
    } else {
      return { ok: false };
    }
  }
  return { ok: true, value: current };
}

/** A list index per RFC 6901: digits without leading zeros, below `limit`. */
function arrayIndex(token: string, limit: number, pointer: string, verb: string): number {
  const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : Number.NaN;
  if (!(index < limit)) {
    throw new OperationError(`${verb} operation does not apply: index out of range or invalid: "${pointer}"`);
  }
  return index;
}
