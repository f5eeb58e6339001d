// Bounded, seeded fuzzing of mob's own kinds with the controllers running (issue 8, item 6): random
// and mutated MachineConfigs (broken Ignition), MachineConfigPools, MachineOSConfigs (v1, v1alpha1;
// huge, binary and empty Containerfiles; invalid image references), MachineOSBuilds, malformed
// bodies and patches, status writes and stale updates go through raw HTTP and the real kubectl.
// Every answer is a 2xx whose stored object upstream's CRD accepts, or a 4xx Status; afterwards the
// API server is ready, the controllers still render, none of them logged an error, and the objects
// stored before the fuzz are byte-for-byte unchanged. MOB_FUZZ_SEED reproduces a run.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MCO_NAMESPACE } from "../../src/api/constants.ts";
import { ApiClient } from "../../src/testing/api-client.ts";
import { eventually } from "../../src/testing/eventually.ts";
import { type Kubectl, kubectlFor } from "../../src/testing/kubectl.ts";
import { hostileStep } from "./fuzz-mob-hostile.ts";
import {
  collectionPath,
  FUZZ_KINDS,
  GROUP,
  ignitionConfig,
  MACHINE_CONFIG,
  MACHINE_CONFIG_POOL,
  MACHINE_OS_CONFIG,
  moscObject,
  poolObject,
} from "./fuzz-mob-objects.ts";
import { type Snapshot, snapshotChanges, takeSnapshot, upstreamDefinitions } from "./fuzz-mob-oracle.ts";
import { type JsonObject, Random } from "./fuzz-mob-random.ts";
import {
  createStep,
  deleteStep,
  type HttpStep,
  kubectlStep,
  patchStep,
  updateStep,
} from "./fuzz-mob-requests.ts";
import { FuzzRunner } from "./fuzz-mob-runner.ts";
import { type RolloutStack, startRollout } from "./rollout-harness.ts";

const SEED = Number(process.env.MOB_FUZZ_SEED ?? 0x6d6f6236);
const FUZZ_MS = Number(process.env.MOB_FUZZ_MS ?? 30_000);
const MAX_STEPS = 1500;
const SEED_ROLE = "fuzz-seed";
/** The objects seeded before the fuzz, addressed only by requests that must be refused. */
const SEEDS = [
  { kind: MACHINE_CONFIG, name: "fuzz-seed-mc" },
  { kind: MACHINE_CONFIG_POOL, name: "fuzz-seed" },
  { kind: MACHINE_OS_CONFIG, name: "fuzz-seed" },
];

interface LogLine {
  level: number;
  msg?: string;
  err?: { type?: string; message?: string };
}

/** Names a create may use: the kind's own prefix, so no fuzzed object meets the stack's pools. */
function safeToCreate(step: HttpStep, prefix: string): boolean {
  const body = step.sentObject;
  if (body === undefined) return true;
  const meta = body.metadata as JsonObject | undefined;
  const names = [
    meta?.name,
    ((body.spec as JsonObject | undefined)?.machineConfigPool as JsonObject | undefined)?.name,
  ];
  const labels = JSON.stringify(meta?.labels ?? {});
  const foreign = names.some(
    (n) => typeof n === "string" && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(n) && !n.startsWith(prefix),
  );
  return !foreign && !/worker|master|fuzz-seed|fuzz-live/.test(labels);
}

describe("fuzzing mob's kinds through kubectl and HTTP with the controllers running", () => {
  let r: RolloutStack;
  let client: ApiClient;
  let kubectl: Kubectl;
  let scratch: string;
  let runner: FuzzRunner;
  let before: Snapshot;
  const logs: LogLine[] = [];

  beforeAll(async () => {
    const logger = pino(
      { level: "warn" },
      { write: (line: string) => logs.push(JSON.parse(line) as LogLine) },
    );
    r = await startRollout({ workers: 0, masters: 0, logger, metricsListen: { host: "127.0.0.1", port: 0 } });
    client = new ApiClient(r.stack.api.url, r.stack.api.caCertPem, r.stack.api.adminToken);
    kubectl = await kubectlFor(r.stack.api.kubeconfigPath);
    scratch = await mkdtemp(join(tmpdir(), "mob-fuzz-"));
    runner = new FuzzRunner({ client, kubectl, definitions: upstreamDefinitions(), scratch });
    // Seeds: a paused pool (so it never gets a configuration and its MachineOSConfig never builds),
    // a MachineConfig it selects, and that MachineOSConfig.
    const seedMc = {
      ...MACHINE_CONFIG.valid(new Random(1), "fuzz-seed-mc"),
      metadata: { name: "fuzz-seed-mc", labels: { [`${GROUP}/role`]: SEED_ROLE } },
    };
    const seedPool = poolObject("fuzz-seed", {
      paused: true,
      machineConfigSelector: { matchLabels: { [`${GROUP}/role`]: SEED_ROLE } },
    });
    for (const [plural, body] of [
      ["machineconfigs", seedMc],
      ["machineconfigpools", seedPool],
      ["machineosconfigs", moscObject("fuzz-seed")],
    ] as const) {
      const res = await client.post(`/apis/${GROUP}/v1/${plural}`, body);
      expect(res.status, res.text).toBe(201);
    }
    // Settled: the seed pool rendered (RenderDegraded=False), the default pools point at rendered
    // configs, and nothing changes between two snapshots.
    before = await eventually(
      async () => {
        const pool = (await client.get(`/apis/${GROUP}/v1/machineconfigpools/fuzz-seed`)).json;
        const renderDegraded = pool.status?.conditions?.find(
          (c: { type: string }) => c.type === "RenderDegraded",
        );
        expect(renderDegraded?.status).toBe("False");
        for (const role of ["master", "worker"]) {
          const rolePool = (await client.get(`/apis/${GROUP}/v1/machineconfigpools/${role}`)).json;
          const warnings = JSON.stringify(logs).slice(0, 2000);
          expect(rolePool.status?.configuration?.name ?? "", `${role} pool; warnings: ${warnings}`).toMatch(
            /^rendered-/,
          );
        }
        const first = await takeSnapshot(client, MCO_NAMESPACE);
        const second = await takeSnapshot(client, MCO_NAMESPACE);
        expect(snapshotChanges(first, second, new Set())).toEqual([]);
        return second;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  }, 150_000);

  afterAll(async () => {
    await kubectl?.close();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    await r?.close();
  }, 60_000);

  it("answers every request with a 2xx whose stored object upstream accepts, or a 4xx Status", async () => {
    const pools = `/apis/${GROUP}/v1/machineconfigpools`;
    expect((await client.post(pools, poolObject("fuzz-target"))).status).toBe(201);
    const random = new Random(SEED);
    const started = Date.now();
    let steps = 0;
    for (; steps < MAX_STEPS && Date.now() - started < FUZZ_MS; steps++) {
      if (random.chance(0.06)) {
        const seed = random.pick(SEEDS);
        const path = `/apis/${GROUP}/v1/${seed.kind.plural}/${seed.name}`;
        const step = hostileStep(random, seed.kind, (await client.get(path)).json as JsonObject);
        await runner.hostile(step, seed.kind, path, `seed ${SEED} step ${steps} ${path} ${step.label}`);
        continue;
      }
      const kind = random.pick(FUZZ_KINDS);
      const name = `${kind.prefix}${random.int(4)}`;
      const read = await client.get(`${collectionPath(kind)}/${name}`);
      const current = read.status === 200 ? (read.json as JsonObject) : undefined;
      const roll = random.int(20);
      const where = `seed ${SEED} step ${steps} ${kind.kind}/${kind.version} ${name}`;
      if (roll < 2) {
        const step = kubectlStep(random, kind, name, current);
        await runner.kubectl(step, kind, name, `${where} ${step.label}`);
        continue;
      }
      let step: HttpStep;
      if (current === undefined || roll < 8) step = createStep(random, kind, name);
      else if (roll < 12) step = updateStep(random, kind, current);
      else if (roll < 19) step = patchStep(random, kind, current);
      else step = deleteStep(kind, name);
      if (step.method === "POST" && !safeToCreate(step, kind.prefix)) continue;
      await runner.http(step, kind, name, `${where} ${step.label}`);
    }
    expect(runner.failures, `seed ${SEED}`).toEqual([]);
    // Both outcomes happened, through both clients, and the fuzz did a fair amount of work.
    const { outcomes } = runner;
    expect(steps).toBeGreaterThan(100);
    expect([...outcomes.keys()].some((k) => k.startsWith("2"))).toBe(true);
    expect(outcomes.get("422") ?? 0).toBeGreaterThan(0);
    expect(outcomes.get("kubectl ok") ?? 0).toBeGreaterThan(0);
    expect(outcomes.get("kubectl invalid") ?? 0).toBeGreaterThan(0);
    expect(outcomes.get("hostile refused") ?? 0).toBeGreaterThan(0);
  }, 150_000);

  it("leaves the API server ready, the controllers rendering and error-free, and the seeds unchanged", async () => {
    const ready = await client.get("/readyz");
    expect([ready.status, ready.text]).toEqual([200, "ok"]);
    const metrics = r.stack.metrics;
    expect(metrics).toBeDefined();
    const healthz = await fetch(`http://127.0.0.1:${metrics?.port}/healthz`);
    expect([healthz.status, await healthz.text()]).toEqual([200, "ok"]);

    // The render controller still reconciles: a new pool gets a rendered config for a new valid
    // MachineConfig, then RenderDegraded for one with broken Ignition, keeping its configuration.
    const live = poolObject("fuzz-live", {
      machineConfigSelector: { matchLabels: { [`${GROUP}/role`]: "fuzz-live" } },
    });
    expect((await client.post(`/apis/${GROUP}/v1/machineconfigpools`, live)).status).toBe(201);
    const mc = (name: string, config: JsonObject): JsonObject => ({
      apiVersion: `${GROUP}/v1`,
      kind: "MachineConfig",
      metadata: { name, labels: { [`${GROUP}/role`]: "fuzz-live" } },
      spec: { config },
    });
    expect(
      (
        await client.post(
          collectionPath(MACHINE_CONFIG),
          mc("fuzz-live-good", ignitionConfig(new Random(2), "live")),
        )
      ).status,
    ).toBe(201);
    const rendered = await eventually(
      async () => {
        const pool = (await client.get(`/apis/${GROUP}/v1/machineconfigpools/fuzz-live`)).json;
        const name: string = pool.spec?.configuration?.name ?? "";
        expect(name).toMatch(/^rendered-fuzz-live-[0-9a-f]+$/);
        expect((await client.get(`${collectionPath(MACHINE_CONFIG)}/${name}`)).status).toBe(200);
        return name;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(
      (
        await client.post(
          collectionPath(MACHINE_CONFIG),
          mc("fuzz-live-broken", { ignition: { version: "9.9.9" } }),
        )
      ).status,
    ).toBe(201);
    await eventually(
      async () => {
        const pool = (await client.get(`/apis/${GROUP}/v1/machineconfigpools/fuzz-live`)).json;
        const degraded = pool.status?.conditions?.find((c: { type: string }) => c.type === "RenderDegraded");
        expect(degraded?.status).toBe("True");
        expect(pool.spec.configuration.name).toBe(rendered);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    const after = await takeSnapshot(client, MCO_NAMESPACE);
    expect(snapshotChanges(before, after, runner.modified), `seed ${SEED}`).toEqual([]);

    const errors = logs.filter(
      (line) =>
        line.level >= 50 || /^(TypeError|RangeError|ReferenceError|SyntaxError)$/.test(line.err?.type ?? ""),
    );
    expect(errors.map((line) => `${line.msg}: ${line.err?.type} ${line.err?.message}`)).toEqual([]);
  }, 150_000);
});
