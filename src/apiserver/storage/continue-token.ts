// The opaque `continue` token of a paged list: the first page's resourceVersion plus the key of the
// last item returned, as base64url JSON. Only storage reads it.

import { isPlainObject } from "../../api/object.ts";
import { StorageError } from "./storage.ts";

/** A token's rv that means "the current state", as Kubernetes' -1: issued when the snapshot expired. */
export const LATEST_RV = -1;

export interface ContinueToken {
  /** The snapshot every page of the list reads and reports, or LATEST_RV. */
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
  if (typeof rv !== "number" || !Number.isSafeInteger(rv) || (rv < 0 && rv !== LATEST_RV)) throw invalid();
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

/**
 * The history no longer reaches back to the token's snapshot. As Kubernetes does after an etcd
 * compaction, the error carries a token that lists the rest at the current state, with its wording.
 */
export function expiredContinue(token: ContinueToken): StorageError {
  return new StorageError(
    "Expired",
    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
    undefined,
    encodeContinue({ ...token, rv: LATEST_RV }),
  );
}
