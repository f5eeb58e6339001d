// The platform inside the real API server: a Job through HTTP, its logs through pods/log, and
// deletion of a running Job (the GC removes its pods, the kubelet stops the processes).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { eventually } from "../testing/eventually.ts";
import { isAlive } from "./pod-state.ts";
import { shellJob } from "./test-platform.ts";

let api: TestApiServer;
const JOBS = "/apis/batch/v1/namespaces/default/jobs";
const PODS = "/api/v1/namespaces/default/pods";

beforeAll(async () => {
  api = await startTestApiServer({ embeddedPlatform: true });
});
afterAll(async () => {
  await api?.close();
});

async function jobPod(job: string) {
  return eventually(async () => {
    const list = await api.client.get(`${PODS}?labelSelector=batch.kubernetes.io%2Fjob-name%3D${job}`);
    const [pod] = list.json.items;
    expect(pod).toBeDefined();
    return pod;
  });
}

describe("embedded platform in the API server", () => {
  it("completes a Job whose output kubectl logs can read", async () => {
    expect((await api.client.post(JOBS, shellJob("hello", "echo hello; echo err >&2"))).status).toBe(201);
    await eventually(async () => {
      const job = (await api.client.get(`${JOBS}/hello`)).json;
      expect(job.status.conditions?.map((c: { type: string }) => c.type)).toContain("Complete");
    });
    const pod = await jobPod("hello");
    expect(pod.status.phase).toBe("Succeeded");
    expect(pod.spec.nodeName).toBe("mob-host");
    const log = await api.client.get(`${PODS}/${pod.metadata.name}/log`);
    expect(log.status).toBe(200);
    expect(log.text.split("\n").sort()).toEqual(["", "err", "hello"]);
    const followed = await api.client.get(`${PODS}/${pod.metadata.name}/log?follow=true&timestamps=true`);
    expect(followed.text).toMatch(/^\d{4}-\d\d-\d\dT\S+Z (hello|err)\n/);
  });

  it("stops the processes of a Job deleted in the background", async () => {
    await api.client.post(JOBS, shellJob("long", "sleep 30"));
    const pid = await eventually(async () => {
      const pod = await jobPod("long");
      expect(pod.status.phase).toBe("Running");
      return Number(String(pod.status.containerStatuses[0].containerID).replace("mob://", ""));
    });
    expect(isAlive(pid)).toBe(true);
    expect((await api.client.delete(`${JOBS}/long?propagationPolicy=Background`)).status).toBe(200);
    await eventually(async () => {
      expect((await api.client.get(`${PODS}?labelSelector=job-name%3Dlong`)).json.items).toEqual([]);
      expect(isAlive(pid)).toBe(false);
    });
  });
});
