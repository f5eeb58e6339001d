// @kubernetes/client-node 2.0.x against an in-process mob API server: typed clients, the generic
// KubernetesObjectApi, patch content types, informers (list + watch, quiet start) and the relist an
// informer does after its watch resourceVersion has expired (410).

import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  ListWatch,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Status,
  Watch,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../../src/testing/api-server.ts";
import { eventually } from "../../src/testing/eventually.ts";

interface Connection {
  api: TestApiServer;
  kc: KubeConfig;
  core: CoreV1Api;
}

async function connect(config: Parameters<typeof startTestApiServer>[0] = {}): Promise<Connection> {
  const api = await startTestApiServer(config);
  const kc = new KubeConfig();
  kc.loadFromFile(api.server.kubeconfigPath);
  return { api, kc, core: kc.makeApiClient(CoreV1Api) };
}

async function createNamespace(core: CoreV1Api, name: string): Promise<void> {
  await core.createNamespace({ body: { metadata: { name } } });
}

function names(objects: readonly KubernetesObject[]): string[] {
  return objects.map((object) => object.metadata?.name ?? "").sort();
}

/** name → resourceVersion, to compare an informer cache with the server's list. */
function versions(objects: readonly KubernetesObject[]): Record<string, string> {
  return Object.fromEntries(objects.map((o) => [o.metadata?.name ?? "", o.metadata?.resourceVersion ?? ""]));
}

async function rejection(promise: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) return error as ApiException<string>;
    throw error;
  }
  throw new Error("expected the request to fail");
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms),
    ),
  ]);
}

describe("client-node against mob", () => {
  let conn: Connection;

  beforeAll(async () => {
    conn = await connect();
  });
  afterAll(async () => {
    await conn?.api.close();
  });

  it("informer: start() resolves on a quiet resource, then ADD, UPDATE and DELETE arrive", async () => {
    const { kc, core } = conn;
    const namespace = "informer-quiet";
    await createNamespace(core, namespace);
    const informer = makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () =>
      core.listNamespacedConfigMap({ namespace }),
    );
    const seen: string[] = [];
    const errors: unknown[] = [];
    informer.on("add", (cm) => seen.push(`add ${cm.metadata?.name} ${cm.metadata?.resourceVersion}`));
    informer.on("update", (cm) => seen.push(`update ${cm.metadata?.name} ${cm.metadata?.resourceVersion}`));
    informer.on("delete", (cm) => seen.push(`delete ${cm.metadata?.name}`));
    informer.on("error", (error) => errors.push(error));
    try {
      // Nothing to list and nothing happening: start() must still resolve (watch headers flushed).
      await within(informer.start(), 5000, "informer.start()");
      expect(informer.list()).toEqual([]);

      const created = await core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name: "one" }, data: { a: "1" } },
      });
      const createdRv = created.metadata?.resourceVersion;
      await eventually(() => expect(seen).toEqual([`add one ${createdRv}`]));

      const patched = await core.patchNamespacedConfigMap(
        { name: "one", namespace, body: { data: { a: "2" } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      const patchedRv = patched.metadata?.resourceVersion;
      expect(Number(patchedRv)).toBeGreaterThan(Number(createdRv));
      await eventually(() => expect(seen).toEqual([`add one ${createdRv}`, `update one ${patchedRv}`]));
      expect(informer.get("one", namespace)?.data).toEqual({ a: "2" });

      await core.deleteNamespacedConfigMap({ name: "one", namespace });
      await eventually(() =>
        expect(seen).toEqual([`add one ${createdRv}`, `update one ${patchedRv}`, "delete one"]),
      );
      expect(informer.list()).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it("informer: lists existing objects first and keeps a label-selected cache", async () => {
    const { kc, core } = conn;
    const namespace = "informer-labels";
    await createNamespace(core, namespace);
    for (const [name, app] of [
      ["a", "web"],
      ["b", "db"],
      ["c", "web"],
    ] as const) {
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name, labels: { app } } } });
    }
    const informer = makeInformer(
      kc,
      `/api/v1/namespaces/${namespace}/configmaps`,
      () => core.listNamespacedConfigMap({ namespace, labelSelector: "app=web" }),
      "app=web",
    );
    const deleted: string[] = [];
    informer.on("delete", (cm) => deleted.push(cm.metadata?.name ?? ""));
    try {
      await within(informer.start(), 5000, "informer.start()");
      expect(names(informer.list(namespace))).toEqual(["a", "c"]);
      // Relabelling out of the selector is a DELETED for this watch; into it an ADDED.
      await core.patchNamespacedConfigMap(
        { name: "a", namespace, body: { metadata: { labels: { app: "db" } } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      await core.patchNamespacedConfigMap(
        { name: "b", namespace, body: { metadata: { labels: { app: "web" } } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      await eventually(() => expect(names(informer.list(namespace))).toEqual(["b", "c"]));
      expect(deleted).toEqual(["a"]);
    } finally {
      await informer.stop();
    }
  });

  it("typed create without apiVersion and kind: 201, and the server fills them in", async () => {
    const { core } = conn;
    const body: V1ConfigMap = { metadata: { name: "typed" }, data: { k: "v" } };
    expect(body.apiVersion).toBeUndefined();
    expect(body.kind).toBeUndefined();
    const response = await core.createNamespacedConfigMapWithHttpInfo({ namespace: "default", body });
    expect(response.httpStatusCode).toBe(201);
    expect(response.data).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", data: { k: "v" } });
    expect(response.data.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    const read = await core.readNamespacedConfigMap({ name: "typed", namespace: "default" });
    expect(read).toMatchObject({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "typed", namespace: "default" },
    });
  });

  it("patch content types: the default (json-patch) with a merge body is 400, MergePatch is 200", async () => {
    const { core } = conn;
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "patched" }, data: { a: "1" } },
    });

    const wrong = await rejection(
      core.patchNamespacedConfigMap({ name: "patched", namespace: "default", body: { data: { a: "2" } } }),
    );
    expect(wrong.code).toBe(400);
    const status = JSON.parse(wrong.body) as V1Status;
    expect(status).toMatchObject({ kind: "Status", status: "Failure", code: 400, reason: "BadRequest" });

    const merged = await core.patchNamespacedConfigMapWithHttpInfo(
      { name: "patched", namespace: "default", body: { data: { a: "2" } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(merged.httpStatusCode).toBe(200);
    expect(merged.data.data).toEqual({ a: "2" });

    // The default content type with a real JSON patch works too.
    const jsonPatched = await core.patchNamespacedConfigMap({
      name: "patched",
      namespace: "default",
      body: [{ op: "add", path: "/data/b", value: "3" }],
    });
    expect(jsonPatched.data).toEqual({ a: "2", b: "3" });
  });

  it("KubernetesObjectApi: create, read, strategic patch on a built-in, 415 then merge patch on a CR", async () => {
    const { kc, core } = conn;
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: {
        group: "example.com",
        names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
        scope: "Namespaced",
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: {
                    type: "object",
                    properties: { size: { type: "integer" }, color: { type: "string" } },
                  },
                  status: { type: "object" },
                },
              },
            },
          },
        ],
      },
    };
    await objects.create(crd as KubernetesObject);

    const pod = await objects.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "generic", namespace: "default" },
      spec: {
        containers: [
          { name: "c1", image: "nginx:1" },
          { name: "c2", image: "busybox:1" },
        ],
      },
    } as KubernetesObject);
    expect(pod.metadata?.uid).toBeTruthy();
    // The default strategy is strategic merge: containers merge by name.
    await objects.patch({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "generic", namespace: "default" },
      spec: { containers: [{ name: "c2", image: "busybox:2" }] },
    } as KubernetesObject);
    const read = await core.readNamespacedPod({ name: "generic", namespace: "default" });
    expect(read.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(["c1=nginx:1", "c2=busybox:2"]);

    const widget = {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w1", namespace: "default" },
    };
    await eventually(async () => {
      await objects.create({ ...widget, spec: { size: 1 } } as KubernetesObject);
    });
    const strategic = await rejection(objects.patch({ ...widget, spec: { size: 2 } } as KubernetesObject));
    expect(strategic.code).toBe(415);
    const merged = await objects.patch(
      { ...widget, spec: { color: "blue" } } as KubernetesObject,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(merged).toMatchObject({ spec: { size: 1, color: "blue" }, metadata: { generation: 2 } });
    const readWidget = await objects.read({ ...widget });
    expect(readWidget).toMatchObject({ kind: "Widget", spec: { size: 1, color: "blue" } });
  });
});

describe("client-node with a tiny watch history", () => {
  let conn: Connection;

  beforeAll(async () => {
    conn = await connect({ historyLimit: { events: 5, ageMs: 0 } });
  });
  afterAll(async () => {
    await conn?.api.close();
  });

  /** Enough unrelated writes to push everything before them out of the watch history. */
  async function churn(round: string): Promise<void> {
    const { core } = conn;
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: `churn-${round}` } },
    });
    for (let i = 0; i < 30; i++) {
      await core.patchNamespacedConfigMap(
        { name: `churn-${round}`, namespace: "default", body: { data: { i: String(i) } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
    }
  }

  it("a watch from an expired resourceVersion gets a 410 Expired ERROR event, then the stream ends", async () => {
    const { kc, core } = conn;
    const cm = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "old" } },
    });
    const oldRv = cm.metadata?.resourceVersion ?? "";
    await churn("watch");

    const events: { type: string; object: { code?: number; reason?: string; kind?: string } }[] = [];
    const done = new Promise<unknown>((resolve) => {
      void new Watch(kc).watch(
        "/api/v1/namespaces/default/configmaps",
        { resourceVersion: oldRv },
        (type: string, object: { code?: number; reason?: string; kind?: string }) =>
          events.push({ type, object }),
        resolve,
      );
    });
    const error = await within(done, 10_000, "the expired watch");
    expect(error ?? null).toBeNull();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "ERROR",
      object: { kind: "Status", code: 410, reason: "Expired" },
    });
  });

  it("an informer whose watch resumes from an expired resourceVersion relists and converges", async () => {
    const { kc, core } = conn;
    const namespace = "informer-relist";
    await createNamespace(core, namespace);
    for (const name of ["a", "b", "c"]) {
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name }, data: { v: "1" } } });
    }
    let lists = 0;
    // makeInformer's ListWatch, built directly for its latestResourceVersion().
    const informer = new ListWatch<V1ConfigMap>(
      `/api/v1/namespaces/${namespace}/configmaps`,
      new Watch(kc),
      () => {
        lists++;
        return core.listNamespacedConfigMap({ namespace });
      },
      false,
    );
    const added: string[] = [];
    const updated: string[] = [];
    const deleted: string[] = [];
    const errors: unknown[] = [];
    let paused = false;
    informer.on("add", (cm) => added.push(cm.metadata?.name ?? ""));
    informer.on("update", (cm) => updated.push(cm.metadata?.name ?? ""));
    informer.on("delete", (cm) => deleted.push(cm.metadata?.name ?? ""));
    // Stopping aborts the watch request, which client-node reports as an error; ignore that one.
    informer.on("error", (error) => {
      if (!paused) errors.push(error);
    });
    try {
      await within(informer.start(), 5000, "informer.start()");
      expect(lists).toBe(1);
      expect(names(informer.list(namespace))).toEqual(["a", "b", "c"]);
      await core.patchNamespacedConfigMap(
        { name: "c", namespace, body: { data: { v: "2" } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      await eventually(() => expect(informer.get("c", namespace)?.data).toEqual({ v: "2" }));
      const rvBeforePause = informer.latestResourceVersion();

      // Stop the world: no connection while objects change and the history moves past the informer's RV.
      paused = true;
      await informer.stop();
      await core.deleteNamespacedConfigMap({ name: "a", namespace });
      await core.patchNamespacedConfigMap(
        { name: "b", namespace, body: { data: { v: "2" } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "d" } } });
      await churn("informer");
      expect(informer.latestResourceVersion()).toBe(rvBeforePause);
      added.length = 0;
      updated.length = 0;
      deleted.length = 0;

      // start() keeps the last RV: the watch resumes from it, gets 410, and the informer relists.
      paused = false;
      await within(informer.start(), 5000, "informer.start() after the pause");
      await eventually(() => expect(lists).toBe(2));
      await eventually(() => expect(names(informer.list(namespace))).toEqual(["b", "c", "d"]));
      expect(deleted).toEqual(["a"]);
      expect(added).toEqual(["d"]);
      expect(updated).toEqual(["b"]);

      // The new watch (from the relist's RV) delivers later changes.
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "e" } } });
      await core.deleteNamespacedConfigMap({ name: "c", namespace });
      await eventually(() => expect(names(informer.list(namespace))).toEqual(["b", "d", "e"]));
      const server = await core.listNamespacedConfigMap({ namespace });
      expect(versions(informer.list(namespace))).toEqual(versions(server.items));
      expect(Number(informer.latestResourceVersion())).toBeGreaterThan(Number(rvBeforePause));
      expect(lists).toBe(2);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });
});
