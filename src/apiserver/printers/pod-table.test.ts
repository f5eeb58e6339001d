import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { POD_TABLE } from "./builtin-tables.ts";

const now = new Date("2026-03-01T12:00:00Z");
const created = "2026-03-01T11:55:00Z";

function pod(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  meta: Partial<KubeObject["metadata"]> = {},
): KubeObject {
  return { metadata: { name: "p", creationTimestamp: created, ...meta }, spec, status };
}

const running = { running: { startedAt: created } };
const twoContainers = { containers: [{ name: "a" }, { name: "b" }] };

function cells(object: KubeObject): unknown[] {
  return POD_TABLE.row(object, now);
}

describe("POD_TABLE", () => {
  it("declares the columns of kubectl get pods", () => {
    expect(POD_TABLE.columns.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      "Name:string:0",
      "Ready:string:0",
      "Status:string:0",
      "Restarts:string:0",
      "Age:string:0",
      "IP:string:1",
      "Node:string:1",
      "Nominated Node:string:1",
      "Readiness Gates:string:1",
    ]);
    expect(POD_TABLE.columns[0]?.format).toBe("name");
  });

  it("prints a running pod", () => {
    const object = pod(
      { ...twoContainers, nodeName: "n1" },
      {
        phase: "Running",
        podIP: "10.0.0.5",
        podIPs: [{ ip: "10.0.0.5" }],
        containerStatuses: [
          { name: "a", ready: true, restartCount: 0, state: running },
          { name: "b", ready: false, restartCount: 0, state: running },
        ],
      },
    );
    expect(cells(object)).toEqual(["p", "1/2", "Running", "0", "5m", "10.0.0.5", "n1", "<none>", "<none>"]);
  });

  it("prints a pending pod with no statuses", () => {
    expect(cells(pod(twoContainers, { phase: "Pending" }))).toEqual([
      "p",
      "0/2",
      "Pending",
      "0",
      "5m",
      "<none>",
      "<none>",
      "<none>",
      "<none>",
    ]);
  });

  it("shows restarts with the age of the last one", () => {
    const object = pod(twoContainers, {
      phase: "Running",
      containerStatuses: [
        {
          name: "a",
          restartCount: 2,
          state: running,
          ready: true,
          lastState: { terminated: { finishedAt: "2026-03-01T11:58:00Z" } },
        },
        {
          name: "b",
          restartCount: 1,
          state: running,
          ready: true,
          lastState: { terminated: { finishedAt: "2026-03-01T11:50:00Z" } },
        },
      ],
    });
    expect(cells(object).slice(1, 4)).toEqual(["2/2", "Running", "3 (2m ago)"]);
  });

  it("uses the first container's waiting or terminated reason", () => {
    const object = pod(twoContainers, {
      phase: "Running",
      containerStatuses: [
        { name: "a", state: { waiting: { reason: "CrashLoopBackOff" } } },
        { name: "b", state: { terminated: { exitCode: 1 } } },
      ],
    });
    expect(cells(object)[2]).toBe("CrashLoopBackOff");
    const signalled = pod(twoContainers, {
      phase: "Running",
      containerStatuses: [{ name: "a", state: { terminated: { exitCode: 137, signal: 9 } } }],
    });
    expect(cells(signalled)[2]).toBe("Signal:9");
    const exited = pod(twoContainers, {
      phase: "Failed",
      containerStatuses: [{ name: "a", state: { terminated: { exitCode: 2 } } }],
    });
    expect(cells(exited)[2]).toBe("ExitCode:2");
  });

  it("prefers status.reason over the phase", () => {
    expect(cells(pod(twoContainers, { phase: "Failed", reason: "Evicted" }))[2]).toBe("Evicted");
  });

  it("reports SchedulingGated", () => {
    const object = pod(twoContainers, {
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }],
    });
    expect(cells(object)[2]).toBe("SchedulingGated");
  });

  it("reports init container progress", () => {
    const spec = { ...twoContainers, initContainers: [{ name: "i1" }, { name: "i2" }] };
    const waiting = pod(spec, {
      phase: "Pending",
      initContainerStatuses: [
        { name: "i1", state: { terminated: { exitCode: 0 } } },
        { name: "i2", state: { waiting: { reason: "PodInitializing" } } },
      ],
    });
    expect(cells(waiting)[2]).toBe("Init:1/2");
    const crashing = pod(spec, {
      phase: "Pending",
      initContainerStatuses: [
        { name: "i1", restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } },
      ],
    });
    expect(cells(crashing).slice(1, 4)).toEqual(["0/2", "Init:CrashLoopBackOff", "4"]);
    const failed = pod(spec, {
      phase: "Failed",
      initContainerStatuses: [{ name: "i1", state: { terminated: { exitCode: 3 } } }],
    });
    expect(cells(failed)[2]).toBe("Init:ExitCode:3");
    const oom = pod(spec, {
      phase: "Pending",
      initContainerStatuses: [{ name: "i1", state: { terminated: { exitCode: 137, reason: "OOMKilled" } } }],
    });
    expect(cells(oom)[2]).toBe("Init:OOMKilled");
  });

  it("counts sidecars as containers once started", () => {
    const spec = {
      containers: [{ name: "a" }],
      initContainers: [{ name: "proxy", restartPolicy: "Always" }],
    };
    const object = pod(spec, {
      phase: "Running",
      initContainerStatuses: [{ name: "proxy", started: true, ready: true, restartCount: 1, state: running }],
      containerStatuses: [{ name: "a", ready: true, state: running }],
    });
    expect(cells(object).slice(1, 4)).toEqual(["2/2", "Running", "1"]);
  });

  it("turns Completed back into Running while a container still runs", () => {
    const status = {
      phase: "Running",
      containerStatuses: [
        { name: "a", ready: true, state: running },
        { name: "b", state: { terminated: { exitCode: 0, reason: "Completed" } } },
      ],
    };
    expect(cells(pod(twoContainers, status))[2]).toBe("NotReady");
    expect(cells(pod(twoContainers, { ...status, conditions: [{ type: "Ready", status: "True" }] }))[2]).toBe(
      "Running",
    );
  });

  it("shows Terminating for a pod being deleted, unless it already finished", () => {
    const meta = { deletionTimestamp: "2026-03-01T11:59:00Z" };
    expect(cells(pod(twoContainers, { phase: "Running" }, meta))[2]).toBe("Terminating");
    expect(cells(pod(twoContainers, { phase: "Succeeded" }, meta))[2]).toBe("Succeeded");
    expect(cells(pod(twoContainers, { phase: "Running", reason: "NodeLost" }, meta))[2]).toBe("Unknown");
  });

  it("counts readiness gates whose conditions are True", () => {
    const object = pod(
      {
        ...twoContainers,
        readinessGates: [{ conditionType: "example.com/lb" }, { conditionType: "example.com/dns" }],
      },
      { phase: "Running", nominatedNodeName: "n2", conditions: [{ type: "example.com/lb", status: "True" }] },
    );
    expect(cells(object).slice(7)).toEqual(["n2", "1/2"]);
  });
});
