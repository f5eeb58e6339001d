import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { testMosb, testMosc } from "../node/fixtures.ts";
import { BuildMetrics, firstStart, pushTimes, retriesOf } from "./metrics.ts";

const CREATED = "2026-01-01T00:00:00Z";

function job(failed: number, uid = "job-1"): KubeObject {
  return { apiVersion: "batch/v1", kind: "Job", metadata: { name: "build-x", uid }, status: { failed } };
}

function terminated(name: string, startedAt: string, finishedAt: string, exitCode = 0) {
  return { name, state: { terminated: { exitCode, startedAt, finishedAt } } };
}

function pod(name: string, init: unknown[], containers: unknown[] = []): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    status: { initContainerStatuses: init, containerStatuses: containers },
  };
}

const OK_POD = pod(
  "build-x-ok",
  [
    terminated("image-build", "2026-01-01T00:00:04Z", "2026-01-01T00:00:20Z"),
    terminated("image-push", "2026-01-01T00:00:20Z", "2026-01-01T00:00:23Z"),
  ],
  [terminated("report-digest", "2026-01-01T00:00:23Z", "2026-01-01T00:00:23Z")],
);

function setup(moscs: MachineOSConfig[], mosbs: MachineOSBuild[]) {
  const registry = new Registry();
  const metrics = new BuildMetrics(registry, { moscs: { list: () => moscs }, mosbs: { list: () => mosbs } });
  return { registry, metrics };
}

describe("BuildMetrics", () => {
  it("exports each build's current state and the MachineOSConfig count from the caches", async () => {
    const mosbs = [
      testMosb("layered-a", { mosc: "layered", config: "c1", state: "Succeeded" }),
      testMosb("layered-b", { mosc: "layered", config: "c2", state: "Building" }),
    ];
    const { registry } = setup([testMosc("layered"), testMosc("infra")], mosbs);
    let text = await registry.metrics();
    expect(text).toContain(
      'ocl_build_state{machineosconfig="layered",machineosbuild="layered-a",state="Succeeded"} 1',
    );
    expect(text).toContain(
      'ocl_build_state{machineosconfig="layered",machineosbuild="layered-b",state="Building"} 1',
    );
    expect(text).toContain("mco_mosc_count 2");
    mosbs.splice(1, 1);
    text = await registry.metrics();
    expect(text).not.toContain('machineosbuild="layered-b"');
  });

  it("counts pod retries once per new Job failure, not the failure that fails the Job", async () => {
    const { registry, metrics } = setup([], []);
    const mosb = testMosb("layered-a", { mosc: "layered", config: "c1", state: "Building" });
    metrics.jobObserved(mosb, job(0), "Building");
    metrics.jobObserved(mosb, job(1), "Building");
    metrics.jobObserved(mosb, job(1), "Building");
    metrics.jobObserved(mosb, job(2), "Building");
    metrics.jobObserved(mosb, job(4), "Failed");
    expect(await registry.metrics()).toContain('ocl_build_retries_total{machineosconfig="layered"} 3');
    expect(retriesOf(job(2), "Succeeded")).toBe(2);
    expect(retriesOf(job(0), "Failed")).toBe(0);
  });

  it("observes build, push and queue durations of a finished build", async () => {
    const { registry, metrics } = setup([], []);
    const mosb = testMosb("layered-a", {
      mosc: "layered",
      config: "c1",
      state: "Succeeded",
      created: CREATED,
    });
    mosb.status = { ...mosb.status, buildStart: "2026-01-01T00:00:01Z", buildEnd: "2026-01-01T00:00:25Z" };
    metrics.finished(mosb, [OK_POD]);
    const text = await registry.metrics();
    expect(text).toContain('ocl_build_duration_seconds_sum{machineosconfig="layered",state="Succeeded"} 24');
    expect(text).toContain(
      'ocl_image_push_duration_seconds_sum{machineosconfig="layered",state="Succeeded"} 3',
    );
    expect(text).toContain('ocl_build_queue_duration_seconds_sum{machineosconfig="layered"} 4');
    expect(text).toContain(
      'ocl_build_duration_seconds_bucket{le="1",machineosconfig="layered",state="Succeeded"} 0',
    );
  });

  it("reads the newest push and the first container start from the pods", () => {
    const failedPush = pod("build-x-1", [
      terminated("image-build", "2026-01-01T00:00:02Z", "2026-01-01T00:00:03Z"),
      terminated("image-push", "2026-01-01T00:00:03Z", "2026-01-01T00:00:05Z", 1),
    ]);
    expect(pushTimes([failedPush])).toEqual({ seconds: 2, state: "Failed" });
    expect(pushTimes([failedPush, OK_POD])).toEqual({ seconds: 3, state: "Succeeded" });
    expect(firstStart([failedPush, OK_POD])).toBe(Date.parse("2026-01-01T00:00:02Z"));
    expect(pushTimes([pod("pending", [])])).toBeUndefined();
    expect(firstStart([])).toBeUndefined();
  });
});
