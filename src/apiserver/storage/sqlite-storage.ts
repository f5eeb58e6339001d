// The Storage interface on node:sqlite: objects as JSON rows keyed by (resource, namespace, name),
// one global resourceVersion counter, and a watch history that survives restarts. SQLite is the
// only copy of the objects; memory holds just the newest watch events.
//
// One SqliteStorage per database file: watchers only see writes made through this instance.

import type { DatabaseSync } from "node:sqlite";
import type { KubeObject } from "../../api/object.ts";
import { EventLog, type HistoryLimit } from "./sqlite-event-log.ts";
import { listObjects } from "./sqlite-list.ts";
import { intColumn, openDatabase, readMeta, Statements, textColumn, transaction } from "./sqlite-schema.ts";
import {
  type ListOptions,
  type ListResult,
  type ObjectKey,
  type Storage,
  StorageError,
  type StorageEvent,
  type WatchEventType,
  type WatchHandle,
  type WatchOptions,
} from "./storage.ts";
import type { EventRecord } from "./watch-history.ts";
import { WatchHub } from "./watch-hub.ts";

export interface SqliteStorageOptions {
  /** A file path, or ":memory:" for a database that lives as long as this object. */
  path: string;
  /** Watch history kept: at least the newest `events` (default 10,000) or those younger than `ageMs` (default 10 minutes), whichever is more. */
  historyLimit?: { events?: number; ageMs?: number };
  /** Clock for history ages, in milliseconds. Default Date.now. */
  now?: () => number;
}

const DEFAULT_HISTORY: HistoryLimit = { events: 10_000, ageMs: 10 * 60_000 };

export class SqliteStorage implements Storage {
  readonly #db: DatabaseSync;
  readonly #statements: Statements;
  readonly #log: EventLog;
  readonly #hub: WatchHub;
  #rv: number;

  constructor(options: SqliteStorageOptions) {
    this.#db = openDatabase(options.path);
    this.#statements = new Statements(this.#db);
    const limit = { ...DEFAULT_HISTORY, ...options.historyLimit };
    this.#log = new EventLog(this.#db, this.#statements, limit, options.now ?? Date.now);
    this.#rv = readMeta(this.#statements, "rv");
    this.#hub = new WatchHub({
      after: (afterRv, resource, namespace) => this.#log.after(afterRv, resource, namespace, this.#rv),
      currentRv: () => this.#rv,
    });
  }

  create(key: ObjectKey, object: KubeObject): KubeObject {
    const [created, record] = transaction(this.#db, () => {
      const rv = this.#nextRv();
      const stored = withResourceVersion(object, rv);
      const data = JSON.stringify(stored);
      const inserted = this.#statements
        .get(
          "INSERT INTO objects (resource, namespace, name, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .run(key.resource, key.namespace, key.name, data);
      if (inserted.changes === 0) {
        throw new StorageError("AlreadyExists", `${describeKey(key)} already exists`, key);
      }
      return [stored, this.#record(key, rv, "ADDED", data, undefined)] as const;
    });
    this.#committed(record);
    return created;
  }

  get(key: ObjectKey): KubeObject {
    return JSON.parse(this.#read(key)) as KubeObject;
  }

  /** A callback result that serialises exactly like the stored object is a no-op, as in Kubernetes. */
  guaranteedUpdate(key: ObjectKey, update: (current: KubeObject) => KubeObject): KubeObject {
    const [updated, record] = transaction(this.#db, () => {
      const previous = this.#read(key);
      const current = JSON.parse(previous) as KubeObject;
      const currentRv = current.metadata.resourceVersion ?? "";
      const next = update(current);
      const unchanged = next === current ? current : withResourceVersion(next, currentRv);
      if (JSON.stringify(unchanged) === previous) return [unchanged, undefined] as const;
      const rv = this.#nextRv();
      const stored = withResourceVersion(next, rv);
      const data = JSON.stringify(stored);
      this.#statements
        .get("UPDATE objects SET data = ? WHERE resource = ? AND namespace = ? AND name = ?")
        .run(data, key.resource, key.namespace, key.name);
      return [stored, this.#record(key, rv, "MODIFIED", data, previous)] as const;
    });
    if (record !== undefined) this.#committed(record);
    return updated;
  }

  delete(key: ObjectKey, precondition?: (current: KubeObject) => void): KubeObject {
    const [deleted, record] = transaction(this.#db, () => {
      const previous = this.#read(key);
      precondition?.(JSON.parse(previous) as KubeObject);
      this.#statements
        .get("DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?")
        .run(key.resource, key.namespace, key.name);
      const rv = this.#nextRv();
      const removed = withResourceVersion(JSON.parse(previous) as KubeObject, rv);
      return [removed, this.#record(key, rv, "DELETED", JSON.stringify(removed), previous)] as const;
    });
    this.#committed(record);
    return deleted;
  }

  list(resource: string, options: ListOptions = {}): ListResult {
    const context = { statements: this.#statements, currentRv: this.#rv, oldestRv: this.#log.start };
    return listObjects(context, resource, options);
  }

  /**
   * `sinceResourceVersion` "0" means the whole history, which is only possible while the history
   * still starts at 0 (nothing pruned yet); otherwise Expired, like any RV older than the history.
   * The HTTP layer answers a watch from "0" with a list instead and never passes it here.
   */
  watch(resource: string, options: WatchOptions, onEvent: (event: StorageEvent) => void): WatchHandle {
    const since = options.sinceResourceVersion;
    const sinceRv = since === undefined ? undefined : parseResourceVersion(since);
    if (sinceRv !== undefined && sinceRv < this.#log.start) {
      throw new StorageError("Expired", `too old resource version: ${sinceRv} (${this.#log.start})`);
    }
    return this.#hub.watch(resource, options.namespace, sinceRv, onEvent);
  }

  currentResourceVersion(): string {
    return String(this.#rv);
  }

  oldestWatchableResourceVersion(): string {
    return String(this.#log.start);
  }

  /** Idempotent. Live watchers simply receive nothing more. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Inside a transaction: issues the next resourceVersion. */
  #nextRv(): number {
    const row = this.#statements
      .get("UPDATE meta SET value = value + 1 WHERE key = 'rv' RETURNING value")
      .get();
    if (row === undefined) throw new StorageError("Internal", "the resourceVersion counter is missing");
    return intColumn(row, "value");
  }

  #read(key: ObjectKey): string {
    const row = this.#statements
      .get("SELECT data FROM objects WHERE resource = ? AND namespace = ? AND name = ?")
      .get(key.resource, key.namespace, key.name);
    if (row === undefined) throw new StorageError("NotFound", `${describeKey(key)} not found`, key);
    return textColumn(row, "data");
  }

  /** Inside a transaction: appends the change to the persistent history. */
  #record(
    key: ObjectKey,
    rv: number,
    type: WatchEventType,
    object: string,
    previous: string | undefined,
  ): EventRecord {
    const record = {
      rv,
      resource: key.resource,
      namespace: key.namespace,
      name: key.name,
      type,
      object,
      previous,
    };
    this.#log.insert(record);
    return record;
  }

  /** After the commit: remember, prune now and then, tell the watchers. */
  #committed(record: EventRecord): void {
    this.#rv = record.rv;
    this.#log.committed(record);
    if (this.#log.pruneDue && !this.#hub.replaying) this.#prune();
    this.#hub.publish(record);
  }

  #prune(): void {
    try {
      this.#log.prune(this.#rv);
    } catch {
      // The write already committed; a prune that fails (say, a busy database) is retried later.
    }
  }
}

function withResourceVersion(object: KubeObject, rv: number | string): KubeObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: String(rv) } };
}

function describeKey(key: ObjectKey): string {
  return key.namespace === ""
    ? `${key.resource} "${key.name}"`
    : `${key.resource} "${key.namespace}/${key.name}"`;
}

function parseResourceVersion(value: string): number {
  const rv = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(rv)) {
    throw new StorageError("InvalidResourceVersion", `invalid resource version: ${JSON.stringify(value)}`);
  }
  return rv;
}
