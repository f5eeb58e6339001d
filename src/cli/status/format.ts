// Small pure formatters for `mob status`: durations, short names of configs and images, progress
// bars, and aligned tables cut to the terminal's width (with optional colour).

import { isPlainObject } from "../../api/object.ts";

/** `41s`, `1m05s`, `2h03m`, `3d04h`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const pad = (n: number): string => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/** Milliseconds between two RFC 3339 times, or undefined when one is missing or invalid. */
export function between(start: string | null | undefined, end: string | number): number | undefined {
  if (start === undefined || start === null || start === "") return undefined;
  const from = Date.parse(start);
  const to = typeof end === "number" ? end : Date.parse(end);
  return Number.isNaN(from) || Number.isNaN(to) ? undefined : to - from;
}

/** `rendered-layered-221507009cbcdec0eec8ab3c` → `rendered-layered-22150700`. */
export function shortConfig(name: string | undefined): string {
  if (name === undefined || name === "") return "-";
  return name.replace(/-([0-9a-f]{8})[0-9a-f]{24}$/, "-$1");
}

/** `127.0.0.1:5000/os/layered@sha256:312e48…` → `os/layered@sha256:312e48a1b2c3` (host dropped). */
export function shortImage(ref: string | undefined, withRepository = true): string {
  if (ref === undefined || ref === "") return "-";
  const match = /^(?:([^/]+)\/)?(.*?)@sha256:([0-9a-f]{12})[0-9a-f]*$/.exec(ref);
  if (match === null) return ref;
  const digest = `sha256:${match[3] ?? ""}`;
  if (!withRepository) return digest;
  const host = match[1] ?? "";
  const looksLikeHost = host.includes(".") || host.includes(":") || host === "localhost";
  const repository = looksLikeHost ? (match[2] ?? "") : `${host}/${match[2] ?? ""}`;
  return `${repository}@${digest}`;
}

/** `[#####-----] 2/4`; an empty pool shows an empty bar. */
export function progressBar(done: number, total: number, width = 10): string {
  const filled = total <= 0 ? 0 : Math.min(width, Math.round((Math.min(done, total) / total) * width));
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`;
}

export function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n", 1)[0]?.trim() ?? "";
}

/** A field of an untyped object, as a record (empty when absent). */
export function fields(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

export type Tone = "good" | "bad" | "busy" | "dim";

export interface Cell {
  text: string;
  tone?: Tone;
}

const TONES: Record<Tone | "header", string> = {
  good: "32",
  bad: "31",
  busy: "33",
  dim: "2",
  header: "1",
};

export interface TableOptions {
  width: number;
  color: boolean;
}

const cellOf = (cell: Cell | string): Cell => (typeof cell === "string" ? { text: cell } : cell);

/** Left-aligned columns, two spaces apart; every line is cut to `width` characters. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly (Cell | string)[])[],
  options: TableOptions,
): string[] {
  const all: Cell[][] = [header.map((text) => ({ text })), ...rows.map((row) => row.map(cellOf))];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]?.text.length ?? 0)));
  return all.map((row, index) => {
    let line = "";
    let visible = 0;
    for (const [i, cell] of row.entries()) {
      const last = i === row.length - 1;
      const padded = last ? cell.text : cell.text.padEnd((widths[i] ?? 0) + 2);
      const room = options.width - visible;
      if (room <= 0) break;
      const cut = padded.length > room ? `${padded.slice(0, Math.max(0, room - 1))}…` : padded;
      visible += cut.length;
      const tone = index === 0 ? "header" : cell.tone;
      const code = tone === undefined ? undefined : TONES[tone];
      line += options.color && code !== undefined ? `\x1b[${code}m${cut}\x1b[0m` : cut;
    }
    return line.trimEnd();
  });
}

/** Cuts a free-text line to `width`. */
export function cutLine(line: string, width: number): string {
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}
