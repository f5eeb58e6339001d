// Deterministic JSON and the rendered-config hash built on it.
//
// Upstream names rendered configs `rendered-<pool>-<md5(salt + YAML(merged spec))>`. mob hashes the
// canonical JSON of the merged spec instead, without the salt, so mob's names differ from the MCO's.
// That is fine: the names are opaque to every consumer; what matters is that the same inputs give
// the same name on any machine and any run, which sorted keys and no whitespace guarantee.

import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted (by UTF-16 code unit) and no insignificant whitespace. Undefined object
 * fields are left out, as JSON.stringify does. Throws TypeError for values JSON cannot represent
 * faithfully (non-finite numbers, bigint, functions, class instances), rather than guessing.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: cannot encode ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`canonicalJson: cannot encode a ${proto?.constructor?.name ?? "non-plain"} object`);
    }
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      if (record[key] !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    }
    return `{${parts.join(",")}}`;
  }
  throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
}

/** md5 hex over the canonical JSON of a merged MachineConfig spec. */
export function renderedConfigHash(spec: unknown): string {
  return createHash("md5").update(canonicalJson(spec)).digest("hex");
}

/** `rendered-<pool>-<hash>`, the name of the MachineConfig rendered for `pool` from `spec`. */
export function renderedConfigName(pool: string, spec: unknown): string {
  return `rendered-${pool}-${renderedConfigHash(spec)}`;
}
