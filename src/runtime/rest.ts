// Raw REST calls through client-node's transport: the kubeconfig's server, CA and credentials are
// applied by `KubeConfig.applySecurityAuthentication`, the request goes out through client-node's
// fetch library. Non-2xx answers become `ApiStatusError`.

import {
  type HttpMethod,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  RequestContext,
} from "@kubernetes/client-node";
import type { KubeObject } from "../api/object.ts";
import { apiStatusErrorFrom } from "./errors.ts";

export interface RestRequest {
  method: HttpMethod;
  /** Path below the server URL, e.g. `/api/v1/namespaces/default/configmaps`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal: AbortSignal;
}

/** Where a resource lives: group "" is the core group. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export function apiVersionOf(ref: ResourceRef): string {
  return ref.group === "" ? ref.version : `${ref.group}/${ref.version}`;
}

/** The collection path (namespace `undefined` = all namespaces), or an object path with `name`. */
export function resourcePath(
  ref: ResourceRef,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const root = ref.group === "" ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  const scope =
    ref.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const item = name === undefined ? "" : `/${encodeURIComponent(name)}`;
  return `${root}${scope}/${ref.plural}${item}${subresource === undefined ? "" : `/${subresource}`}`;
}

/** How long a non-streaming request may wait for its whole answer (default). */
export const REQUEST_TIMEOUT_MS = 60_000;

export class RestClient {
  readonly kubeConfig: KubeConfig;
  readonly #http = new IsomorphicFetchHttpLibrary();
  /** The connection pool every request of this client shares (see request()). */
  #dispatcher: ReturnType<RequestContext["getDispatcher"]>;

  readonly #timeoutMs: number;

  constructor(kubeConfig: KubeConfig, options: { requestTimeoutMs?: number } = {}) {
    this.kubeConfig = kubeConfig;
    this.#timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  async request<T = unknown>(request: RestRequest): Promise<T> {
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (server === undefined) throw new Error("kubeconfig has no current cluster");
    const url = new URL(server.replace(/\/$/, "") + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const context = new RequestContext(url.toString(), request.method);
    context.setHeaderParam("Accept", "application/json");
    if (request.body !== undefined) {
      context.setHeaderParam("Content-Type", request.contentType ?? "application/json");
      context.setBody(JSON.stringify(request.body));
    }
    // A request the server never answers must not hold a worker forever (kube-apiserver itself ends
    // non-watch requests after 60 s); it fails like any other error and the caller retries.
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.#timeoutMs);
    const forward = (): void => abort.abort(request.signal.reason);
    if (request.signal.aborted) forward();
    else request.signal.addEventListener("abort", forward, { once: true });
    context.setSignal(abort.signal);
    await this.kubeConfig.applySecurityAuthentication(context);
    // client-node builds a new undici Agent, with its own connection pool, for every request: each
    // call would open a new TLS connection and leave a pool behind. Keep the first one instead (the
    // TLS settings come from the kubeconfig and do not change; credentials travel in headers).
    this.#dispatcher ??= context.getDispatcher();
    if (this.#dispatcher !== undefined) context.setDispatcher(this.#dispatcher);
    let status: number;
    let text: string;
    try {
      const response = await this.#http.send(context).toPromise();
      status = response.httpStatusCode;
      text = await response.body.text();
    } catch (error) {
      if (timedOut && !request.signal.aborted) {
        throw new Error(`${request.method} ${request.path}: no answer within ${this.#timeoutMs / 1000} s`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener("abort", forward);
    }
    if (status < 200 || status >= 300) throw apiStatusErrorFrom(status, text);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }
}

/** A list response: items plus the list's resourceVersion and continue token. */
export interface ObjectList<T extends KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}
