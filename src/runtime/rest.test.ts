// A server that accepts a request and never answers: the request fails after the client's timeout
// with an error naming it (not an abort, which callers read as "shutting down"), and the caller's
// own abort still wins as an abort.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestClient } from "./rest.ts";

let server: Server;
let kubeConfig: KubeConfig;

beforeAll(async () => {
  server = createServer(() => {});
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "silent", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: "nobody" }],
    contexts: [{ name: "silent", cluster: "silent", user: "nobody" }],
    currentContext: "silent",
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((closed) => server.close(closed));
});

describe("RestClient against a server that never answers", () => {
  it("fails the request after its timeout, naming it", async () => {
    const client = new RestClient(kubeConfig, { requestTimeoutMs: 300 });
    const signal = new AbortController().signal;
    await expect(client.request({ method: "GET" as never, path: "/api/v1/nodes", signal })).rejects.toThrow(
      "GET /api/v1/nodes: no answer within 0.3 s",
    );
  });

  it("reports the caller's abort as an abort", async () => {
    const client = new RestClient(kubeConfig, { requestTimeoutMs: 60_000 });
    const stop = new AbortController();
    const request = client.request({ method: "GET" as never, path: "/api/v1/nodes", signal: stop.signal });
    setTimeout(() => stop.abort(), 100);
    const error = await request.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).not.toContain("no answer within");
    expect(stop.signal.aborted).toBe(true);
  });
});
