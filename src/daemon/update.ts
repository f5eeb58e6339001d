// One update from the node's current config/image to the target (upstream's update sequence):
//   state=Working → fetch the rendered config → reconcilable? (no → Unreconcilable) → plan →
//   [drain handshake, when rebooting] → write files/units/SSH keys/password (backed up) →
//   [cleanupStaged + rebase, when the OS image changes] → on-disk currentconfig/currentimage →
//   [post-config-action=Rebooting + reboot] or, without a reboot, straight to Done.
// A failure after the files were written restores them (and the on-disk record), discards the
// staged deployment and rethrows; the caller uncordons and reports Degraded.

import { DrainVerbs, NodeAnnotations, NodeStates } from "../api/constants.ts";
import type { MachineConfig } from "../api/machineconfig-v1.ts";
import type { KubeObject } from "../api/object.ts";
import type { IgnitionConfig } from "../ignition/index.ts";
import type { Completion } from "./complete.ts";
import { DiskPaths } from "./constants.ts";
import type { DiskState } from "./disk-state.ts";
import { annotation } from "./node-status.ts";
import type { OsStatus } from "./os/backend.ts";
import { type DaemonParts, type SyncOutcome, step, type Target, UpdateError } from "./parts.ts";
import { planUpdate, type UpdatePlan } from "./plan.ts";
import { ignitionOf, unreconcilableReason } from "./reconcilable.ts";

export interface UpdateInput {
  node: KubeObject;
  target: Target;
  /** The config the node runs now, by name ("" when it has none yet). */
  currentConfig: string;
  disk: DiskState;
  status: OsStatus;
}

export class Updater {
  readonly #parts: DaemonParts;
  readonly #completion: Completion;

  constructor(parts: DaemonParts, completion: Completion) {
    this.#parts = parts;
    this.#completion = completion;
  }

  async update(input: UpdateInput, signal: AbortSignal): Promise<SyncOutcome> {
    const parts = this.#parts;
    const { target } = input;
    const desired = await this.#fetch(target.config, signal);
    const current =
      input.disk.config ??
      (input.currentConfig === "" ? undefined : await parts.configs.get(input.currentConfig, signal));
    const refusal = unreconcilableReason(current, desired);
    if (refusal !== undefined) return this.#unreconcilable(input.node, target, refusal, signal);
    const plan = planUpdate({
      current,
      desired,
      desiredImage: target.image,
      bootedImage: input.status.booted.image,
    });
    const working = await parts.node.setState(input.node, NodeStates.Working, "", signal);
    parts.metrics.state(NodeStates.Working, target.config, target.image);
    parts.logger.info(
      { config: target.config, image: plan.targetImage, reboot: plan.osChange },
      plan.osChange ? "updating with a rebase and reboot" : "updating in place",
    );
    if (plan.kernelChanges.length > 0) {
      const message = `${plan.kernelChanges.join(", ")} changed in ${target.config}; the ${parts.backend.name} backend cannot apply them yet, they take effect with the next OS image`;
      parts.logger.warn({ config: target.config, changes: plan.kernelChanges }, message);
      await parts.events.record(
        working,
        { type: "Warning", reason: "KernelChangesNotApplied", message },
        signal,
      );
    }
    if (plan.osChange) {
      await step("drain", `failed to drain node for ${target.config}`, () =>
        parts.handshake.request(`${DrainVerbs.drain}-${target.config}`, signal),
      );
    }
    const previous = current === undefined ? undefined : ignitionOrUndefined(current);
    const next = ignitionOrUndefined(desired) ?? { ignition: { version: "3.4.0" } };
    const applied = await step("files", `failed to write the files of ${target.config}`, () =>
      parts.files.apply(previous, next, {
        extraPaths: [DiskPaths.currentConfig, DiskPaths.currentImage],
        signal,
      }),
    );
    try {
      if (plan.osChange) await this.#rebase(plan, signal);
      await step("files", `failed to record ${target.config} on disk`, () =>
        parts.disk.write({ config: desired, image: target.image }),
      );
    } catch (error) {
      await applied.rollback();
      await parts.backend.cleanupStaged(signal).catch(() => undefined);
      throw error;
    }
    if (plan.osChange) {
      try {
        return await this.#completion.reboot(
          parts.node.latest() ?? working,
          target,
          plan.targetImage,
          signal,
        );
      } catch (error) {
        await applied.rollback();
        throw error;
      }
    }
    const node = parts.node.latest() ?? working;
    const disk = await parts.disk.read();
    return this.#completion.finish(node, target, disk, await parts.backend.status(signal), signal);
  }

  async #fetch(name: string, signal: AbortSignal): Promise<MachineConfig> {
    const config = await step("fetch", `failed to get MachineConfig ${name}`, () =>
      this.#parts.configs.get(name, signal),
    );
    if (config === undefined) throw new UpdateError("fetch", `MachineConfig ${name} not found`);
    return config;
  }

  /** Rebases with upstream's OSUpdateStarted/OSUpdateStaged events on the Node. */
  async #rebase(plan: UpdatePlan, signal: AbortSignal): Promise<void> {
    const { backend, credentials, logger, events, node } = this.#parts;
    const image = plan.targetImage;
    const record = async (reason: string, message: string) => {
      const current = node.latest();
      if (current !== undefined) await events.record(current, { type: "Normal", reason, message }, signal);
    };
    await record("OSUpdateStarted", `Rebasing to ${image === "" ? "the base OS image" : image}`);
    await step("rebase", `failed to rebase to ${image}`, async () => {
      await backend.cleanupStaged(signal);
      const creds = await credentials(signal);
      logger.info({ image, backend: backend.name }, "rebasing");
      await backend.rebase(image, { ...(creds !== undefined ? { credentials: creds } : {}), signal });
    });
    await record("OSUpdateStaged", "Changes to OS staged");
  }

  async #unreconcilable(
    node: KubeObject,
    target: Target,
    reason: string,
    signal: AbortSignal,
  ): Promise<SyncOutcome> {
    const parts = this.#parts;
    const already =
      annotation(node, NodeAnnotations.state) === NodeStates.Unreconcilable &&
      annotation(node, NodeAnnotations.reason) === reason;
    parts.metrics.state(NodeStates.Unreconcilable, target.config, target.image);
    if (already) return { kind: "idle" };
    parts.logger.error({ config: target.config, reason }, "update is unreconcilable");
    const updated = await parts.node.setState(node, NodeStates.Unreconcilable, reason, signal);
    await parts.events.record(
      updated,
      { type: "Warning", reason: "Unreconcilable", message: reason },
      signal,
    );
    return { kind: "idle" };
  }
}

function ignitionOrUndefined(config: MachineConfig): IgnitionConfig | undefined {
  const result = ignitionOf(config);
  return "config" in result ? result.config : undefined;
}
