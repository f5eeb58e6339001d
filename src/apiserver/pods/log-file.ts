// Incremental reading of a log file that another process appends to: complete lines only, byte
// offsets kept between reads, so UTF-8 characters split across reads stay intact.

import { open } from "node:fs/promises";

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export class LogFileReader {
  readonly path: string;
  #offset = 0;
  #pending: Buffer = Buffer.alloc(0);

  constructor(path: string) {
    this.path = path;
  }

  /** Complete lines (without newlines) appended since the last read; [] while the file does not exist. */
  async read(): Promise<string[]> {
    let file: Awaited<ReturnType<typeof open>>;
    try {
      file = await open(this.path, "r");
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const chunks: Buffer[] = [this.#pending];
    try {
      for (;;) {
        const buffer = Buffer.alloc(CHUNK_BYTES);
        const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, this.#offset);
        if (bytesRead === 0) break;
        this.#offset += bytesRead;
        chunks.push(buffer.subarray(0, bytesRead));
      }
    } finally {
      await file.close();
    }
    return this.#split(Buffer.concat(chunks));
  }

  /** The unterminated last line, once the writer is known to be done; undefined when there is none. */
  rest(): string | undefined {
    if (this.#pending.length === 0) return undefined;
    const text = this.#pending.toString("utf8");
    this.#pending = Buffer.alloc(0);
    return text;
  }

  #split(data: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
      lines.push(data.subarray(start, end).toString("utf8"));
      start = end + 1;
    }
    this.#pending = Buffer.from(data.subarray(start));
    return lines;
  }
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await (await open(path, "r")).close();
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
