// `bin/mob up` as a user runs it: it becomes ready, serves kubectl, seeds the base image into the
// ControllerConfig, and on SIGTERM stops every process it started; a restart on the same dir resumes.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Kubectl, kubectlFor } from "../../src/testing/kubectl.ts";

const MOB = resolve(import.meta.dirname, "../../bin/mob");

interface Up {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startUp(dir: string): Promise<Up> {
  const child = spawn(
    MOB,
    ["up", "--dir", dir, "--api-listen", "127.0.0.1:0", "--registry-listen", "127.0.0.1:0"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`mob up was not ready in time:\n${out}`)), 90_000);
    child.stdout?.on("data", () => {
      if (/^ready$/m.test(out)) {
        clearTimeout(timer);
        ready({ child, output: () => out, exited });
      }
    });
    void exited.then((code) => fail(new Error(`mob up exited with ${code}:\n${out}`)));
  });
}

/** Processes whose command line mentions `dir` (the registry and anything else mob up started). */
function processesUsing(dir: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.includes(dir) && !line.includes("ps -eo"));
}

describe("mob up", () => {
  let dir = "";
  let kubectl: Kubectl | undefined;
  afterAll(async () => {
    await kubectl?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("starts, serves kubectl with the default pools and base image, and stops cleanly", async () => {
    dir = await mkdtemp(join(tmpdir(), "mob-up-"));
    const up = await startUp(dir);
    expect(up.output()).toContain(`kubeconfig: ${join(dir, "kubeconfig")}`);
    kubectl = await kubectlFor(join(dir, "kubeconfig"));
    const pools = await kubectl.ok("get", "machineconfigpools", "-o", "name");
    expect(pools.split("\n").filter(Boolean).sort()).toEqual([
      "machineconfigpool.machineconfiguration.openshift.io/master",
      "machineconfigpool.machineconfiguration.openshift.io/worker",
    ]);
    const base = await kubectl.ok(
      "get",
      "controllerconfig",
      "machine-config-controller",
      "-o",
      "jsonpath={.spec.baseOSContainerImage}",
    );
    expect(base).toMatch(/^127\.0\.0\.1:\d+\/os\/base@sha256:[0-9a-f]{64}$/);
    const secrets = await kubectl.ok(
      "get",
      "secrets",
      "-n",
      "openshift-machine-config-operator",
      "-o",
      "name",
    );
    expect(secrets).toContain("secret/global-pull-secret-copy");
    expect(secrets).toContain("secret/mob-registry-push");
    expect(processesUsing(dir).some((line) => line.includes("docker-registry"))).toBe(true);

    up.child.kill("SIGTERM");
    expect(await up.exited).toBe(0);
    expect(processesUsing(dir)).toEqual([]);

    const again = await startUp(dir);
    expect(
      await kubectl.ok(
        "get",
        "controllerconfig",
        "machine-config-controller",
        "-o",
        "jsonpath={.spec.baseOSContainerImage}",
      ),
    ).toBe(base);
    again.child.kill("SIGINT");
    expect(await again.exited).toBe(0);
    expect(processesUsing(dir)).toEqual([]);
  }, 180_000);
});
