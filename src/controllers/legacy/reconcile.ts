// The legacy (4.14 opt-in) reconciler, level-based, one request per pool name:
//   pool not labelled `layering-enabled` (or gone) → the managed MachineOSConfig is deleted, the
//       pool's newestImageEquivalentConfig annotation and mob's own ImageBuildDegraded removed;
//   labelled, a user's MachineOSConfig of that name → left alone (one event);
//   labelled, ConfigMaps invalid → a Warning event naming the key; ImageBuildDegraded=True when
//       there is no managed MachineOSConfig yet (one that exists keeps its last valid spec and the
//       build controller keeps owning the condition);
//   labelled, valid → the managed MachineOSConfig created or its spec replaced (a changed custom
//       Dockerfile therefore builds a new image, unlike 4.14), the running build mirrored into
//       `dockerfile-`/`mc-<rendered>`, and the built image copied into the pool annotation.

import { ImageBuildDegradedReasons, MCO_NAMESPACE, PoolConditionTypes } from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import type { ReconcileContext, ReconcileResult, Reconciler } from "../../runtime/controller.ts";
import type { EventRecord } from "../../runtime/events.ts";
import type { Request } from "../../runtime/predicates.ts";
import type { Lister } from "../build/reconcile.ts";
import { findPoolCondition } from "../render/conditions.ts";
import { INVALID_CONFIG_REASON, LegacyConfigMaps, LegacyEvents, OPTED_OUT_REASON } from "./constants.ts";
import { planMirrors } from "./mirror.ts";
import { desiredSpec, isManaged, isOptedIn } from "./opt-in.ts";
import type { LegacyWrites } from "./writes.ts";

export interface LegacyCaches {
  pools: Lister<MachineConfigPool>;
  moscs: Lister<MachineOSConfig>;
  mosbs: Lister<MachineOSBuild>;
  /** ConfigMaps in MCO_NAMESPACE, keyed `namespace/name`. */
  configMaps: Lister<KubeObject>;
}

export interface LegacyReconcilerOptions {
  caches: LegacyCaches;
  writes: LegacyWrites;
  event: (object: KubeObject, event: EventRecord, signal: AbortSignal) => Promise<void>;
}

export class LegacyReconciler implements Reconciler {
  readonly #o: LegacyReconcilerOptions;
  /** Last warning per pool, so a pool whose status keeps changing does not repeat it. */
  readonly #warned = new Map<string, string>();

  constructor(options: LegacyReconcilerOptions) {
    this.#o = options;
  }

  async reconcile(request: Request, context: ReconcileContext): Promise<ReconcileResult | undefined> {
    const { caches } = this.#o;
    const name = request.name;
    const pool = caches.pools.get(name);
    const mosc = caches.moscs.get(name);
    const managed = mosc !== undefined && isManaged(mosc) ? mosc : undefined;
    if (pool === undefined || !isOptedIn(pool)) {
      this.#warned.delete(name);
      await this.#optOut(name, pool, managed, context);
      return undefined;
    }
    if (mosc?.metadata.deletionTimestamp !== undefined) return undefined;
    if (mosc !== undefined && managed === undefined) {
      const message = `MachineOSConfig ${name} was not created from the ${LegacyConfigMaps.buildConfig} opt-in; mob leaves it alone`;
      await this.#warn(pool, LegacyEvents.UnmanagedMachineOSConfig, message, context.signal);
      return undefined;
    }
    const cm = (cmName: string) => caches.configMaps.get(`${MCO_NAMESPACE}/${cmName}`);
    const desired = desiredSpec(
      name,
      cm(LegacyConfigMaps.buildConfig),
      cm(LegacyConfigMaps.customDockerfile),
    );
    if (!desired.ok) {
      await this.#invalid(pool, managed, desired.issues.map((i) => i.message).join("; "), context);
    } else {
      await this.#apply(pool, managed, desired.spec, context);
    }
    const plan = planMirrors({
      pool: name,
      mosc: managed,
      mosbs: caches.mosbs,
      configMaps: caches.configMaps,
    });
    await this.#o.writes.applyMirrors(plan, caches.configMaps, context.signal);
    const image = managed?.status?.currentImagePullSpec;
    if (image !== undefined && (await this.#o.writes.annotatePool(pool, image, context.signal))) {
      context.logger.info({ pool: name, image }, "pool annotated with its newest image");
    }
    return undefined;
  }

  async #apply(
    pool: MachineConfigPool,
    managed: MachineOSConfig | undefined,
    spec: MachineOSConfig["spec"],
    context: ReconcileContext,
  ): Promise<void> {
    const name = pool.metadata.name ?? "";
    const outcome = await this.#o.writes.applyMachineOSConfig(name, managed, spec, context.signal);
    if (typeof outcome === "object") {
      await this.#invalid(
        pool,
        managed,
        `MachineOSConfig ${name} was rejected: ${outcome.rejected}`,
        context,
      );
      return;
    }
    this.#warned.delete(name);
    if (outcome === "unchanged") return;
    context.logger.info({ pool: name, outcome }, "managed MachineOSConfig written");
    const created = outcome === "created";
    await this.#o.event(
      pool,
      {
        type: "Normal",
        reason: created ? LegacyEvents.MachineOSConfigCreated : LegacyEvents.MachineOSConfigUpdated,
        message: `MachineOSConfig ${name} ${outcome} from ConfigMaps ${LegacyConfigMaps.buildConfig} and ${LegacyConfigMaps.customDockerfile}`,
      },
      context.signal,
    );
    if (ownCondition(pool)) {
      await this.#o.writes.poolCondition(
        pool,
        {
          status: "False",
          reason: ImageBuildDegradedReasons.BuildPending,
          message: `Waiting for an OS image build to start for pool ${name}`,
        },
        context.signal,
      );
    }
  }

  async #invalid(
    pool: MachineConfigPool,
    managed: MachineOSConfig | undefined,
    problems: string,
    context: ReconcileContext,
  ): Promise<void> {
    const name = pool.metadata.name ?? "";
    const message = `On-cluster build configuration for pool ${name} is invalid: ${problems}`;
    context.logger.warn({ pool: name, problems }, "invalid layering opt-in");
    await this.#warn(pool, LegacyEvents.InvalidLayeringConfig, message, context.signal);
    if (managed !== undefined) return;
    await this.#o.writes.poolCondition(
      pool,
      { status: "True", reason: INVALID_CONFIG_REASON, message },
      context.signal,
    );
  }

  async #optOut(
    name: string,
    pool: MachineConfigPool | undefined,
    managed: MachineOSConfig | undefined,
    context: ReconcileContext,
  ): Promise<void> {
    const { writes, caches } = this.#o;
    if (managed !== undefined && managed.metadata.deletionTimestamp === undefined) {
      await writes.deleteMachineOSConfig(managed, context.signal);
      context.logger.info({ pool: name }, "managed MachineOSConfig deleted");
      if (pool !== undefined) {
        const message = `MachineOSConfig ${name} deleted: the pool is no longer labelled layering-enabled`;
        const event = { type: "Normal" as const, reason: LegacyEvents.MachineOSConfigDeleted, message };
        await this.#o.event(pool, event, context.signal);
      }
    }
    const plan = planMirrors({
      pool: name,
      mosc: undefined,
      mosbs: caches.mosbs,
      configMaps: caches.configMaps,
    });
    await writes.applyMirrors(plan, caches.configMaps, context.signal);
    if (pool === undefined || pool.metadata.deletionTimestamp !== undefined) return;
    await writes.annotatePool(pool, undefined, context.signal);
    if (ownCondition(pool)) {
      const message = `Pool ${name} is not opted in to on-cluster builds`;
      await writes.poolCondition(
        pool,
        { status: "False", reason: OPTED_OUT_REASON, message },
        context.signal,
      );
    }
  }

  async #warn(pool: MachineConfigPool, reason: string, message: string, signal: AbortSignal): Promise<void> {
    const name = pool.metadata.name ?? "";
    if (this.#warned.get(name) === message) return;
    this.#warned.set(name, message);
    await this.#o.event(pool, { type: "Warning", reason, message }, signal);
  }
}

/** ImageBuildDegraded currently carries this controller's reason. */
function ownCondition(pool: MachineConfigPool): boolean {
  const condition = findPoolCondition(pool.status?.conditions, PoolConditionTypes.ImageBuildDegraded);
  return condition?.reason === INVALID_CONFIG_REASON;
}
