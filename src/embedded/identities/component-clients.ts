// Per-component clients for the embedded stack, each with its own identity as deploy/ assigns it:
// the ServiceAccount COMPONENT_ACCOUNTS names (controller and build controller share one, as they
// share a pod on a cluster), and `system:node:<name>` for a simulated node's kubelet-like parts.
// Every client sends `mob/<component>` as its User-Agent, so an audit record tells which component
// made a request even where two share an account.

import type { RunningApiServer } from "../../apiserver/apiserver.ts";
import { COMPONENT_ACCOUNTS, type Component, Components, DEPLOY_NAMESPACE } from "../../deploy/components.ts";
import { type KubeClients, kubeClientsForToken } from "../../runtime/kube-client.ts";
import { nodeToken, serviceAccountToken } from "./tokens.ts";

/** The User-Agent of a component's requests. */
export function componentUserAgent(component: Component): string {
  return `mob/${component}`;
}

/** The User-Agent of a simulated node's own requests (Node, status, Lease), as a kubelet's. */
export const SIMULATED_NODE_USER_AGENT = "mob/simulated-node";

export interface ComponentClients {
  /** Render, node and drain controllers (and leader election). */
  controller: KubeClients;
  /** The build controller and the 4.14 opt-in controller beside it. */
  builder: KubeClients;
  /** Every simulated node's `mob daemon`. */
  daemon: KubeClients;
  /** The machine-config-server. */
  server: KubeClients;
  /** The kubelet-like parts of simulated node `name`, as `system:node:<name>`. */
  node(name: string, signal: AbortSignal): Promise<KubeClients>;
}

/** Requests a token per distinct account (with the admin's clients) and builds the clients. */
export async function componentClients(
  api: Pick<RunningApiServer, "url" | "caCertPem">,
  admin: KubeClients,
  signal: AbortSignal,
): Promise<ComponentClients> {
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (account: string): Promise<string> => {
    let token = tokens.get(account);
    if (token === undefined) {
      token = serviceAccountToken(admin, DEPLOY_NAMESPACE, account, signal);
      tokens.set(account, token);
    }
    return token;
  };
  const clientsOf = async (component: Component): Promise<KubeClients> => {
    const account = COMPONENT_ACCOUNTS[component];
    return kubeClientsForToken(
      { server: api.url, caCertPem: api.caCertPem, token: await tokenOf(account), user: account },
      { fieldManager: component, userAgent: componentUserAgent(component) },
    );
  };
  const [controller, builder, daemon, server] = await Promise.all([
    clientsOf(Components.controller),
    clientsOf(Components.builder),
    clientsOf(Components.daemon),
    clientsOf(Components.server),
  ]);
  const node = async (name: string, nodeSignal: AbortSignal): Promise<KubeClients> =>
    kubeClientsForToken(
      {
        server: api.url,
        caCertPem: api.caCertPem,
        token: await nodeToken(admin, name, nodeSignal),
        user: name,
      },
      { fieldManager: "kubelet", userAgent: SIMULATED_NODE_USER_AGENT },
    );
  return { controller, builder, daemon, server, node };
}
