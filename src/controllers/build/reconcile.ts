// The build reconciler, level-based, one request per MachineOSConfig name. It re-reads the
// MachineOSConfig and every MachineOSBuild labelled for it from the caches and:
//   1. finishes builds being deleted (image pruned unless in use, digest ConfigMap and ephemeral
//      objects removed, then mob's finalizer released);
//   2. deletes builds controlled by a MachineOSConfig that no longer exists (UID match, §9.27; a
//      new MachineOSConfig of the same name keeps its own);
//   3. follows each build's Job (StatusMapper) and cleans up after a success;
//   4. converges on the build the pool's current inputs call for (converge.ts).

import { BuildKeys, MCO_NAMESPACE } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import type { ReconcileContext, ReconcileResult, Reconciler } from "../../runtime/controller.ts";
import { isConflict, isNotFound } from "../../runtime/errors.ts";
import type { EventRecord } from "../../runtime/events.ts";
import type { Request } from "../../runtime/predicates.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { buildStateOf } from "./build-state.ts";
import type { Cleaner } from "./cleaner.ts";
import { BuildEvents, IMAGE_CLEANUP_FINALIZER } from "./constants.ts";
import { type ConvergeRoles, Converger } from "./converge.ts";
import { controllerUid } from "./labels.ts";
import { releaseBuild } from "./mosb-writes.ts";
import { digestConfigMapName, jobName } from "./names.ts";
import type { ImagePruner } from "./pruner.ts";
import type { StatusSync } from "./status-sync.ts";

/** What the reconciler reads of an informer cache. */
export interface Lister<T extends KubeObject> {
  get(key: string): T | undefined;
  list(): T[];
}

export interface BuildCaches {
  moscs: Lister<MachineOSConfig>;
  mosbs: Lister<MachineOSBuild>;
  pools: Lister<MachineConfigPool>;
  configs: Lister<MachineConfig>;
  /** Jobs in MCO_NAMESPACE, keyed `namespace/name`. */
  jobs: Lister<KubeObject>;
  nodes: Lister<KubeObject>;
}

export interface BuildReconcilerOptions extends ConvergeRoles {
  caches: BuildCaches;
  status: StatusSync;
  cleaner: Cleaner;
  pruner: ImagePruner;
  mosbs: ResourceClient<MachineOSBuild>;
  configMaps: ResourceClient<KubeObject>;
  event: (object: KubeObject, event: EventRecord, signal: AbortSignal) => Promise<void>;
}

export class BuildReconciler implements Reconciler {
  readonly #options: BuildReconcilerOptions;
  readonly #converger: Converger;

  constructor(options: BuildReconcilerOptions) {
    this.#options = options;
    this.#converger = new Converger(options);
  }

  async reconcile(request: Request, context: ReconcileContext): Promise<ReconcileResult | undefined> {
    const { caches } = this.#options;
    const mosc = caches.moscs.get(request.name);
    const all = caches.mosbs.list().filter((b) => b.spec.machineOSConfig.name === request.name);
    for (const mosb of all.filter(deleting)) await this.#finalize(mosb, context);
    const live = all.filter((b) => !deleting(b));
    const moscUid = mosc === undefined || deleting(mosc) ? undefined : mosc.metadata.uid;
    const owned: MachineOSBuild[] = [];
    for (const mosb of live) {
      const owner = controllerUid(mosb.metadata.ownerReferences, "MachineOSConfig");
      if (owner !== undefined && owner !== moscUid) await this.#deleteOrphan(mosb, context);
      else owned.push(mosb);
    }
    if (mosc === undefined || moscUid === undefined) return undefined;
    const synced: MachineOSBuild[] = [];
    for (const mosb of owned) synced.push(await this.#follow(mosb, context));
    return this.#converger.converge(mosc, synced, context);
  }

  async #follow(mosb: MachineOSBuild, context: ReconcileContext): Promise<MachineOSBuild> {
    const name = mosb.metadata.name ?? "";
    const job = this.#options.caches.jobs.get(`${MCO_NAMESPACE}/${jobName(name)}`);
    const updated = await this.#options.status.sync(mosb, job, context.signal, context.logger);
    const uid = updated.metadata.annotations?.[BuildKeys.jobUID];
    if (buildStateOf(updated) === "Succeeded" && job !== undefined && job.metadata.uid === uid) {
      await this.#options.cleaner.clean(updated, context.signal);
    }
    return updated;
  }

  async #deleteOrphan(mosb: MachineOSBuild, context: ReconcileContext): Promise<void> {
    const name = mosb.metadata.name ?? "";
    context.logger.info({ machineOSBuild: name }, "deleting build of a deleted MachineOSConfig");
    try {
      const uid = mosb.metadata.uid;
      await this.#options.mosbs.delete(name, {
        signal: context.signal,
        ...(uid ? { preconditions: { uid } } : {}),
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }

  /** Runs mob's finalizer: image, digest ConfigMap and ephemeral objects, then lets the build go. */
  async #finalize(mosb: MachineOSBuild, context: ReconcileContext): Promise<void> {
    const { signal, logger } = context;
    const name = mosb.metadata.name ?? "";
    if (!(mosb.metadata.finalizers ?? []).includes(IMAGE_CLEANUP_FINALIZER)) return;
    const others = this.#options.caches.mosbs
      .list()
      .filter((b) => b.metadata.uid !== mosb.metadata.uid && !deleting(b));
    const nodes = this.#options.caches.nodes.list();
    const outcome = await this.#options.pruner.prune(mosb, { nodes, otherBuilds: others, signal, logger });
    logger.info(
      { machineOSBuild: name, image: mosb.status?.digestedImagePushSpec, outcome },
      "build deleted",
    );
    try {
      await this.#options.configMaps.delete(digestConfigMapName(name), { namespace: MCO_NAMESPACE, signal });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await this.#options.cleaner.cleanAll(name, signal);
    await this.#options.event(
      mosb,
      {
        type: "Normal",
        reason: BuildEvents.BuildDeleted,
        message: `MachineOSBuild ${name} deleted (image: ${outcome})`,
      },
      signal,
    );
    await releaseBuild(this.#options.mosbs, mosb, signal);
  }
}

function deleting(object: KubeObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}
