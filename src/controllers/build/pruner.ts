// ImagePruner (upstream §6, MOSB deletion): the built image is deleted from the registry unless a
// Node runs or is about to run it (currentImage/desiredImage) or another MachineOSBuild still
// points at the same digest (layer-only builds share their image). Deletion is by digest, never by
// tag, so an image pushed again under the same tag by a rebuild is never hit. Credentials are the
// push secret the build was annotated with. Registry failures (gone already, no permission,
// unreachable) are logged and tolerated: pruning is best effort and must not hold the finalizer.

import type { Logger } from "pino";
import { BuildKeys, MCO_NAMESPACE, NodeAnnotations } from "../../api/constants.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { RegistryClient } from "../../registry/client.ts";
import { isRegistryError } from "../../registry/errors.ts";
import { isNotFound } from "../../runtime/errors.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import { canonicalCredentials } from "./secrets.ts";

export type PruneOutcome = "deleted" | "absent" | "in-use" | "no-image" | "skipped";

export interface ImagePrunerOptions {
  secrets: ResourceClient<KubeObject>;
  registry?: (dockerConfigJson: string) => Pick<RegistryClient, "deleteManifest" | "resolve">;
}

export interface PruneContext {
  nodes: readonly KubeObject[];
  /** Every other MachineOSBuild (any state, not being deleted). */
  otherBuilds: readonly MachineOSBuild[];
  signal: AbortSignal;
  logger: Logger;
}

/** Whether a node runs or targets `image`. */
export function imageInUse(
  image: string,
  nodes: readonly KubeObject[],
  others: readonly MachineOSBuild[],
): boolean {
  const byNode = nodes.some((node) => {
    const annotations = node.metadata.annotations ?? {};
    return (
      annotations[NodeAnnotations.currentImage] === image ||
      annotations[NodeAnnotations.desiredImage] === image
    );
  });
  return byNode || others.some((other) => other.status?.digestedImagePushSpec === image);
}

export class ImagePruner {
  readonly #options: ImagePrunerOptions;

  constructor(options: ImagePrunerOptions) {
    this.#options = options;
  }

  async prune(mosb: MachineOSBuild, context: PruneContext): Promise<PruneOutcome> {
    const image = mosb.status?.digestedImagePushSpec;
    if (image === undefined || image === "") return "no-image";
    if (imageInUse(image, context.nodes, context.otherBuilds)) return "in-use";
    const secretName = mosb.metadata.annotations?.[BuildKeys.renderedImagePushSecret] ?? "";
    const secret = await this.#secret(secretName, context.signal);
    const creds = canonicalCredentials("push", secretName, secret);
    if ("problem" in creds) {
      context.logger.warn(
        { image, reason: creds.problem.message },
        "image not pruned: no usable push secret",
      );
      return "skipped";
    }
    const registry =
      this.#options.registry?.(creds.json) ?? new RegistryClient({ dockerConfigJson: creds.json });
    try {
      const result = await registry.deleteManifest(image, { signal: context.signal });
      return result.deleted ? "deleted" : "absent";
    } catch (error) {
      if (!isRegistryError(error)) throw error;
      context.logger.warn({ image, err: error.message }, "image not pruned");
      return "skipped";
    }
  }

  /** Whether the build's image can still be pulled (reuse check); registry errors other than not-found throw. */
  async exists(mosb: MachineOSBuild, signal: AbortSignal): Promise<boolean> {
    const image = mosb.status?.digestedImagePushSpec;
    if (image === undefined || image === "") return false;
    const secretName = mosb.metadata.annotations?.[BuildKeys.renderedImagePushSecret] ?? "";
    const creds = canonicalCredentials("push", secretName, await this.#secret(secretName, signal));
    const json = "json" in creds ? creds.json : undefined;
    const registry = this.#options.registry?.(json ?? "{}") ?? new RegistryClient({ dockerConfigJson: json });
    try {
      await registry.resolve(image, { signal });
      return true;
    } catch (error) {
      if (isRegistryError(error, "not-found")) return false;
      throw error;
    }
  }

  async #secret(name: string, signal: AbortSignal): Promise<KubeObject | undefined> {
    if (name === "") return undefined;
    try {
      return await this.#options.secrets.get(name, { namespace: MCO_NAMESPACE, signal });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
