// What the registry fault tests observe on a rollout stack: the pool's current build and its
// Failed condition, a build container's live log, the archived build log, the build's events, the
// registry's processes and whether its port answers, and an image pulled back by digest with every
// blob verified.

import { readdir, readFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { expect } from "vitest";
import { MachineOSConfigAnnotations, MCO_NAMESPACE } from "../../src/api/constants.ts";
import type { MachineOSBuild } from "../../src/api/machineosbuild-v1.ts";
import type { KubeObject } from "../../src/api/object.ts";
import { runRebuild } from "../../src/cli/rebuild-command.ts";
import { BufferOutput } from "../../src/cli/status/output.ts";
import { BUILD_LOG_KEY } from "../../src/controllers/build/constants.ts";
import { buildLogConfigMapName, jobName } from "../../src/controllers/build/names.ts";
import { PodLogReader } from "../../src/controllers/build/pod-logs.ts";
import { PODS } from "../../src/controllers/build/resources.ts";
import { RegistryClient } from "../../src/registry/client.ts";
import { CONFIG_MAPS, EVENTS } from "../../src/runtime/kube-client.ts";
import { eventually } from "../../src/testing/eventually.ts";
import type { RolloutStack } from "./rollout-harness.ts";

/** The build the pool's MachineOSConfig points at, once it is not `previousUid`. */
export async function currentBuild(
  r: RolloutStack,
  pool: string,
  timeoutMs = 60_000,
  previousUid?: string,
): Promise<MachineOSBuild> {
  return eventually(
    async () => {
      const mosc = await r.moscs.get(pool, { signal: r.signal });
      const name = mosc.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
      expect(name, `${pool}'s current build`).toBeDefined();
      const mosb = await r.mosbs.get(name ?? "", { signal: r.signal });
      expect(mosb.metadata.uid).not.toBe(previousUid);
      return mosb;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** Runs `mob rebuild <pool>` in process, expects it to report `failed`'s rebuild Succeeded; the new build. */
export async function rebuildSucceeds(
  r: RolloutStack,
  pool: string,
  failed: MachineOSBuild,
): Promise<MachineOSBuild> {
  const out = new BufferOutput();
  const code = await runRebuild([pool], {
    out,
    signal: AbortSignal.timeout(150_000),
    env: { KUBECONFIG: r.stack.api.kubeconfigPath },
  });
  expect(out.text).toMatch(new RegExp(`build ${failed.metadata.name} Succeeded in \\d+s: \\S+@sha256:`));
  expect(code).toBe(0);
  return currentBuild(r, pool, 30_000, failed.metadata.uid);
}

export function buildCondition(mosb: MachineOSBuild, type: string) {
  return mosb.status?.conditions?.find((c) => c.type === type);
}

/** Waits until build `name` has the condition `type` True (Succeeded, Failed…); fails fast on another end. */
export async function waitForBuildState(
  r: RolloutStack,
  name: string,
  type: "Succeeded" | "Failed",
  timeoutMs: number,
): Promise<MachineOSBuild> {
  return eventually(
    async () => {
      const mosb = await r.mosbs.get(name, { signal: r.signal });
      expect(buildCondition(mosb, type)?.status, `${name} ${type}: ${JSON.stringify(mosb.status)}`).toBe(
        "True",
      );
      return mosb;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

/** The log of `container` in the newest pod of build `mosb`'s Job ("" while there is none). */
export async function buildContainerLog(r: RolloutStack, mosb: string, container: string): Promise<string> {
  const pods = await r.stack.clients.resource<KubeObject>(PODS).list({
    namespace: MCO_NAMESPACE,
    labelSelector: `job-name=${jobName(mosb)}`,
    signal: r.signal,
  });
  const newest = pods.items.at(-1)?.metadata.name;
  if (newest === undefined) return "";
  const reader = new PodLogReader(r.stack.clients.kubeConfig);
  return reader.read({ namespace: MCO_NAMESPACE, pod: newest, container, signal: r.signal }).catch(() => "");
}

/** `build-log-<mosb>`, decompressed. */
export async function archivedBuildLog(r: RolloutStack, mosb: string): Promise<string> {
  const configMap = await r.stack.clients
    .resource<KubeObject>(CONFIG_MAPS)
    .get(buildLogConfigMapName(mosb), { namespace: MCO_NAMESPACE, signal: r.signal });
  const data = (configMap.binaryData ?? {}) as Record<string, string>;
  return gunzipSync(Buffer.from(data[BUILD_LOG_KEY] ?? "", "base64")).toString("utf8");
}

/** Every event about the named object, in any namespace, as JSON text. */
export async function eventsAbout(r: RolloutStack, name: string): Promise<string> {
  const events = await r.stack.clients.resource<KubeObject>(EVENTS).list({ signal: r.signal });
  const about = events.items.filter(
    (e) => (e.involvedObject as { name?: string } | undefined)?.name === name,
  );
  return JSON.stringify(about);
}

/** Pids of `docker-registry serve` processes using the stack's registry configuration. */
export async function registryPids(r: RolloutStack): Promise<number[]> {
  const config = join(r.dir, "registry", "config.yml");
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(join("/proc", entry, "cmdline"), "utf8").catch(() => "");
    const args = cmdline.split("\0");
    if (args.includes("serve") && args.includes(config)) pids.push(Number(entry));
  }
  return pids;
}

/** The error code of a TCP connection to `port` on loopback, or "connected". */
export async function probePort(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Pulls `image` (pinned by digest) back: manifest, config and every layer, each verified by digest. */
export async function pullVerified(
  r: RolloutStack,
  image: string,
): Promise<{ layers: number; bytes: number }> {
  const client = new RegistryClient({ credentials: r.stack.registry.credentials });
  const inspected = await client.inspect(image, { signal: r.signal });
  let bytes = 0;
  for (const layer of inspected.layers) {
    const stream = await client.blobStream(image, layer, { signal: r.signal });
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
  }
  return { layers: inspected.layers.length, bytes };
}
