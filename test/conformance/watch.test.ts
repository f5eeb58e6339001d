// §9.7 Watch: flushed headers and line framing, synthetic ADDED, resuming from a list RV, 410 for a
// version older than the history, timeoutSeconds, bookmarks, selector transitions, DELETED payloads
// and sendInitialEvents.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStorage } from "../../src/apiserver/storage/sqlite-storage.ts";
import { startTestApiServer, type TestApiServer } from "../../src/testing/api-server.ts";
import { createNamespace, expectStatus, sleep } from "./helpers.ts";

const NS = "watch-ns";
const OTHER = "watch-other";
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const MERGE = "application/merge-patch+json";

let api: TestApiServer;
let dir: string;
/** The oldest RV a watch may still start from: the seeded history was pruned up to here. */
let historyStart = 0;

beforeAll(async () => {
  // Seed the state directory with a history pruned past its first events, as a long-running server
  // would have, so that an old RV is too old.
  dir = await mkdtemp(join(tmpdir(), "mob-conformance-watch-"));
  const seed = new SqliteStorage({ path: join(dir, "state.db"), historyLimit: { events: 5, ageMs: 0 } });
  const key = { resource: "configmaps", namespace: "kube-system", name: "seed" };
  seed.create(key, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "seed", namespace: "kube-system" },
  });
  for (let i = 0; i < 300; i++) {
    seed.guaranteedUpdate(key, (current) => ({ ...current, data: { i: String(i) } }));
  }
  historyStart = Number(seed.oldestWatchableResourceVersion());
  seed.close();
  api = await startTestApiServer({ dir });
  await createNamespace(api.client, NS);
  await createNamespace(api.client, OTHER);
});
afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function createCm(name: string, labels: Record<string, string> = {}, ns = NS) {
  const res = await api.client.post(`/api/v1/namespaces/${ns}/configmaps`, {
    metadata: { name, labels },
    data: { k: "v" },
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function currentRv(): Promise<string> {
  return (await api.client.get(`${CM}?limit=1`)).json.metadata.resourceVersion;
}

describe("watch", () => {
  it("flushes 200 application/json headers before any event", async () => {
    const watch = await api.client.watch(`/api/v1/namespaces/${NS}/secrets?watch=true`);
    try {
      expect(watch.status).toBe(200);
      expect(watch.headers["content-type"]).toBe("application/json");
      expect(watch.headers["transfer-encoding"]).toBe("chunked");
      await expect(watch.next(300)).rejects.toThrow(/no watch event/);
    } finally {
      watch.close();
    }
  });

  it("without a resourceVersion (or with 0): a synthetic ADDED per current object, then changes", async () => {
    await createCm("init-a", { set: "init" });
    await createCm("init-b", { set: "init" });
    for (const rv of ["", "&resourceVersion=0"]) {
      const watch = await api.client.watch(`${CM}?watch=true&labelSelector=set%3Dinit${rv}`);
      try {
        const events = [await watch.next(), await watch.next()];
        expect(events.map((e) => e.type)).toEqual(["ADDED", "ADDED"]);
        expect(events.map((e) => e.object.metadata.name).sort()).toEqual(["init-a", "init-b"]);
        expect(events[0].object).toMatchObject({ apiVersion: "v1", kind: "ConfigMap" });
        await expect(watch.next(200)).rejects.toThrow();
      } finally {
        watch.close();
      }
    }
  });

  it("from a list's resourceVersion: silent until a change, then exactly that change", async () => {
    await createCm("quiet");
    const list = await api.client.get(CM);
    const watch = await api.client.watch(
      `${CM}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}`,
    );
    try {
      await expect(watch.next(400)).rejects.toThrow(/no watch event/);
      const changed = await api.client.patch(`${CM}/quiet`, { data: { k: "changed" } }, MERGE);
      const event = await watch.next();
      expect(event.type).toBe("MODIFIED");
      expect(event.object).toEqual(changed.json);
    } finally {
      watch.close();
    }
  });

  it("an RV older than the history → ERROR 410 Expired event, then the stream ends", async () => {
    const watch = await api.client.watch(
      `/api/v1/namespaces/kube-system/configmaps?watch=true&resourceVersion=3`,
    );
    try {
      expect(watch.status).toBe(200);
      const event = await watch.next();
      expect(event.type).toBe("ERROR");
      expect(event.object).toMatchObject({
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        reason: "Expired",
        code: 410,
      });
      expect(event.object.message).toMatch(/^too old resource version: 3 \(\d+\)$/);
      expect(historyStart).toBeGreaterThan(3);
      expect(Number(/\((\d+)\)/.exec(event.object.message)?.[1])).toBeGreaterThanOrEqual(historyStart);
      await watch.ended;
    } finally {
      watch.close();
    }
  });

  it("timeoutSeconds=1 closes the stream cleanly", async () => {
    const started = Date.now();
    const watch = await api.client.watch(
      `${CM}?watch=true&timeoutSeconds=1&resourceVersion=${await currentRv()}`,
    );
    await watch.ended;
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
  });

  it("BOOKMARK events only when allowWatchBookmarks=true, carrying only kind, apiVersion and RV", async () => {
    const rv = await currentRv();
    const watch = await api.client.watch(`${CM}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`);
    const plain = await api.client.watch(`${CM}?watch=true&resourceVersion=${rv}`);
    try {
      const event = await watch.next(2000);
      expect(event.type).toBe("BOOKMARK");
      expect(event.object).toEqual({
        kind: "ConfigMap",
        apiVersion: "v1",
        metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
      });
      expect(Number(event.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
      await expect(plain.next(600)).rejects.toThrow(/no watch event/);
    } finally {
      watch.close();
      plain.close();
    }
  });

  it("selector transitions: into the selector → ADDED, within → MODIFIED, out → DELETED with the old object and the new RV", async () => {
    await createCm("mover", { app: "other" });
    const watch = await api.client.watch(
      `${CM}?watch=true&labelSelector=app%3Ddemo&resourceVersion=${await currentRv()}`,
    );
    try {
      const into = await api.client.patch(`${CM}/mover`, { metadata: { labels: { app: "demo" } } }, MERGE);
      const added = await watch.next();
      expect(added.type).toBe("ADDED");
      expect(added.object.metadata.resourceVersion).toBe(into.json.metadata.resourceVersion);

      await api.client.patch(`${CM}/mover`, { data: { k: "2" } }, MERGE);
      expect((await watch.next()).type).toBe("MODIFIED");

      const out = await api.client.patch(`${CM}/mover`, { metadata: { labels: { app: "gone" } } }, MERGE);
      const deleted = await watch.next();
      expect(deleted.type).toBe("DELETED");
      expect(deleted.object.metadata.labels).toEqual({ app: "demo" });
      expect(deleted.object.data).toEqual({ k: "2" });
      expect(deleted.object.metadata.resourceVersion).toBe(out.json.metadata.resourceVersion);

      await api.client.patch(`${CM}/mover`, { data: { k: "3" } }, MERGE);
      await expect(watch.next(300)).rejects.toThrow(/no watch event/);
    } finally {
      watch.close();
    }
  });

  it("DELETED carries the final object with the deletion's resourceVersion", async () => {
    const created = await createCm("doomed");
    const watch = await api.client.watch(
      `${CM}?watch=true&resourceVersion=${created.metadata.resourceVersion}`,
    );
    try {
      expect((await api.client.delete(`${CM}/doomed`)).status).toBe(200);
      const event = await watch.next();
      expect(event.type).toBe("DELETED");
      expect(event.object.metadata.name).toBe("doomed");
      expect(event.object.data).toEqual({ k: "v" });
      expect(Number(event.object.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.metadata.resourceVersion),
      );
      expect(event.object.metadata.resourceVersion).toBe(await currentRv());
    } finally {
      watch.close();
    }
  });

  it("namespaced watches see only their namespace; the all-namespaces watch sees both", async () => {
    const rv = await currentRv();
    const mine = await api.client.watch(`${CM}?watch=true&resourceVersion=${rv}`);
    const all = await api.client.watch(`/api/v1/configmaps?watch=true&resourceVersion=${rv}`);
    try {
      await createCm("elsewhere", {}, OTHER);
      await createCm("here");
      expect((await mine.next()).object.metadata.name).toBe("here");
      const names = [(await all.next()).object.metadata.name, (await all.next()).object.metadata.name];
      expect(names).toEqual(["elsewhere", "here"]);
    } finally {
      mine.close();
      all.close();
    }
  });

  it("frames one compact JSON event per line", async () => {
    await createCm("line-a", { set: "lines" });
    await createCm("line-b", { set: "lines" });
    const res = await api.client.get(`${CM}?watch=true&labelSelector=set%3Dlines&timeoutSeconds=1`);
    expect(res.status).toBe(200);
    const lines = res.text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const event = JSON.parse(line);
      expect(Object.keys(event).sort()).toEqual(["object", "type"]);
      expect(line).toBe(JSON.stringify(event));
    }
  });

  it("sendInitialEvents=true: ADDED for each object, then a BOOKMARK annotated initial-events-end", async () => {
    await createCm("sie-a", { set: "sie" });
    const watch = await api.client.watch(
      `${CM}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&labelSelector=set%3Dsie`,
    );
    try {
      const added = await watch.next();
      expect(added.type).toBe("ADDED");
      expect(added.object.metadata.name).toBe("sie-a");
      const end = await watch.next();
      expect(end.type).toBe("BOOKMARK");
      expect(end.object.metadata.annotations).toEqual({ "k8s.io/initial-events-end": "true" });
      expect(Number(end.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(
        Number(added.object.metadata.resourceVersion),
      );
    } finally {
      watch.close();
    }
  });

  it("sendInitialEvents without resourceVersionMatch=NotOlderThan → 422", async () => {
    const res = await api.client.get(`${CM}?watch=true&sendInitialEvents=true&timeoutSeconds=1`);
    expectStatus(res, 422, "Invalid");
  });

  it("a closed watch stops cleanly and the server keeps serving", async () => {
    const watches = await Promise.all(
      Array.from({ length: 5 }, () => api.client.watch(`${CM}?watch=true&allowWatchBookmarks=true`)),
    );
    for (const w of watches) w.close();
    await sleep(100);
    await createCm("after-close");
    expect((await api.client.get("/readyz")).text).toBe("ok");
  });
});
