// Paged lists straight from the (resource, namespace, name) index. Rows are read in key order and
// only the rows a page needs are parsed, unless a filter has to look at every candidate.

import type { KubeObject } from "../../api/object.ts";
import { decodeContinue, encodeContinue } from "./continue-token.ts";
import { intColumn, type Row, type Statements, textColumn } from "./sqlite-schema.ts";
import { type ListOptions, type ListResult, StorageError } from "./storage.ts";

/** Rows fetched per query while a filter skips non-matching ones. */
const FILTER_CHUNK = 500;

export interface ListContext {
  statements: Statements;
  currentRv: number;
  /** Tokens older than this are Expired, like tokens from before an etcd compaction. */
  oldestRv: number;
}

interface Cursor {
  namespace: string;
  name: string;
}

export function listObjects(context: ListContext, resource: string, options: ListOptions): ListResult {
  const token = options.continue === undefined ? undefined : decodeContinue(options.continue);
  if (token !== undefined && token.rv < context.oldestRv) {
    throw new StorageError(
      "Expired",
      `the provided continue parameter is too old (${token.rv} < ${context.oldestRv}); start a new list`,
    );
  }
  const query = new PageQuery(context.statements, resource, options.namespace);
  const rv = token?.rv ?? context.currentRv;
  const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : 0;
  return options.filter === undefined
    ? unfilteredPage(query, rv, limit, token)
    : filteredPage(query, rv, limit, token, options.filter);
}

function unfilteredPage(query: PageQuery, rv: number, limit: number, after: Cursor | undefined): ListResult {
  const rows = query.rows(after, limit > 0 ? limit : -1);
  const result: ListResult = { items: rows.map(parseData), resourceVersion: String(rv) };
  const last = rows.at(-1);
  if (limit > 0 && rows.length === limit && last !== undefined) {
    const lastKey = cursorOf(last);
    const remaining = query.count(lastKey);
    if (remaining > 0) {
      result.continue = encodeContinue({ rv, ...lastKey });
      result.remainingItemCount = remaining;
    }
  }
  return result;
}

/** Looks for one match beyond the page to know whether to continue; the remaining count stays unknown, as in Kubernetes. */
function filteredPage(
  query: PageQuery,
  rv: number,
  limit: number,
  after: Cursor | undefined,
  filter: (object: KubeObject) => boolean,
): ListResult {
  const items: KubeObject[] = [];
  let scanned = after;
  let lastReturned: Cursor | undefined;
  for (;;) {
    const rows = query.rows(scanned, FILTER_CHUNK);
    for (const row of rows) {
      const object = parseData(row);
      scanned = cursorOf(row);
      if (!filter(object)) continue;
      if (limit > 0 && items.length === limit && lastReturned !== undefined) {
        return { items, resourceVersion: String(rv), continue: encodeContinue({ rv, ...lastReturned }) };
      }
      items.push(object);
      lastReturned = scanned;
    }
    if (rows.length < FILTER_CHUNK) return { items, resourceVersion: String(rv) };
  }
}

/** The SQL for one resource, optionally one namespace, starting after a cursor. */
class PageQuery {
  readonly #statements: Statements;
  readonly #where: string;
  readonly #params: string[];

  constructor(statements: Statements, resource: string, namespace: string | undefined) {
    this.#statements = statements;
    this.#where = namespace === undefined ? "resource = ?" : "resource = ? AND namespace = ?";
    this.#params = namespace === undefined ? [resource] : [resource, namespace];
  }

  /** `limit` -1 means all. */
  rows(after: Cursor | undefined, limit: number): Row[] {
    const [where, params] = this.#after(after);
    return this.#statements
      .get(`SELECT namespace, name, data FROM objects WHERE ${where} ORDER BY namespace, name LIMIT ?`)
      .all(...params, limit);
  }

  count(after: Cursor): number {
    const [where, params] = this.#after(after);
    const row = this.#statements.get(`SELECT count(*) AS n FROM objects WHERE ${where}`).get(...params);
    return row === undefined ? 0 : intColumn(row, "n");
  }

  #after(after: Cursor | undefined): [string, string[]] {
    if (after === undefined) return [this.#where, this.#params];
    return [`${this.#where} AND (namespace, name) > (?, ?)`, [...this.#params, after.namespace, after.name]];
  }
}

function cursorOf(row: Row): Cursor {
  return { namespace: textColumn(row, "namespace"), name: textColumn(row, "name") };
}

function parseData(row: Row): KubeObject {
  return JSON.parse(textColumn(row, "data")) as KubeObject;
}
