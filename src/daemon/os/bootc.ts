// The OS backend of bootc hosts. Choices, each against bootc's documented CLI:
// - status: `bootc status --format=json --format-version=1` (the stable, versioned JSON schema).
// - rebase: `bootc switch --transport registry --retain <repo@digest>`. A digest pin makes later
//   `bootc upgrade` a no-op, so every update is an explicit switch, as the daemon wants. `--retain`
//   keeps the booted image's reference in bootc's image store instead of pruning it, so a revert
//   to it does not pull it again. Signature policy is not enforced (upstream's
//   `ostree-unverified-registry` equivalent); the digest is the trust anchor.
// - reboot: `systemctl reboot`, not `bootc switch --apply`: the daemon drains and writes state
//   between staging and rebooting, and `--apply` would fold the two steps into one.
// - cleanupStaged: bootc has no "discard staged" verb, and `bootc rollback` is not one — it also
//   reorders the boot entries (bootc issue #946). The staged deployment is the first entry of
//   ostree's deployment list, and undeploying a staged deployment only drops its
//   /run/ostree/staged-deployment record, so `ostree admin undeploy 0` is used, only after status
//   confirmed a staged entry, and checked afterwards.

import { formatImageReference } from "../../registry/index.ts";
import type { OsBackend, OsStatus, PullCredentials } from "./backend.ts";
import { OsBackendError } from "./backend.ts";
import { parseBootcStatus } from "./bootc-status.ts";
import { type HostBackendOptions, HostCommands } from "./host-commands.ts";
import { requirePinnedImage } from "./image-refs.ts";

export type BootcBackendOptions = HostBackendOptions;

export class BootcBackend implements OsBackend {
  readonly name = "bootc";
  readonly rootDir: string;
  readonly #host: HostCommands;

  constructor(options: BootcBackendOptions) {
    this.#host = new HostCommands(options);
    this.rootDir = this.#host.hostRoot;
  }

  async status(signal: AbortSignal): Promise<OsStatus> {
    const args = ["status", "--format=json", "--format-version=1"];
    const result = await this.#host.check("bootc", args, signal);
    return parseBootcStatus(result.stdout);
  }

  async rebase(
    image: string,
    options: { credentials?: PullCredentials; signal: AbortSignal },
  ): Promise<void> {
    const pinned = formatImageReference(requirePinnedImage(image));
    const args = ["switch", "--transport", "registry", "--retain", pinned];
    await this.#host.pull("bootc", args, pinned, options);
  }

  async cleanupStaged(signal: AbortSignal): Promise<void> {
    if ((await this.status(signal)).staged === undefined) return;
    await this.#host.check("ostree", ["admin", "undeploy", "0"], signal);
    if ((await this.status(signal)).staged !== undefined) {
      throw new OsBackendError(
        "command-failed",
        "bootc: the staged deployment is still there after undeploy",
      );
    }
  }

  /** Queues a reboot; see RpmOstreeBackend.reboot for what the caller may do afterwards. */
  async reboot(signal: AbortSignal): Promise<void> {
    if ((await this.status(signal)).staged === undefined) {
      throw new OsBackendError("no-staged-deployment", "bootc: nothing is staged to reboot into");
    }
    await this.#host.check("systemctl", ["reboot"], signal);
  }
}
