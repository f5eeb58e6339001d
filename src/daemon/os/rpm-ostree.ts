// The OS backend of rpm-ostree hosts (RHCOS, Fedora CoreOS), driven through its CLI as the
// machine-config daemon does: `rpm-ostree rebase --experimental ostree-unverified-registry:<pin>`
// (the image is pulled by digest, signatures are not checked — the digest is the trust anchor),
// `rpm-ostree cleanup -p` to drop a staged deployment, `systemctl reboot` to boot it.

import { formatImageReference } from "../../registry/index.ts";
import type { OsBackend, OsStatus, PullCredentials } from "./backend.ts";
import { OsBackendError } from "./backend.ts";
import { type HostBackendOptions, HostCommands } from "./host-commands.ts";
import { requirePinnedImage } from "./image-refs.ts";
import { parseRpmOstreeStatus } from "./rpm-ostree-status.ts";

export type RpmOstreeBackendOptions = HostBackendOptions;

export class RpmOstreeBackend implements OsBackend {
  readonly name = "rpm-ostree";
  readonly rootDir: string;
  readonly #host: HostCommands;

  constructor(options: RpmOstreeBackendOptions) {
    this.#host = new HostCommands(options);
    this.rootDir = this.#host.hostRoot;
  }

  async status(signal: AbortSignal): Promise<OsStatus> {
    const result = await this.#host.check("rpm-ostree", ["status", "--json"], signal);
    return parseRpmOstreeStatus(result.stdout);
  }

  async rebase(
    image: string,
    options: { credentials?: PullCredentials; signal: AbortSignal },
  ): Promise<void> {
    const pinned = formatImageReference(requirePinnedImage(image));
    const args = ["rebase", "--experimental", `ostree-unverified-registry:${pinned}`];
    await this.#host.pull("rpm-ostree", args, pinned, options);
  }

  async cleanupStaged(signal: AbortSignal): Promise<void> {
    // `-p` (`--pending`) removes the staged or pending deployment and is a no-op without one.
    await this.#host.check("rpm-ostree", ["cleanup", "-p"], signal);
  }

  /**
   * Asks systemd to reboot. systemctl returns once the shutdown is queued; the daemon is then
   * stopped with the machine, so callers must not start new work after this resolves.
   */
  async reboot(signal: AbortSignal): Promise<void> {
    const status = await this.status(signal);
    if (status.staged === undefined) {
      throw new OsBackendError("no-staged-deployment", "rpm-ostree: nothing is staged to reboot into");
    }
    await this.#host.check("systemctl", ["reboot"], signal);
  }
}
