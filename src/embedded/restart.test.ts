// A pod left running by an earlier mob process: its survivor is killed and the pod marked Failed.

import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newTestStack } from "../apiserver/controllers/test-stack.ts";
import { eventually } from "../testing/eventually.ts";
import { startEmbeddedPlatform } from "./index.ts";
import { isAlive, writePodState } from "./pod-state.ts";
import { KUBELET_RESTARTED_REASON } from "./pod-status.ts";
import { statusOf } from "./test-platform.ts";

const stack = newTestStack();
const controller = new AbortController();
let dir = "";
let survivorPid = 0;
afterAll(async () => {
  controller.abort();
  if (isAlive(survivorPid)) process.kill(survivorPid, "SIGKILL");
  stack.close();
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

const runningPod = (name: string, phase: string) => ({
  metadata: { name, namespace: "default" },
  spec: {
    nodeName: "mob-host",
    restartPolicy: "Never",
    containers: [{ name: "main", image: "x:1", command: ["true"] }],
  },
  status: {
    phase,
    containerStatuses: [
      {
        name: "main",
        containerID: "mob://1",
        state:
          phase === "Running"
            ? { running: { startedAt: "2025-01-01T00:00:00Z" } }
            : { terminated: { exitCode: 0, reason: "Completed" } },
      },
    ],
  },
});

describe("host kubelet restart", () => {
  it("marks pods of a previous run Failed and kills their survivors; finished pods stay", async () => {
    dir = await mkdtemp(join(tmpdir(), "mob-restart-"));
    const survivor = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    survivor.unref();
    const pid = survivor.pid ?? 0;
    survivorPid = pid;
    const lost = stack.create("pods", runningPod("lost", "Running"));
    const done = stack.create("pods", runningPod("done", "Succeeded"));
    const unknown = stack.create("pods", runningPod("no-state", "Running"));
    for (const [pod, finished] of [
      [lost, false],
      [done, true],
    ] as const) {
      const podDir = join(dir, "kubelet", "pods", pod.metadata.uid ?? "");
      await mkdir(podDir, { recursive: true });
      const { uid = "", namespace = "", name = "" } = pod.metadata;
      await writePodState(podDir, { uid, namespace, name, pids: finished ? [] : [pid], finished });
    }
    await startEmbeddedPlatform({ store: stack.store, catalog: stack.catalog, dir }, controller.signal);
    await eventually(() => expect(isAlive(pid)).toBe(false));
    for (const name of ["lost", "no-state"]) {
      await eventually(() => {
        const status = statusOf(stack.find("pods", name, "default"));
        expect(status).toMatchObject({ phase: "Failed", reason: KUBELET_RESTARTED_REASON });
        expect(status.containerStatuses).toEqual([
          expect.objectContaining({
            state: {
              terminated: expect.objectContaining({ exitCode: 137, reason: "ContainerStatusUnknown" }),
            },
          }),
        ]);
      });
    }
    expect(statusOf(stack.find("pods", "done", "default")).phase).toBe("Succeeded");
    expect(unknown.metadata.uid).toBeDefined();
    expect(done.metadata.uid).toBeDefined();
  });
});
