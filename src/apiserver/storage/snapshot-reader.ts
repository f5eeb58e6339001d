// Reads a list at an older resourceVersion: the stored rows, with every key written since then
// replaced by its state at that version (dropped if it did not exist, added back if since deleted).
// With no changes it reads exactly what the objects table holds, at no extra cost.

import { compareListKeys, type ListKey } from "./list-key.ts";
import type { PageQuery, StoredRow } from "./page-query.ts";
import type { KeyChange } from "./snapshot-changes.ts";

export class SnapshotReader {
  readonly #query: PageQuery;
  readonly #changes: readonly KeyChange[];

  /** `changes` in key order. */
  constructor(query: PageQuery, changes: readonly KeyChange[]) {
    this.#query = query;
    this.#changes = changes;
  }

  /** Rows after `after` in key order, read from the table `chunk` rows at a time (-1: all at once). */
  *rows(after: ListKey | undefined, chunk: number): Generator<StoredRow> {
    const changes = this.#changes;
    let next = 0;
    while (after !== undefined && next < changes.length && compareAt(changes, next, after) <= 0) next++;
    let scanned = after;
    for (;;) {
      const rows = this.#query.rows(scanned, chunk);
      for (const row of rows) {
        while (next < changes.length && compareAt(changes, next, row) < 0) yield* atSnapshot(changes[next++]);
        if (next < changes.length && compareAt(changes, next, row) === 0) yield* atSnapshot(changes[next++]);
        else yield row;
        scanned = row;
      }
      if (chunk < 0 || rows.length < chunk) break;
    }
    while (next < changes.length) yield* atSnapshot(changes[next++]);
  }

  /** How many rows follow `after` at the snapshot. */
  countAfter(after: ListKey): number {
    let count = this.#query.count(after);
    for (const change of this.#changes) {
      if (compareListKeys(change, after) <= 0) continue;
      count += (change.dataAtSnapshot === undefined ? 0 : 1) - (change.existsNow ? 1 : 0);
    }
    return count;
  }
}

function compareAt(changes: readonly KeyChange[], index: number, key: ListKey): number {
  const change = changes[index];
  return change === undefined ? 1 : compareListKeys(change, key);
}

function* atSnapshot(change: KeyChange | undefined): Generator<StoredRow> {
  if (change?.dataAtSnapshot === undefined) return;
  yield { namespace: change.namespace, name: change.name, data: change.dataAtSnapshot };
}
