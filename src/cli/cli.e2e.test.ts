// `mob status`, `mob logs build` and `mob rebuild` run in process against the whole embedded mob
// (API server, registry, build platform with real buildah, controllers, a simulated node): the
// documented workflow of examples/, observed through the commands.

import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MachineOSConfigAnnotations, MCO_NAMESPACE, PoolConditionTypes } from "../api/constants.ts";
import type { MachineConfigPool } from "../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../api/machineosconfig-v1.ts";
import { buildStateOf } from "../controllers/build/build-state.ts";
import { MACHINE_OS_BUILDS, MACHINE_OS_CONFIGS, PODS } from "../controllers/build/resources.ts";
import { MACHINE_CONFIG_POOLS, NODES } from "../controllers/resources.ts";
import { type EmbeddedStack, startEmbeddedStack } from "../embedded/stack.ts";
import { eventually } from "../testing/eventually.ts";
import { CliError } from "./cli-error.ts";
import { runLogs } from "./logs-command.ts";
import { runRebuild } from "./rebuild-command.ts";
import { BufferOutput, type CommandIo } from "./status/output.ts";
import { runStatus } from "./status-command.ts";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");
const POOL = "layered";
const slow = { timeoutMs: 120_000, intervalMs: 250 };
const call = (): AbortSignal => AbortSignal.timeout(30_000);

let dir = "";
let stack: EmbeddedStack;
const stop = new AbortController();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mob-cli-"));
  stack = await startEmbeddedStack({
    dir,
    apiListen: { host: "127.0.0.1", port: 0 },
    registryListen: { host: "127.0.0.1", port: 0 },
    workers: 1,
    masters: 0,
    rebootDelayMs: 200,
    signal: stop.signal,
  });
}, 120_000);

afterAll(async () => {
  stop.abort();
  // The temporary directory goes even if a part of the stack is slow to stop.
  await Promise.race([stack?.stopped, sleep(40_000)]);
  if (dir !== "") await rm(dir, { recursive: true, force: true });
}, 60_000);

function io(out: BufferOutput, signal: AbortSignal = AbortSignal.timeout(150_000)): CommandIo {
  return { out, signal, env: { KUBECONFIG: stack.api.kubeconfigPath } };
}

async function run(
  command: (args: string[], io: CommandIo) => Promise<number>,
  ...args: string[]
): Promise<{ code: number; text: string }> {
  const out = new BufferOutput();
  const code = await command(args, io(out));
  return { code, text: out.text };
}

function example<T>(file: string): T {
  const text = readFileSync(join(EXAMPLES, file), "utf8").replaceAll("REGISTRY", stack.registry.url);
  return parse(text) as T;
}

async function currentBuild(): Promise<MachineOSBuild> {
  return eventually(async () => {
    const mosc = await stack.clients
      .resource<MachineOSConfig>(MACHINE_OS_CONFIGS)
      .get(POOL, { signal: call() });
    const name = mosc.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
    expect(name).toBeDefined();
    return stack.clients.resource<MachineOSBuild>(MACHINE_OS_BUILDS).get(name ?? "", { signal: call() });
  }, slow);
}

/** `STEP n/m: …` lines buildah printed. */
const steps = (text: string): string[] => text.split("\n").filter((line) => /STEP \d+\/\d+: /.test(line));

describe("mob CLI against the embedded stack", () => {
  let liveLog = "";
  let build: MachineOSBuild;

  it("names the missing object and what to do", async () => {
    await expect(run(runLogs, "build", "nope")).rejects.toThrow(
      new CliError(
        "no MachineConfigPool or MachineOSBuild named nope (pools: master, worker; `mob status` shows them)",
      ),
    );
    await expect(run(runRebuild, "nope")).rejects.toThrow(
      /^no MachineConfigPool nope \(pools: master, worker;/,
    );
    await expect(run(runLogs, "build", "worker")).rejects.toThrow(
      "no MachineOSConfig for pool worker; create one (see examples/machineosconfig.yaml)",
    );
    await expect(run(runLogs, "pods", "x")).rejects.toThrow(/^usage: mob logs build/);
  });

  it("follows a live build's log container by container and ends when the pod ends", async () => {
    await stack.clients
      .resource(MACHINE_CONFIG_POOLS)
      .create(example("layered-pool.yaml"), { signal: call() });
    await stack.clients.resource(NODES).patch(
      "worker-0",
      { metadata: { labels: { "node-role.kubernetes.io/layered": "" } } },
      {
        type: "merge",
        signal: call(),
      },
    );
    await stack.clients
      .resource(MACHINE_OS_CONFIGS)
      .create(example("machineosconfig.yaml"), { signal: call() });
    build = await currentBuild();
    const logs = await run(runLogs, "build", POOL, "-f");
    expect(logs.code).toBe(0);
    liveLog = logs.text;
    const name = build.metadata.name ?? "";
    // Live sections are headed without an exit code; a container that ended after the pod was
    // cleaned up (report-digest takes milliseconds) comes from the archive, headed with one.
    const headers = liveLog.split("\n").filter((line) => line.startsWith("==> "));
    expect(headers, liveLog).toEqual([
      expect.stringMatching(new RegExp(`^==> pod build-${name}-\\S+ container image-build <==$`)),
      expect.stringMatching(/ container image-push( \(exit code 0\))? <==$/),
      expect.stringMatching(/ container report-digest( \(exit code 0\))? <==$/),
    ]);
    expect(steps(liveLog).length).toBeGreaterThan(2);
    expect(liveLog).toContain("Writing manifest to image destination");
    const pods = await stack.clients.resource(PODS).list({
      namespace: MCO_NAMESPACE,
      labelSelector: `job-name=build-${name}`,
      signal: call(),
    });
    for (const pod of pods.items)
      expect((pod.status as { phase?: string }).phase).toMatch(/Succeeded|Failed/);
  }, 150_000);

  it("prints the archived log after cleanup, with the same build output", async () => {
    const name = build.metadata.name ?? "";
    await eventually(async () => {
      const pods = await stack.clients.resource(PODS).list({
        namespace: MCO_NAMESPACE,
        labelSelector: `job-name=build-${name}`,
        signal: call(),
      });
      expect(pods.items).toEqual([]);
    }, slow);
    const archived = await run(runLogs, "build", name);
    expect(archived.code).toBe(0);
    expect(archived.text).toMatch(/^==> pod build-\S+ container image-build \(exit code 0\) <==$/m);
    expect(steps(archived.text)).toEqual(steps(liveLog));
  }, 150_000);

  it("shows the pool with its image and a full progress bar after the rollout", async () => {
    const pools = stack.clients.resource<MachineConfigPool>(MACHINE_CONFIG_POOLS);
    await eventually(async () => {
      const pool = await pools.get(POOL, { signal: call() });
      const updated = pool.status?.conditions?.find((c) => c.type === PoolConditionTypes.Updated);
      expect(updated?.status).toBe("True");
      expect(pool.status?.updatedMachineCount).toBe(1);
    }, slow);
    const mosb = await currentBuild();
    const digest = /@sha256:([0-9a-f]{12})/.exec(mosb.status?.digestedImagePushSpec ?? "")?.[1] ?? "";
    expect(digest).not.toBe("");
    const status = await run(runStatus);
    expect(status.code).toBe(0);
    expect(status.text).toMatch(
      new RegExp(
        `^layered +rendered-layered-[0-9a-f]{32} +yes +os/layered@sha256:${digest} +1 +1 +1 +False$`,
        "m",
      ),
    );
    expect(status.text).toMatch(/^layered +\[##########\] 1\/1 +up to date$/m);
    expect(status.text).toMatch(
      new RegExp(`^layered +layered +${mosb.metadata.name} +Succeeded +\\d+s `, "m"),
    );
    expect(status.text).toMatch(
      new RegExp(`^worker-0 +layered +Done +rendered-layered-[0-9a-f]{8} +sha256:${digest} +Ready$`, "m"),
    );

    const watchOut = new BufferOutput();
    const watching = new AbortController();
    const watched = runStatus(["--watch"], io(watchOut, watching.signal));
    await eventually(() => expect(watchOut.text).toMatch(/^--- \S+Z\nPOOLS\n/), slow);
    await stack.clients.resource(MACHINE_CONFIG_POOLS).create(
      {
        apiVersion: "machineconfiguration.openshift.io/v1",
        kind: "MachineConfigPool",
        metadata: { name: "extra" },
        spec: { nodeSelector: { matchLabels: { "node-role.kubernetes.io/extra": "" } } },
      },
      { signal: call() },
    );
    await eventually(() => expect(watchOut.text).toMatch(/^--- \S+Z\nPOOLS\n(?:.*\n)*extra +/m), slow);
    watching.abort();
    expect(await watched).toBe(0);
    await pools.delete("extra", { signal: call() });
  }, 150_000);

  it("rebuilds the pool's build under the same name with a new UID", async () => {
    const before = await currentBuild();
    const rebuilt = await run(runRebuild, POOL);
    expect(rebuilt.text).toContain(`rebuild of ${before.metadata.name} requested`);
    expect(rebuilt.text).toMatch(
      new RegExp(`build ${before.metadata.name} Succeeded in \\d+s: \\S+@sha256:`),
    );
    expect(rebuilt.code).toBe(0);
    const after = await currentBuild();
    expect(after.metadata.name).toBe(before.metadata.name);
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect(buildStateOf(after)).toBe("Succeeded");
  }, 150_000);
});
