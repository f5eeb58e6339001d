// `bin/mob controller` as a child process against a test API server with the default pools.

import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MachineConfigPool } from "../api/machineconfigpool-v1.ts";
import { loadKubeClients } from "../runtime/kube-client.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { eventually } from "../testing/eventually.ts";
import { MACHINE_CONFIG_POOLS } from "./resources.ts";

const MOB = join(resolve(import.meta.dirname, "../.."), "bin/mob");

describe("mob controller (child process)", () => {
  let api: TestApiServer;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    api = await startTestApiServer({ installCrds: true, defaults: true });
  });
  afterAll(async () => {
    if (child?.exitCode === null) child.kill("SIGKILL");
    await api.close();
  });

  it("renders the default pools, serves probes and metrics, and exits cleanly on SIGTERM", async () => {
    const args = ["controller", "--kubeconfig", api.server.kubeconfigPath, "--metrics-listen", "127.0.0.1:0"];
    const proc = spawn(MOB, [...args, "--log-level", "warn"], { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    let stdout = "";
    let stderr = "";
    proc.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    proc.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((done) => proc.once("exit", (code) => done(code)));
    const probes = await eventually(() => {
      const match = /probes and metrics at (http:\/\/\S+)\)/.exec(stdout);
      if (!match?.[1]) throw new Error(`not running yet: ${stdout}${stderr}`);
      return match[1];
    });

    const pools = loadKubeClients(api.server.kubeconfigPath).resource<MachineConfigPool>(
      MACHINE_CONFIG_POOLS,
    );
    const signal = new AbortController().signal;
    for (const name of ["master", "worker"]) {
      await eventually(async () => {
        const pool = await pools.get(name, { signal });
        expect(pool.status?.configuration?.name).toMatch(new RegExp(`^rendered-${name}-[0-9a-f]{32}$`));
      });
    }
    expect((await fetch(`${probes}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${probes}/metrics`)).text();
    expect(metrics).toMatch(/mob_render_rendered_configs_created_total\{pool="worker"\} 1/);
    expect(metrics).toContain('mob_reconcile_total{controller="render",result="success"}');

    proc.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 10_000))]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("mob controller stopped");
  });
});
