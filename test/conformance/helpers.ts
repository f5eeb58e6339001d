// Shared pieces of the API conformance suite (/work/shared/reference/apiserver-surface.md §9): the
// upstream MachineConfigPool CRD, small CRDs, namespaces, and assertions on Status responses.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { parse as parseYaml } from "yaml";
import type { ApiClient, ApiResponse } from "../../src/testing/api-client.ts";
import { startTestApiServer, type TestApiServer } from "../../src/testing/api-server.ts";
import { eventually } from "../../src/testing/eventually.ts";

export const MCO_GROUP = "machineconfiguration.openshift.io";
export const MCP_PATH = `/apis/${MCO_GROUP}/v1/machineconfigpools`;
export const CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

export const TABLE_ACCEPT =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

const MCP_CRD_FILE = resolve(
  import.meta.dirname,
  "../../../shared/upstream/crds/v1/0000_80_machine-config_01_machineconfigpools.crd.yaml",
);

/** The upstream MachineConfigPool CRD, read from the shared checkout (never copied into the repo). */
export function machineConfigPoolCrd(): Record<string, unknown> {
  return parseYaml(readFileSync(MCP_CRD_FILE, "utf8")) as Record<string, unknown>;
}

/** Creates a CRD and waits until its resource is served at `probePath`. */
export async function installCrd(client: ApiClient, crd: unknown, probePath: string): Promise<void> {
  const created = await client.post(CRD_PATH, crd);
  expect(created.status, created.text).toBe(201);
  await eventually(async () => expect((await client.get(probePath)).status).toBe(200));
}

export async function installMachineConfigPoolCrd(client: ApiClient): Promise<void> {
  await installCrd(client, machineConfigPoolCrd(), MCP_PATH);
}

/** A namespaced CRD without printer columns or a status subresource: `widgets.example.com/v1`. */
export function widgetCrd(): Record<string, unknown> {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      names: { kind: "Widget", listKind: "WidgetList", plural: "widgets", singular: "widget" },
      scope: "Namespaced",
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  properties: { size: { type: "integer" }, color: { type: "string" } },
                },
                status: { type: "object", properties: { ready: { type: "boolean" } } },
              },
            },
          },
        },
      ],
    },
  };
}

export async function createNamespace(client: ApiClient, name: string): Promise<void> {
  const res = await client.post("/api/v1/namespaces", { metadata: { name } });
  expect(res.status, res.text).toBe(201);
}

/** A MachineConfigPool body that satisfies the CRD schema. */
export function mcp(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: `${MCO_GROUP}/v1`,
    kind: "MachineConfigPool",
    metadata: { name },
    spec: { machineConfigSelector: { matchLabels: { role: name } }, paused: false },
    ...extra,
  };
}

export function pod(name: string, containers: string[] = ["c1"], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { containers: containers.map((c) => ({ name: c, image: "nginx:1" })) },
    ...extra,
  };
}

/** Asserts a failure Status with the exact code and reason (and message, when given). */
export function expectStatus(
  res: ApiResponse,
  code: number,
  reason: string,
  message?: string | RegExp,
): void {
  expect(res.status, res.text).toBe(code);
  expect(res.headers["content-type"]).toBe("application/json");
  expect(res.json).toMatchObject({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    reason,
    code,
  });
  if (typeof message === "string") expect(res.json.message).toBe(message);
  else if (message) expect(res.json.message).toMatch(message);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const JSON_PATCH = "application/json-patch+json";
export const MERGE = "application/merge-patch+json";
export const STRATEGIC = "application/strategic-merge-patch+json";
export const APPLY = "application/apply-patch+yaml";

export interface ServerSetup {
  /** Namespaces created before the tests run. */
  namespaces?: string[];
  /** Install the upstream MachineConfigPool CRD. */
  machineConfigPools?: boolean;
  /** Anything else the file needs before its tests. */
  prepare?: (api: TestApiServer) => Promise<void>;
}

/**
 * One API server for a test file: started before its tests and stopped after them. The returned
 * object reads through to the running server, so tests write `api.client` as usual.
 */
export function useApiServer(setup: ServerSetup = {}): TestApiServer {
  let running: TestApiServer | undefined;
  beforeAll(async () => {
    running = await startTestApiServer();
    for (const namespace of setup.namespaces ?? []) await createNamespace(running.client, namespace);
    if (setup.machineConfigPools) await installMachineConfigPoolCrd(running.client);
    await setup.prepare?.(running);
  });
  afterAll(async () => {
    await running?.close();
  });
  const current = (): TestApiServer => {
    if (!running) throw new Error("the test API server is not running (used outside a test?)");
    return running;
  };
  return {
    get server() {
      return current().server;
    },
    get client() {
      return current().client;
    },
    get dir() {
      return current().dir;
    },
    close: () => current().close(),
  };
}
