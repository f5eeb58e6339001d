// Where the user-facing commands write, and how they show a long wait: a spinner redrawn in place on
// a terminal, plain lines (only when the text changes) otherwise, so logs and tests stay readable.

/** process.stdout, or a test's capture. */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** What every in-process command gets: where to write and when to stop. */
export interface CommandIo {
  out: Output;
  signal: AbortSignal;
  /** Environment for defaults (KUBECONFIG); process.env in main. */
  env: Readonly<Record<string, string | undefined>>;
}

const FRAMES = ["|", "/", "-", "\\"] as const;

export interface Progress {
  /**
   * Shows `text` as the current state of the wait. Off a terminal a line is printed only when
   * `key` (default: the text) changes, so a counter in the text does not print a line a second.
   */
  update(text: string, key?: string): void;
  /** Ends the progress line (a terminal gets its line cleared). */
  done(): void;
}

export function progressOn(out: Output): Progress {
  let last = "";
  let frame = 0;
  return {
    update(text: string, key = text): void {
      if (out.isTTY === true) {
        frame = (frame + 1) % FRAMES.length;
        out.write(`\r\x1b[2K${FRAMES[frame] ?? "|"} ${text}`);
        last = key;
        return;
      }
      if (key === last) return;
      last = key;
      out.write(`${text}\n`);
    },
    done(): void {
      if (out.isTTY === true && last !== "") out.write("\r\x1b[2K");
      last = "";
    },
  };
}

/** Collects writes; for tests and for rendering into a string. */
export class BufferOutput implements Output {
  readonly isTTY = false;
  #text = "";

  write(text: string): boolean {
    this.#text += text;
    return true;
  }

  get text(): string {
    return this.#text;
  }
}

/** Runs `command` with a signal that aborts on SIGINT, SIGTERM or a closed stdout (for `main`). */
export async function withSignals(command: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  // A closed pipe (`mob logs build x -f | head`) ends the command quietly instead of crashing it.
  const onOutputError = (): void => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.stdout.on("error", onOutputError);
  try {
    return await command(stop.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.stdout.off("error", onOutputError);
  }
}
