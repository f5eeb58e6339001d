// One fuzz step as a request: creates (valid, faulted, blindly mutated), updates (faulted, mutated,
// stale), patches (merge, JSON, strategic, apply; status too), malformed bodies, deletes — over raw
// HTTP — or a kubectl apply/create/patch of the same material.

import { stringify } from "yaml";
import { kindFault, statusFault } from "./fuzz-mob-faults.ts";
import { collectionPath, type FuzzKind } from "./fuzz-mob-objects.ts";
import { deeplyNested, type Json, type JsonObject, type Random } from "./fuzz-mob-random.ts";

export const CONTENT = {
  json: "application/json",
  yaml: "application/yaml",
  protobuf: "application/vnd.kubernetes.protobuf",
  merge: "application/merge-patch+json",
  jsonPatch: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

export interface HttpStep {
  via: "http";
  label: string;
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  body?: string;
  contentType?: string;
  /** The whole object sent by a POST/PUT of the main resource (checked against what is stored). */
  sentObject?: JsonObject;
  dryRun: boolean;
  /** Addressed to a seeded object; only a 4xx is right. */
  mustBeRefused?: boolean;
}

export interface KubectlStep {
  via: "kubectl";
  label: string;
  args: string[];
  stdin?: string;
  /** Written to a file whose path is appended as `--patch-file` (too long for an argument). */
  patchFile?: string;
}

export type Step = HttpStep | KubectlStep;

const VALIDATION = ["", "", "fieldValidation=Strict", "fieldValidation=Warn", "fieldValidation=Ignore"];

function query(random: Random, extra: string[] = []): { suffix: string; dryRun: boolean } {
  const parts = [random.pick(VALIDATION), ...extra].filter((p) => p !== "");
  const dryRun = random.chance(0.1);
  if (dryRun) parts.push("dryRun=All");
  return { suffix: parts.length > 0 ? `?${parts.join("&")}` : "", dryRun };
}

/** A create of `kind` named `name`: valid, faulted, blindly mutated or malformed. */
export function createStep(random: Random, kind: FuzzKind, name: string): HttpStep {
  const valid = kind.valid(random, name);
  const { suffix, dryRun } = query(random);
  const path = `${collectionPath(kind)}${suffix}`;
  const roll = random.int(10);
  if (roll < 3) return object("valid create", path, valid, dryRun);
  if (roll < 6) {
    const fault = kindFault(random, kind, valid);
    return object(`create: ${fault.label}`, path, fault.body, dryRun);
  }
  if (roll < 8) return object("create: blind mutation", path, random.mutate(valid) as JsonObject, dryRun);
  return malformed(random, kind, path, valid, dryRun);
}

function object(
  label: string,
  path: string,
  body: JsonObject,
  dryRun: boolean,
  method: "POST" | "PUT" = "POST",
  compare = true,
): HttpStep {
  const json = typeof body === "object" && body !== null && !Array.isArray(body);
  const step: HttpStep = {
    via: "http",
    label,
    method,
    path,
    body: JSON.stringify(body),
    contentType: CONTENT.json,
    dryRun,
  };
  if (json && compare) step.sentObject = body;
  return step;
}

function malformed(
  random: Random,
  kind: FuzzKind,
  path: string,
  valid: JsonObject,
  dryRun: boolean,
): HttpStep {
  const base = { via: "http" as const, method: "POST" as const, path, dryRun };
  switch (random.int(7)) {
    case 0:
      return {
        ...base,
        label: "truncated JSON",
        body: JSON.stringify(valid).slice(0, -3),
        contentType: CONTENT.json,
      };
    case 1:
      return {
        ...base,
        label: "malformed YAML",
        body: "metadata:\n  name: [x\nspec: {",
        contentType: CONTENT.yaml,
      };
    case 2:
      return { ...base, label: "valid YAML", body: stringify(valid), contentType: CONTENT.yaml };
    case 3:
      return { ...base, label: "random bytes", body: random.bytes(), contentType: CONTENT.json };
    case 4:
      return {
        ...base,
        label: "protobuf body",
        body: "k8s\u0000\n\u0004\n\u0002v1",
        contentType: CONTENT.protobuf,
      };
    case 5: {
      const depth = random.pick([200, 5_000, 100_000]);
      const field = kind.kind === "MachineConfig" ? "config" : "bogus";
      return {
        ...base,
        label: `nested ${depth} deep`,
        body: deeplyNested(valid, field, depth),
        contentType: CONTENT.json,
      };
    }
    default:
      return {
        ...base,
        label: "JSON that is not an object",
        body: JSON.stringify(random.value(1)),
        contentType: CONTENT.json,
      };
  }
}

/** A PUT of the main resource or of status, built from the stored `current`. */
export function updateStep(random: Random, kind: FuzzKind, current: JsonObject): HttpStep {
  const name = String((current.metadata as JsonObject).name);
  const { suffix, dryRun } = query(random);
  const item = `${collectionPath(kind)}/${name}`;
  const roll = random.int(6);
  if (roll === 0) {
    const stale = structuredClone(current);
    (stale.metadata as JsonObject).resourceVersion = "1";
    return object("update with a stale resourceVersion", `${item}${suffix}`, stale, dryRun, "PUT", false);
  }
  if (roll === 1 && kind.statusSubresource) {
    const fault = statusFault(random, kind);
    const body = { ...structuredClone(current), ...fault.body };
    return object(`status update: ${fault.label}`, `${item}/status${suffix}`, body, dryRun, "PUT", false);
  }
  if (roll < 4) {
    const fault = kindFault(random, kind, current);
    return object(`update: ${fault.label}`, `${item}${suffix}`, fault.body, dryRun, "PUT");
  }
  return object(
    "update: blind mutation",
    `${item}${suffix}`,
    random.mutate(current) as JsonObject,
    dryRun,
    "PUT",
  );
}

function jsonPatch(random: Random, current: JsonObject): Json {
  const pointers = [
    "",
    "/",
    "/-",
    "/metadata/name",
    "/metadata/resourceVersion",
    "/metadata/labels/a~1b",
    "/spec",
    "/spec/config/ignition/version",
    "/spec/paused",
    "/spec/containerFile/0/content",
    "/spec/containerFile/9",
    "/spec/renderedImagePushSpec",
    "/status",
    "/a/~2/b",
    `/spec/${random.key()}`,
  ];
  if (random.chance(0.15)) return random.value();
  return Array.from({ length: 1 + random.int(3) }, () => {
    const op: JsonObject = {
      op: random.pick<Json>(["add", "remove", "replace", "move", "copy", "test", "bogus", 5]),
      path: random.chance(0.9) ? random.pick(pointers) : random.value(3),
    };
    if (random.chance(0.7))
      op.value = random.chance(0.5) ? random.value(2) : random.mutate(current.spec ?? {});
    if (random.chance(0.3)) op.from = random.pick(pointers);
    return op;
  });
}

/** A PATCH of the main resource or of status. */
export function patchStep(random: Random, kind: FuzzKind, current: JsonObject): HttpStep {
  const name = String((current.metadata as JsonObject).name);
  const status = kind.statusSubresource && random.chance(0.25);
  const item = `${collectionPath(kind)}/${name}${status ? "/status" : ""}`;
  const manager = random.chance(0.8) ? ["fieldManager=fuzz"] : [];
  const { suffix, dryRun } = query(random, random.chance(0.2) ? [...manager, "force=true"] : manager);
  const base = { via: "http" as const, method: "PATCH" as const, path: `${item}${suffix}`, dryRun };
  switch (random.int(6)) {
    case 0:
      return {
        ...base,
        label: "JSON patch",
        body: JSON.stringify(jsonPatch(random, current)),
        contentType: CONTENT.jsonPatch,
      };
    case 1:
      return {
        ...base,
        label: "strategic merge patch",
        body: JSON.stringify({ spec: {} }),
        contentType: CONTENT.strategic,
      };
    case 2: {
      const fault = status ? statusFault(random, kind) : kindFault(random, kind, current);
      return {
        ...base,
        label: `apply: ${fault.label}`,
        body: stringify(fault.body),
        contentType: CONTENT.apply,
      };
    }
    case 3: {
      const fault = status ? statusFault(random, kind) : kindFault(random, kind, current);
      return {
        ...base,
        label: `merge patch: ${fault.label}`,
        body: JSON.stringify(fault.body),
        contentType: CONTENT.merge,
      };
    }
    case 4:
      return {
        ...base,
        label: "merge patch: random value",
        body: JSON.stringify(random.value()),
        contentType: CONTENT.merge,
      };
    default:
      return {
        ...base,
        label: "merge patch: mutated spec",
        body: JSON.stringify({ spec: random.mutate(current.spec ?? {}) }),
        contentType: CONTENT.merge,
      };
  }
}

export function deleteStep(kind: FuzzKind, name: string): HttpStep {
  return {
    via: "http",
    label: "delete",
    method: "DELETE",
    path: `${collectionPath(kind)}/${name}`,
    dryRun: false,
  };
}

/** kubectl apply/create of a valid or faulted object, or kubectl patch of a stored one. */
export function kubectlStep(
  random: Random,
  kind: FuzzKind,
  name: string,
  current: JsonObject | undefined,
): KubectlStep {
  const resource = `${kind.plural}.${kind.version}.machineconfiguration.openshift.io`;
  if (current !== undefined && random.chance(0.4)) {
    const type = random.pick(["merge", "json"]);
    const fault = kindFault(random, kind, current);
    const patch =
      type === "merge"
        ? JSON.stringify({ spec: fault.body.spec ?? null })
        : JSON.stringify(jsonPatch(random, current));
    return {
      via: "kubectl",
      label: `kubectl patch --type ${type} (${fault.label})`,
      args: ["patch", resource, name, "--type", type],
      patchFile: patch,
    };
  }
  const valid = kind.valid(random, name);
  const fault = random.chance(0.6) ? kindFault(random, kind, valid) : { label: "valid", body: valid };
  const verb = random.pick(["apply", "create"]);
  return {
    via: "kubectl",
    label: `kubectl ${verb} (${fault.label})`,
    args: [verb, "-f", "-", "-o", "name"],
    stdin: stringify(fault.body),
  };
}
