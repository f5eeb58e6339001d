import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../api/object.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { eventually } from "../testing/eventually.ts";
import { DeletedFinalStateUnknown, objectOf } from "./cache-store.ts";
import { Informer } from "./informer.ts";
import { CONFIG_MAPS, type KubeClients, loadKubeClients } from "./kube-client.ts";
import { clientNodeWatch, type OpenWatch } from "./watch-stream.ts";

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

interface Seen {
  events: string[];
  deleted: (ConfigMap | DeletedFinalStateUnknown<ConfigMap>)[];
}

function record(informer: Informer<ConfigMap>): Seen {
  const seen: Seen = { events: [], deleted: [] };
  informer.addEventHandler({
    onAdd: (obj) => seen.events.push(`add ${obj.metadata.name}`),
    onUpdate: (old, obj) => seen.events.push(`update ${obj.metadata.name} ${old.data?.v}->${obj.data?.v}`),
    onDelete: (obj) => {
      seen.deleted.push(obj);
      seen.events.push(`delete ${objectOf(obj).metadata.name}`);
    },
  });
  return seen;
}

describe("Informer", () => {
  let api: TestApiServer;
  let clients: KubeClients;
  const abort = new AbortController();
  const signal = abort.signal;

  beforeAll(async () => {
    api = await startTestApiServer({ historyLimit: { events: 5, ageMs: 0 } });
    clients = loadKubeClients(api.server.kubeconfigPath);
  });
  afterAll(async () => {
    abort.abort();
    await api.close();
  });

  async function namespace(name: string): Promise<ResourceClientFor> {
    await clients.rest.request({
      method: "POST",
      path: "/api/v1/namespaces",
      body: { metadata: { name } },
      signal,
    });
    const client = clients.resource<ConfigMap>(CONFIG_MAPS);
    return {
      create: (n, v) => client.create({ metadata: { name: n, namespace: name }, data: { v } }, { signal }),
      update: (n, v) => client.patch(n, { data: { v } }, { type: "merge", namespace: name, signal }),
      remove: (n) => client.delete(n, { namespace: name, signal }),
    };
  }

  it("resolves start on a quiet namespace and reports add, update (old and new) and delete", async () => {
    const cms = await namespace("quiet");
    const informer = new Informer<ConfigMap>({ clients, resource: CONFIG_MAPS, namespace: "quiet" });
    const seen = record(informer);
    await informer.start(signal);
    expect(informer.hasSynced()).toBe(true);
    expect(informer.list()).toEqual([]);
    await cms.create("a", "1");
    await cms.update("a", "2");
    await cms.remove("a");
    await eventually(() => expect(seen.events).toEqual(["add a", "update a 1->2", "delete a"]));
    expect(seen.deleted[0]).not.toBeInstanceOf(DeletedFinalStateUnknown);
    expect(informer.get("quiet/a")).toBeUndefined();
  });

  it("serves frozen objects by key and by index, honouring the label selector", async () => {
    const cms = await namespace("indexed");
    const client = clients.resource<ConfigMap>(CONFIG_MAPS);
    await cms.create("plain", "x");
    for (const [name, team] of [
      ["one", "red"],
      ["two", "blue"],
      ["three", "red"],
    ] as const) {
      const metadata = { name, namespace: "indexed", labels: { app: "demo", team } };
      await client.create({ metadata, data: { v: "1" } }, { signal });
    }
    const informer = new Informer<ConfigMap>({
      clients,
      resource: CONFIG_MAPS,
      namespace: "indexed",
      labelSelector: "app=demo",
      pageSize: 2,
    });
    informer.addIndexer("team", (obj) => [obj.metadata.labels?.team ?? ""]);
    await informer.start(signal);
    expect(
      informer
        .list()
        .map((cm) => cm.metadata.name)
        .sort(),
    ).toEqual(["one", "three", "two"]);
    const red = informer.byIndex("team", "red").map((cm) => cm.metadata.name);
    expect(red.sort()).toEqual(["one", "three"]);
    const one = informer.get("indexed/one");
    expect(one?.kind).toBe("ConfigMap");
    expect(Object.isFrozen(one?.metadata)).toBe(true);
  });

  it("relists after 410 Expired and synthesises tombstones for objects it missed", async () => {
    const cms = await namespace("churn");
    await cms.create("gone", "1");
    await cms.create("kept", "1");
    const cut = new CutWatch(clientNodeWatch(clients.kubeConfig));
    const informer = new Informer<ConfigMap>({
      clients,
      resource: CONFIG_MAPS,
      namespace: "churn",
      openWatch: cut.open,
      initialBackoffMs: 20,
    });
    const seen = record(informer);
    await informer.start(signal);
    await eventually(() => expect(cut.connections).toBe(1));
    cut.disconnect();
    await cms.remove("gone");
    await cms.update("kept", "2");
    for (let i = 0; i < 8; i++) await cms.create(`new-${i}`, "1");
    cut.reconnect();
    await eventually(() => expect(informer.list()).toHaveLength(9));
    const tombstone = seen.deleted.find((obj) => obj instanceof DeletedFinalStateUnknown);
    expect(tombstone?.key).toBe("churn/gone");
    expect(objectOf(tombstone ?? { metadata: {} }).metadata.name).toBe("gone");
    expect(seen.events).toContain("update kept 1->2");
    expect(informer.get("churn/kept")?.data?.v).toBe("2");
    await cms.update("kept", "3");
    await eventually(() => expect(informer.get("churn/kept")?.data?.v).toBe("3"));
  });
});

interface ResourceClientFor {
  create(name: string, v: string): Promise<unknown>;
  update(name: string, v: string): Promise<unknown>;
  remove(name: string): Promise<unknown>;
}

/** Wraps the real watch so a test can drop the connection and hold reconnection back. */
class CutWatch {
  connections = 0;
  #cut = new AbortController();
  #gate: PromiseWithResolvers<void> | undefined;
  readonly #inner: OpenWatch;

  constructor(inner: OpenWatch) {
    this.#inner = inner;
  }

  readonly open: OpenWatch = async (request, onEvent) => {
    await this.#gate?.promise;
    this.connections++;
    const signal = AbortSignal.any([request.signal, this.#cut.signal]);
    return this.#inner({ ...request, signal }, onEvent);
  };

  disconnect(): void {
    this.#gate = Promise.withResolvers<void>();
    this.#cut.abort();
    this.#cut = new AbortController();
  }

  reconnect(): void {
    this.#gate?.resolve();
    this.#gate = undefined;
  }
}
