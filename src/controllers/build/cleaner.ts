// Cleaner (upstream §6): after a successful build the Job goes (Foreground, and only the Job whose
// UID the MachineOSBuild recorded, so a newer Job of the same name survives) together with the
// ephemeral ConfigMaps and Secrets of that build owned by it. When the MachineOSBuild itself is
// deleted, every ephemeral object of the build goes, whoever owns it.

import { BuildKeys, MCO_NAMESPACE } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { isConflict, isNotFound } from "../../runtime/errors.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { ephemeralSelector } from "./labels.ts";
import { jobName } from "./names.ts";

export interface CleanerOptions {
  jobs: ResourceClient<KubeObject>;
  configMaps: ResourceClient<KubeObject>;
  secrets: ResourceClient<KubeObject>;
}

export class Cleaner {
  readonly #options: CleanerOptions;

  constructor(options: CleanerOptions) {
    this.#options = options;
  }

  /** After success: the recorded Job and the ephemeral objects it owns. */
  async clean(mosb: MachineOSBuild, signal: AbortSignal): Promise<void> {
    const uid = mosb.metadata.annotations?.[BuildKeys.jobUID];
    if (uid === undefined || uid === "") return;
    await this.#deleteJob(mosb.metadata.name ?? "", uid, signal);
    await this.#deleteEphemeral(
      mosb.metadata.name ?? "",
      (object) => (object.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid),
      signal,
    );
  }

  /** When the build is deleted: every ephemeral object of it (its Job goes by garbage collection). */
  async cleanAll(mosbName: string, signal: AbortSignal): Promise<void> {
    await this.#deleteEphemeral(mosbName, () => true, signal);
  }

  async #deleteJob(mosb: string, uid: string, signal: AbortSignal): Promise<void> {
    try {
      await this.#options.jobs.delete(jobName(mosb), {
        namespace: MCO_NAMESPACE,
        propagationPolicy: "Foreground",
        preconditions: { uid },
        signal,
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }

  async #deleteEphemeral(
    mosb: string,
    owned: (object: KubeObject) => boolean,
    signal: AbortSignal,
  ): Promise<void> {
    for (const client of [this.#options.configMaps, this.#options.secrets]) {
      const list = await client.list({
        namespace: MCO_NAMESPACE,
        labelSelector: ephemeralSelector(mosb),
        signal,
      });
      for (const object of list.items.filter(owned)) {
        try {
          await client.delete(object.metadata.name ?? "", { namespace: MCO_NAMESPACE, signal });
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
    }
  }
}
