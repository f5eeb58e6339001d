import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../api/object.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { FakeClock } from "../testing/fake-clock.ts";
import { EventRecorder } from "./events.ts";
import { CONFIG_MAPS, EVENTS, type KubeClients, loadKubeClients } from "./kube-client.ts";

describe("EventRecorder", () => {
  let api: TestApiServer;
  let clients: KubeClients;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    api = await startTestApiServer();
    clients = loadKubeClients(api.server.kubeconfigPath);
  });
  afterAll(() => api.close());

  async function eventsFor(name: string): Promise<KubeObject[]> {
    const list = await clients
      .resource(EVENTS)
      .list({ namespace: "default", fieldSelector: `involvedObject.name=${name}`, signal });
    return list.items;
  }

  it("aggregates repeats into one Event with a growing count, within the window only", async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const recorder = new EventRecorder({ clients, component: "mob-test", instance: "pod-1", clock });
    const cm = await clients
      .resource(CONFIG_MAPS)
      .create(
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "subject", namespace: "default" } },
        { signal },
      );
    const started = { type: "Normal", reason: "Started", message: "build started" } as const;
    await recorder.record(cm, started, signal);
    clock.advance(5000);
    await Promise.all([recorder.record(cm, started, signal), recorder.record(cm, started, signal)]);
    await recorder.record(cm, { type: "Warning", reason: "Failed", message: "boom" }, signal);

    const events = await eventsFor("subject");
    expect(events).toHaveLength(2);
    const aggregated = events.find((event) => event.reason === "Started");
    expect(aggregated).toMatchObject({
      count: 3,
      type: "Normal",
      message: "build started",
      firstTimestamp: "2025-01-01T00:00:00Z",
      lastTimestamp: "2025-01-01T00:00:05Z",
      source: { component: "mob-test" },
      reportingComponent: "mob-test",
      reportingInstance: "pod-1",
      involvedObject: { kind: "ConfigMap", name: "subject", namespace: "default", uid: cm.metadata.uid },
    });

    clock.advance(11 * 60_000);
    await recorder.record(cm, started, signal);
    expect((await eventsFor("subject")).filter((event) => event.reason === "Started")).toHaveLength(2);
  });

  it("never throws into the caller", async () => {
    const recorder = new EventRecorder({ clients, component: "mob-test", instance: "pod-1" });
    const broken: KubeObject = {
      kind: "ConfigMap",
      metadata: { name: "Not_A_Valid.Name!", namespace: "nope" },
    };
    await expect(
      recorder.record(broken, { type: "Normal", reason: "X", message: "y" }, signal),
    ).resolves.toBeUndefined();
  });
});
