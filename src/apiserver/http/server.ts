// The HTTPS front of the API server: authentication, routing to health, version, discovery,
// OpenAPI and resource handlers, and Status errors for everything that goes wrong.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { type Attributes, requestAttributes } from "../auth/attributes.ts";
import { type AuditSink, authorizeAudited } from "../auth/audit.ts";
import { runInRequestContext } from "../auth/request-context.ts";
import type { UserInfo } from "../auth/user.ts";
import { ApiError } from "../errors.ts";
import type { ResourceCatalog } from "../registry/catalog.ts";
import type { Store } from "../registry/store.ts";
import {
  aggregatedDiscovery,
  apiGroup,
  discoveryContentType,
  groupList,
  legacyVersions,
  resourceList,
  VERSION_INFO,
} from "./discovery.ts";
import type { SubresourceHandlers } from "./handlers.ts";
import { negotiate } from "./negotiate.ts";
import { OpenAPIService } from "./openapi-service.ts";
import { parseRequestPath, type RequestInfo } from "./request-info.ts";
import { handleResource } from "./resource-handler.ts";
import { writeError, writeJson, writeText } from "./respond.ts";

/** Who is asking; undefined rejects the request with 401. */
export type Authenticator = (req: IncomingMessage) => UserInfo | undefined;

/** Whether the user may make the request; throws a 403 ApiError when not. */
export type RequestAuthorizer = (user: UserInfo, attributes: Attributes) => void;

export interface ApiServerOptions {
  store: Store;
  catalog: ResourceCatalog;
  tls: { certPem: string; keyPem: string };
  authenticate: Authenticator;
  /** Unset: every authenticated user may do everything. */
  authorize?: RequestAuthorizer;
  /** Receives an audit record per authorized request (off when unset). */
  audit?: AuditSink;
  logger: Logger;
  handlers?: SubresourceHandlers;
  /** How often a watch that allows bookmarks gets one (Kubernetes: about a minute). */
  bookmarkIntervalMs?: number;
}

export class ApiServer {
  readonly #options: ApiServerOptions;
  readonly #openapi: OpenAPIService;
  #server: Server | undefined;
  #address = "";
  #ready = false;

  constructor(options: ApiServerOptions) {
    this.#options = options;
    this.#openapi = new OpenAPIService(options.catalog);
  }

  /** Listens on host:port (port 0 picks a free one) and resolves with the address actually bound. */
  async listen(host: string, port: number): Promise<{ host: string; port: number }> {
    const server = createServer(
      { cert: this.#options.tls.certPem, key: this.#options.tls.keyPem, keepAliveTimeout: 65_000 },
      (req, res) => {
        this.#handle(req, res).catch((error: unknown) => writeError(res, error));
      },
    );
    server.on("clientError", (_error, socket) => socket.destroy());
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const bound = server.address() as AddressInfo;
    this.#address = `${host}:${bound.port}`;
    this.#ready = true;
    return { host, port: bound.port };
  }

  async close(): Promise<void> {
    this.#ready = false;
    const server = this.#server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://localhost");
    const path = url.pathname;
    if (path === "/healthz" || path === "/livez") return writeText(res, 200, "ok");
    if (path === "/readyz") return writeText(res, this.#ready ? 200 : 503, this.#ready ? "ok" : "not ready");
    // Public, as system:public-info-viewer makes them for everyone in Kubernetes.
    if (path === "/version") return writeJson(res, 200, VERSION_INFO);
    const user = this.#options.authenticate(req);
    if (!user) throw new ApiError(401, "Unauthorized", "Unauthorized");
    const info = parseRequestPath(path);
    const attributes = requestAttributes(req.method ?? "GET", path, info, url.searchParams);
    authorizeAudited(this.#options.authorize, this.#options.audit, req, user, attributes);
    const context = {
      user,
      attributes,
      userAgent: req.headers["user-agent"] ?? "",
      audit: this.#options.audit,
    };
    return runInRequestContext(context, () => this.#route(path, info, url, req, res));
  }

  async #route(
    path: string,
    info: RequestInfo,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    if (path === "/openapi/v3" || path.startsWith("/openapi/v3/")) return this.#serveOpenAPI(path, res);
    if (info.kind === "discovery") return this.#serveDiscovery(info, req, res);
    if (info.kind === "resource") {
      const resolved = this.#options.catalog.resolve(info.group, info.version, info.resource);
      if (!resolved) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
      const abort = new AbortController();
      // Only a client that leaves early aborts: abort() on every finished response costs a DOMException.
      res.on("close", () => {
        if (!res.writableFinished) abort.abort();
      });
      return handleResource(
        {
          store: this.#options.store,
          handlers: this.#options.handlers ?? new Map(),
          bookmarkIntervalMs: this.#options.bookmarkIntervalMs ?? 60_000,
        },
        resolved,
        info,
        req,
        res,
        url.searchParams,
        abort.signal,
      );
    }
    throw new ApiError(404, "NotFound", "the server could not find the requested resource");
  }

  #serveDiscovery(
    info: { root: "api" | "apis"; group: string | undefined; version: string | undefined },
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const { catalog } = this.#options;
    if (info.group === undefined) {
      const rendering = negotiate(req.headers.accept, { table: false, discovery: true });
      if (rendering.as === "discovery") {
        const body = aggregatedDiscovery(catalog, info.root, rendering.version);
        writeJson(res, 200, body, discoveryContentType(rendering.version));
        return;
      }
      writeJson(res, 200, info.root === "api" ? legacyVersions(this.#address) : groupList(catalog));
      return;
    }
    const body =
      info.version === undefined
        ? apiGroup(catalog, info.group)
        : resourceList(catalog, info.group, info.version);
    if (!body) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    writeJson(res, 200, body);
  }

  #serveOpenAPI(path: string, res: ServerResponse): void {
    const rest = path.slice("/openapi/v3".length).replace(/^\//, "");
    const document = rest === "" ? this.#openapi.root() : this.#openapi.document(rest);
    if (!document) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    writeJson(res, 200, document);
  }
}
