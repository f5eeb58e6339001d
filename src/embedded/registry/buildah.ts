// Runs buildah with a private storage root (`<dir>/buildah`), the vfs driver and chroot isolation,
// so mob never touches the machine's global container storage. Arguments must never carry secrets:
// credentials go through an authfile.

import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Buildah {
  /** Runs `buildah <global storage flags> <args>` and returns its stdout, trimmed. */
  run(args: readonly string[], options: { signal: AbortSignal }): Promise<string>;
  /** The storage root (`--root`). */
  readonly root: string;
}

export class BuildahError extends Error {
  override readonly name = "BuildahError";
}

export function buildahIn(dir: string, command = "buildah"): Buildah {
  const root = join(dir, "buildah", "root");
  const runroot = join(dir, "buildah", "run");
  const global = ["--root", root, "--runroot", runroot, "--storage-driver", "vfs"];
  const env = { ...process.env, BUILDAH_ISOLATION: "chroot", STORAGE_DRIVER: "vfs" };
  return {
    root,
    async run(args, { signal }) {
      try {
        const { stdout } = await run(command, [...global, ...args], {
          env,
          signal,
          maxBuffer: 64 * 1024 * 1024,
        });
        return stdout.trim();
      } catch (error) {
        signal.throwIfAborted();
        const stderr = (error as { stderr?: unknown }).stderr;
        const detail =
          typeof stderr === "string" ? stderr.trim().split("\n").slice(-5).join("\n") : String(error);
        throw new BuildahError(`buildah ${args[0] ?? ""} failed: ${detail}`, { cause: error });
      }
    },
  };
}
