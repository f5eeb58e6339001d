// One level-based pass of the daemon over its node: read the node, the on-disk record and the
// backend's status; apply the trust bundle; then either finish (the record matches the target:
// validate, uncordon, Done) or update. Disk beats annotations: the record on disk says what the
// node runs, the currentConfig/currentImage annotations only fill in what the disk does not say.
// After a failure the node stays Degraded and the update is retried after `retryDelayMs` (the
// daemon's own writes to the node would otherwise retrigger it at once).

import { NodeAnnotations, NodeStates } from "../api/constants.ts";
import { Completion } from "./complete.ts";
import { annotation } from "./node-status.ts";
import type { DaemonParts, SyncOutcome, Target } from "./parts.ts";
import { syncTrustBundle, trustBundleOf } from "./trust-bundle.ts";
import { Updater } from "./update.ts";

interface Failure {
  key: string;
  retryAt: number;
}

export class NodeSync {
  readonly #parts: DaemonParts;
  readonly #completion: Completion;
  readonly #updater: Updater;
  #failure: Failure | undefined;

  constructor(parts: DaemonParts) {
    this.#parts = parts;
    this.#completion = new Completion(parts);
    this.#updater = new Updater(parts, this.#completion);
  }

  async sync(signal: AbortSignal): Promise<SyncOutcome> {
    const parts = this.#parts;
    const node = await parts.node.get(signal);
    await this.#trustBundle(signal);
    const desiredConfig = annotation(node, NodeAnnotations.desiredConfig) ?? "";
    if (desiredConfig === "") {
      // A node no controller has targeted yet (a fresh node) has nothing in progress: it reports
      // Done, so the node controller counts it as available and gives it its pool's config.
      if (annotation(node, NodeAnnotations.state) === undefined) {
        await parts.node.setState(node, NodeStates.Done, "", signal);
      }
      return { kind: "idle" };
    }
    const target: Target = {
      config: desiredConfig,
      image: annotation(node, NodeAnnotations.desiredImage) ?? "",
    };
    const key = `${target.config}\n${target.image}`;
    const failure = this.#failure;
    if (failure?.key === key && annotation(node, NodeAnnotations.state) === NodeStates.Degraded) {
      const wait = failure.retryAt - parts.clock.now();
      if (wait > 0) return { kind: "retry", afterMs: wait };
    }
    const disk = await parts.disk.read();
    const status = await parts.backend.status(signal);
    // Without a record on disk the node's files are unknown: the update path rewrites them (in
    // place, idempotently); the annotation only names the config whose files may need removing.
    const recorded = disk.config?.metadata.name;
    const currentConfig = recorded ?? annotation(node, NodeAnnotations.currentConfig) ?? "";
    const currentImage = disk.image ?? annotation(node, NodeAnnotations.currentImage) ?? "";
    try {
      const outcome =
        recorded === target.config && currentImage === target.image
          ? await this.#completion.finish(node, target, disk, status, signal)
          : await this.#updater.update({ node, target, currentConfig, disk, status }, signal);
      this.#failure = undefined;
      return outcome;
    } catch (error) {
      if (signal.aborted) throw error;
      this.#failure = { key, retryAt: parts.clock.now() + parts.retryDelayMs };
      await this.#completion.fail(target, error, signal);
      return { kind: "retry", afterMs: parts.retryDelayMs };
    }
  }

  /** ControllerConfig's additionalTrustBundle, applied in place; never fails the sync. */
  async #trustBundle(signal: AbortSignal): Promise<void> {
    const parts = this.#parts;
    const config = parts.controllerConfig();
    if (config === undefined) return;
    try {
      if (await syncTrustBundle(parts.files.root, trustBundleOf(config))) {
        parts.logger.info("wrote the additional trust bundle");
        const node = parts.node.latest();
        if (node !== undefined) {
          const message = "Updated the user CA bundle from ControllerConfig (no drain, no reboot)";
          await parts.events.record(node, { type: "Normal", reason: "TrustBundleUpdated", message }, signal);
        }
      }
    } catch (error) {
      parts.logger.error({ err: error }, "could not write the additional trust bundle");
    }
  }
}
