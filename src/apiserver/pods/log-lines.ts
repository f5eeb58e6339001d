// Turning stored log lines (`<timestamp> <text>`) into what GET pods/log answers: optional
// timestamps, a since filter, the last N lines, and a byte limit.

import type { LogOptions } from "./log-options.ts";

export interface LogLine {
  /** The timestamp prefix as stored; undefined for a line without one. */
  stamp: string | undefined;
  /** The time of the stamp in ms since epoch. */
  timeMs: number | undefined;
  text: string;
}

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}) /;

/** Parses one stored line (without its newline). A line without a valid stamp is all text. */
export function parseLogLine(raw: string): LogLine {
  const match = STAMP.exec(raw);
  if (match === null) return { stamp: undefined, timeMs: undefined, text: raw };
  const [whole, seconds, fraction = "", zone] = match;
  const timeMs = Date.parse(`${seconds}.${fraction.padEnd(3, "0").slice(0, 3)}${zone}`);
  if (Number.isNaN(timeMs)) return { stamp: undefined, timeMs: undefined, text: raw };
  return { stamp: whole.slice(0, -1), timeMs, text: raw.slice(whole.length) };
}

/** Whether a line passes the since filter; lines without a time always do. */
export function isRecent(line: LogLine, sinceMs: number | undefined): boolean {
  return sinceMs === undefined || line.timeMs === undefined || line.timeMs >= sinceMs;
}

/** The last `tailLines` of `lines` (all of them when undefined). */
export function tail<T>(lines: readonly T[], tailLines: number | undefined): T[] {
  if (tailLines === undefined) return [...lines];
  return tailLines === 0 ? [] : lines.slice(-tailLines);
}

/**
 * Renders lines to the response through `write`, with or without their timestamps, and stops
 * (truncating mid-line, as Kubernetes' LimitWriter does) after limitBytes.
 */
export class LogRenderer {
  readonly #options: Pick<LogOptions, "timestamps" | "sinceMs" | "limitBytes">;
  readonly #write: (chunk: Buffer) => void;
  #written = 0;

  constructor(
    options: Pick<LogOptions, "timestamps" | "sinceMs" | "limitBytes">,
    write: (chunk: Buffer) => void,
  ) {
    this.#options = options;
    this.#write = write;
  }

  /** True once limitBytes have been written; nothing more will be. */
  get full(): boolean {
    return this.#options.limitBytes !== undefined && this.#written >= this.#options.limitBytes;
  }

  /** Renders one parsed line if it passes the since filter. */
  line(line: LogLine): void {
    if (this.full || !isRecent(line, this.#options.sinceMs)) return;
    const text =
      this.#options.timestamps && line.stamp !== undefined ? `${line.stamp} ${line.text}` : line.text;
    let chunk = Buffer.from(`${text}\n`);
    const limit = this.#options.limitBytes;
    if (limit !== undefined && this.#written + chunk.length > limit)
      chunk = chunk.subarray(0, limit - this.#written);
    this.#written += chunk.length;
    this.#write(chunk);
  }
}
