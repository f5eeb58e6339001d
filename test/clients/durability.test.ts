// End-to-end durability of `bin/mob apiserver`: every create the server acknowledged (201) before a
// kill -9 is there after a restart on the same directory, with the same resourceVersion; a watch
// from the last acknowledged resourceVersion resumes without 410; new writes get higher versions.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ApiClient } from "../../src/testing/api-client.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const NAMESPACE = "default";
const CONFIGMAPS = `/api/v1/namespaces/${NAMESPACE}/configmaps`;

interface ServerChild {
  child: ChildProcess;
  url: URL;
  token: string;
  ca: string;
  exited: Promise<void>;
}

async function startServer(dir: string): Promise<ServerChild> {
  const child = spawn(
    join(ROOT, "bin/mob"),
    ["apiserver", "--dir", dir, "--listen", "127.0.0.1:0", "--log-level", "warn"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((ready, fail) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /mob apiserver ready at (\S+)/.exec(output);
      if (match?.[1]) ready(match[1]);
    });
    child.once("exit", (code, signal) =>
      fail(new Error(`mob apiserver exited (${code ?? signal}): ${output}`)),
    );
  });
  const kubeconfig = parse(await readFile(join(dir, "kubeconfig"), "utf8")) as {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = kubeconfig.clusters[0]?.cluster;
  const token = kubeconfig.users[0]?.user.token;
  if (cluster === undefined || token === undefined) throw new Error("kubeconfig without cluster or user");
  expect(cluster.server).toBe(url);
  const ca = Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8");
  return { child, url: new URL(url), token, ca, exited };
}

interface Acknowledged {
  name: string;
  uid: string;
  resourceVersion: string;
}

/** One POST over a keep-alive connection; resolves with the status and parsed body, rejects on a broken connection. */
function create(server: ServerChild, agent: Agent, name: string): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { name } });
  return new Promise((done, fail) => {
    const req = request(
      {
        host: server.url.hostname,
        port: server.url.port,
        path: CONFIGMAPS,
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${server.token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            done({ status: res.statusCode ?? 0, body: JSON.parse(text) });
          } catch (error) {
            fail(error);
          }
        });
      },
    );
    req.on("error", fail);
    req.end(payload);
  });
}

function metadataOf(body: unknown): { name: string; uid: string; resourceVersion: string } {
  const metadata = (body as { metadata?: { name?: string; uid?: string; resourceVersion?: string } })
    .metadata;
  return {
    name: metadata?.name ?? "",
    uid: metadata?.uid ?? "",
    resourceVersion: metadata?.resourceVersion ?? "",
  };
}

describe("mob apiserver survives kill -9", () => {
  let dir: string;
  const servers: ServerChild[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mob-durability-"));
  });
  afterAll(async () => {
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill("SIGKILL");
        await server.exited;
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps every acknowledged create with its resourceVersion, and watches resume from the last one", async ({
    annotate,
  }) => {
    const first = await startServer(dir);
    servers.push(first);
    const ca = first.ca;
    const agent = new Agent({ keepAlive: true, maxSockets: 8, ca });

    // A burst of creates from 8 concurrent keep-alive connections; kill -9 while it is still going.
    const acknowledged: Acknowledged[] = [];
    const failures: string[] = [];
    let next = 0;
    let killed = false;
    const KILL_AFTER = 400;
    const worker = async (): Promise<void> => {
      for (;;) {
        const name = `burst-${next++}`;
        let response: { status: number; body: unknown };
        try {
          response = await create(first, agent, name);
        } catch (error) {
          if (killed) return;
          throw error;
        }
        if (response.status !== 201) {
          failures.push(`${name}: ${response.status} ${JSON.stringify(response.body)}`);
          return;
        }
        const metadata = metadataOf(response.body);
        expect(metadata.name).toBe(name);
        acknowledged.push(metadata);
        if (acknowledged.length === KILL_AFTER && !killed) {
          killed = true;
          first.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await first.exited;
    agent.destroy();
    expect(failures).toEqual([]);
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    // Acknowledged versions are distinct integers.
    const rvs = acknowledged.map((a) => Number(a.resourceVersion));
    expect(rvs.every(Number.isSafeInteger)).toBe(true);
    expect(new Set(rvs).size).toBe(rvs.length);
    const lastAcknowledged = String(Math.max(...rvs));

    // Restart on the same directory; it listens on a new port.
    const second = await startServer(dir);
    servers.push(second);
    expect(second.url.port).not.toBe(first.url.port);
    const client = new ApiClient(second.url.toString(), second.ca, second.token);

    const list = await client.get(CONFIGMAPS);
    expect(list.status).toBe(200);
    const stored = new Map<string, Acknowledged>();
    for (const item of (list.json as { items: unknown[] }).items) {
      const metadata = metadataOf(item);
      stored.set(metadata.name, metadata);
    }
    const missingOrChanged = acknowledged.filter((a) => {
      const found = stored.get(a.name);
      return found === undefined || found.resourceVersion !== a.resourceVersion || found.uid !== a.uid;
    });
    expect(missingOrChanged).toEqual([]);
    const listRv = Number((list.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion);
    expect(listRv).toBeGreaterThanOrEqual(Number(lastAcknowledged));
    // Anything stored beyond the acknowledged set was in flight at the kill: it must be whole.
    const acknowledgedNames = new Set(acknowledged.map((a) => a.name));
    const inFlight = [...stored.values()].filter(
      (m) => m.name.startsWith("burst-") && !acknowledgedNames.has(m.name),
    );
    expect(inFlight.length).toBeLessThanOrEqual(8);
    await annotate(
      `${acknowledged.length} creates acknowledged before kill -9, ${inFlight.length} more committed in flight`,
    );
    for (const metadata of inFlight) {
      const one = await client.get(`${CONFIGMAPS}/${metadata.name}`);
      expect(one.json).toMatchObject({ data: { name: metadata.name }, metadata: { uid: metadata.uid } });
    }

    // A watch from the last acknowledged RV resumes (no 410), then sees a new write with a higher RV.
    const watch = await client.watch(`${CONFIGMAPS}?watch=true&resourceVersion=${lastAcknowledged}`);
    try {
      expect(watch.status).toBe(200);
      const written = await client.post(CONFIGMAPS, { metadata: { name: "after-restart" } });
      expect(written.status).toBe(201);
      const newRv = Number(metadataOf(written.json).resourceVersion);
      expect(newRv).toBeGreaterThan(listRv);
      // Creates that committed after the last acknowledgement (in flight at the kill) come first.
      for (;;) {
        const event = (await watch.next(10_000)) as { type: string; object: unknown };
        expect(event.type, JSON.stringify(event)).toBe("ADDED");
        const metadata = metadataOf(event.object);
        expect(Number(metadata.resourceVersion)).toBeGreaterThan(Number(lastAcknowledged));
        if (metadata.name === "after-restart") {
          expect(Number(metadata.resourceVersion)).toBe(newRv);
          break;
        }
        expect(stored.get(metadata.name)?.resourceVersion).toBe(metadata.resourceVersion);
      }
    } finally {
      watch.close();
    }

    const stopped = second.exited;
    second.child.kill("SIGTERM");
    await stopped;
  }, 60_000);
});
