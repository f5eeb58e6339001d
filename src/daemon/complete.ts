// The end of an update, whichever way it went: reboot into the staged image, or validate what is
// booted, uncordon and report Done; or, on failure, uncordon and report Degraded. Never leaves a
// node cordoned: every failure path asks the drain controller for `uncordon-<mc>`.

import { DrainVerbs, NodeAnnotations, NodeStates, PostConfigActions } from "../api/constants.ts";
import type { KubeObject } from "../api/object.ts";
import type { DiskState } from "./disk-state.ts";
import { sameImage } from "./images.ts";
import { annotation } from "./node-status.ts";
import type { OsStatus } from "./os/backend.ts";
import { type DaemonParts, type SyncOutcome, step, type Target, UpdateError } from "./parts.ts";

export class Completion {
  readonly #parts: DaemonParts;

  constructor(parts: DaemonParts) {
    this.#parts = parts;
  }

  /**
   * The node's record matches the target: check the booted image, uncordon, report Done. A target
   * image that is staged but not booted yet (the daemon stopped just before rebooting) resumes the
   * reboot.
   */
  async finish(
    node: KubeObject,
    target: Target,
    disk: DiskState,
    status: OsStatus,
    signal: AbortSignal,
  ): Promise<SyncOutcome> {
    const expected = target.image !== "" ? target.image : (disk.config?.spec?.osImageURL ?? "");
    const booted = status.booted.image;
    if (expected !== "" && booted !== undefined && !sameImage(expected, booted)) {
      if (status.staged !== undefined && sameImage(expected, status.staged.image)) {
        await step("drain", `failed to drain node for ${target.config}`, () =>
          this.#parts.handshake.request(`${DrainVerbs.drain}-${target.config}`, signal),
        );
        return this.reboot(node, target, expected, signal);
      }
      throw new UpdateError(
        "validate",
        `unexpected on-disk state validating against ${target.config}: expected image ${expected}, booted ${booted}`,
      );
    }
    await this.uncordon(node, target, signal);
    return this.done(target, signal);
  }

  async reboot(node: KubeObject, target: Target, image: string, signal: AbortSignal): Promise<SyncOutcome> {
    const parts = this.#parts;
    const rebooting = await parts.node.annotate(
      node,
      { [NodeAnnotations.postConfigAction]: PostConfigActions.Rebooting },
      signal,
    );
    parts.metrics.state(NodeStates.Rebooting, target.config, target.image);
    const into = image === "" ? target.config : image;
    parts.logger.info({ config: target.config, image }, "rebooting");
    await parts.events.record(
      rebooting,
      { type: "Normal", reason: "Reboot", message: `Node will reboot into ${into}` },
      signal,
    );
    try {
      await parts.rebooter.reboot(signal);
    } catch (error) {
      parts.metrics.rebootFailed();
      await parts.backend.cleanupStaged(signal).catch(() => undefined);
      const latest = parts.node.latest() ?? rebooting;
      await parts.node
        .annotate(latest, { [NodeAnnotations.postConfigAction]: null }, signal)
        .catch(() => undefined);
      throw new UpdateError(
        "reboot",
        `failed to reboot into ${into}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return { kind: "rebooted" };
  }

  /** Asks for `uncordon-<mc>` when the node was drained (or is still cordoned by a drain). */
  async uncordon(node: KubeObject, target: Target, signal: AbortSignal): Promise<void> {
    const desiredDrain = annotation(node, NodeAnnotations.desiredDrain) ?? "";
    if (!desiredDrain.startsWith(`${DrainVerbs.drain}-`)) return;
    await step("uncordon", `failed to uncordon node for ${target.config}`, () =>
      this.#parts.handshake.request(
        `${DrainVerbs.uncordon}-${target.config}`,
        signal,
        this.#parts.uncordonTimeoutMs,
      ),
    );
  }

  async done(target: Target, signal: AbortSignal): Promise<SyncOutcome> {
    const parts = this.#parts;
    const node = parts.node.latest() ?? (await parts.node.get(signal));
    const wasDone = annotation(node, NodeAnnotations.state) === NodeStates.Done;
    const updated = await parts.node.annotate(
      node,
      {
        [NodeAnnotations.currentConfig]: target.config,
        [NodeAnnotations.currentImage]: target.image === "" ? null : target.image,
        [NodeAnnotations.state]: NodeStates.Done,
        [NodeAnnotations.reason]: "",
        [NodeAnnotations.postConfigAction]: null,
      },
      signal,
    );
    parts.metrics.state(NodeStates.Done, target.config, target.image);
    if (!wasDone) {
      const what = target.image === "" ? target.config : `${target.config} (image ${target.image})`;
      parts.logger.info({ config: target.config, image: target.image }, "update complete");
      await parts.events.record(
        updated,
        { type: "Normal", reason: "NodeDone", message: `Node is running ${what}` },
        signal,
      );
    }
    return { kind: "idle" };
  }

  /** Uncordons (best effort) and reports Degraded with the error's reason. */
  async fail(target: Target, error: unknown, signal: AbortSignal): Promise<void> {
    const parts = this.#parts;
    const reason = error instanceof Error ? error.message : String(error);
    parts.logger.error({ err: error, config: target.config, image: target.image }, "update failed");
    const node = parts.node.latest() ?? (await parts.node.get(signal));
    const drained = (annotation(node, NodeAnnotations.desiredDrain) ?? "").startsWith(`${DrainVerbs.drain}-`);
    // Only a drain the daemon asked for is undone: a node an admin cordoned stays cordoned.
    if (drained) {
      try {
        await parts.handshake.request(
          `${DrainVerbs.uncordon}-${target.config}`,
          signal,
          parts.uncordonTimeoutMs,
        );
      } catch (uncordonError) {
        parts.logger.error({ err: uncordonError }, "could not uncordon the node after a failed update");
      }
    }
    const latest = parts.node.latest() ?? node;
    const degraded = await parts.node.setState(latest, NodeStates.Degraded, reason, signal);
    parts.metrics.state(NodeStates.Degraded, target.config, target.image);
    await parts.events.record(degraded, { type: "Warning", reason: "UpdateFailed", message: reason }, signal);
  }
}
