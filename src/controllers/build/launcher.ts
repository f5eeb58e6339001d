// Launcher: creates the build Job (or adopts the one already there), records its UID on the
// MachineOSBuild (`job-uid`) and gives the build's ephemeral ConfigMaps and Secrets a non-controller
// owner reference to it, so they go with the Job (upstream §2.5 steps 3–5).

import { BuildKeys, MCO_NAMESPACE } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { isAlreadyExists } from "../../runtime/errors.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { type BuildJobOptions, renderBuildJob } from "./job.ts";
import { type BuildIdentity, ephemeralSelector, jobOwnerReference, mosbOwnerReference } from "./labels.ts";
import { annotateBuild } from "./mosb-writes.ts";
import { jobName } from "./names.ts";

export interface LauncherOptions {
  job: BuildJobOptions;
  mosbs: ResourceClient<MachineOSBuild>;
  jobs: ResourceClient<KubeObject>;
  configMaps: ResourceClient<KubeObject>;
  secrets: ResourceClient<KubeObject>;
}

export interface Launched {
  job: KubeObject;
  mosb: MachineOSBuild;
  created: boolean;
}

export class Launcher {
  readonly #options: LauncherOptions;

  constructor(options: LauncherOptions) {
    this.#options = options;
  }

  async launch(
    mosb: MachineOSBuild,
    id: BuildIdentity,
    pulledImages: readonly string[],
    signal: AbortSignal,
  ): Promise<Launched> {
    const { jobs } = this.#options;
    const desired = renderBuildJob(this.#options.job, {
      id,
      owner: mosbOwnerReference(mosb, true),
      tag: mosb.spec.renderedImagePushSpec,
      pulledImages,
    });
    let job: KubeObject;
    let created = true;
    try {
      job = await jobs.create(desired, { signal });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      job = await jobs.get(jobName(id.mosb), { namespace: MCO_NAMESPACE, signal });
      created = false;
    }
    const uid = job.metadata.uid ?? "";
    const annotated = await annotateBuild(this.#options.mosbs, id.mosb, { [BuildKeys.jobUID]: uid }, signal);
    await this.#own(id.mosb, jobName(id.mosb), uid, signal);
    return { job, mosb: annotated, created };
  }

  async #own(mosb: string, job: string, uid: string, signal: AbortSignal): Promise<void> {
    const owner = jobOwnerReference(job, uid);
    for (const client of [this.#options.configMaps, this.#options.secrets]) {
      const list = await client.list({
        namespace: MCO_NAMESPACE,
        labelSelector: ephemeralSelector(mosb),
        signal,
      });
      for (const object of list.items) {
        const owners = object.metadata.ownerReferences ?? [];
        if (owners.some((ref) => ref.uid === uid)) continue;
        const patch = { metadata: { ownerReferences: [...owners, owner] } };
        await client.patch(object.metadata.name ?? "", patch, {
          type: "merge",
          namespace: MCO_NAMESPACE,
          signal,
        });
      }
    }
  }
}
