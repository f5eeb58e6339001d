// Pure decisions of the build controller: when a MachineConfig change needs a new image, and when a
// pool's state forbids starting a build.

import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import { canonicalJson } from "../../ignition/index.ts";
import { BLOCKING_POOL_CONDITIONS } from "./constants.ts";

/** Upstream's RequiresRebuild: the OS image, kernel type, extensions or kernel arguments differ. */
export function requiresRebuild(old: MachineConfig, next: MachineConfig): boolean {
  const a = old.spec ?? {};
  const b = next.spec ?? {};
  return (
    (a.osImageURL ?? "") !== (b.osImageURL ?? "") ||
    (a.kernelType ?? "") !== (b.kernelType ?? "") ||
    canonicalJson(a.extensions ?? []) !== canonicalJson(b.extensions ?? []) ||
    canonicalJson(a.kernelArguments ?? []) !== canonicalJson(b.kernelArguments ?? [])
  );
}

export function poolBlocked(pool: MachineConfigPool): string | undefined {
  const blocking = pool.status?.conditions?.find(
    (c) => c.status === "True" && (BLOCKING_POOL_CONDITIONS as readonly string[]).includes(c.type ?? ""),
  );
  return blocking?.type;
}
