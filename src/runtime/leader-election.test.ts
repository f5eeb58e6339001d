import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { eventually } from "../testing/eventually.ts";
import { type KubeClients, LEASES, loadKubeClients } from "./kube-client.ts";
import { type Lease, microTime } from "./leader-election.ts";
import { Manager } from "./manager.ts";

const LEASE_MS = 2000;
const RETRY_MS = 200;

interface Replica {
  manager: Manager;
  stop: AbortController;
  running: Promise<void>;
}

describe("leader election", () => {
  let api: TestApiServer;
  let clients: KubeClients;

  beforeAll(async () => {
    api = await startTestApiServer();
    clients = loadKubeClients(api.server.kubeconfigPath);
  });
  afterAll(() => api.close());

  function replica(identity: string, releaseOnCancel: boolean): Replica {
    const manager = new Manager({
      leaderElection: {
        clients,
        namespace: "kube-system",
        name: "mob-test",
        identity,
        leaseDurationMs: LEASE_MS,
        renewDeadlineMs: 1000,
        retryPeriodMs: RETRY_MS,
        releaseOnCancel,
      },
    });
    const stop = new AbortController();
    return { manager, stop, running: manager.start(stop.signal) };
  }

  const lease = (): Promise<Lease> =>
    clients
      .resource<Lease>(LEASES)
      .get("mob-test", { namespace: "kube-system", signal: AbortSignal.timeout(5000) });

  async function timeToLead(candidate: Replica): Promise<number> {
    const start = Date.now();
    await eventually(() => expect(candidate.manager.isLeader()).toBe(true), {
      timeoutMs: 5000,
      intervalMs: 20,
    });
    return Date.now() - start;
  }

  it("elects one leader and hands over after a crash within a lease duration and at once after a release", async () => {
    const a = replica("a", false);
    await timeToLead(a);
    const b = replica("b", true);
    await eventually(() => expect(b.manager.ready()).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 3 * RETRY_MS));
    expect([a.manager.isLeader(), b.manager.isLeader()]).toEqual([true, false]);
    expect((await lease()).spec).toMatchObject({
      holderIdentity: "a",
      leaseDurationSeconds: 2,
      leaseTransitions: 0,
    });
    expect((await lease()).spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    a.stop.abort(); // crash: no release, b must wait for the lease to expire
    await a.running;
    const crashTakeover = await timeToLead(b);
    expect(crashTakeover).toBeGreaterThan(LEASE_MS / 2);
    expect(crashTakeover).toBeLessThan(LEASE_MS + 2.2 * RETRY_MS + 300);

    const c = replica("c", true);
    await eventually(() => expect(c.manager.ready()).toBe(true));
    expect(c.manager.isLeader()).toBe(false);
    b.stop.abort(); // clean shutdown: the lease is released
    await b.running;
    expect(await timeToLead(c)).toBeLessThan(LEASE_MS / 2);
    expect((await lease()).spec).toMatchObject({ holderIdentity: "c", leaseTransitions: 2 });
    c.stop.abort();
    await c.running;
    expect((await lease()).spec?.holderIdentity).toBe("");
  });

  it("formats MicroTime with microseconds", () => {
    expect(microTime(Date.UTC(2024, 4, 1, 10, 0, 0, 123))).toBe("2024-05-01T10:00:00.123000Z");
  });
});
