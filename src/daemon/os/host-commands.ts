// What the rpm-ostree and bootc backends share: running a host command that must succeed, and a
// pull (rebase / switch) with the auth file written first and transient failures retried. Both act
// on the host root (host-root.ts): commands run inside it and the auth file is written under it.

import type { Logger } from "pino";
import { OSTREE_AUTH_FILE, writeAuthFile } from "./auth-file.ts";
import { OsBackendError, type PullCredentials } from "./backend.ts";
import { type Backoff, REBASE_BACKOFF, realSleep, type Sleep, withBackoff } from "./backoff.ts";
import { CLI_ENV, cliFailure } from "./cli-failure.ts";
import type { CommandResult, CommandRunner } from "./command-runner.ts";
import { hostCommandLine, pathInHostRoot } from "./host-root.ts";

/** Options both host backends take. */
export interface HostBackendOptions {
  run: CommandRunner;
  /** The node's root as the daemon sees it (default `/`); `/rootfs` in the DaemonSet's pod. */
  hostRoot?: string;
  /**
   * Where the pull secret is written for the ostree container stack, as the daemon sees it
   * (default: /run/ostree/auth.json under the host root).
   */
  authFile?: string;
  /** Retry schedule of pulls (default: the machine-config daemon's). */
  backoff?: Backoff;
  /** Waits between retries (tests pass one that records and returns at once). */
  sleep?: Sleep;
  logger?: Logger;
}

export class HostCommands {
  readonly hostRoot: string;
  readonly #run: CommandRunner;
  readonly #authFile: string;
  readonly #backoff: Backoff;
  readonly #sleep: Sleep;
  readonly #logger: Logger | undefined;

  constructor(options: HostBackendOptions) {
    this.#run = options.run;
    this.hostRoot = options.hostRoot ?? "/";
    this.#authFile = options.authFile ?? pathInHostRoot(this.hostRoot, OSTREE_AUTH_FILE);
    this.#backoff = options.backoff ?? REBASE_BACKOFF;
    this.#sleep = options.sleep ?? realSleep;
    this.#logger = options.logger;
  }

  /**
   * Runs the command in the host root; a non-zero exit throws an OsBackendError classified against
   * `image`, naming `command` as the host runs it (without the chroot).
   */
  async check(command: string, args: string[], signal: AbortSignal, image?: string): Promise<CommandResult> {
    const line = hostCommandLine(this.hostRoot, command, args);
    const result = await this.#run(line.command, line.args, { signal, env: { ...CLI_ENV } });
    if (result.code !== 0) {
      const what = `${command} ${args[0] ?? ""}`.trim();
      throw cliFailure(result, image === undefined ? { what } : { what, image });
    }
    return result;
  }

  /** Writes the credentials (when given) to the auth file, then runs the pull with retries. */
  async pull(
    command: string,
    args: string[],
    image: string,
    options: { credentials?: PullCredentials; signal: AbortSignal },
  ): Promise<void> {
    const { credentials, signal } = options;
    if (credentials !== undefined) await this.#writeAuth(credentials, signal);
    await withBackoff(
      async () => {
        await this.check(command, args, signal, image);
      },
      {
        backoff: this.#backoff,
        sleep: this.#sleep,
        signal,
        logger: this.#logger,
        what: `${command} ${args[0]}`,
      },
    );
  }

  async #writeAuth(credentials: PullCredentials, signal: AbortSignal) {
    try {
      await writeAuthFile(this.#authFile, credentials, signal);
    } catch (error) {
      signal.throwIfAborted();
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      throw new OsBackendError(
        "command-failed",
        `cannot write the registry auth file ${this.#authFile}: ${code}`,
      );
    }
  }
}
