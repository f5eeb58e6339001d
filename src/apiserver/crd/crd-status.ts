// The status a CRD gets once mob serves it. mob serves a CRD as soon as it is stored, so names are
// accepted and the CRD is established at once. Name conflicts between CRDs are not detected here.

import type { KubeObject } from "../../api/object.ts";
import { defaultedNames, record, records, strings, text } from "./crd-spec.ts";

interface Condition {
  type: string;
  status: "True";
  reason: string;
  message: string;
}

const CONDITIONS: readonly Condition[] = [
  { type: "NamesAccepted", status: "True", reason: "NoConflicts", message: "no conflicts found" },
  {
    type: "Established",
    status: "True",
    reason: "InitialNamesAccepted",
    message: "the initial names have been accepted",
  },
];

/** RFC 3339 with whole seconds, as Kubernetes writes metav1.Time. */
function rfc3339(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function acceptedNames(crd: KubeObject): Record<string, unknown> {
  const { plural, singular, kind, listKind, shortNames, categories } = defaultedNames(record(crd.spec).names);
  const names: Record<string, unknown> = { plural, singular, kind, listKind };
  if (shortNames.length > 0) names.shortNames = shortNames;
  if (categories.length > 0) names.categories = categories;
  return names;
}

/** Conditions keep their lastTransitionTime while their status stays True. */
function conditions(old: Record<string, unknown>, now: Date): Record<string, unknown>[] {
  const previous = records(old.conditions);
  return CONDITIONS.map((condition) => {
    const same = previous.find((p) => p.type === condition.type && p.status === condition.status);
    const since = same !== undefined && typeof same.lastTransitionTime === "string";
    return { ...condition, lastTransitionTime: since ? same.lastTransitionTime : rfc3339(now) };
  });
}

/** The whole status of an accepted, established CRD; storedVersions only ever grows. */
export function crdStatusFor(crd: KubeObject, now: Date): Record<string, unknown> {
  const old = record(crd.status);
  const storedVersions = strings(old.storedVersions);
  const storage = records(record(crd.spec).versions).find((version) => version.storage === true);
  const storageName = text(storage?.name);
  if (storageName !== "" && !storedVersions.includes(storageName)) storedVersions.push(storageName);
  return { conditions: conditions(old, now), acceptedNames: acceptedNames(crd), storedVersions };
}
