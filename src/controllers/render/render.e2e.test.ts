// End to end: the embedded API server with its default pools, and mob's controller manager in
// process, driven through the Kubernetes API only.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { EVENTS, type KubeClients, loadKubeClients } from "../../runtime/kube-client.ts";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";
import { eventually } from "../../testing/eventually.ts";
import { buildControllerManager } from "../manager.ts";
import { CONTROLLER_CONFIGS } from "../resources.ts";
import {
  applyConfig,
  type ControllerTestClients,
  machineConfig,
  renderedNames,
  testClients,
} from "../testing/fixtures.ts";

const UNIT =
  "[Unit]\nDescription=hello\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n";

describe("render controller end to end", () => {
  let api: TestApiServer;
  let clients: KubeClients;
  let k: ControllerTestClients;
  const stop = new AbortController();
  const signal = new AbortController().signal;
  let running: Promise<void>;
  let firstWorker = "";

  beforeAll(async () => {
    api = await startTestApiServer({ installCrds: true, defaults: true });
    clients = loadKubeClients(api.server.kubeconfigPath);
    k = testClients(clients);
    const { manager } = buildControllerManager({ clients, renderDelayMs: 50 });
    running = manager.start(stop.signal);
  });
  afterAll(async () => {
    stop.abort();
    await running;
    await api.close();
  });

  const pool = (name: string): Promise<MachineConfigPool> => k.pools.get(name, { signal });
  const sources = (p: MachineConfigPool): string[] =>
    (p.spec.configuration?.source ?? []).map((ref) => ref.name ?? "");
  const renderDegraded = (p: MachineConfigPool) =>
    p.status?.conditions?.find((c) => c.type === "RenderDegraded");

  /** Waits until the pool's spec and status point at a rendered config satisfying `check`. */
  async function settled(
    name: string,
    check: (p: MachineConfigPool) => void = () => {},
  ): Promise<MachineConfigPool> {
    return eventually(async () => {
      const p = await pool(name);
      expect(p.spec.configuration?.name).toMatch(new RegExp(`^rendered-${name}-[0-9a-f]{32}$`));
      expect(p.status?.configuration).toEqual(p.spec.configuration);
      check(p);
      return p;
    });
  }

  it("renders the default pools from their base configs", async () => {
    // RenderDegraded is written separately from the configuration: wait for both.
    const worker = await settled("worker", (p) => {
      expect(sources(p)).toEqual(["00-worker"]);
      expect(renderDegraded(p)).toMatchObject({ status: "False" });
    });
    const master = await settled("master", (p) => expect(sources(p)).toEqual(["00-master"]));
    firstWorker = worker.spec.configuration?.name ?? "";
    expect(master.spec.configuration?.name).not.toBe(firstWorker);
    const base = await k.configs.get("00-worker", { signal });
    expect(base.metadata.labels).toEqual({ "machineconfiguration.openshift.io/role": "worker" });
    expect(base.metadata.annotations).toHaveProperty(
      "machineconfiguration.openshift.io/generated-by-controller-version",
    );
  });

  it("merges three MachineConfigs into exactly one new rendered config", async () => {
    const before = await renderedNames(k.configs, "worker", signal);
    await Promise.all([
      applyConfig(
        k.configs,
        machineConfig("10-files", "worker", { files: { "/etc/a": "a1", "/etc/shared": "from 10" } }),
        signal,
      ),
      applyConfig(
        k.configs,
        machineConfig("20-units", "worker", { units: { "hello.service": UNIT } }),
        signal,
      ),
      applyConfig(
        k.configs,
        machineConfig("30-more", "worker", { files: { "/etc/shared": "from 30" } }),
        signal,
      ),
    ]);
    const worker = await settled("worker", (p) =>
      expect(sources(p)).toEqual(["00-worker", "10-files", "20-units", "30-more"]),
    );
    const name = worker.spec.configuration?.name ?? "";
    expect((await renderedNames(k.configs, "worker", signal)).filter((n) => !before.includes(n))).toEqual([
      name,
    ]);
    const rendered = await k.configs.get(name, { signal });
    const config = rendered.spec?.config as {
      storage: { files: { path: string; contents: { source: string } }[] };
      systemd: { units: { name: string }[] };
    };
    expect(config.storage.files.map((f) => [f.path, decodeURIComponent(f.contents.source.slice(6))])).toEqual(
      [
        ["/etc/a", "a1"],
        ["/etc/shared", "from 30"],
      ],
    );
    expect(config.systemd.units.map((u) => u.name)).toEqual(["hello.service"]);
    expect(rendered.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: "MachineConfigPool",
        name: "worker",
        controller: true,
        blockOwnerDeletion: true,
      }),
    ]);
    await eventually(async () => {
      const events = await clients.resource<KubeObject>(EVENTS).list({ signal, namespace: "default" });
      expect(events.items.map((e) => e.reason)).toContain("RenderedConfigGenerated");
    });
  });

  it("renders a new config when one file changes", async () => {
    const before = (await pool("worker")).spec.configuration?.name;
    await applyConfig(
      k.configs,
      machineConfig("10-files", "worker", { files: { "/etc/a": "a2", "/etc/shared": "from 10" } }),
      signal,
    );
    await settled("worker", (p) => expect(p.spec.configuration?.name).not.toBe(before));
  });

  it("degrades on an invalid MachineConfig, keeps the configuration, and recovers when it is fixed", async () => {
    const good = (await pool("worker")).spec.configuration;
    await applyConfig(
      k.configs,
      machineConfig("99-bad", "worker", { files: { "/etc/bad": "x" }, mode: 99999 }),
      signal,
    );
    const degraded = await eventually(async () => {
      const p = await pool("worker");
      expect(renderDegraded(p)).toMatchObject({ status: "True", reason: "InvalidMachineConfig" });
      return p;
    });
    expect(renderDegraded(degraded)?.message).toMatch(
      /^Failed to render configuration for pool worker: MachineConfig 99-bad: storage\.files\[0\]\.mode: /,
    );
    expect(degraded.spec.configuration).toEqual(good);
    expect(degraded.status?.configuration).toEqual(good);
    expect((await k.configs.get(good?.name ?? "", { signal })).metadata.name).toBe(good?.name);
    await applyConfig(
      k.configs,
      machineConfig("99-bad", "worker", { files: { "/etc/bad": "fixed" } }),
      signal,
    );
    await settled("worker", (p) => {
      expect(renderDegraded(p)).toMatchObject({ status: "False" });
      expect(sources(p)).toContain("99-bad");
    });
  });

  it("renders nothing new for a paused pool, and the pending change once unpaused", async () => {
    const before = await pool("worker");
    const paused = await k.pools.update(
      { ...structuredClone(before), spec: { ...before.spec, paused: true } },
      { signal },
    );
    await eventually(async () =>
      expect((await pool("worker")).status?.observedGeneration).toBe(paused.metadata.generation),
    );
    const names = await renderedNames(k.configs, "worker", signal);
    await applyConfig(
      k.configs,
      machineConfig("10-files", "worker", { files: { "/etc/a": "while paused" } }),
      signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await pool("worker")).spec.configuration).toEqual(before.spec.configuration);
    expect(await renderedNames(k.configs, "worker", signal)).toEqual(names);
    const current = await pool("worker");
    await k.pools.update(
      { ...structuredClone(current), spec: { ...current.spec, paused: false } },
      { signal },
    );
    const resumed = await settled("worker", (p) =>
      expect(p.spec.configuration?.name).not.toBe(before.spec.configuration?.name),
    );
    const rendered = await k.configs.get(resumed.spec.configuration?.name ?? "", { signal });
    expect(JSON.stringify(rendered.spec?.config)).toContain(encodeURIComponent("while paused"));
  });

  it("renders the master pool independently", async () => {
    const worker = (await pool("worker")).spec.configuration?.name;
    const master = (await pool("master")).spec.configuration?.name;
    await applyConfig(k.configs, machineConfig("50-master", "master", { files: { "/etc/m": "m" } }), signal);
    await settled("master", (p) => {
      expect(p.spec.configuration?.name).not.toBe(master);
      expect(sources(p)).toEqual(["00-master", "50-master"]);
    });
    expect((await pool("worker")).spec.configuration?.name).toBe(worker);
  });

  it("garbage-collects old rendered configs beyond five, keeping those a Node references", async () => {
    await k.nodes.create(
      {
        // In no pool: the node controller would otherwise hold the worker pool's
        // status.configuration back until this agent-less node updates. GC reads every node.
        metadata: {
          name: "worker-0",
          annotations: { "machineconfiguration.openshift.io/desiredConfig": firstWorker },
        },
      },
      { signal },
    );
    const seen = new Set(await renderedNames(k.configs, "worker", signal));
    for (let i = 0; i < 8; i++) {
      const before = (await pool("worker")).spec.configuration?.name;
      await applyConfig(
        k.configs,
        machineConfig("10-files", "worker", { files: { "/etc/a": `round ${i}` } }),
        signal,
      );
      const after = await settled("worker", (p) => expect(p.spec.configuration?.name).not.toBe(before));
      seen.add(after.spec.configuration?.name ?? "");
    }
    const current = (await pool("worker")).spec.configuration?.name ?? "";
    const left = await eventually(async () => {
      const names = await renderedNames(k.configs, "worker", signal);
      // The newest five, plus the node's (oldest) config; the current one is among the newest.
      expect(names.length).toBeLessThanOrEqual(6);
      return names;
    });
    expect(seen.size).toBeGreaterThan(10);
    expect(left).toContain(firstWorker);
    expect(left).toContain(current);
    expect(await renderedNames(k.configs, "master", signal)).toHaveLength(2);
  });
  it("degrades every pool when the ControllerConfig goes, keeping their configurations", async () => {
    const before = (await pool("worker")).spec.configuration;
    const ccs = clients.resource<KubeObject>(CONTROLLER_CONFIGS);
    await ccs.delete("machine-config-controller", { signal });
    for (const name of ["worker", "master"]) {
      await eventually(async () =>
        expect(renderDegraded(await pool(name))).toMatchObject({
          status: "True",
          reason: "ControllerConfigNotFound",
        }),
      );
    }
    expect((await pool("worker")).spec.configuration).toEqual(before);
  });
});
