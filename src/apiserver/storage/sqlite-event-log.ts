// The watch history: every committed change in the `events` table (so a watcher can resume across a
// restart) and the newest ones in memory. Pruning runs every few writes over a bounded RV range, so
// no write pays for a full scan.

import type { DatabaseSync } from "node:sqlite";
import {
  intColumn,
  optionalTextColumn,
  type Row,
  readMeta,
  type Statements,
  textColumn,
  transaction,
} from "./sqlite-schema.ts";
import { StorageError, type WatchEventType } from "./storage.ts";
import { type EventRecord, RecentEvents } from "./watch-history.ts";

export interface HistoryLimit {
  /** Keep at least this many newest events… */
  events: number;
  /** …or every event younger than this, whichever keeps more. */
  ageMs: number;
}

/** Enough to serve watchers that reconnect within seconds; older resumptions read SQLite. */
const RECENT_CAPACITY = 2_048;
const PRUNE_EVERY_WRITES = 1_000;
/** The most events one prune deletes, so a long backlog is worked off over several writes. */
const PRUNE_MAX_BATCH = 5_000;
const READ_PAGE = 256;

/** An event's key name; events written before the name column existed take their object's name, as the registry keys objects by it. */
export const EVENT_NAME = "coalesce(name, json_extract(object, '$.metadata.name'))";

const EVENT_TYPES: ReadonlySet<string> = new Set<WatchEventType>(["ADDED", "MODIFIED", "DELETED"]);

export class EventLog {
  readonly #db: DatabaseSync;
  readonly #statements: Statements;
  readonly #limit: HistoryLimit;
  readonly #now: () => number;
  readonly #recent = new RecentEvents(RECENT_CAPACITY);
  readonly #pruneEvery: number;
  #start: number;
  #writesSincePrune = 0;

  constructor(db: DatabaseSync, statements: Statements, limit: HistoryLimit, now: () => number) {
    this.#db = db;
    this.#statements = statements;
    this.#limit = limit;
    this.#now = now;
    this.#pruneEvery = Math.min(PRUNE_EVERY_WRITES, Math.max(1, limit.events));
    this.#start = readMeta(statements, "history_start");
  }

  /** The RV after which the history is complete: a watch may start at or after it. */
  get start(): number {
    return this.#start;
  }

  /** Call inside the write's transaction. */
  insert(record: EventRecord): void {
    this.#statements
      .get(
        "INSERT INTO events (rv, resource, namespace, name, type, object, previous, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        record.rv,
        record.resource,
        record.namespace,
        record.name,
        record.type,
        record.object,
        record.previous ?? null,
        this.#now(),
      );
  }

  /** Call after the write's transaction committed. */
  committed(record: EventRecord): void {
    this.#recent.push(record);
    this.#writesSincePrune++;
  }

  get pruneDue(): boolean {
    return this.#writesSincePrune >= this.#pruneEvery;
  }

  /** Up to a page of matching records with rv > `afterRv`, oldest first; empty when there are none. */
  after(afterRv: number, resource: string, namespace: string | undefined, currentRv: number): EventRecord[] {
    if (afterRv >= currentRv) return [];
    return (
      this.#recent.after(afterRv, resource, namespace, READ_PAGE) ?? this.#read(afterRv, resource, namespace)
    );
  }

  /** Deletes events outside both limits, at most one batch; a no-op inside another transaction. */
  prune(currentRv: number): void {
    if (this.#db.isTransaction) return;
    this.#writesSincePrune = 0;
    let upTo = Math.min(currentRv - this.#limit.events, this.#start + PRUNE_MAX_BATCH);
    if (upTo <= this.#start) return;
    // RVs and timestamps grow together, so the first young event bounds the old ones.
    const young = this.#statements
      .get("SELECT rv FROM events WHERE rv > ? AND rv <= ? AND ts > ? ORDER BY rv LIMIT 1")
      .get(this.#start, upTo, this.#now() - this.#limit.ageMs);
    if (young !== undefined) upTo = intColumn(young, "rv") - 1;
    if (upTo <= this.#start) return;
    const newStart = upTo;
    transaction(this.#db, () => {
      this.#statements.get("DELETE FROM events WHERE rv <= ?").run(newStart);
      this.#statements.get("UPDATE meta SET value = ? WHERE key = 'history_start'").run(newStart);
    });
    this.#start = newStart;
  }

  #read(afterRv: number, resource: string, namespace: string | undefined): EventRecord[] {
    const columns = `SELECT rv, resource, namespace, ${EVENT_NAME} AS name, type, object, previous FROM events`;
    const rows =
      namespace === undefined
        ? this.#statements
            .get(`${columns} WHERE rv > ? AND resource = ? ORDER BY rv LIMIT ?`)
            .all(afterRv, resource, READ_PAGE)
        : this.#statements
            .get(`${columns} WHERE rv > ? AND resource = ? AND namespace = ? ORDER BY rv LIMIT ?`)
            .all(afterRv, resource, namespace, READ_PAGE);
    return rows.map(toRecord);
  }
}

function toRecord(row: Row): EventRecord {
  const type = textColumn(row, "type");
  if (!EVENT_TYPES.has(type)) throw new StorageError("Internal", `unknown event type ${type}`);
  return {
    rv: intColumn(row, "rv"),
    resource: textColumn(row, "resource"),
    namespace: textColumn(row, "namespace"),
    name: textColumn(row, "name"),
    type: type as WatchEventType,
    object: textColumn(row, "object"),
    previous: optionalTextColumn(row, "previous"),
  };
}
