// Reads container logs through the pods/log subresource as text (the runtime's RestClient speaks
// JSON only). Authentication and TLS come from the kubeconfig, as for every other call.

import { IsomorphicFetchHttpLibrary, type KubeConfig, RequestContext } from "@kubernetes/client-node";
import { apiStatusErrorFrom } from "../../runtime/errors.ts";

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container: string;
  /** Only the last this many bytes (`limitBytes` keeps the head, so the tail is cut here). */
  tailBytes?: number;
  signal: AbortSignal;
}

export class PodLogReader {
  readonly #kubeConfig: KubeConfig;
  readonly #http = new IsomorphicFetchHttpLibrary();

  constructor(kubeConfig: KubeConfig) {
    this.#kubeConfig = kubeConfig;
  }

  async read(request: PodLogRequest): Promise<string> {
    const server = this.#kubeConfig.getCurrentCluster()?.server;
    if (server === undefined) throw new Error("kubeconfig has no current cluster");
    const path = `/api/v1/namespaces/${encodeURIComponent(request.namespace)}/pods/${encodeURIComponent(request.pod)}/log`;
    const url = new URL(server.replace(/\/$/, "") + path);
    url.searchParams.set("container", request.container);
    const context = new RequestContext(url.toString(), "GET");
    context.setHeaderParam("Accept", "text/plain, */*");
    context.setSignal(request.signal);
    await this.#kubeConfig.applySecurityAuthentication(context);
    const response = await this.#http.send(context).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode >= 300) {
      throw apiStatusErrorFrom(response.httpStatusCode, text);
    }
    const tail = request.tailBytes;
    return tail !== undefined && text.length > tail ? text.slice(text.length - tail) : text;
  }
}
