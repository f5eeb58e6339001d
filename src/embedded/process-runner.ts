// Runs one container as a host process group. With isolation the command starts through
// `unshare --mount --propagation private -- /bin/sh -c '<bind mounts>; cd; exec "$@"' -- argv…`, so
// each volume appears at its mountPath only inside the process's own mount namespace (missing
// mountpoints are created on the host). Every stdout/stderr line goes to the container's log file as
// `<RFC 3339 time> <text>`. When the main process exits, what is left of its group is killed, as a
// container runtime tears down a container's cgroup.

import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { constants } from "node:os";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { formatLogLine } from "../apiserver/pods/log-source.ts";

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
  /** The source is a file (a subPath into a volume), so the mountpoint is a file too. */
  file: boolean;
}

export interface ProcessSpec {
  argv: string[];
  env: Record<string, string>;
  workingDir: string | undefined;
  mounts: readonly BindMount[];
  logPath: string;
  /** Use a private mount namespace (unshare); without it mounts are skipped. */
  isolate: boolean;
  /** How many of the last log lines to keep for a termination message (default 80). */
  keepLines?: number;
}

export interface ProcessExit {
  exitCode: number;
  signal: string | undefined;
  finishedAt: Date;
}

export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The script run by /bin/sh before exec'ing the container's command. */
export function setupScript(spec: Pick<ProcessSpec, "mounts" | "workingDir" | "isolate">): string {
  const lines = ["set -e"];
  if (spec.isolate) {
    const mounts = [...spec.mounts].sort((a, b) => a.target.split("/").length - b.target.split("/").length);
    for (const mount of mounts) {
      const target = shellQuote(mount.target);
      if (mount.file) lines.push(`mkdir -p "$(dirname ${target})"`, `[ -e ${target} ] || : > ${target}`);
      else lines.push(`mkdir -p ${target}`);
      lines.push(`mount --bind ${shellQuote(mount.source)} ${target}`);
      if (mount.readOnly) lines.push(`mount -o remount,ro,bind ${target}`);
    }
  }
  if (spec.workingDir !== undefined && spec.workingDir !== "") {
    lines.push(`mkdir -p ${shellQuote(spec.workingDir)}`, `cd ${shellQuote(spec.workingDir)}`);
  }
  lines.push('exec "$@"');
  return lines.join("\n");
}

/** Splits a stream into lines and hands each (without its newline) to `onLine`. */
function eachLine(stream: Readable, onLine: (line: string) => void): Promise<void> {
  let partial = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) onLine(line);
  });
  return new Promise((resolve) => {
    stream.on("close", () => {
      if (partial !== "") onLine(partial);
      resolve();
    });
  });
}

export class ContainerProcess {
  readonly pid: number;
  readonly startedAt: Date;
  /** Settles once the process has exited and all its output is in the log file. */
  readonly exited: Promise<ProcessExit>;
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  #killTimer: NodeJS.Timeout | undefined;

  private constructor(child: ChildProcess, log: WriteStream, keepLines: number) {
    this.#child = child;
    this.pid = child.pid ?? 0;
    this.startedAt = new Date();
    const onLine = (line: string): void => {
      log.write(formatLogLine(new Date(), line));
      this.#lines.push(line);
      if (this.#lines.length > keepLines) this.#lines.shift();
    };
    const outputs = [child.stdout, child.stderr].flatMap((s) => (s === null ? [] : [eachLine(s, onLine)]));
    const exit = new Promise<ProcessExit>((resolve) => {
      child.on("exit", (code, signal) => {
        const finishedAt = new Date();
        this.#signalGroup("SIGKILL");
        const exitCode = code ?? 128 + (signal === null ? 0 : constants.signals[signal]);
        resolve({ exitCode, signal: signal ?? undefined, finishedAt });
      });
    });
    this.exited = Promise.all([exit, ...outputs]).then(async ([result]) => {
      if (this.#killTimer !== undefined) clearTimeout(this.#killTimer);
      await new Promise<void>((resolve) => log.end(resolve));
      return result;
    });
  }

  /** Starts the process; rejects when it cannot be spawned at all. */
  static async start(spec: ProcessSpec): Promise<ContainerProcess> {
    await mkdir(dirname(spec.logPath), { recursive: true });
    const log = createWriteStream(spec.logPath, { flags: "a" });
    await new Promise<void>((resolve, reject) => {
      log.once("open", () => resolve());
      log.once("error", reject);
    });
    const script = setupScript(spec);
    const [command, args] = spec.isolate
      ? [
          "unshare",
          ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", script, "--", ...spec.argv],
        ]
      : ["/bin/sh", ["-c", script, "--", ...spec.argv]];
    const child = spawn(command, args, { detached: true, env: spec.env, stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", (error) => {
        log.end();
        reject(error);
      });
    });
    return new ContainerProcess(child, log, spec.keepLines ?? 80);
  }

  /** The last lines written (for FallbackToLogsOnError). */
  lastLines(): string[] {
    return [...this.#lines];
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves with the exit. */
  stop(graceMs: number): Promise<ProcessExit> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#signalGroup("SIGTERM");
      this.#killTimer ??= setTimeout(() => this.#signalGroup("SIGKILL"), graceMs);
    }
    return this.exited;
  }

  #signalGroup(signal: NodeJS.Signals): void {
    if (this.pid <= 0) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }
}
