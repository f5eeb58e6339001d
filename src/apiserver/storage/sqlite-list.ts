// Paged lists straight from the (resource, namespace, name) index. Rows are read in key order and
// only the rows a page needs are parsed, unless a filter has to look at every candidate.
//
// Every page of a list reads the first page's resourceVersion, as Kubernetes (etcd) does: a
// continued page takes the keys written since then back to their state at it from the watch
// history, so it costs one indexed query on the events more than reading the current state.

import type { KubeObject } from "../../api/object.ts";
import {
  type ContinueToken,
  decodeContinue,
  encodeContinue,
  expiredContinue,
  LATEST_RV,
} from "./continue-token.ts";
import type { ListKey } from "./list-key.ts";
import { PageQuery, type StoredRow } from "./page-query.ts";
import { changesSince, type KeyChange } from "./snapshot-changes.ts";
import { SnapshotReader } from "./snapshot-reader.ts";
import type { Statements } from "./sqlite-schema.ts";
import type { ListOptions, ListResult } from "./storage.ts";

/** Rows fetched per query while a filter skips non-matching ones. */
const FILTER_CHUNK = 500;

export interface ListContext {
  statements: Statements;
  currentRv: number;
  /** The history is complete after this RV: older tokens are Expired, like tokens from before an etcd compaction. */
  oldestRv: number;
}

export function listObjects(context: ListContext, resource: string, options: ListOptions): ListResult {
  const token = options.continue === undefined ? undefined : decodeContinue(options.continue);
  const rv = token === undefined || token.rv === LATEST_RV ? context.currentRv : token.rv;
  if (token !== undefined && rv < context.oldestRv) throw expiredContinue(token);
  const query = new PageQuery(context.statements, resource, options.namespace);
  const reader = new SnapshotReader(query, changesAfter(context, resource, options.namespace, rv, token));
  const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : 0;
  return options.filter === undefined
    ? unfilteredPage(reader, rv, limit, token)
    : filteredPage(reader, rv, limit, token, options.filter);
}

function changesAfter(
  context: ListContext,
  resource: string,
  namespace: string | undefined,
  rv: number,
  token: ContinueToken | undefined,
): KeyChange[] {
  if (token === undefined || rv >= context.currentRv) return [];
  return changesSince(context.statements, resource, namespace, rv, token);
}

function unfilteredPage(
  reader: SnapshotReader,
  rv: number,
  limit: number,
  after: ListKey | undefined,
): ListResult {
  const items: KubeObject[] = [];
  let last: StoredRow | undefined;
  for (const row of reader.rows(after, limit > 0 ? limit : -1)) {
    items.push(parseData(row));
    last = row;
    if (items.length === limit) break;
  }
  const result: ListResult = { items, resourceVersion: String(rv) };
  if (limit > 0 && items.length === limit && last !== undefined) {
    const lastKey = keyOf(last);
    const remaining = reader.countAfter(lastKey);
    if (remaining > 0) {
      result.continue = encodeContinue({ rv, ...lastKey });
      result.remainingItemCount = remaining;
    }
  }
  return result;
}

/** Looks for one match beyond the page to know whether to continue; the remaining count stays unknown, as in Kubernetes. */
function filteredPage(
  reader: SnapshotReader,
  rv: number,
  limit: number,
  after: ListKey | undefined,
  filter: (object: KubeObject) => boolean,
): ListResult {
  const items: KubeObject[] = [];
  let lastReturned: ListKey | undefined;
  for (const row of reader.rows(after, FILTER_CHUNK)) {
    const object = parseData(row);
    if (!filter(object)) continue;
    if (limit > 0 && items.length === limit && lastReturned !== undefined) {
      return { items, resourceVersion: String(rv), continue: encodeContinue({ rv, ...lastReturned }) };
    }
    items.push(object);
    lastReturned = keyOf(row);
  }
  return { items, resourceVersion: String(rv) };
}

function keyOf(row: StoredRow): ListKey {
  return { namespace: row.namespace, name: row.name };
}

function parseData(row: StoredRow): KubeObject {
  return JSON.parse(row.data) as KubeObject;
}
