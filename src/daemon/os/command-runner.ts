// How the host backends run their CLIs (rpm-ostree, bootc, ostree, systemctl): one injectable
// function, so tests can replace the host with a fake that answers from recorded outputs.
// Arguments and `env` must never carry secrets: registry credentials go through an auth file.

import { spawn } from "node:child_process";

export interface CommandResult {
  /** The exit code; 127 when the command could not be started, 128+n when killed by signal n. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  signal: AbortSignal;
  /** Added to (and overriding) the inherited environment. */
  env?: Record<string, string>;
}

/** Runs a command to completion; a non-zero exit is a result, not a throw. Rejects only when aborted. */
export type CommandRunner = (
  command: string,
  args: string[],
  options: CommandOptions,
) => Promise<CommandResult>;

/** Output beyond this is dropped (status JSON of a host is a few tens of KiB). */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** The real runner, on child_process.spawn (no shell). */
export const spawnCommand: CommandRunner = (command, args, options) => {
  options.signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      signal: options.signal,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    let failed: Error | undefined;
    child.on("error", (error) => {
      failed = error;
    });
    child.on("close", (code, signal) => {
      if (options.signal.aborted) {
        reject(options.signal.reason);
        return;
      }
      // A command that never started (ENOENT, EACCES) is reported the way a shell does.
      if (failed !== undefined && child.pid === undefined) {
        resolve({ code: 127, stdout: stdout(), stderr: `${stderr()}${failed.message}` });
        return;
      }
      const exit = code ?? 128 + (signal === null ? 0 : (SIGNAL_NUMBERS[signal] ?? 0));
      resolve({ code: exit, stdout: stdout(), stderr: stderr() });
    });
  });
};

function collect(stream: NodeJS.ReadableStream): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    if (size >= MAX_OUTPUT_BYTES) return;
    chunks.push(chunk);
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).toString("utf8");
}
