// Opening the SQLite file, its tables, and typed access to result rows. One SqliteStorage owns one
// file: the live watch fan-out only sees writes made through that instance.

import { DatabaseSync, type SQLOutputValue, type StatementSync } from "node:sqlite";
import { StorageError } from "./storage.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('rv', 0), ('history_start', 0);
CREATE TABLE IF NOT EXISTS objects (
  id INTEGER PRIMARY KEY,
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS objects_key ON objects (resource, namespace, name);
CREATE TABLE IF NOT EXISTS events (
  rv INTEGER PRIMARY KEY,
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  type TEXT NOT NULL,
  object TEXT NOT NULL,
  previous TEXT,
  ts INTEGER NOT NULL,
  name TEXT
);
`;

const BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating if needed) a database in WAL mode with synchronous=NORMAL: a commit survives a crash of the process, not necessarily of the machine. */
export function openDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec(SCHEMA);
  addEventNames(db);
  return db;
}

/** Databases from before events had a name column get it; their older events have none (NULL). */
function addEventNames(db: DatabaseSync): void {
  const hasName = () =>
    db
      .prepare("PRAGMA table_info(events)")
      .all()
      .some((column) => column.name === "name");
  if (hasName()) return;
  transaction(db, () => {
    if (!hasName()) db.exec("ALTER TABLE events ADD COLUMN name TEXT");
  });
}

/** Prepares each SQL text once per connection. */
export class Statements {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(sql: string): StatementSync {
    let statement = this.#cache.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#cache.set(sql, statement);
    }
    return statement;
  }
}

export type Row = Record<string, SQLOutputValue>;

export function textColumn(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== "string") throw new StorageError("Internal", `column ${column} is not text`);
  return value;
}

export function optionalTextColumn(row: Row, column: string): string | undefined {
  return row[column] === null ? undefined : textColumn(row, column);
}

export function intColumn(row: Row, column: string): number {
  const value = row[column];
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  throw new StorageError("Internal", `column ${column} is not an integer`);
}

export function readMeta(statements: Statements, key: "rv" | "history_start"): number {
  const row = statements.get("SELECT value FROM meta WHERE key = ?").get(key);
  return row === undefined ? 0 : intColumn(row, "value");
}

/** Runs `fn` in one IMMEDIATE transaction; rolls back and rethrows whatever `fn` throws, unchanged. */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) {
    throw new StorageError(
      "Internal",
      "re-entrant write: storage was written from inside an update callback",
    );
  }
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
