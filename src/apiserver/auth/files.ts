// Small file helpers for credentials: a reader that treats "absent" as undefined, and a writer that
// never leaves a half-written file or a moment where a key is readable by others.

import { randomBytes } from "node:crypto";
import { chmod, readFile, rename, rm, writeFile } from "node:fs/promises";

/** The file's text, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Writes through a temporary file in the same directory, created with `mode`, then renamed over `path`. */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, data, { mode, flag: "wx" });
    // The umask may have narrowed `mode`; credentials want exactly it.
    await chmod(temporary, mode);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
