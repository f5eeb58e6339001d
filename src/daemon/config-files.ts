// Writes a rendered config's files, units, SSH keys and password into the booted root, in place
// (upstream's "write files, units, SSH keys, password"), removing what the previous config owned and
// the new one does not. Everything touched is backed up first; `rollback()` restores it.

import { rm } from "node:fs/promises";
import type { IgnitionConfig } from "../ignition/index.ts";
import { materialiseToTree, updateShadow } from "../ignition/index.ts";
import { resolveInRoot } from "../ignition/root-path.ts";
import { Backup } from "./backup.ts";
import { enablementLinks, ownedPaths, type SSHKeyLayout, stalePaths, withOverwrite } from "./config-paths.ts";

export interface ConfigFilesOptions {
  root: string;
  /** chown to the configured owners (only works as root; the simulated backend leaves it off). */
  chown: boolean;
  sshKeyLayout?: SSHKeyLayout;
}

export interface AppliedConfig {
  /** Puts back every path the apply changed (and `extraPaths`). */
  rollback(): Promise<void>;
}

export class ConfigFiles {
  readonly #options: ConfigFilesOptions;

  constructor(options: ConfigFilesOptions) {
    this.#options = options;
  }

  get root(): string {
    return this.#options.root;
  }

  /**
   * Applies `next` over `previous`. `extraPaths` are backed up too (the on-disk state written
   * after the files). On failure the node's files are already restored when this throws.
   */
  async apply(
    previous: IgnitionConfig | undefined,
    next: IgnitionConfig,
    options: { extraPaths: readonly string[]; signal: AbortSignal },
  ): Promise<AppliedConfig> {
    const { root, chown } = this.#options;
    const layout = this.#options.sshKeyLayout ?? "fragment";
    const stale = stalePaths(previous, next, layout);
    const links = (next.systemd?.units ?? []).flatMap(enablementLinks);
    const backup = new Backup(root);
    await backup.save([
      ...ownedPaths(next, layout),
      ...stale,
      ...links,
      "/etc/shadow",
      ...options.extraPaths,
    ]);
    try {
      for (const path of stale) await rm(await resolveInRoot(root, path, false), { force: true });
      const manifest = await materialiseToTree(withOverwrite(next), root, {
        chown,
        coreSSHKeyLayout: layout,
        signal: options.signal,
      });
      if (manifest.passwords.length > 0) await updateShadow(root, manifest.passwords);
    } catch (error) {
      await backup.restore();
      throw error;
    }
    return { rollback: () => backup.restore() };
  }
}
