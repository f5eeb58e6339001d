// `mob up` killed mid-build (SIGKILL to its whole process tree, as a crash or power cut would) and
// started again on the same directory: the build in flight completes, exactly once, and nothing is
// left running afterwards.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventually } from "../../src/testing/eventually.ts";
import { type Kubectl, kubectlFor } from "../../src/testing/kubectl.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const MOB = join(ROOT, "bin/mob");

function startUp(
  dir: string,
): Promise<{ child: ChildProcess; exited: Promise<number | null>; output: () => string }> {
  // A process group of its own, so the test can kill the whole tree at once.
  const child = spawn(
    MOB,
    [
      "up",
      "--dir",
      dir,
      "--api-listen",
      "127.0.0.1:0",
      "--registry-listen",
      "127.0.0.1:0",
      "--workers",
      "1",
      "--masters",
      "0",
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let out = "";
  const collect = (chunk: Buffer): void => {
    out += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`mob up was not ready in time:\n${out}`)), 120_000);
    child.stdout?.on("data", () => {
      if (/^ready$/m.test(out)) {
        clearTimeout(timer);
        ready({ child, exited, output: () => out });
      }
    });
    void exited.then((code) => fail(new Error(`mob up exited with ${code}:\n${out}`)));
  });
}

/** Processes whose command line mentions `dir`. */
function processesUsing(dir: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.includes(dir) && !line.includes("ps -eo"));
}

function killTree(dir: string, child: ChildProcess): void {
  if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  // Children that left the group (the registry, build processes) die too.
  for (const line of processesUsing(dir)) {
    const pid = Number(line.trim().split(/\s+/)[0]);
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

describe("mob up after a crash", () => {
  let dir = "";
  let kubectl: Kubectl | undefined;
  afterAll(async () => {
    await kubectl?.close();
    if (dir) {
      for (const line of processesUsing(dir)) process.kill(Number(line.trim().split(/\s+/)[0]), "SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("finishes the build that was running, exactly once", async () => {
    dir = await mkdtemp(join(tmpdir(), "mob-up-resume-"));
    const first = await startUp(dir);
    kubectl = await kubectlFor(join(dir, "kubeconfig"));
    const registry = /registry (127\.0\.0\.1:\d+)/.exec(first.output())?.[1] ?? "";
    const mosc = (await readFile(join(ROOT, "examples/machineosconfig.yaml"), "utf8"))
      .replaceAll("REGISTRY", registry)
      .replace("FROM configs AS final", "FROM configs AS final\n        RUN sleep 6");
    await kubectl.ok("apply", "-f", join(ROOT, "examples/layered-pool.yaml"));
    const applied = await kubectl.run(["apply", "-f", "-"], { stdin: mosc });
    expect(applied.code, applied.stderr).toBe(0);
    const condition = (name: string, type: string) =>
      kubectl?.ok(
        "get",
        "machineosbuild",
        name,
        "-o",
        `jsonpath={.status.conditions[?(@.type=="${type}")].status}`,
      );
    const build = await eventually(
      async () => {
        const name =
          (await kubectl?.ok("get", "machineosbuilds", "-o", "jsonpath={.items[0].metadata.name}")) ?? "";
        expect(name).not.toBe("");
        expect(await condition(name, "Building")).toBe("True");
        return name;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const uid = await kubectl.ok("get", "machineosbuild", build, "-o", "jsonpath={.metadata.uid}");

    killTree(dir, first.child);
    await first.exited;
    await eventually(() => expect(processesUsing(dir)).toEqual([]), { timeoutMs: 10_000 });

    const second = await startUp(dir);
    await eventually(async () => expect(await condition(build, "Succeeded")).toBe("True"), {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    // The same build object finished: not a second build, not a recreated one.
    expect(await kubectl.ok("get", "machineosbuilds", "-o", "name")).toBe(
      `machineosbuild.machineconfiguration.openshift.io/${build}\n`,
    );
    expect(await kubectl.ok("get", "machineosbuild", build, "-o", "jsonpath={.metadata.uid}")).toBe(uid);
    const image = await kubectl.ok(
      "get",
      "machineosconfig",
      "layered",
      "-o",
      "jsonpath={.status.currentImagePullSpec}",
    );
    expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(processesUsing(dir)).toEqual([]);
  }, 300_000);
});
