// Bound tokens for mob's components, requested from the API server's TokenRequest API with the
// admin's clients, as the kubelet requests a pod's projected token. They live in memory only and are
// minted afresh at every start of `mob up`; they are not refreshed, so they are valid for a year,
// longer than any `mob up` session. A ServiceAccount token dies with its account (the server checks
// its uid); a node token with the signing key in <dir>/pki.

import type { KubeClients } from "../../runtime/kube-client.ts";

/** One year, in seconds (TokenRequest allows up to 2^32). */
export const COMPONENT_TOKEN_SECONDS = 365 * 24 * 3600;

interface TokenRequestAnswer {
  status?: { token?: string };
}

async function requestToken(admin: KubeClients, path: string, signal: AbortSignal): Promise<string> {
  const answer = await admin.rest.request<TokenRequestAnswer>({
    method: "POST",
    path,
    body: {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: COMPONENT_TOKEN_SECONDS },
    },
    signal,
  });
  const token = answer.status?.token;
  if (token === undefined || token === "") throw new Error(`the API server answered ${path} without a token`);
  return token;
}

export function serviceAccountToken(
  admin: KubeClients,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<string> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`;
  return requestToken(admin, path, signal);
}

/** A token for `system:node:<name>` (group system:nodes), mob's nodes/<name>/token. */
export function nodeToken(admin: KubeClients, name: string, signal: AbortSignal): Promise<string> {
  return requestToken(admin, `/api/v1/nodes/${encodeURIComponent(name)}/token`, signal);
}
