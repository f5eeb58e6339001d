// One place that turns a kubeconfig into clients: client-node's generated API classes for typed
// calls, `KubernetesObjectApi` for manifests, and `ResourceClient`s (see resource-client.ts) for
// everything a controller reads and writes by group/version/plural.

import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from "@kubernetes/client-node";
import type { KubeObject } from "../api/object.ts";
import { ResourceClient } from "./resource-client.ts";
import { type ResourceRef, RestClient } from "./rest.ts";

export interface KubeClients {
  kubeConfig: KubeConfig;
  rest: RestClient;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
  customObjects: CustomObjectsApi;
  objects: KubernetesObjectApi;
  /** A typed client for one resource; writes carry `fieldManager` when one was given. */
  resource<T extends KubeObject>(ref: ResourceRef): ResourceClient<T>;
}

export interface KubeClientOptions {
  /** Sent as `fieldManager` on writes by `resource()` clients. */
  fieldManager?: string;
  /** Sent as the User-Agent of every request (REST, watch, logs), e.g. `mob/<component>`. */
  userAgent?: string;
}

/** Where an API server is and a bearer token for it, as a pod's service-account mount has them. */
export interface TokenCredentials {
  server: string;
  caCertPem: string;
  token: string;
  /** The kubeconfig's user entry (never the token). */
  user: string;
}

/** Clients that authenticate with a bearer token (no kubeconfig file). */
export function kubeClientsForToken(
  credentials: TokenCredentials,
  options: KubeClientOptions = {},
): KubeClients {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: "mob",
        server: credentials.server,
        caData: Buffer.from(credentials.caCertPem).toString("base64"),
        skipTLSVerify: false,
      },
    ],
    users: [{ name: credentials.user, token: credentials.token }],
    contexts: [{ name: credentials.user, cluster: "mob", user: credentials.user }],
    currentContext: credentials.user,
  });
  return kubeClientsFor(kubeConfig, options);
}

/**
 * client-node has no User-Agent setting; a custom authenticator is the one hook it applies to every
 * request it authenticates (REST calls, watches, log streams). It runs before the bearer token is set.
 */
function sendUserAgent(kubeConfig: KubeConfig, userAgent: string): void {
  kubeConfig.addAuthenticator({
    isAuthProvider: () => true,
    applyAuthentication: async (_user, opts) => {
      opts.headers = { ...opts.headers, "User-Agent": userAgent };
    },
  });
}

/** Reads the kubeconfig file (synchronously, as client-node does) and builds the clients. */
export function loadKubeClients(kubeconfigPath: string, options: KubeClientOptions = {}): KubeClients {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  return kubeClientsFor(kubeConfig, options);
}

export function kubeClientsFor(kubeConfig: KubeConfig, options: KubeClientOptions = {}): KubeClients {
  if (options.userAgent !== undefined) sendUserAgent(kubeConfig, options.userAgent);
  const rest = new RestClient(kubeConfig);
  return {
    kubeConfig,
    rest,
    core: kubeConfig.makeApiClient(CoreV1Api),
    coordination: kubeConfig.makeApiClient(CoordinationV1Api),
    customObjects: kubeConfig.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kubeConfig),
    resource: <T extends KubeObject>(ref: ResourceRef) =>
      new ResourceClient<T>(rest, ref, options.fieldManager),
  };
}

/** Built-in resources the runtime itself uses. */
export const CONFIG_MAPS: ResourceRef = {
  group: "",
  version: "v1",
  plural: "configmaps",
  kind: "ConfigMap",
  namespaced: true,
};
export const EVENTS: ResourceRef = {
  group: "",
  version: "v1",
  plural: "events",
  kind: "Event",
  namespaced: true,
};
export const LEASES: ResourceRef = {
  group: "coordination.k8s.io",
  version: "v1",
  plural: "leases",
  kind: "Lease",
  namespaced: true,
};
