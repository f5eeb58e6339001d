// Streams one container's log through the pods/log subresource, chunk by chunk as it arrives
// (follow=true keeps the request open until the container ends). Authentication and TLS come from
// the kubeconfig through client-node's transport, as for every other call.

import { IsomorphicFetchHttpLibrary, type KubeConfig, RequestContext } from "@kubernetes/client-node";
import { apiStatusErrorFrom } from "../../runtime/errors.ts";

export interface PodLogStreamRequest {
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  signal: AbortSignal;
}

/** Calls `onText` with each decoded chunk; resolves when the server ends the response. */
export async function streamPodLog(
  kubeConfig: KubeConfig,
  request: PodLogStreamRequest,
  onText: (text: string) => void,
): Promise<void> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) throw new Error("kubeconfig has no current cluster");
  const path = `/api/v1/namespaces/${encodeURIComponent(request.namespace)}/pods/${encodeURIComponent(request.pod)}/log`;
  const url = new URL(server.replace(/\/$/, "") + path);
  url.searchParams.set("container", request.container);
  if (request.follow) url.searchParams.set("follow", "true");
  const context = new RequestContext(url.toString(), "GET");
  context.setHeaderParam("Accept", "text/plain, */*");
  context.setSignal(request.signal);
  await kubeConfig.applySecurityAuthentication(context);
  const response = await new IsomorphicFetchHttpLibrary().send(context).toPromise();
  if (response.httpStatusCode < 200 || response.httpStatusCode >= 300) {
    throw apiStatusErrorFrom(response.httpStatusCode, await response.body.text());
  }
  const body = response.body.stream();
  if (body === null) return;
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== "") onText(text);
  }
  const rest = decoder.decode();
  if (rest !== "") onText(rest);
}
