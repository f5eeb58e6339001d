// What the fuzz accepts as an answer: a 2xx whose stored object upstream's CRD (schema and CEL
// rules, read from the shared reference checkout) accepts, or a 4xx with a well-formed Status.
// Also snapshots of stored objects, compared by hash so no Secret ever reaches a failure message.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import type { KubeObject } from "../../src/api/object.ts";
import {
  MCP_FILE,
  MOSB_FILE,
  MOSC_FILE,
  upstreamDefinition,
} from "../../src/apiserver/cel/upstream.fixture.ts";
import { celRuleValidator } from "../../src/apiserver/cel/validator.ts";
import { resourceDefinitionFromCRD } from "../../src/apiserver/crd/crd-resource.ts";
import { crdTableConvertor } from "../../src/apiserver/printers/crd-table.ts";
import type { ResourceDefinition } from "../../src/apiserver/registry/resource.ts";
import { canonicalJson } from "../../src/ignition/index.ts";
import type { ApiClient, ApiResponse } from "../../src/testing/api-client.ts";
import { type FuzzKind, GROUP } from "./fuzz-mob-objects.ts";
import type { Json, JsonObject } from "./fuzz-mob-random.ts";

const UPSTREAM = resolve(import.meta.dirname, "../../../shared/upstream/crds");

function v1alpha1Definition(file: string): ResourceDefinition {
  const crd = parse(readFileSync(resolve(UPSTREAM, "v1alpha1", file), "utf8")) as KubeObject;
  return resourceDefinitionFromCRD(crd, crdTableConvertor, celRuleValidator());
}

/** Upstream's definition of each kind at each version mob serves. */
export function upstreamDefinitions(): Map<string, ResourceDefinition> {
  return new Map([
    ["MachineConfig/v1", upstreamDefinition("0000_80_machine-config_01_machineconfigs.crd.yaml")],
    ["MachineConfigPool/v1", upstreamDefinition(MCP_FILE)],
    ["MachineOSConfig/v1", upstreamDefinition(MOSC_FILE)],
    ["MachineOSBuild/v1", upstreamDefinition(MOSB_FILE)],
    ["MachineOSConfig/v1alpha1", v1alpha1Definition(MOSC_FILE)],
    ["MachineOSBuild/v1alpha1", v1alpha1Definition(MOSB_FILE)],
  ]);
}

/** Why `res` is not an acceptable answer, or undefined when it is. */
export function answerProblem(res: ApiResponse, kind: string | undefined): string | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  if (res.status < 400 || res.status >= 500) return `HTTP ${res.status}`;
  const status = res.json as Record<string, unknown> | undefined;
  if (status?.kind !== "Status" || status.apiVersion !== "v1") return "a 4xx without a Status body";
  if (status.status !== "Failure" || status.code !== res.status) return "Status code/status mismatch";
  if (typeof status.reason !== "string" || status.reason === "") return "Status without a reason";
  if (typeof status.message !== "string" || status.message === "") return "Status without a message";
  if (res.status !== 422) return undefined;
  return invalidProblem(status, kind);
}

/** Options kinds a 422 may name instead of the object's kind (bad query parameters). */
const OPTIONS_KINDS = new Set(["PatchOptions", "CreateOptions", "UpdateOptions", "DeleteOptions"]);

/**
 * A 422 is reason Invalid with causes; each cause names its field, except Kubernetes' generic
 * "patch could not be applied" (UnexpectedServerResponse) and root-level rules (field "").
 */
function invalidProblem(status: Record<string, unknown>, kind: string | undefined): string | undefined {
  const details = status.details as Record<string, unknown> | undefined;
  if (status.reason !== "Invalid") return `422 with reason ${String(status.reason)}`;
  const named = details?.kind;
  if (kind !== undefined && named !== undefined && named !== kind && !OPTIONS_KINDS.has(String(named))) {
    return `422 details.kind ${String(named)}`;
  }
  const causes = details?.causes;
  if (!Array.isArray(causes) || causes.length === 0) return "422 without details.causes";
  for (const cause of causes as Record<string, unknown>[]) {
    const fieldless = cause.reason === "UnexpectedServerResponse" && cause.field === undefined;
    if (typeof cause.reason !== "string" || typeof cause.message !== "string" || cause.message === "") {
      return `malformed cause ${JSON.stringify(cause)}`;
    }
    if (typeof cause.field !== "string" && !fieldless)
      return `cause without a field ${JSON.stringify(cause)}`;
  }
  return undefined;
}

/** Issues upstream's v1 CRD finds in a stored object (as a create: schema, CEL, unknown fields). */
export function upstreamIssues(definition: ResourceDefinition, stored: KubeObject): string[] {
  const issues = definition.strategy.validate(structuredClone(stored), undefined).map((i) => i.message);
  const unknown = definition.strategy.unknownFields?.(stored) ?? [];
  return [...issues, ...unknown.map((path) => `unknown field ${path}`)];
}

/**
 * Differences between what a full-object write sent (pruned and defaulted as upstream's CRD does)
 * and what was stored, in spec (without fields controllers own) and labels.
 */
export function sentVersusStored(
  definition: ResourceDefinition,
  sent: JsonObject,
  stored: KubeObject,
): string[] {
  const expected = structuredClone(sent) as KubeObject;
  definition.strategy.prepareForCreate(expected);
  const strip = (object: KubeObject): Json => {
    const spec = structuredClone((object.spec ?? null) as Json);
    if (spec !== null && typeof spec === "object" && !Array.isArray(spec)) delete spec.configuration;
    return { spec, labels: (object.metadata?.labels ?? {}) as Json };
  };
  const want = canonicalJson(strip(expected));
  const got = canonicalJson(strip(stored));
  return want === got ? [] : [`sent ${want.slice(0, 400)}\nstored ${got.slice(0, 400)}`];
}

export function objectPath(kind: FuzzKind, name: string, version: string = kind.version): string {
  return `/apis/${GROUP}/${version}/${kind.plural}/${name}`;
}

export interface Snapshot {
  /** path → sha256 of the GET response body. */
  hashes: Map<string, string>;
  /** path → resourceVersion, for messages. */
  versions: Map<string, string>;
}

async function listPaths(client: ApiClient, collection: string): Promise<string[]> {
  const res = await client.get(collection);
  if (res.status !== 200) throw new Error(`list ${collection}: HTTP ${res.status}`);
  return (res.json.items as KubeObject[]).map((item) => `${collection}/${item.metadata.name ?? ""}`);
}

/** Every object of mob's group (at v1) plus the Secrets and ConfigMaps of `namespace`. */
export async function takeSnapshot(client: ApiClient, namespace: string): Promise<Snapshot> {
  const discovery = await client.get(`/apis/${GROUP}/v1`);
  const plurals = (discovery.json.resources as { name: string }[])
    .map((r) => r.name)
    .filter((name) => !name.includes("/"));
  const collections = [
    ...plurals.map((plural) => `/apis/${GROUP}/v1/${plural}`),
    `/api/v1/namespaces/${namespace}/secrets`,
    `/api/v1/namespaces/${namespace}/configmaps`,
  ];
  const paths = (await Promise.all(collections.map((c) => listPaths(client, c)))).flat();
  const snapshot: Snapshot = { hashes: new Map(), versions: new Map() };
  for (const path of paths) {
    const res = await client.get(path);
    snapshot.hashes.set(path, createHash("sha256").update(res.text).digest("hex"));
    snapshot.versions.set(path, String(res.json?.metadata?.resourceVersion));
  }
  return snapshot;
}

/** Paths whose stored bytes differ between two snapshots (resourceVersions only in the message). */
export function snapshotChanges(before: Snapshot, after: Snapshot, exempt: ReadonlySet<string>): string[] {
  const changes: string[] = [];
  for (const [path, hash] of before.hashes) {
    if (exempt.has(path)) continue;
    const now = after.hashes.get(path);
    if (now === undefined) changes.push(`${path}: gone`);
    else if (now !== hash) {
      changes.push(
        `${path}: changed (resourceVersion ${before.versions.get(path)} → ${after.versions.get(path)})`,
      );
    }
  }
  return changes;
}
