// What the rpm-ostree and bootc backends share: running a host command that must succeed, and a
// pull (rebase / switch) with the auth file written first and transient failures retried.

import type { Logger } from "pino";
import { OSTREE_AUTH_FILE, writeAuthFile } from "./auth-file.ts";
import { OsBackendError, type PullCredentials } from "./backend.ts";
import { type Backoff, REBASE_BACKOFF, realSleep, type Sleep, withBackoff } from "./backoff.ts";
import { CLI_ENV, cliFailure } from "./cli-failure.ts";
import type { CommandResult, CommandRunner } from "./command-runner.ts";

/** Options both host backends take. */
export interface HostBackendOptions {
  run: CommandRunner;
  /** Where the pull secret is written for the ostree container stack (default /run/ostree/auth.json). */
  authFile?: string;
  /** Retry schedule of pulls (default: the machine-config daemon's). */
  backoff?: Backoff;
  /** Waits between retries (tests pass one that records and returns at once). */
  sleep?: Sleep;
  logger?: Logger;
}

export class HostCommands {
  readonly #run: CommandRunner;
  readonly #authFile: string;
  readonly #backoff: Backoff;
  readonly #sleep: Sleep;
  readonly #logger: Logger | undefined;

  constructor(options: HostBackendOptions) {
    this.#run = options.run;
    this.#authFile = options.authFile ?? OSTREE_AUTH_FILE;
    this.#backoff = options.backoff ?? REBASE_BACKOFF;
    this.#sleep = options.sleep ?? realSleep;
    this.#logger = options.logger;
  }

  /** Runs the command; a non-zero exit throws an OsBackendError classified against `image`. */
  async check(command: string, args: string[], signal: AbortSignal, image?: string): Promise<CommandResult> {
    const result = await this.#run(command, args, { signal, env: { ...CLI_ENV } });
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
