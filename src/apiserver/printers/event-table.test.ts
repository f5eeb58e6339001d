import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { EVENT_TABLE, EVENTS_V1_TABLE } from "./builtin-tables.ts";

const now = new Date("2026-03-01T12:00:00Z");

describe("EVENT_TABLE", () => {
  it("prints a core/v1 event", () => {
    const event: KubeObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "p1.17f", namespace: "ns" },
      involvedObject: { kind: "Pod", name: "p1", fieldPath: "spec.containers{app}" },
      reason: "Pulled",
      message: "  Successfully pulled image\n",
      type: "Normal",
      source: { component: "kubelet", host: "n1" },
      firstTimestamp: "2026-03-01T11:00:00Z",
      lastTimestamp: "2026-03-01T11:58:00Z",
      count: 4,
    };
    expect(EVENT_TABLE.row(event, now)).toEqual([
      "2m",
      "Normal",
      "Pulled",
      "pod/p1",
      "spec.containers{app}",
      "kubelet, n1",
      "Successfully pulled image",
      "60m",
      4,
      "p1.17f",
    ]);
  });

  it("falls back to eventTime, reporting fields and a count of 1", () => {
    const event: KubeObject = {
      metadata: { name: "e" },
      involvedObject: { kind: "MachineOSBuild" },
      reason: "BuildStarted",
      message: "started",
      type: "Normal",
      eventTime: "2026-03-01T11:59:30.123456Z",
      reportingComponent: "machine-os-builder",
      reportingInstance: "mob-0",
    };
    expect(EVENT_TABLE.row(event, now)).toEqual([
      "29s",
      "Normal",
      "BuildStarted",
      "machineosbuild",
      "",
      "machine-os-builder, mob-0",
      "started",
      "29s",
      1,
      "e",
    ]);
  });

  it("prefers series data for repeated events", () => {
    const event: KubeObject = {
      metadata: { name: "e" },
      eventTime: "2026-03-01T10:00:00Z",
      series: { count: 7, lastObservedTime: "2026-03-01T11:59:00Z" },
      reportingComponent: "c",
    };
    const row = EVENT_TABLE.row(event, now);
    expect([row[0], row[5], row[7], row[8]]).toEqual(["60s", "c", "120m", 7]);
  });

  it("prints <unknown> without any timestamp", () => {
    const row = EVENT_TABLE.row({ metadata: { name: "e" } }, now);
    expect([row[0], row[7]]).toEqual(["<unknown>", "<unknown>"]);
  });
});

describe("EVENTS_V1_TABLE", () => {
  it("reads events.k8s.io/v1 field names", () => {
    const event: KubeObject = {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "n1.abc", namespace: "default" },
      regarding: { kind: "Node", name: "n1" },
      reason: "Drained",
      note: "node drained",
      type: "Warning",
      reportingController: "machineconfigdaemon",
      reportingInstance: "n1",
      eventTime: "2026-03-01T11:00:00.000000Z",
      deprecatedLastTimestamp: "2026-03-01T11:50:00Z",
      deprecatedCount: 2,
    };
    expect(EVENTS_V1_TABLE.row(event, now)).toEqual([
      "10m",
      "Warning",
      "Drained",
      "node/n1",
      "",
      "machineconfigdaemon, n1",
      "node drained",
      "60m",
      2,
      "n1.abc",
    ]);
  });

  it("uses deprecatedSource and deprecatedFirstTimestamp when present", () => {
    const event: KubeObject = {
      metadata: { name: "e" },
      regarding: { kind: "Pod", name: "p" },
      deprecatedSource: { component: "kubelet" },
      deprecatedFirstTimestamp: "2026-03-01T11:30:00Z",
    };
    const row = EVENTS_V1_TABLE.row(event, now);
    expect([row[0], row[3], row[5], row[7], row[8]]).toEqual(["30m", "pod/p", "kubelet", "30m", 1]);
  });
});
