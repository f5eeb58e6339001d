// Whether a running node can move from one rendered MachineConfig to another at all (upstream's
// `reconcilable`): disk layout, filesystems, RAID, LUKS, groups and users other than core are set
// at install time and cannot change on a running node; FIPS cannot be toggled. A refusal makes the
// node Unreconcilable with the returned reason; retrying cannot help until the config changes.

import type { MachineConfig } from "../api/machineconfig-v1.ts";
import { canonicalJson } from "../ignition/canonical.ts";
import { formatIssue, type IgnitionConfig, type PasswdUser, parseIgnition } from "../ignition/index.ts";

export const KERNEL_TYPES = ["", "default", "realtime", "64k-pages"] as const;

export type IgnitionOfResult = { config: IgnitionConfig } | { error: string };

/** The config's Ignition (an empty 3.4.0 config when it has none). */
export function ignitionOf(config: MachineConfig): IgnitionOfResult {
  const raw = config.spec?.config ?? { ignition: { version: "3.4.0" } };
  const parsed = parseIgnition(raw);
  if ("issues" in parsed) {
    const name = config.metadata.name ?? "";
    return {
      error: `parsing the Ignition config of ${name} failed: ${parsed.issues.map(formatIssue).join("; ")}`,
    };
  }
  return { config: parsed.config };
}

/** The reason the change cannot be applied, or undefined. `current` undefined: a first apply. */
export function unreconcilableReason(
  current: MachineConfig | undefined,
  desired: MachineConfig,
): string | undefined {
  const next = ignitionOf(desired);
  if ("error" in next) return next.error;
  const kernelType = desired.spec?.kernelType ?? "";
  if (!(KERNEL_TYPES as readonly string[]).includes(kernelType)) {
    return `unsupported kernelType "${kernelType}" in ${desired.metadata.name ?? ""}: want default, realtime or 64k-pages`;
  }
  if (current === undefined) return undefined;
  if ((current.spec?.fips ?? false) !== (desired.spec?.fips ?? false)) {
    return "detected change to FIPS flag; refusing to modify FIPS on a running cluster";
  }
  const previous = ignitionOf(current);
  // An old config mob cannot read is replaced wholesale; its sections cannot be compared.
  if ("error" in previous) return undefined;
  return storageChange(previous.config, next.config) ?? passwdChange(previous.config, next.config);
}

function storageChange(a: IgnitionConfig, b: IgnitionConfig): string | undefined {
  for (const section of ["disks", "filesystems", "raid", "luks"] as const) {
    if (canonicalJson(a.storage?.[section] ?? []) !== canonicalJson(b.storage?.[section] ?? [])) {
      return `ignition ${section} section contains changes`;
    }
  }
  return undefined;
}

function passwdChange(a: IgnitionConfig, b: IgnitionConfig): string | undefined {
  if (canonicalJson(a.passwd?.groups ?? []) !== canonicalJson(b.passwd?.groups ?? [])) {
    return "ignition passwd groups section contains changes";
  }
  const before = new Map((a.passwd?.users ?? []).map((user) => [user.name, user]));
  const after = new Map((b.passwd?.users ?? []).map((user) => [user.name, user]));
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(name);
    const next = after.get(name);
    if (name !== "core") {
      if (canonicalJson(old ?? null) !== canonicalJson(next ?? null)) {
        return `ignition passwd user section contains unsupported changes: user ${name} (only the core user can change)`;
      }
      continue;
    }
    if (canonicalJson(accountFields(old)) !== canonicalJson(accountFields(next))) {
      return "ignition passwd user section contains unsupported changes: only sshAuthorizedKeys and passwordHash of core can change";
    }
  }
  return undefined;
}

function accountFields(user: PasswdUser | undefined): Record<string, unknown> {
  if (user === undefined) return {};
  const { sshAuthorizedKeys: _, passwordHash: __, name: ___, ...rest } = user;
  return rest;
}
