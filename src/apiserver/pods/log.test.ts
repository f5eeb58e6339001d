import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { newTestStack, type TestStack } from "../controllers/test-stack.ts";
import { podSubresourceHandlers } from "./handlers.ts";
import { FileLogSource, formatLogLine } from "./log-source.ts";
import { pod } from "./pod-fixtures.ts";
import { serveHandlers, type TestServer } from "./test-server.ts";

let stack: TestStack;
let server: TestServer;
let dir: string;
let logs: FileLogSource;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mob-logs-"));
  logs = new FileLogSource(dir);
  stack = newTestStack();
  server = await serveHandlers(stack, podSubresourceHandlers(logs, { pollMs: 20 }));
});

afterEach(async () => {
  await server.close();
  stack.close();
  await rm(dir, { recursive: true, force: true });
});

const T0 = Date.parse("2026-01-02T03:04:05Z");

async function writeLog(
  object: KubeObject,
  container: string,
  lines: string[],
  append = false,
): Promise<void> {
  const path = logs.path(object, container);
  await mkdir(dirname(path), { recursive: true });
  const text = lines.map((line, i) => formatLogLine(new Date(T0 + i * 1000), line)).join("");
  await (append ? appendFile(path, text) : writeFile(path, text));
}

async function getLog(name: string, query = ""): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}/namespaces/ns1/pods/${name}/log${query}`);
  return { status: response.status, text: await response.text() };
}

function running(name: string, containers = ["c1"]): KubeObject {
  const states = Object.fromEntries(
    containers.map((c) => [c, { running: { startedAt: "2026-01-02T03:04:05Z" } }]),
  );
  return stack.create("pods", pod({ name, containers, states }));
}

describe("pods/log", () => {
  it("returns the log without or with timestamps, tailed, limited and filtered by time", async () => {
    const p1 = running("p1");
    await writeLog(p1, "c1", ["one", "two", "three"]);
    expect(await getLog("p1")).toEqual({ status: 200, text: "one\ntwo\nthree\n" });
    expect((await getLog("p1", "?timestamps=true")).text).toBe(
      "2026-01-02T03:04:05.000Z one\n2026-01-02T03:04:06.000Z two\n2026-01-02T03:04:07.000Z three\n",
    );
    expect((await getLog("p1", "?tailLines=2")).text).toBe("two\nthree\n");
    expect((await getLog("p1", "?limitBytes=6")).text).toBe("one\ntw");
    expect((await getLog("p1", "?sinceTime=2026-01-02T03:04:06Z")).text).toBe("two\nthree\n");
  });

  it("needs a container name when the pod has several", async () => {
    running("p1", ["c1", "c2"]);
    const result = await getLog("p1");
    expect(result.status).toBe(400);
    expect(JSON.parse(result.text)).toMatchObject({
      reason: "BadRequest",
      message: "a container name must be specified for pod p1, choose one of: [c1 c2]",
    });
    expect(JSON.parse((await getLog("p1", "?container=c3")).text).message).toBe(
      "container c3 is not valid for pod p1",
    );
    expect((await getLog("p1", "?container=c2")).status).toBe(200);
  });

  it("answers 400 for a container that has not started", async () => {
    stack.create("pods", pod({ name: "p1", phase: "Pending" }));
    const result = await getLog("p1");
    expect(result.status).toBe(400);
    expect(JSON.parse(result.text).message).toBe(
      'container "c1" in pod "p1" is waiting to start: ContainerCreating',
    );
    expect(JSON.parse((await getLog("p1", "?previous=true")).text).message).toBe(
      'previous terminated container "c1" in pod "p1" not found',
    );
  });

  it("rejects invalid options with 422", async () => {
    running("p1");
    const result = await getLog("p1", "?tailLines=-1");
    expect(result.status).toBe(422);
    expect(JSON.parse(result.text).message).toBe(
      'PodLogOptions "p1" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it("follows the log until the container terminates", async () => {
    const p1 = running("p1");
    await writeLog(p1, "c1", ["before"]);
    const response = await fetch(`${server.url}/namespaces/ns1/pods/p1/log?follow=true`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = "";
    const readUntil = async (text: string): Promise<void> => {
      while (!received.includes(text)) {
        const { value, done } = await reader.read();
        if (done)
          throw new Error(`stream ended before ${JSON.stringify(text)}; got ${JSON.stringify(received)}`);
        received += decoder.decode(value, { stream: true });
      }
    };
    await readUntil("before\n");
    await writeLog(p1, "c1", ["after"], true);
    await readUntil("after\n");
    await writeLog(p1, "c1", ["last"], true);
    stack.store.write(
      stack.scope("pods", "ns1"),
      "p1",
      undefined,
      (current) => ({
        ...current,
        status: {
          phase: "Succeeded",
          containerStatuses: [{ name: "c1", state: { terminated: { exitCode: 0 } } }],
        },
      }),
      { subresource: "status" },
    );
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value, { stream: true });
    }
    expect(received).toBe("before\nafter\nlast\n");
  });

  it("stops following when the client leaves", async () => {
    const p1 = running("p1");
    await writeLog(p1, "c1", ["x"]);
    const aborted = new AbortController();
    const response = await fetch(`${server.url}/namespaces/ns1/pods/p1/log?follow=1`, {
      signal: aborted.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("x\n");
    aborted.abort();
    await expect(reader.read()).rejects.toThrow();
  });
});
