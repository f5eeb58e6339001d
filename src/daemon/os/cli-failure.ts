// Turns a failed rpm-ostree / bootc / ostree / systemctl run into an OsBackendError. The CLIs report
// registry failures as text (the containers/image error chain), so the code is chosen from stderr;
// the commands run with LC_ALL=C so these patterns hold. Messages quote the last stderr line, which
// names the image and registry; credentials never reach argv, env or the CLIs' output.

import { OsBackendError, type OsBackendErrorCode } from "./backend.ts";
import type { CommandResult } from "./command-runner.ts";

/** Checked in order: the first matching pattern decides. */
const STDERR_PATTERNS: ReadonlyArray<[OsBackendErrorCode, RegExp]> = [
  ["unauthorized", /\bunauthorized\b|authentication required|\b401\b|access denied|denied: /i],
  ["image-not-found", /manifest unknown|name unknown|not found|\b404\b|no such image/i],
  ["digest-mismatch", /digest mismatch|did not match|does not match|expected digest|checksum mismatch/i],
  [
    "registry-unreachable",
    /connection refused|no such host|i\/o timeout|network is unreachable|tls handshake|dial tcp|connection reset|pinging container registry|server misbehaving|timeout exceeded/i,
  ],
];

/** The environment every host command runs with: untranslated messages for the patterns above. */
export const CLI_ENV: Readonly<Record<string, string>> = { LC_ALL: "C" };

export function failureCode(stderr: string): OsBackendErrorCode {
  for (const [code, pattern] of STDERR_PATTERNS) if (pattern.test(stderr)) return code;
  return "command-failed";
}

/** The most telling line of a CLI's stderr: the last non-empty one, shortened. */
export function lastLine(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const line = lines.at(-1) ?? "";
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

export interface FailureContext {
  /** The command line as shown in messages, e.g. `rpm-ostree rebase`. */
  what: string;
  /** The image being pulled, when there is one: registry failures are classified only then. */
  image?: string;
}

export function cliFailure(result: CommandResult, context: FailureContext): OsBackendError {
  const code = context.image === undefined ? "command-failed" : failureCode(result.stderr);
  const detail = lastLine(result.stderr) || lastLine(result.stdout) || "no output";
  const subject = context.image === undefined ? "" : ` for image ${context.image}`;
  return new OsBackendError(code, `${context.what}${subject} failed (exit ${result.code}): ${detail}`);
}

/** Codes worth another attempt: the registry or the host may recover; a missing image will not. */
export function isTransient(error: OsBackendError): boolean {
  return error.code === "registry-unreachable" || error.code === "command-failed";
}
