// The SQL of a list over the objects table: rows of one resource (optionally one namespace) in key
// order after a cursor, and how many follow one.

import type { ListKey } from "./list-key.ts";
import { intColumn, type Statements, textColumn } from "./sqlite-schema.ts";

/** One object as stored: its key and its JSON, parsed only when a page needs it. */
export interface StoredRow extends ListKey {
  data: string;
}

export class PageQuery {
  readonly #statements: Statements;
  readonly #where: string;
  readonly #params: string[];

  constructor(statements: Statements, resource: string, namespace: string | undefined) {
    this.#statements = statements;
    this.#where = namespace === undefined ? "resource = ?" : "resource = ? AND namespace = ?";
    this.#params = namespace === undefined ? [resource] : [resource, namespace];
  }

  /** `limit` -1 means all. */
  rows(after: ListKey | undefined, limit: number): StoredRow[] {
    const [where, params] = this.#after(after);
    return this.#statements
      .get(`SELECT namespace, name, data FROM objects WHERE ${where} ORDER BY namespace, name LIMIT ?`)
      .all(...params, limit)
      .map((row) => ({
        namespace: textColumn(row, "namespace"),
        name: textColumn(row, "name"),
        data: textColumn(row, "data"),
      }));
  }

  count(after: ListKey): number {
    const [where, params] = this.#after(after);
    const row = this.#statements.get(`SELECT count(*) AS n FROM objects WHERE ${where}`).get(...params);
    return row === undefined ? 0 : intColumn(row, "n");
  }

  #after(after: ListKey | undefined): [string, string[]] {
    if (after === undefined) return [this.#where, this.#params];
    return [`${this.#where} AND (namespace, name) > (?, ?)`, [...this.#params, after.namespace, after.name]];
  }
}
