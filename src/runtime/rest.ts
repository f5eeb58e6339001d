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

export class RestClient {
  readonly kubeConfig: KubeConfig;
  readonly #http = new IsomorphicFetchHttpLibrary();
  /** The connection pool every request of this client shares (see request()). */
  #dispatcher: ReturnType<RequestContext["getDispatcher"]>;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
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
    context.setSignal(request.signal);
    await this.kubeConfig.applySecurityAuthentication(context);
    // client-node builds a new undici Agent, with its own connection pool, for every request: each
    // call would open a new TLS connection and leave a pool behind. Keep the first one instead (the
    // TLS settings come from the kubeconfig and do not change; credentials travel in headers).
    this.#dispatcher ??= context.getDispatcher();
    if (this.#dispatcher !== undefined) context.setDispatcher(this.#dispatcher);
    const response = await this.#http.send(context).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode >= 300) {
      throw apiStatusErrorFrom(response.httpStatusCode, text);
    }
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
