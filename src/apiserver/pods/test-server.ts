// A plain HTTP server in front of pod subresource handlers, for tests: routes
// `/namespaces/<ns>/pods/<name>/<subresource>` to the handler registered as `pods/<subresource>`.

import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestStack } from "../controllers/test-stack.ts";
import { notFound } from "../errors.ts";
import type { SubresourceHandlers } from "../http/handlers.ts";
import { writeError } from "../http/respond.ts";

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : JSON.parse(text);
}

export async function serveHandlers(stack: TestStack, handlers: SubresourceHandlers): Promise<TestServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const [, , namespace = "", , name = "", subresource = ""] = url.pathname.split("/");
    const scope = stack.scope("pods", namespace);
    const handler = handlers.get(`pods/${subresource}`);
    const aborted = new AbortController();
    res.on("close", () => aborted.abort());
    if (handler === undefined) {
      writeError(res, notFound({ group: "", resource: `pods/${subresource}` }, name));
      return;
    }
    handler({
      store: stack.store,
      scope,
      definition: scope.definition,
      name,
      subresource,
      method: req.method ?? "GET",
      query: url.searchParams,
      req,
      res,
      body: () => readJson(req),
      signal: aborted.signal,
    }).catch((error: unknown) => writeError(res, error));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
