// Observability on the embedded stack, after a real build and a one-node rollout: the controllers'
// /metrics carries upstream's build and rollout metrics, Events tell every phase on the
// MachineOSBuild, MachineOSConfig, pool and Node, and the registry password appears in no log
// line, Event, condition or node annotation.

import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MCO_NAMESPACE } from "../../src/api/constants.ts";
import type { KubeObject } from "../../src/api/object.ts";
import { createLogger } from "../../src/logging.ts";
import { pullAndUnpack } from "../../src/registry/pull-unpack.ts";
import { CONFIG_MAPS, EVENTS } from "../../src/runtime/kube-client.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  createMosc,
  createPool,
  type LayeredImage,
  type RolloutStack,
  setRole,
  startRollout,
  waitDone,
  waitForImage,
  waitPoolUpdated,
} from "./rollout-harness.ts";

const POOL = "layered";
const NODE = "worker-0";

interface Event {
  reason: string;
  kind: string;
  name: string;
  message: string;
}

describe("observability: metrics, events and no secrets in logs", () => {
  const lines: string[] = [];
  let r: RolloutStack;
  let layered: LayeredImage;

  beforeAll(async () => {
    const logger = createLogger({
      level: "debug",
      destination: { write: (line: string) => lines.push(line) },
    });
    r = await startRollout({ workers: 2, masters: 1, logger, metricsListen: { host: "127.0.0.1", port: 0 } });
    await createPool(r, POOL);
    await createMosc(r, POOL);
    layered = await waitForImage(r, POOL, 120_000);
    await setRole(r, NODE, POOL, true);
    await waitDone(r, NODE, layered.image);
    await waitPoolUpdated(r, POOL);
  }, 240_000);
  afterAll(async () => {
    await r?.close();
  }, 60_000);

  async function scrape(): Promise<string> {
    const address = r.stack.metrics;
    if (address === undefined) throw new Error("the stack serves no metrics");
    const response = await fetch(`http://127.0.0.1:${address.port}/metrics`, { signal: r.signal });
    expect(response.status).toBe(200);
    return response.text();
  }

  /** The value of the one sample named `name` whose labels include every `labels` pair. */
  function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
    for (const line of text.split("\n")) {
      const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (match?.[1] !== name) continue;
      const have = match[2] ?? "";
      if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) return Number(match[3]);
    }
    return undefined;
  }

  async function events(): Promise<Event[]> {
    const list = await r.stack.clients.resource<KubeObject>(EVENTS).list({ signal: r.signal });
    return list.items.map((e) => {
      const fields = e as unknown as Record<string, unknown>;
      const involved = (fields.involvedObject ?? {}) as Record<string, unknown>;
      return {
        reason: String(fields.reason ?? ""),
        kind: String(involved.kind ?? ""),
        name: String(involved.name ?? ""),
        message: String(fields.message ?? ""),
      };
    });
  }

  it("serves upstream's build and rollout metrics on the controllers' /metrics", async () => {
    await eventually(
      async () => {
        const text = await scrape();
        const build = { machineosconfig: POOL, machineosbuild: layered.mosb };
        expect(sample(text, "ocl_build_state", { ...build, state: "Succeeded" })).toBe(1);
        expect(sample(text, "ocl_build_state", { ...build, state: "Building" })).toBeUndefined();
        expect(
          sample(text, "ocl_build_duration_seconds_count", { machineosconfig: POOL }),
        ).toBeGreaterThanOrEqual(1);
        expect(
          sample(text, "ocl_image_push_duration_seconds_count", {
            machineosconfig: POOL,
            state: "Succeeded",
          }),
        ).toBeGreaterThanOrEqual(1);
        expect(sample(text, "ocl_build_queue_duration_seconds_count", { machineosconfig: POOL })).toBe(1);
        expect(sample(text, "mco_mosc_count")).toBe(1);
        expect(sample(text, "ocl_rollout_updated_nodes", { pool: POOL })).toBe(1);
        expect(sample(text, "mob_rollout_remaining_nodes", { pool: POOL })).toBe(0);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  }, 60_000);

  it("records Events for the build phases and the node's rollout", async () => {
    const want: [kind: string, name: string, reason: string][] = [
      ["MachineOSBuild", layered.mosb, "BuildStarted"],
      ["MachineOSBuild", layered.mosb, "JobCreated"],
      ["MachineOSBuild", layered.mosb, "BuildCompleted"],
      ["MachineOSConfig", POOL, "BuildStarted"],
      ["MachineOSConfig", POOL, "ConfigReconciled"],
      ["MachineConfigPool", POOL, "Building"],
      ["MachineConfigPool", POOL, "BuildSuccess"],
      ["MachineConfigPool", POOL, "SetDesiredConfigAndOSImage"],
      ["MachineConfigPool", POOL, "Completed"],
      ["Node", NODE, "OSUpdateStarted"],
      ["Node", NODE, "Drain"],
      ["Node", NODE, "OSUpdateStaged"],
      ["Node", NODE, "Reboot"],
      ["Node", NODE, "NodeDone"],
      ["Node", NODE, "Uncordon"],
    ];
    await eventually(
      async () => {
        const seen = (await events()).map((e) => `${e.kind}/${e.name}/${e.reason}`);
        expect(seen).toEqual(expect.arrayContaining(want.map((w) => w.join("/"))));
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  }, 60_000);

  it("never writes the registry password to a log line, Event, condition or annotation", async () => {
    const stored = JSON.parse(await readFile(join(r.dir, "registry", "credentials.json"), "utf8")) as {
      username: string;
      password: string;
    };
    expect(stored.password.length).toBeGreaterThan(8);
    const auth = Buffer.from(`${stored.username}:${stored.password}`).toString("base64");
    const texts: [where: string, text: string][] = [
      ...lines.map((line, i): [string, string] => [`log line ${i}`, line]),
      ...(await events()).map((e): [string, string] => [`event ${e.kind}/${e.name}/${e.reason}`, e.message]),
    ];
    const objects = [
      ...(await r.mosbs.list({ signal: r.signal })).items,
      ...(await r.moscs.list({ signal: r.signal })).items,
      ...(await r.pools.list({ signal: r.signal })).items,
      ...(await r.nodes.list({ signal: r.signal })).items,
    ];
    for (const o of objects) {
      const kind = o.kind ?? "";
      texts.push([`${kind} ${o.metadata.name} status`, JSON.stringify(o.status ?? {})]);
      texts.push([`${kind} ${o.metadata.name} annotations`, JSON.stringify(o.metadata.annotations ?? {})]);
    }
    expect(lines.length).toBeGreaterThan(50);
    for (const [where, text] of texts) {
      expect(text.includes(stored.password), `${where} holds the registry password`).toBe(false);
      expect(text.includes(auth), `${where} holds the registry auth string`).toBe(false);
    }
  });
  it("never puts the registry password into the built image, its ConfigMaps or the archived build log", async () => {
    const stored = JSON.parse(await readFile(join(r.dir, "registry", "credentials.json"), "utf8")) as {
      username: string;
      password: string;
    };
    const secrets = [
      stored.password,
      Buffer.from(`${stored.username}:${stored.password}`).toString("base64"),
    ];
    const holds = (bytes: Buffer): boolean => secrets.some((secret) => bytes.includes(secret));
    // Every ConfigMap in the build namespace, the gzip-archived build logs decoded.
    const configMaps = await r.stack.clients
      .resource<KubeObject>(CONFIG_MAPS)
      .list({ namespace: MCO_NAMESPACE, signal: r.signal });
    const archived = configMaps.items.filter((cm) => cm.metadata.name?.startsWith("build-log-"));
    expect(archived.length).toBeGreaterThan(0);
    for (const cm of configMaps.items) {
      expect(holds(Buffer.from(JSON.stringify(cm))), `ConfigMap ${cm.metadata.name}`).toBe(false);
      const binary = (cm.binaryData ?? {}) as Record<string, string>;
      for (const [key, value] of Object.entries(binary)) {
        const raw = Buffer.from(value, "base64");
        const text = key.endsWith(".gz") ? gunzipSync(raw) : raw;
        expect(holds(text), `ConfigMap ${cm.metadata.name} ${key}`).toBe(false);
      }
    }
    // The built image: its config (labels, history) and every file of every layer.
    const tree = await mkdtemp(join(tmpdir(), "mob-image-scan-"));
    try {
      const pulled = await pullAndUnpack(layered.image, tree, { credentials: stored, signal: r.signal });
      expect(holds(Buffer.from(JSON.stringify(pulled.config))), "image config").toBe(false);
      let files = 0;
      for (const entry of await readdir(tree, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        files += 1;
        const path = join(entry.parentPath, entry.name);
        expect(holds(await readFile(path)), `image file ${path.slice(tree.length)}`).toBe(false);
      }
      expect(files).toBeGreaterThan(3);
    } finally {
      await rm(tree, { recursive: true, force: true });
    }
  });
});
