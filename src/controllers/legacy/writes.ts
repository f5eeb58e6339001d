// Every write of the legacy controller: the managed MachineOSConfig (create, replace the spec,
// delete at its UID), the pool's `newestImageEquivalentConfig` annotation (merge patch of that key
// only), the pool's ImageBuildDegraded condition (the build controller's writer, so Degraded follows
// the same rule) and the mirrored ConfigMaps. A user's object of the same name is never changed.

import { MCO_NAMESPACE, PoolConditionTypes, PoolKeys } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSConfig, MachineOSConfigSpec } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { canonicalJson } from "../../ignition/index.ts";
import { ApiStatusError, isConflict, isInvalid, isNotFound, toApiStatusError } from "../../runtime/errors.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { writePoolBuildCondition } from "../build/config-writes.ts";
import type { Lister } from "../build/reconcile.ts";
import type { ConditionUpdate } from "../render/conditions.ts";
import type { MirrorPlan } from "./mirror.ts";
import { isManaged, keyForField, managedMachineOSConfig } from "./opt-in.ts";

export interface LegacyClients {
  moscs: ResourceClient<MachineOSConfig>;
  pools: ResourceClient<MachineConfigPool>;
  configMaps: ResourceClient<KubeObject>;
}

/** What applying the desired spec did; `rejected` carries the API's reason, naming the ConfigMap key. */
export type ApplyOutcome = "created" | "updated" | "unchanged" | { rejected: string };

export class LegacyWrites {
  readonly #c: LegacyClients;

  constructor(clients: LegacyClients) {
    this.#c = clients;
  }

  async applyMachineOSConfig(
    pool: string,
    current: MachineOSConfig | undefined,
    spec: MachineOSConfigSpec,
    signal: AbortSignal,
  ): Promise<ApplyOutcome> {
    try {
      if (current === undefined) {
        await this.#c.moscs.create(managedMachineOSConfig(pool, spec), { signal });
        return "created";
      }
      if (canonicalJson(current.spec) === canonicalJson(spec)) return "unchanged";
      await this.#c.moscs.update({ ...structuredClone(current), spec }, { signal });
      return "updated";
    } catch (error) {
      if (!isInvalid(error)) throw error;
      return { rejected: rejection(toApiStatusError(error), pool) };
    }
  }

  async deleteMachineOSConfig(mosc: MachineOSConfig, signal: AbortSignal): Promise<void> {
    const uid = mosc.metadata.uid;
    try {
      await this.#c.moscs.delete(mosc.metadata.name ?? "", {
        signal,
        ...(uid !== undefined ? { preconditions: { uid } } : {}),
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }

  /** Sets (or with undefined removes) the pool's newestImageEquivalentConfig; true when it wrote. */
  async annotatePool(
    pool: MachineConfigPool,
    image: string | undefined,
    signal: AbortSignal,
  ): Promise<boolean> {
    const key = PoolKeys.newestImageEquivalentConfig;
    if (pool.metadata.annotations?.[key] === image) return false;
    const patch = { metadata: { annotations: { [key]: image ?? null } } };
    await this.#c.pools.patch(pool.metadata.name ?? "", patch, { type: "merge", signal });
    return true;
  }

  /** Writes ImageBuildDegraded (and Degraded with it); true when the pool changed. */
  poolCondition(
    pool: MachineConfigPool,
    update: Omit<ConditionUpdate, "type">,
    signal: AbortSignal,
  ): Promise<boolean> {
    const full = { type: PoolConditionTypes.ImageBuildDegraded, ...update };
    return writePoolBuildCondition(this.#c.pools, pool, full, new Date(), signal);
  }

  /** Applies a mirror plan against the cached ConfigMaps; objects without mob's label are skipped. */
  async applyMirrors(plan: MirrorPlan, cache: Lister<KubeObject>, signal: AbortSignal): Promise<void> {
    const options = { namespace: MCO_NAMESPACE, signal };
    for (const desired of plan.upserts) {
      const existing = cache.get(`${MCO_NAMESPACE}/${desired.metadata.name ?? ""}`);
      if (existing === undefined) {
        await this.#c.configMaps.create(desired, options);
      } else if (isManaged(existing) && !sameContent(existing, desired)) {
        const metadata = { ...desired.metadata, resourceVersion: existing.metadata.resourceVersion ?? "" };
        await this.#c.configMaps.update({ ...desired, metadata }, options);
      }
    }
    for (const name of plan.deletes) {
      try {
        await this.#c.configMaps.delete(name, options);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  return (
    canonicalJson(a.data ?? {}) === canonicalJson(b.data ?? {}) &&
    canonicalJson(a.metadata.labels ?? {}) === canonicalJson(b.metadata.labels ?? {}) &&
    canonicalJson(a.metadata.ownerReferences ?? []) === canonicalJson(b.metadata.ownerReferences ?? [])
  );
}

/** The API's 422, with each rejected field traced back to the ConfigMap key that fed it. */
function rejection(error: unknown, pool: string): string {
  if (!(error instanceof ApiStatusError)) return String(error);
  const causes = Array.isArray(error.details?.causes) ? (error.details.causes as unknown[]) : [];
  const named = causes.flatMap((cause) => {
    if (typeof cause !== "object" || cause === null) return [];
    const { field, message } = cause as { field?: unknown; message?: unknown };
    const key = typeof field === "string" ? keyForField(field, pool) : undefined;
    return key === undefined ? [] : [`${key}: ${typeof message === "string" ? message : "invalid"}`];
  });
  return named.length > 0 ? named.join("; ") : error.message;
}
