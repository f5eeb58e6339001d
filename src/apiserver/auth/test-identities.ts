// Test helpers for identities other than the admin: ServiceAccounts with tokens, and clients and
// kubeconfigs that use them.

import { join } from "node:path";
import { ApiClient } from "../../testing/api-client.ts";
import type { TestApiServer } from "../../testing/api-server.ts";
import { writeKubeconfig } from "./kubeconfig.ts";

export interface Identity {
  token: string;
  client: ApiClient;
}

/** Creates the namespace (when missing) and the ServiceAccount, and requests a token for it. */
export async function serviceAccountIdentity(
  api: TestApiServer,
  namespace: string,
  name: string,
  spec: Record<string, unknown> = {},
): Promise<Identity> {
  await api.client.post("/api/v1/namespaces", { metadata: { name: namespace } });
  const created = await api.client.post(`/api/v1/namespaces/${namespace}/serviceaccounts`, {
    metadata: { name },
  });
  if (created.status !== 201 && created.status !== 409) throw new Error(created.text);
  const response = await api.client.post(`/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    spec,
  });
  if (response.status !== 201) throw new Error(response.text);
  const token = String(response.json.status.token);
  return { token, client: new ApiClient(api.server.url, api.server.caCertPem, token) };
}

/** A kubeconfig in the server's directory that authenticates with `token`. */
export async function kubeconfigWithToken(api: TestApiServer, token: string, file: string): Promise<string> {
  const path = join(api.dir, file);
  await writeKubeconfig(path, { server: api.server.url, caCertPem: api.server.caCertPem, token, user: file });
  return path;
}

/** Binds a ClusterRole or Role (in `namespace`) to a subject through a (Cluster)RoleBinding. */
export async function bind(
  api: TestApiServer,
  binding: { name: string; namespace?: string; roleKind: "Role" | "ClusterRole"; role: string },
  subject: Record<string, string>,
): Promise<void> {
  const base = "/apis/rbac.authorization.k8s.io/v1";
  const path =
    binding.namespace === undefined
      ? `${base}/clusterrolebindings`
      : `${base}/namespaces/${binding.namespace}/rolebindings`;
  const response = await api.client.post(path, {
    metadata: { name: binding.name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: binding.roleKind, name: binding.role },
    subjects: [subject],
  });
  if (response.status !== 201) throw new Error(response.text);
}
