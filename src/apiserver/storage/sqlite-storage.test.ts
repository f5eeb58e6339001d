import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStorage, type SqliteStorageOptions } from "./sqlite-storage.ts";
import type { Storage } from "./storage.ts";
import { runStorageConformance } from "./storage-conformance.ts";

const dir = mkdtempSync(join(tmpdir(), "mob-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const opened = new WeakMap<Storage, SqliteStorageOptions>();

function openFile(config: Omit<SqliteStorageOptions, "path">): SqliteStorage {
  const options = { ...config, path: join(dir, `db-${++files}.sqlite`) };
  const storage = new SqliteStorage(options);
  opened.set(storage, options);
  return storage;
}

runStorageConformance("sqlite :memory:", (config) => new SqliteStorage({ ...config, path: ":memory:" }));

runStorageConformance("sqlite file", openFile, {
  reopen: (previous) => {
    const options = opened.get(previous);
    if (options === undefined) throw new Error("not opened by this test");
    previous.close();
    const storage = new SqliteStorage(options);
    opened.set(storage, options);
    return storage;
  },
});

const cm = (name: string) => ({ resource: "configmaps", namespace: "ns", name });
const configMap = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "ns" },
  data,
});

describe("SqliteStorage", () => {
  it("opens files in WAL mode", () => {
    const storage = openFile({});
    const path = opened.get(storage)?.path ?? "";
    storage.close();
    const db = new DatabaseSync(path);
    expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    db.close();
  });

  it("serves history older than the in-memory window from SQLite", () => {
    const storage = new SqliteStorage({ path: ":memory:" });
    for (let i = 0; i < 3_000; i++) storage.create(cm(`o${i}`), configMap(`o${i}`));
    const all: string[] = [];
    storage.watch("configmaps", { sinceResourceVersion: "0" }, (e) => all.push(e.object.metadata.name ?? ""));
    expect(all).toEqual(Array.from({ length: 3_000 }, (_, i) => `o${i}`));
    const tail: string[] = [];
    storage.watch("configmaps", { sinceResourceVersion: "2990" }, (e) =>
      tail.push(e.object.metadata.name ?? ""),
    );
    expect(tail).toHaveLength(10);
    storage.close();
  });

  it("prunes in batches, keeping the newest events, and remembers where history starts", () => {
    const options = { path: join(dir, "prune.sqlite"), historyLimit: { events: 100, ageMs: 0 } };
    const storage = new SqliteStorage(options);
    storage.create(cm("first"), configMap("first"));
    storage.create(cm("second"), configMap("second"));
    const staleToken = storage.list("configmaps", { limit: 1 }).continue ?? "";
    for (let i = 0; i < 1_048; i++) storage.create(cm(`o${i}`), configMap(`o${i}`));
    const oldest = Number(storage.oldestWatchableResourceVersion());
    expect(oldest).toBeGreaterThanOrEqual(1_050 - 200);
    expect(oldest).toBeLessThanOrEqual(1_050 - 100);
    expect(() => storage.list("configmaps", { limit: 1, continue: staleToken })).toThrow(
      expect.objectContaining({ code: "Expired" }),
    );
    storage.close();
    const reopened = new SqliteStorage(options);
    expect(reopened.oldestWatchableResourceVersion()).toBe(String(oldest));
    reopened.close();
  });

  it("continues a list at its snapshot over events from before the events' name column", () => {
    const options = { path: join(dir, "events-without-names.sqlite") };
    const before = new SqliteStorage(options);
    for (const name of ["a", "b", "c"]) before.create(cm(name), configMap(name));
    const atFirstPage = before.list("configmaps");
    const page = before.list("configmaps", { limit: 1 });
    before.guaranteedUpdate(cm("b"), (o) => ({ ...o, data: { v: "2" } }));
    before.delete(cm("c"));
    before.close();
    const db = new DatabaseSync(options.path);
    db.exec("ALTER TABLE events DROP COLUMN name");
    db.close();
    const after = new SqliteStorage(options);
    const rest = after.list("configmaps", { continue: page.continue ?? "missing" });
    expect([...page.items, ...rest.items]).toEqual(atFirstPage.items);
    after.close();
  }, 10_000);

  it("refuses a write from inside an update callback and writes nothing", () => {
    const storage = new SqliteStorage({ path: ":memory:" });
    storage.create(cm("a"), configMap("a"));
    expect(() =>
      storage.guaranteedUpdate(cm("a"), (current) => {
        storage.create(cm("b"), configMap("b"));
        return current;
      }),
    ).toThrow(expect.objectContaining({ code: "Internal" }));
    expect(storage.list("configmaps").items).toHaveLength(1);
    expect(storage.currentResourceVersion()).toBe("1");
    storage.close();
  });

  it("writes and pages 20,000 objects quickly", () => {
    const storage = openFile({});
    const data = { payload: "x".repeat(1_000) };
    const started = performance.now();
    for (let i = 0; i < 20_000; i++)
      storage.create(cm(`o${String(i).padStart(5, "0")}`), configMap(`o${i}`, data));
    const createsPerSecond = 20_000 / ((performance.now() - started) / 1_000);
    expect(createsPerSecond).toBeGreaterThan(2_000);

    const listed = performance.now();
    let count = 0;
    let token: string | undefined;
    do {
      const page = storage.list("configmaps", {
        limit: 500,
        ...(token === undefined ? {} : { continue: token }),
      });
      count += page.items.length;
      token = page.continue;
    } while (token !== undefined);
    expect(count).toBe(20_000);
    expect(performance.now() - listed).toBeLessThan(5_000);
    expect(process.memoryUsage().rss).toBeLessThan(300 * 1024 * 1024);
    storage.close();
  });
});
