// The keys written since a snapshot resourceVersion, read from the watch history: a key's state at
// the snapshot is what its earliest later event found (nothing for ADDED, `previous` otherwise), and
// its latest event says whether it exists now.

import type { ListKey } from "./list-key.ts";
import { EVENT_NAME } from "./sqlite-event-log.ts";
import { optionalTextColumn, type Row, type Statements, textColumn } from "./sqlite-schema.ts";
import { StorageError } from "./storage.ts";

export interface KeyChange extends ListKey {
  /** The object's JSON at the snapshot; undefined when the key did not exist then. */
  dataAtSnapshot: string | undefined;
  existsNow: boolean;
}

/** Changed keys strictly after `after`, in key order. The history must be complete after `rv`. */
export function changesSince(
  statements: Statements,
  resource: string,
  namespace: string | undefined,
  rv: number,
  after: ListKey,
): KeyChange[] {
  const inNamespace = namespace === undefined ? "" : "AND namespace = ?";
  const params = namespace === undefined ? [rv, resource] : [rv, resource, namespace];
  const sql = `
    SELECT changed.namespace, changed.name, first.type AS first_type, first.previous AS first_previous,
           last.type AS last_type
    FROM (
      SELECT namespace, ${EVENT_NAME} AS name, min(rv) AS first_rv, max(rv) AS last_rv
      FROM events WHERE rv > ? AND resource = ? ${inNamespace}
      GROUP BY namespace, ${EVENT_NAME}
    ) AS changed
    JOIN events AS first ON first.rv = changed.first_rv
    JOIN events AS last ON last.rv = changed.last_rv
    WHERE (changed.namespace, changed.name) > (?, ?)
    ORDER BY changed.namespace, changed.name`;
  return statements
    .get(sql)
    .all(...params, after.namespace, after.name)
    .map(toKeyChange);
}

function toKeyChange(row: Row): KeyChange {
  const namespace = textColumn(row, "namespace");
  const name = textColumn(row, "name");
  const firstType = textColumn(row, "first_type");
  const previous = optionalTextColumn(row, "first_previous");
  if (firstType !== "ADDED" && previous === undefined) {
    throw new StorageError(
      "Internal",
      `a ${firstType} event of ${namespace}/${name} lacks its previous state`,
    );
  }
  const dataAtSnapshot = firstType === "ADDED" ? undefined : previous;
  return { namespace, name, dataAtSnapshot, existsNow: textColumn(row, "last_type") !== "DELETED" };
}
