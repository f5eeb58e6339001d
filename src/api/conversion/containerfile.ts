// MachineOSConfig Containerfile lists: v1alpha1 `spec.buildInputs.containerFile` ↔ v1
// `spec.containerFile`. Only the architecture names differ; v1alpha1 has two pairs of synonyms
// (amd64/x86_64, arm64/aarch64) that collapse onto one v1 name, and v1 keys the list by arch.

import { isPlainObject } from "../object.ts";
import { ARCH_TO_V1, ARCH_TO_V1ALPHA1, V1_DEFAULT_ARCH } from "./constants.ts";
import type { ValueMap } from "./field-mapping.ts";

/** An entry with its arch renamed through `names`; unknown names and non-entries are kept as they are. */
function renameArch(entry: unknown, names: ReadonlyMap<string, string>): unknown {
  if (!isPlainObject(entry) || typeof entry.containerfileArch !== "string") return structuredClone(entry);
  const arch = names.get(entry.containerfileArch) ?? entry.containerfileArch;
  return { ...structuredClone(entry), containerfileArch: arch };
}

/** The list-map key of a v1 entry; an entry without an arch defaults to NoArch. */
function v1Arch(entry: unknown): unknown {
  return isPlainObject(entry) ? (entry.containerfileArch ?? V1_DEFAULT_ARCH) : entry;
}

/**
 * v1alpha1 → v1. When two entries map to the same v1 arch (`amd64` and `x86_64`), the first is kept;
 * the engine then preserves the whole v1alpha1 list because the result no longer reproduces it.
 * v1's tighter limits (≤ 4 entries, content ≤ 4096 characters) are not enforced here: a list
 * beyond them is converted as is and refused by v1 validation, since dropping a Containerfile
 * would silently change what gets built.
 */
export const containerFileToV1: ValueMap = (value) => {
  if (!Array.isArray(value)) return structuredClone(value);
  const seen = new Set<unknown>();
  const result: unknown[] = [];
  for (const entry of value) {
    const converted = renameArch(entry, ARCH_TO_V1);
    const key = v1Arch(converted);
    if (isPlainObject(converted) && seen.has(key)) continue;
    seen.add(key);
    result.push(converted);
  }
  return result;
};

/** v1 → v1alpha1: `AMD64` → `amd64`, `ARM64` → `arm64`, `NoArch` → `noarch`, and so on. */
export const containerFileToV1alpha1: ValueMap = (value) =>
  Array.isArray(value) ? value.map((entry) => renameArch(entry, ARCH_TO_V1ALPHA1)) : structuredClone(value);
