// What an update has to do, decided from the configs and the booted image (pure).
//
// The OS image the node should boot is desiredImage when the pool is layered, else the rendered
// config's osImageURL (which is how a revert lands back on the base image). It is compared with the
// image the backend says is booted, not with the annotations, so a daemon restarted at any point
// re-derives the same plan.
//
// Reboot rules. Upstream (without node disruption policies) reboots when the OS image, kernel
// arguments, kernelType or extensions change, and for every file change. mob:
//   - the OS image changes (rebase, layered or not)                 → drain + rebase + reboot
//   - files, units, SSH keys, password, layer-only MCs              → written in place, no drain
//     (what upstream's disruption policies "None"/"Reload" do)
//   - kernelArguments (any pool), kernelType/extensions (non-layered) → reported in
//     `kernelChanges`; the OsBackend contract has no operation that applies them yet, and every
//     backend's reboot needs a staged deployment, so they take effect only with the next image
//     change. (On a layered pool kernelType and extensions are baked into the image, so they
//     arrive as an image change.)

import type { MachineConfig } from "../api/machineconfig-v1.ts";
import { sameImage } from "./images.ts";

export interface PlanInput {
  current: MachineConfig | undefined;
  desired: MachineConfig;
  /** The desiredImage annotation; "" when the pool is not layered. */
  desiredImage: string;
  bootedImage: string | undefined;
}

export interface UpdatePlan {
  /** The image to boot; "" when neither the annotation nor the config names one. */
  targetImage: string;
  layered: boolean;
  /** A rebase to targetImage (and so a drain and a reboot) is needed. */
  osChange: boolean;
  /** Kernel settings that changed and that no backend applies yet (see above). */
  kernelChanges: string[];
}

export function planUpdate(input: PlanInput): UpdatePlan {
  const layered = input.desiredImage !== "";
  const targetImage = layered ? input.desiredImage : (input.desired.spec?.osImageURL ?? "");
  const osChange = targetImage !== "" && !sameImage(targetImage, input.bootedImage);
  const reasons: string[] = [];
  const before = input.current?.spec ?? {};
  const after = input.desired.spec ?? {};
  if (input.current !== undefined) {
    if (!sameList(before.kernelArguments ?? [], after.kernelArguments ?? [])) reasons.push("kernelArguments");
    if (!layered && kernelType(before.kernelType) !== kernelType(after.kernelType))
      reasons.push("kernelType");
    if (!layered && !sameSet(before.extensions ?? [], after.extensions ?? [])) reasons.push("extensions");
  }
  return { targetImage, layered, osChange, kernelChanges: reasons };
}

function kernelType(value: string | undefined): string {
  return value === undefined || value === "" ? "default" : value;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return sameList([...new Set(a)].sort(), [...new Set(b)].sort());
}
