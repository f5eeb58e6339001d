// The opaque `continue` token of a paged list: the first page's resourceVersion plus the key of the
// last item returned, as base64url JSON. Only storage reads it.

import { isPlainObject } from "../../api/object.ts";
import { StorageError } from "./storage.ts";

export interface ContinueToken {
  /** The resourceVersion every page of the list reports. */
  rv: number;
  /** The next page starts strictly after this namespace/name. */
  namespace: string;
  name: string;
}

export function encodeContinue(token: ContinueToken): string {
  const wire = { rv: token.rv, ns: token.namespace, name: token.name };
  return Buffer.from(JSON.stringify(wire), "utf8").toString("base64url");
}

/** Throws StorageError("InvalidContinue") for anything `encodeContinue` did not produce. */
export function decodeContinue(token: string): ContinueToken {
  const wire = parseWire(token);
  const { rv, ns, name } = wire ?? {};
  if (typeof rv !== "number" || !Number.isSafeInteger(rv) || rv < 0) throw invalid();
  if (typeof ns !== "string" || typeof name !== "string") throw invalid();
  return { rv, namespace: ns, name };
}

function parseWire(token: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function invalid(): StorageError {
  return new StorageError("InvalidContinue", "continue key is not valid");
}
