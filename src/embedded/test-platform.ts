// Test set-up for the embedded platform: a real in-memory store, a temporary state directory and
// the platform with short delays. close() aborts, waits for every pod process, removes the directory.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeObject } from "../api/object.ts";
import { newTestStack, type TestStack } from "../apiserver/controllers/test-stack.ts";
import { type EmbeddedPlatform, startEmbeddedPlatform } from "./index.ts";

export interface TestPlatform {
  stack: TestStack;
  platform: EmbeddedPlatform;
  dir: string;
  /** The stored pod, or undefined. */
  pod(name: string, namespace?: string): KubeObject | undefined;
  /** Pods in `default` whose controller is the Job `job`. */
  jobPods(job: string): KubeObject[];
  close(): Promise<void>;
}

export async function startTestPlatform(kubelet: { leaseIntervalMs?: number } = {}): Promise<TestPlatform> {
  const stack = newTestStack();
  const dir = await mkdtemp(join(tmpdir(), "mob-embedded-"));
  const controller = new AbortController();
  const platform = await startEmbeddedPlatform(
    {
      store: stack.store,
      catalog: stack.catalog,
      dir,
      jobBackoff: { baseMs: 50, maxMs: 200 },
      kubelet: {
        gracePeriodCapMs: 1000,
        shutdownGraceMs: 500,
        retry: { baseMs: 100, maxMs: 400 },
        ...kubelet,
      },
    },
    controller.signal,
  );
  return {
    stack,
    platform,
    dir,
    pod: (name, namespace = "default") => stack.find("pods", name, namespace),
    jobPods: (job) =>
      stack.storage
        .list("pods", { namespace: "default" })
        .items.filter((p) => p.metadata.ownerReferences?.some((r) => r.kind === "Job" && r.name === job)),
    close: async () => {
      controller.abort();
      await platform.stopped();
      stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A Job in `default` running `script` with /bin/sh. */
export function shellJob(name: string, script: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name, namespace: "default" },
    spec: {
      ...spec,
      template: {
        spec: {
          restartPolicy: "Never",
          terminationGracePeriodSeconds: 1,
          containers: [
            { name: "main", image: "example.invalid/tools:1", command: ["/bin/sh", "-c", script] },
          ],
        },
      },
    },
  };
}

export function statusOf(object: KubeObject | undefined): Record<string, unknown> {
  const status = object?.status;
  return typeof status === "object" && status !== null ? (status as Record<string, unknown>) : {};
}

/** [type, reason] of every True condition, in order. */
export function trueConditions(object: KubeObject | undefined): string[][] {
  const list = statusOf(object).conditions;
  if (!Array.isArray(list)) return [];
  return list
    .filter((c: { status?: string }) => c.status === "True")
    .map((c: { type?: string; reason?: string }) => [String(c.type), String(c.reason ?? "")]);
}
