import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { ApiStatusError, isAlreadyExists, isConflict, isNotFound, toApiStatusError } from "./errors.ts";
import { CONFIG_MAPS, type KubeClients, loadKubeClients } from "./kube-client.ts";

/** The rejection reason of a promise expected to fail. */
function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

describe("kube clients", () => {
  let api: TestApiServer;
  let clients: KubeClients;
  const signal = new AbortController().signal;
  const namespace = "default";

  beforeAll(async () => {
    api = await startTestApiServer();
    clients = loadKubeClients(api.server.kubeconfigPath, { fieldManager: "mob-test" });
  });
  afterAll(() => api.close());

  it("creates, reads, updates, patches and deletes, normalising failures to ApiStatusError", async () => {
    const cms = clients.resource(CONFIG_MAPS);
    const created = await cms.create({ metadata: { name: "c1", namespace }, data: { a: "1" } }, { signal });
    const duplicate = await failure(cms.create({ metadata: { name: "c1", namespace } }, { signal }));
    expect(isAlreadyExists(duplicate)).toBe(true);
    expect(duplicate).toBeInstanceOf(ApiStatusError);

    const updated = await cms.update({ ...created, data: { a: "2" } }, { signal });
    const stale = await failure(cms.update({ ...created, data: { a: "3" } }, { signal }));
    expect(isConflict(stale)).toBe(true);
    expect(stale).toMatchObject({ code: 409, reason: "Conflict" });

    await cms.patch("c1", { data: { b: "x" } }, { type: "merge", namespace, signal });
    await cms.patch("c1", [{ op: "replace", path: "/data/a", value: "4" }], {
      type: "json",
      namespace,
      signal,
    });
    expect((await cms.get("c1", { namespace, signal })).data).toEqual({ a: "4", b: "x" });
    expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);

    const page = await cms.list({ namespace, limit: 1, signal });
    expect(page.items).toHaveLength(1);
    await cms.delete("c1", { namespace, signal });
    const gone = await failure(cms.get("c1", { namespace, signal }));
    expect(isNotFound(gone)).toBe(true);
    expect(gone).toMatchObject({ message: 'configmaps "c1" not found' });
  });

  it("normalises errors from client-node's generated API classes too", async () => {
    const error = await failure(clients.core.readNamespacedConfigMap({ name: "missing", namespace }));
    expect(isNotFound(error)).toBe(true);
    expect(toApiStatusError(error)).toMatchObject({ code: 404, reason: "NotFound" });
  });
});
