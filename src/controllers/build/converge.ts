// Converging a MachineOSConfig on the build its pool's inputs call for (upstream §2.2–2.5, §2 "Rebuild
// vs reuse"). The target is `<mosc>-<hash>` of the current inputs:
//   `rebuild` annotation → the target (or current) build is deleted, the annotation dropped, and the
//                          build made again under the same name once the old one is gone;
//   target exists        → Succeeded: reused (its image checked first unless the config already
//                          points at it); not started: started; otherwise followed, never retried;
//   target absent        → refused while the pool is degraded; layer-only when only non-OS parts of
//                          the MachineConfig changed (a Succeeded build with the current image and
//                          no Job); otherwise created and started.
// Starting a build deletes the config's other builds that have not succeeded.

import { BuildKeys, MachineOSConfigAnnotations } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import type { ReconcileContext, ReconcileResult } from "../../runtime/controller.ts";
import { isAlreadyExists, isConflict, isNotFound } from "../../runtime/errors.ts";
import type { EventRecord } from "../../runtime/events.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { type BuildState, buildStateOf } from "./build-state.ts";
import { pointConfigAt, syncPoolCondition } from "./config-writes.ts";
import { BuildEvents } from "./constants.ts";
import { preflightFailedMessage } from "./failure.ts";
import type { BuildIdentity } from "./labels.ts";
import type { Launcher } from "./launcher.ts";
import { newMachineOSBuild, writeBuildState } from "./mosb-writes.ts";
import { BuildInputsError, machineOSBuildName } from "./names.ts";
import type { Preparer } from "./preparer.ts";
import type { ImagePruner } from "./pruner.ts";
import type { BuildCaches } from "./reconcile.ts";
import { poolBlocked, requiresRebuild } from "./rules.ts";
import type { StatusSync } from "./status-sync.ts";

export interface ConvergeRoles {
  caches: BuildCaches;
  preparer: Preparer;
  launcher: Launcher;
  status: StatusSync;
  pruner: ImagePruner;
  mosbs: ResourceClient<MachineOSBuild>;
  moscs: ResourceClient<MachineOSConfig>;
  pools: ResourceClient<MachineConfigPool>;
  event: (object: KubeObject, event: EventRecord, signal: AbortSignal) => Promise<void>;
  now?: () => Date;
}

interface Target {
  mosc: MachineOSConfig;
  pool: MachineConfigPool;
  mc: MachineConfig;
  id: BuildIdentity;
  builds: MachineOSBuild[];
}

export class Converger {
  readonly #r: ConvergeRoles;
  readonly #now: () => Date;

  constructor(roles: ConvergeRoles) {
    this.#r = roles;
    this.#now = roles.now ?? (() => new Date());
  }

  async converge(
    mosc: MachineOSConfig,
    builds: MachineOSBuild[],
    context: ReconcileContext,
  ): Promise<ReconcileResult | undefined> {
    const target = await this.#target(mosc, builds, context);
    if (target === undefined || !("id" in target)) return target;
    if (mosc.metadata.annotations?.[MachineOSConfigAnnotations.rebuild] !== undefined) {
      if (await this.#rebuild(target, context)) return undefined;
    }
    const goingAway = this.#r.caches.mosbs.get(target.id.mosb);
    if (goingAway?.metadata.deletionTimestamp !== undefined) return undefined;
    const existing = builds.find((b) => b.metadata.name === target.id.mosb);
    if (existing !== undefined) return this.#existing(target, existing, context);
    const blocked = poolBlocked(target.pool);
    if (blocked !== undefined) {
      const message = `not building: pool ${target.id.pool} is ${blocked}`;
      context.logger.info({ pool: target.id.pool, condition: blocked }, "build refused");
      await this.#r.event(
        mosc,
        { type: "Warning", reason: BuildEvents.ConfigReconcileFailed, message },
        context.signal,
      );
      return undefined;
    }
    if (await this.#layerOnly(target, context)) return undefined;
    const created = await this.#create(target, context);
    await this.#start(target, created, context);
    return undefined;
  }

  async #target(
    mosc: MachineOSConfig,
    builds: MachineOSBuild[],
    context: ReconcileContext,
  ): Promise<Target | ReconcileResult | undefined> {
    const pool = this.#r.caches.pools.get(mosc.spec.machineConfigPool.name);
    const mcName = pool?.spec.configuration?.name;
    if (pool === undefined || mcName === undefined || mcName === "") return undefined;
    const mc = this.#r.caches.configs.get(mcName);
    if (mc === undefined) return { requeueAfterMs: 1000 };
    try {
      const mosb = machineOSBuildName({ mosc, pool, machineConfig: mc });
      const id = {
        mosb,
        mosc: mosc.metadata.name ?? "",
        pool: pool.metadata.name ?? "",
        machineConfig: mcName,
      };
      return { mosc, pool, mc, id, builds };
    } catch (error) {
      if (!(error instanceof BuildInputsError)) throw error;
      const event = {
        type: "Warning" as const,
        reason: BuildEvents.ConfigReconcileFailed,
        message: error.message,
      };
      await this.#r.event(mosc, event, context.signal);
      return undefined;
    }
  }

  /** True when a deletion was started and the build must wait for it. */
  async #rebuild(t: Target, context: ReconcileContext): Promise<boolean> {
    const { signal } = context;
    const name = t.mosc.metadata.name ?? "";
    const live = await this.#r.moscs.get(name, { signal });
    if (live.metadata.annotations?.[MachineOSConfigAnnotations.rebuild] === undefined) return false;
    const current = live.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
    const victim =
      t.builds.find((b) => b.metadata.name === t.id.mosb) ??
      t.builds.find((b) => b.metadata.name === current);
    await this.#r.event(
      t.mosc,
      {
        type: "Normal",
        reason: BuildEvents.RebuildRequested,
        message: `Rebuild of ${victim?.metadata.name ?? t.id.mosb} requested`,
      },
      signal,
    );
    if (victim !== undefined) await this.#delete(victim, signal);
    const patch = { metadata: { annotations: { [MachineOSConfigAnnotations.rebuild]: null } } };
    await this.#r.moscs.patch(name, patch, { type: "merge", signal });
    return victim !== undefined;
  }

  async #existing(
    t: Target,
    mosb: MachineOSBuild,
    context: ReconcileContext,
  ): Promise<ReconcileResult | undefined> {
    const { signal } = context;
    const state = buildStateOf(mosb);
    const annotations = t.mosc.metadata.annotations ?? {};
    const pointed = annotations[MachineOSConfigAnnotations.currentMachineOSBuild] === t.id.mosb;
    if (state === "Succeeded") {
      const image = mosb.status?.digestedImagePushSpec;
      if (!pointed || t.mosc.status?.currentImagePullSpec !== image) {
        if (!pointed && !(await this.#r.pruner.exists(mosb, signal))) {
          context.logger.info(
            { machineOSBuild: t.id.mosb },
            "image of the earlier build is gone; building again",
          );
          await this.#delete(mosb, signal);
          return undefined;
        }
        if (!pointed) await this.#deleteUnfinished(t, signal);
        await pointConfigAt(this.#r.moscs, t.mosc, mosb, { dropRebuild: false, withImage: true, signal });
        await this.#r.event(
          t.mosc,
          {
            type: "Normal",
            reason: BuildEvents.ConfigReconciled,
            message: `Using image ${image ?? ""} of MachineOSBuild ${t.id.mosb}`,
          },
          signal,
        );
      }
    } else if (
      state !== "Failed" &&
      state !== "Interrupted" &&
      mosb.metadata.annotations?.[BuildKeys.jobUID] === undefined
    ) {
      return this.#start(t, mosb, context);
    } else if (!pointed) {
      await pointConfigAt(this.#r.moscs, t.mosc, mosb, { dropRebuild: false, withImage: false, signal });
    }
    await this.#poolCondition(t, state, signal);
    return undefined;
  }

  async #layerOnly(t: Target, context: ReconcileContext): Promise<boolean> {
    const { mosc } = t;
    const currentName = mosc.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
    const current = t.builds.find((b) => b.metadata.name === currentName);
    const image = current?.status?.digestedImagePushSpec;
    if (current === undefined || buildStateOf(current) !== "Succeeded" || image === undefined) return false;
    if (mosc.status?.currentImagePullSpec !== image) return false;
    if ((mosc.status?.observedGeneration ?? -1) !== (mosc.metadata.generation ?? 0)) return false;
    const oldMc = this.#r.caches.configs.get(current.spec.machineConfig.name);
    if (oldMc === undefined || requiresRebuild(oldMc, t.mc)) return false;
    const created = await this.#create(t, context);
    const start = current.status?.buildStart;
    const write = {
      state: "Succeeded" as const,
      now: this.#now(),
      digestedImagePushSpec: image,
      ...(start ? { startedAt: start } : {}),
    };
    const done = await writeBuildState(this.#r.mosbs, created, write, context.signal);
    context.logger.info({ machineOSBuild: t.id.mosb, image }, "layer-only change: reusing the current image");
    const message = `Build Ready (layer-only change: image ${image} of ${current.metadata.name ?? ""} reused)`;
    await this.#r.event(
      done,
      { type: "Normal", reason: BuildEvents.BuildCompleted, message },
      context.signal,
    );
    await pointConfigAt(this.#r.moscs, mosc, done, {
      dropRebuild: false,
      withImage: true,
      signal: context.signal,
    });
    await this.#poolCondition(t, "Succeeded", context.signal);
    return true;
  }

  async #create(t: Target, context: ReconcileContext): Promise<MachineOSBuild> {
    const { signal } = context;
    let created: MachineOSBuild;
    try {
      created = await this.#r.mosbs.create(newMachineOSBuild(t.mosc, t.id), { signal });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      created = await this.#r.mosbs.get(t.id.mosb, { signal });
    }
    return writeBuildState(this.#r.mosbs, created, { state: "Initial", now: this.#now() }, signal);
  }

  async #start(t: Target, mosb: MachineOSBuild, context: ReconcileContext): Promise<undefined> {
    const { signal, logger } = context;
    await this.#deleteUnfinished(t, signal);
    const started = `Build started for pool ${t.id.pool}`;
    await this.#r.event(mosb, { type: "Normal", reason: BuildEvents.BuildStarted, message: started }, signal);
    const message = `${started} (MachineOSBuild ${t.id.mosb})`;
    await this.#r.event(t.mosc, { type: "Normal", reason: BuildEvents.BuildStarted, message }, signal);
    const prepared = await this.#r.preparer.prepare({ id: t.id, mosc: t.mosc, machineConfig: t.mc }, signal);
    if (!prepared.ok) {
      logger.warn(
        { machineOSBuild: t.id.mosb, step: prepared.step, reason: prepared.summary },
        "build cannot start",
      );
      await this.#r.status.failBeforeJob(
        mosb,
        preflightFailedMessage(prepared.step, prepared.summary),
        signal,
      );
      await pointConfigAt(this.#r.moscs, t.mosc, mosb, { dropRebuild: true, withImage: false, signal });
      await this.#poolCondition(t, "Failed", signal);
      return undefined;
    }
    const pulled = [t.mc.spec?.osImageURL ?? "", t.mc.spec?.baseOSExtensionsContainerImage ?? ""].filter(
      (i) => i !== "",
    );
    const launched = await this.#r.launcher.launch(mosb, t.id, pulled, signal);
    if (launched.created) {
      await this.#r.event(
        launched.mosb,
        {
          type: "Normal",
          reason: BuildEvents.JobCreated,
          message: `Job ${launched.job.metadata.name ?? ""} created`,
        },
        signal,
      );
    }
    await this.#r.status.sync(launched.mosb, launched.job, signal, logger);
    await pointConfigAt(this.#r.moscs, t.mosc, mosb, { dropRebuild: true, withImage: false, signal });
    await this.#poolCondition(t, "Building", signal);
    return undefined;
  }

  async #deleteUnfinished(t: Target, signal: AbortSignal): Promise<void> {
    for (const other of t.builds) {
      if (other.metadata.name === t.id.mosb || buildStateOf(other) === "Succeeded") continue;
      await this.#delete(other, signal);
    }
  }

  async #delete(mosb: MachineOSBuild, signal: AbortSignal): Promise<void> {
    const uid = mosb.metadata.uid;
    try {
      await this.#r.mosbs.delete(mosb.metadata.name ?? "", {
        signal,
        ...(uid ? { preconditions: { uid } } : {}),
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }

  #poolCondition(t: Target, state: BuildState, signal: AbortSignal): Promise<void> {
    return syncPoolCondition(this.#r, t.mosc, t.pool, t.id, state, signal, this.#now());
  }
}
