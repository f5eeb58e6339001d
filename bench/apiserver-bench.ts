// API server figures (issue: foundation): writes, reads, list, watch fan-out and memory, measured
// over HTTPS with keep-alive from this process against `mob apiserver` running as a separate process.

import { Agent, request } from "node:https";
import { authorizationOverhead } from "./authz-bench.ts";
import { closedLoop, Loader, openLoop, type RunResult } from "./http-load.ts";
import { type Figure, ratio } from "./report.ts";
import { cpuSeconds, residentMiB, type ServerProcess, startServerProcess } from "./server-process.ts";

function configMap(name: string, namespace = "default", size = 64): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace, labels: { bench: "true" } },
    data: { payload: "x".repeat(size) },
  };
}

/** Runs a load and measures the server's own CPU time per operation alongside the client-side rate. */
async function measured(
  server: ServerProcess,
  run: () => Promise<RunResult>,
): Promise<RunResult & { serverCpuMicros: number }> {
  const before = await cpuSeconds(server.pid);
  const result = await run();
  const after = await cpuSeconds(server.pid);
  return { ...result, serverCpuMicros: ((after - before) / result.count) * 1e6 };
}

function rateFigure(
  name: string,
  result: RunResult & { serverCpuMicros: number },
  goal: number,
  unit: string,
): Figure {
  // The load generator shares the machine's two cores with the server, so the client-side rate is a
  // floor; the server's CPU time per operation says what one core of server could sustain.
  const perCore = Math.round(1e6 / result.serverCpuMicros);
  return {
    name,
    value: `${Math.round(result.perSecond).toLocaleString("en")} ${unit}/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms${result.errors ? `, ${result.errors} errors` : ""}; server CPU ${Math.round(result.serverCpuMicros)} µs/op (≈ ${perCore.toLocaleString("en")} ${unit}/s per server core)`,
    goal: `≥ ${goal.toLocaleString("en")} ${unit}/s`,
    ratio: ratio(result.perSecond, goal),
  };
}

async function watchFanOut(
  server: ServerProcess,
  loader: Loader,
  watchers: number,
  rate: number,
  seconds: number,
): Promise<Figure> {
  const base = new URL(server.url);
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY, ca: server.ca });
  await loader.send("POST", "/api/v1/namespaces", { metadata: { name: "bench-watch" } });
  const list = JSON.parse((await loader.send("GET", "/api/v1/namespaces/bench-watch/configmaps")).text);
  const expected = Math.round(rate * seconds);
  const seen: number[] = new Array(watchers).fill(0);
  let outOfOrder = 0;
  const streams = await Promise.all(
    Array.from(
      { length: watchers },
      (_, w) =>
        new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
          const req = request(
            {
              host: base.hostname,
              port: base.port,
              agent,
              path: `/api/v1/namespaces/bench-watch/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
              headers: { authorization: `Bearer ${server.token}` },
            },
            (res) => {
              let buffer = "";
              let last = 0;
              res.setEncoding("utf8");
              res.on("data", (chunk: string) => {
                buffer += chunk;
                let nl = buffer.indexOf("\n");
                while (nl >= 0) {
                  const event = JSON.parse(buffer.slice(0, nl));
                  buffer = buffer.slice(nl + 1);
                  const rv = Number(event.object.metadata.resourceVersion);
                  if (rv <= last) outOfOrder++;
                  last = rv;
                  seen[w] = (seen[w] ?? 0) + 1;
                  nl = buffer.indexOf("\n");
                }
              });
              resolve(res);
            },
          );
          req.on("error", reject);
          req.end();
        }),
    ),
  );
  const writes = await openLoop(rate, seconds, async (i) => {
    const res = await loader.send(
      "POST",
      "/api/v1/namespaces/bench-watch/configmaps",
      configMap(`w-${i}`, "bench-watch"),
    );
    return res.status === 201;
  });
  const deadline = Date.now() + 15_000;
  while (seen.some((n) => n < expected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const complete = seen.filter((n) => n === expected).length;
  for (const stream of streams) stream.destroy();
  agent.destroy();
  return {
    name: `watch: ${watchers} watchers, ${rate} events/s for ${seconds} s`,
    value: `${complete}/${watchers} watchers saw all ${expected} events in order (${outOfOrder} out of order, write p99 ${writes.p99.toFixed(1)} ms)`,
    goal: "every watcher sees every event, in order",
    ratio: complete === watchers && outOfOrder === 0 ? 1 : complete / watchers,
  };
}

export async function benchApiServer(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const server = await startServerProcess();
  const loader = new Loader(server, 32);
  try {
    const creates = await measured(server, () =>
      closedLoop(5000, 32, async (i) => {
        const res = await loader.send("POST", "/api/v1/namespaces/default/configmaps", configMap(`c-${i}`));
        return res.status === 201;
      }),
    );
    figures.push(rateFigure("create ConfigMap", creates, 2000, "writes"));
    const updates = await measured(server, () =>
      closedLoop(5000, 32, async (i) => {
        const body = configMap(`c-${i}`);
        (body.data as Record<string, string>).payload = `updated-${i}`;
        const res = await loader.send("PUT", `/api/v1/namespaces/default/configmaps/c-${i}`, body);
        return res.status === 200;
      }),
    );
    figures.push(rateFigure("update ConfigMap (PUT, unconditional)", updates, 2000, "writes"));
    const gets = await measured(server, () =>
      closedLoop(20_000, 32, async (i) => {
        const res = await loader.send("GET", `/api/v1/namespaces/default/configmaps/c-${i % 5000}`);
        return res.status === 200;
      }),
    );
    figures.push(rateFigure("get ConfigMap", gets, 8000, "gets"));
    const paced = await openLoop(500, 5, async (i) => {
      const res = await loader.send("POST", "/api/v1/namespaces/default/configmaps", configMap(`p-${i}`));
      return res.status === 201;
    });
    figures.push({
      name: "write latency at 500 writes/s (open loop, 5 s)",
      value: `p50 ${paced.p50.toFixed(1)} ms, p99 ${paced.p99.toFixed(1)} ms${paced.errors ? `, ${paced.errors} errors` : ""}`,
      goal: "p99 < 20 ms",
      ratio: ratio(20, paced.p99),
    });
    const lists = await closedLoop(10, 1, async () => {
      const res = await loader.send(
        "GET",
        "/api/v1/namespaces/default/configmaps?labelSelector=bench%3Dtrue",
      );
      return res.status === 200 && JSON.parse(res.text).items.length >= 5000;
    });
    figures.push({
      name: "list 7,500 ConfigMaps (label selector)",
      value: `p50 ${lists.p50.toFixed(0)} ms, p99 ${lists.p99.toFixed(0)} ms`,
      goal: "(figure only)",
      ratio: undefined,
    });
    figures.push(await authorizationOverhead(server));
    figures.push(await watchFanOut(server, loader, 500, 100, 5));
  } finally {
    loader.close();
    await server.stop();
  }
  figures.push(await memoryWith(20_000));
  return figures;
}

/** Resident memory of a fresh server holding `count` objects (nothing else has run in it). */
async function memoryWith(count: number): Promise<Figure> {
  const server = await startServerProcess();
  const loader = new Loader(server, 32);
  try {
    const fill = await closedLoop(count, 32, async (i) => {
      const res = await loader.send(
        "POST",
        "/api/v1/namespaces/default/configmaps",
        configMap(`m-${i}`, "default", 256),
      );
      return res.status === 201;
    });
    await new Promise((r) => setTimeout(r, 1000));
    const rss = await residentMiB(server.pid);
    return {
      name: `resident memory with ${count.toLocaleString("en")} stored objects`,
      value: `${rss.toFixed(0)} MiB (fill rate ${Math.round(fill.perSecond)} writes/s)`,
      goal: "< 300 MB",
      ratio: ratio(300, rss),
    };
  } finally {
    loader.close();
    await server.stop();
  }
}
