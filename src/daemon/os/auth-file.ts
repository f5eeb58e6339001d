// The registry auth file the ostree container stack reads (`/run/ostree/auth.json`, the path the
// machine-config daemon links to the cluster pull secret; bootc reads the same path). It is the
// host's file: the backends write it under the host root (host-root.ts). Written whole, mode 0600,
// through a temporary file and a rename so a reader never sees half a document.

import { randomUUID } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { PullCredentials } from "./backend.ts";

/** The path as the host sees it; resolve it under the host root before writing. */
export const OSTREE_AUTH_FILE = "/run/ostree/auth.json";

export async function writeAuthFile(path: string, credentials: PullCredentials, signal: AbortSignal) {
  signal.throwIfAborted();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = join(dirname(path), `.auth-${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, credentials.dockerConfigJson, { mode: 0o600, signal });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
