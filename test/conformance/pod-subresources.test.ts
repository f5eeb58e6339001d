// §9.10 Pod subresources: eviction (201 Success Status, then a DELETED watch event), binding (201,
// then 409 for a bound pod), and log (text/plain from the kubelet's files, options, follow streaming
// appended lines until the container terminates, 400s for an ambiguous or unstarted container).

import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatLogLine } from "../../src/apiserver/pods/log-source.ts";
import { eventually } from "../../src/testing/eventually.ts";
import { expectStatus, pod, useApiServer } from "./helpers.ts";

const NS = "podsub-ns";
const PODS = `/api/v1/namespaces/${NS}/pods`;

const api = useApiServer({ namespaces: [NS] });

async function createPod(name: string, containers: string[] = ["c1"], spec: Record<string, unknown> = {}) {
  const body = pod(name, containers);
  const res = await api.client.post(PODS, { ...body, spec: { ...body.spec, ...spec } });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** Sets each container's state through PUT …/status, as a kubelet would. */
async function setContainerStates(name: string, states: Record<string, Record<string, unknown>>) {
  const current = (await api.client.get(`${PODS}/${name}`)).json;
  const res = await api.client.put(`${PODS}/${name}/status`, {
    ...current,
    status: {
      ...current.status,
      phase: "Running",
      containerStatuses: Object.entries(states).map(([container, state]) => ({
        name: container,
        image: "nginx:1",
        imageID: "",
        ready: "running" in state,
        restartCount: 0,
        state,
      })),
    },
  });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

function logFile(podObject: { metadata: { name: string; uid: string } }, container: string): string {
  const { name, uid } = podObject.metadata;
  return join(api.dir, "kubelet", "logs", `${NS}_${name}_${uid}`, `${container}.log`);
}

async function writeLog(path: string, lines: [Date, string][]): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, lines.map(([time, text]) => formatLogLine(time, text)).join(""));
}

/** A streaming GET: status, headers and the text received so far, until the server ends it. */
async function openStream(path: string) {
  const url = new URL(api.server.url);
  const res = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: "GET",
        headers: { authorization: `Bearer ${api.server.adminToken}` },
        ca: api.server.caCertPem,
        agent: false,
      },
      resolve,
    );
    req.on("error", reject);
    req.end();
  });
  let text = "";
  res.setEncoding("utf8");
  res.on("data", (chunk: string) => {
    text += chunk;
  });
  const ended = new Promise<void>((resolve) => {
    res.on("end", resolve);
    res.on("close", resolve);
  });
  return {
    status: res.statusCode,
    headers: res.headers,
    text: () => text,
    ended,
    close: () => res.destroy(),
  };
}

describe("eviction", () => {
  it("POST eviction → 201 Success Status, and the pod is deleted (DELETED event, then 404)", async () => {
    const created = await createPod("evict-me");
    const watch = await api.client.watch(
      `${PODS}?watch=true&fieldSelector=metadata.name%3Devict-me&resourceVersion=${created.metadata.resourceVersion}`,
    );
    try {
      const res = await api.client.post(`${PODS}/evict-me/eviction`, {
        kind: "Eviction",
        apiVersion: "policy/v1",
        metadata: { name: "evict-me", namespace: NS },
        deleteOptions: {},
      });
      expect(res.status, res.text).toBe(201);
      expect(res.headers["content-type"]).toBe("application/json");
      expect(res.json).toEqual({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Success",
        code: 201,
      });
      let event = await watch.next();
      while (event.type === "MODIFIED") event = await watch.next();
      expect(event.type).toBe("DELETED");
      expect(event.object.metadata.uid).toBe(created.metadata.uid);
      await eventually(async () => expect((await api.client.get(`${PODS}/evict-me`)).status).toBe(404));
    } finally {
      watch.close();
    }
  });

  it("an Eviction whose name does not match the URL → 400; the pod stays", async () => {
    await createPod("evict-wrong");
    const res = await api.client.post(`${PODS}/evict-wrong/eviction`, {
      kind: "Eviction",
      apiVersion: "policy/v1",
      metadata: { name: "someone-else", namespace: NS },
    });
    expectStatus(res, 400, "BadRequest");
    expect((await api.client.get(`${PODS}/evict-wrong`)).status).toBe(200);
  });

  it("evicting a missing pod → 404", async () => {
    const res = await api.client.post(`${PODS}/ghost/eviction`, {
      kind: "Eviction",
      apiVersion: "policy/v1",
      metadata: { name: "ghost", namespace: NS },
    });
    expectStatus(res, 404, "NotFound", 'pods "ghost" not found');
  });
});

describe("binding", () => {
  const binding = (name: string, node: string) => ({
    kind: "Binding",
    apiVersion: "v1",
    metadata: { name },
    target: { kind: "Node", name: node },
  });

  it("binds an unbound pod (201 Status, spec.nodeName set), then a second bind → 409", async () => {
    await createPod("bind-me");
    const res = await api.client.post(`${PODS}/bind-me/binding`, binding("bind-me", "n1"));
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Success", code: 201 });
    expect((await api.client.get(`${PODS}/bind-me`)).json.spec.nodeName).toBe("n1");
    const again = await api.client.post(`${PODS}/bind-me/binding`, binding("bind-me", "n2"));
    expectStatus(again, 409, "Conflict");
    expect((await api.client.get(`${PODS}/bind-me`)).json.spec.nodeName).toBe("n1");
  });

  it("a pod created with a nodeName is already bound → 409", async () => {
    await createPod("prebound", ["c1"], { nodeName: "n0" });
    expectStatus(
      await api.client.post(`${PODS}/prebound/binding`, binding("prebound", "n1")),
      409,
      "Conflict",
    );
  });
});

describe("log", () => {
  const t0 = new Date("2026-01-01T00:00:00.123456Z");
  const t1 = new Date("2026-01-01T00:00:01Z");

  it("returns the container's log as text/plain; timestamps and tailLines apply", async () => {
    const created = await createPod("logger");
    await setContainerStates("logger", { c1: { running: { startedAt: "2026-01-01T00:00:00Z" } } });
    await writeLog(logFile(created, "c1"), [
      [t0, "first line"],
      [t1, "second line"],
    ]);
    const res = await api.client.get(`${PODS}/logger/log`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.text).toBe("first line\nsecond line\n");
    const stamped = await api.client.get(`${PODS}/logger/log?container=c1&timestamps=true`);
    expect(stamped.text).toBe(`${t0.toISOString()} first line\n${t1.toISOString()} second line\n`);
    expect((await api.client.get(`${PODS}/logger/log?tailLines=1`)).text).toBe("second line\n");
    expect((await api.client.get(`${PODS}/logger/log?limitBytes=5`)).text).toBe("first");
  });

  it("several containers and no container parameter → 400 naming the choices", async () => {
    await createPod("multi", ["c1", "c2"]);
    await setContainerStates("multi", { c1: { running: {} }, c2: { running: {} } });
    const res = await api.client.get(`${PODS}/multi/log`);
    expectStatus(
      res,
      400,
      "BadRequest",
      "a container name must be specified for pod multi, choose one of: [c1 c2]",
    );
  });

  it("a container that has not started → 400 waiting to start", async () => {
    await createPod("waiting");
    const res = await api.client.get(`${PODS}/waiting/log?container=c1`);
    expectStatus(
      res,
      400,
      "BadRequest",
      'container "c1" in pod "waiting" is waiting to start: ContainerCreating',
    );
  });

  it("an unknown container → 400; a missing pod → 404", async () => {
    await createPod("known");
    expectStatus(await api.client.get(`${PODS}/known/log?container=nope`), 400, "BadRequest");
    expectStatus(await api.client.get(`${PODS}/missing/log`), 404, "NotFound", 'pods "missing" not found');
  });

  it("follow=true streams lines as they are appended and ends when the container terminates", async () => {
    const created = await createPod("follower");
    await setContainerStates("follower", { c1: { running: { startedAt: "2026-01-01T00:00:00Z" } } });
    const path = logFile(created, "c1");
    await writeLog(path, [[t0, "already there"]]);
    const stream = await openStream(`${PODS}/follower/log?follow=true`);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers["content-type"]).toMatch(/^text\/plain/);
      await eventually(() => expect(stream.text()).toBe("already there\n"), { timeoutMs: 5000 });
      await appendFile(path, formatLogLine(new Date(), "appended one"));
      await eventually(() => expect(stream.text()).toBe("already there\nappended one\n"), {
        timeoutMs: 5000,
      });
      await appendFile(path, formatLogLine(new Date(), "appended two"));
      await eventually(() => expect(stream.text()).toContain("appended two\n"), { timeoutMs: 5000 });
      await setContainerStates("follower", {
        c1: { terminated: { exitCode: 0, reason: "Completed", startedAt: "2026-01-01T00:00:00Z" } },
      });
      await stream.ended;
      expect(stream.text()).toBe("already there\nappended one\nappended two\n");
    } finally {
      stream.close();
    }
  });
});
