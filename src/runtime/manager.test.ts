import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../api/object.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { eventually } from "../testing/eventually.ts";
import { Controller, type Reconciler } from "./controller.ts";
import { isNotFound, TerminalError } from "./errors.ts";
import { Informer } from "./informer.ts";
import { CONFIG_MAPS, type KubeClients, loadKubeClients } from "./kube-client.ts";
import { Manager } from "./manager.ts";
import { resourceVersionChanged } from "./predicates.ts";

const SEEN = "mob.example/seen";

/** The example: annotate every ConfigMap once; "bad-*" fail terminally, "flaky" fails twice first. */
function annotator(
  clients: KubeClients,
  informer: Informer<KubeObject>,
): Reconciler & { attempts: Map<string, number> } {
  const configMaps = clients.resource(CONFIG_MAPS);
  const attempts = new Map<string, number>();
  return {
    attempts,
    async reconcile({ name, namespace }, { signal }) {
      attempts.set(name, (attempts.get(name) ?? 0) + 1);
      const cm = informer.get(`${namespace}/${name}`);
      if (cm === undefined || cm.metadata.annotations?.[SEEN] !== undefined) return;
      if (name.startsWith("bad-")) throw new TerminalError(`${name} cannot be annotated`);
      if (name === "flaky" && (attempts.get(name) ?? 0) < 3) throw new Error("transient");
      const patch = { metadata: { annotations: { [SEEN]: "true" } } };
      try {
        await configMaps.patch(name, patch, { type: "merge", ...(namespace ? { namespace } : {}), signal });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      return { requeueAfterMs: 60_000 };
    },
  };
}

describe("Manager with an example controller", () => {
  let api: TestApiServer;
  let clients: KubeClients;

  beforeAll(async () => {
    api = await startTestApiServer();
    clients = loadKubeClients(api.server.kubeconfigPath);
  });
  afterAll(() => api.close());

  it("syncs caches, reconciles ConfigMaps end to end, and serves probes and metrics", async () => {
    const signal = new AbortController().signal;
    const configMaps = clients.resource(CONFIG_MAPS);
    await configMaps.create({ metadata: { name: "before-start", namespace: "default" } }, { signal });

    const manager = new Manager({ metricsListen: { host: "127.0.0.1", port: 0 } });
    const informer = new Informer<KubeObject>({ clients, resource: CONFIG_MAPS, namespace: "default" });
    const reconciler = annotator(clients, informer);
    const controller = new Controller({
      name: "annotator",
      reconciler,
      workers: 2,
      metrics: manager.metrics,
    });
    manager.add(controller.watch(informer, { predicates: [resourceVersionChanged] }));

    const stop = new AbortController();
    const running = manager.start(stop.signal);
    const probes = await manager.listening();
    const base = `http://127.0.0.1:${probes?.address.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await eventually(async () => expect((await fetch(`${base}/readyz`)).status).toBe(200));

    for (const name of ["after-start", "flaky", "bad-one"]) {
      await configMaps.create({ metadata: { name, namespace: "default" } }, { signal });
    }
    await eventually(async () => {
      for (const name of ["before-start", "after-start", "flaky"]) {
        const cm = await configMaps.get(name, { namespace: "default", signal });
        expect(cm.metadata.annotations?.[SEEN]).toBe("true");
      }
    });
    expect(reconciler.attempts.get("bad-one")).toBe(1);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/mob_reconcile_total\{controller="annotator",result="requeue_after"\} [3-9]/);
    expect(metrics).toContain('mob_reconcile_total{controller="annotator",result="error"} 2');
    expect(metrics).toContain('mob_reconcile_total{controller="annotator",result="terminal_error"} 1');
    expect(metrics).toContain('mob_reconcile_errors_total{controller="annotator"} 3');
    expect(metrics).toContain('mob_workqueue_retries_total{name="annotator"} 2');
    expect(metrics).toMatch(/mob_workqueue_adds_total\{name="annotator"\} \d+/);
    expect(metrics).toContain('mob_workqueue_depth{name="annotator"} 0');
    expect(metrics).toContain("mob_workqueue_queue_duration_seconds_count");
    expect(metrics).toContain('mob_reconcile_duration_seconds_count{controller="annotator"}');

    stop.abort();
    await running;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
