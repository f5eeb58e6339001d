// Requests against the objects seeded before the fuzz. Each must be refused (or is a dry run), so
// a 2xx means the API server let a bad write through to an object that must not change.

import { statusFault } from "./fuzz-mob-faults.ts";
import { collectionPath, type FuzzKind } from "./fuzz-mob-objects.ts";
import type { Json, JsonObject, Random } from "./fuzz-mob-random.ts";
import { CONTENT, type HttpStep } from "./fuzz-mob-requests.ts";

/** A patch that makes the seeded object invalid, per kind. */
function invalidSpecPatch(kind: FuzzKind): JsonObject {
  switch (kind.kind) {
    case "MachineConfigPool":
      return { spec: { paused: "yes" } };
    case "MachineOSConfig":
      return { spec: { renderedImagePushSpec: "nodot/os-image:latest" } };
    default:
      return { spec: { kernelArguments: "quiet" } };
  }
}

/**
 * A request against an object seeded before the fuzz that must be refused (or is a dry run):
 * stale or unconditional updates, renames, invalid or failing patches, strategic merge on a
 * custom resource, apply without a field manager, a delete with the wrong UID precondition.
 */
export function hostileStep(random: Random, kind: FuzzKind, current: JsonObject): HttpStep {
  const name = String((current.metadata as JsonObject).name);
  const item = `${collectionPath(kind)}/${name}`;
  const invalidSpec = invalidSpecPatch(kind).spec as JsonObject;
  const changed = { ...structuredClone(current), spec: { ...(current.spec as JsonObject), ...invalidSpec } };
  const reject = (
    label: string,
    method: HttpStep["method"],
    path: string,
    body: Json,
    contentType: string,
  ): HttpStep => ({
    via: "http",
    label: `hostile: ${label}`,
    method,
    path,
    body: JSON.stringify(body),
    contentType,
    dryRun: false,
    mustBeRefused: true,
  });
  const stale = structuredClone(current);
  (stale.metadata as JsonObject).resourceVersion = "1";
  const unconditional = structuredClone(current);
  delete (unconditional.metadata as JsonObject).resourceVersion;
  const options: (() => HttpStep)[] = [
    () =>
      reject(
        "stale update",
        "PUT",
        item,
        { ...stale, spec: { ...(stale.spec as JsonObject), paused: true } },
        CONTENT.json,
      ),
    () => reject("update without resourceVersion", "PUT", item, unconditional, CONTENT.json),
    () =>
      reject(
        "renaming update",
        "PUT",
        item,
        { ...current, metadata: { ...(current.metadata as JsonObject), name: `${name}-renamed` } },
        CONTENT.json,
      ),
    () => reject("invalid update", "PUT", item, changed, CONTENT.json),
    () =>
      reject(
        "strategic merge patch",
        "PATCH",
        item,
        { metadata: { labels: { fuzz: "smp" } } },
        CONTENT.strategic,
      ),
    () => reject("invalid merge patch", "PATCH", item, invalidSpecPatch(kind), CONTENT.merge),
    () =>
      reject(
        "failing test op",
        "PATCH",
        item,
        [
          { op: "add", path: "/metadata/labels", value: { fuzz: "x" } },
          { op: "test", path: "/metadata/name", value: "other" },
        ],
        CONTENT.jsonPatch,
      ),
    () =>
      reject(
        "apply without fieldManager",
        "PATCH",
        item,
        {
          apiVersion: current.apiVersion ?? null,
          kind: current.kind ?? null,
          metadata: { name, labels: { fuzz: "apply" } },
        },
        CONTENT.apply,
      ),
    () =>
      reject(
        "delete with the wrong UID",
        "DELETE",
        item,
        {
          kind: "DeleteOptions",
          apiVersion: "v1",
          preconditions: { uid: "00000000-0000-0000-0000-000000000000" },
        },
        CONTENT.json,
      ),
    () =>
      reject(
        "status patch with invalid values",
        "PATCH",
        kind.statusSubresource ? `${item}/status` : item,
        kind.statusSubresource ? statusFault(random, kind).body : invalidSpecPatch(kind),
        CONTENT.merge,
      ),
    () => ({
      via: "http",
      label: "hostile: dry-run merge patch",
      method: "PATCH",
      path: `${item}?dryRun=All`,
      body: JSON.stringify({ metadata: { labels: { fuzz: "dry-run" } } }),
      contentType: CONTENT.merge,
      dryRun: true,
    }),
  ];
  return random.pick(options)();
}
