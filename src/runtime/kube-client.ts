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
}

/** Reads the kubeconfig file (synchronously, as client-node does) and builds the clients. */
export function loadKubeClients(kubeconfigPath: string, options: KubeClientOptions = {}): KubeClients {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  return kubeClientsFor(kubeConfig, options);
}

export function kubeClientsFor(kubeConfig: KubeConfig, options: KubeClientOptions = {}): KubeClients {
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
