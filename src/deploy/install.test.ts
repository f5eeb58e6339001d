// `mob install --no-wait` (the real CLI) against mob's embedded API server without CRDs: the first
// run creates every object of deploy/, the second changes nothing. The wait itself is unit-tested
// on availability(): the embedded server stores Deployments and DaemonSets but does not run them.

import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKubeClients } from "../runtime/kube-client.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { availability, describeObject, waitForAvailable } from "./install.ts";
import { deployObjects } from "./manifests.ts";

const MOB = resolve(import.meta.dirname, "../../bin/mob");

function mob(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      MOB,
      args,
      { timeout: 60_000, env: { ...process.env, KUBECONFIG: "" } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

describe("mob install", { timeout: 90_000 }, () => {
  let api: TestApiServer;

  beforeAll(async () => {
    api = await startTestApiServer({ installCrds: false });
  });

  afterAll(async () => {
    await api?.close();
  });

  it("--no-wait creates everything, and a re-run changes nothing", async () => {
    const kubeconfig = api.server.kubeconfigPath;
    const objects = deployObjects({ image: "registry.example/mob:test" }).map(describeObject);
    const first = await mob([
      "install",
      "--kubeconfig",
      kubeconfig,
      "--no-wait",
      "--image",
      "registry.example/mob:test",
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      `mob install: ${objects.length} objects applied, ${objects.length} changed`,
    );
    for (const object of objects) expect(first.stdout).toContain(`${object} created\n`);

    const second = await mob([
      "install",
      "--kubeconfig",
      kubeconfig,
      "--no-wait",
      "--image",
      "registry.example/mob:test",
    ]);
    expect(second.code, second.stderr).toBe(0);
    const lines = second.stdout.trim().split("\n");
    expect(lines.slice(0, -1)).toEqual(objects.map((object) => `${object} unchanged`));
    expect(lines.at(-1)).toBe(`mob install: ${objects.length} objects applied, 0 changed`);

    const deployment = await api.client.get(
      "/apis/apps/v1/namespaces/openshift-machine-config-operator/deployments/machine-config-controller",
    );
    expect(deployment.json.spec.template.spec.containers[0].image).toBe("registry.example/mob:test");
  });

  it("--image changes only the workloads on a re-run", async () => {
    const run = await mob(["install", "--kubeconfig", api.server.kubeconfigPath, "--no-wait"]);
    expect(run.code, run.stderr).toBe(0);
    const configured = run.stdout.split("\n").filter((line) => line.endsWith(" configured"));
    expect(configured.sort()).toEqual([
      "daemonset.apps/machine-config-daemon configured",
      "deployment.apps/machine-config-controller configured",
      "deployment.apps/machine-config-server configured",
    ]);
  });

  it("without --no-wait gives up after --timeout, saying what is not available", async () => {
    const clients = loadKubeClients(api.server.kubeconfigPath);
    const lines: string[] = [];
    const signal = AbortSignal.timeout(10_000);
    await expect(
      waitForAvailable(clients, { signal, timeoutMs: 300, intervalMs: 50, onProgress: (l) => lines.push(l) }),
    ).rejects.toThrow(/not available after 0 s: deployment.apps\/machine-config-controller 0\/1 available/);
    // Stored, never run: no controller observes the generation.
    expect(lines).toContain("daemonset.apps/machine-config-daemon: 0/0 available (not yet observed)");
  });

  it("--dry-run prints the manifests without a cluster", async () => {
    const run = await mob(["install", "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split("\n---\n")).toHaveLength(deployObjects().length);
  });
});

describe("availability", () => {
  const deployment = (status: Record<string, unknown>, generation = 1) => ({
    kind: "Deployment",
    metadata: { generation },
    spec: { replicas: 2 },
    status,
  });

  it("wants every replica updated and available, in the observed generation", () => {
    expect(
      availability(deployment({ observedGeneration: 1, availableReplicas: 2, updatedReplicas: 2 })),
    ).toEqual({
      ready: true,
      text: "2/2 available",
    });
    expect(
      availability(deployment({ observedGeneration: 1, availableReplicas: 1, updatedReplicas: 2 })).ready,
    ).toBe(false);
    expect(
      availability(deployment({ observedGeneration: 1, availableReplicas: 2, updatedReplicas: 2 }, 2)),
    ).toEqual({
      ready: false,
      text: "2/2 available (not yet observed)",
    });
  });

  it("reads a DaemonSet's scheduled and available numbers", () => {
    const ds = (available: number) => ({
      kind: "DaemonSet",
      metadata: { generation: 1 },
      status: {
        observedGeneration: 1,
        desiredNumberScheduled: 3,
        numberAvailable: available,
        updatedNumberScheduled: 3,
      },
    });
    expect(availability(ds(3))).toEqual({ ready: true, text: "3/3 available" });
    expect(availability(ds(2))).toEqual({ ready: false, text: "2/3 available" });
  });
});
