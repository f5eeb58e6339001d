// The bearer token of the built-in admin user, kept beside the PKI so restarts keep kubeconfigs valid.

import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { readIfExists, writeFileAtomic } from "./files.ts";

export const ADMIN_TOKEN_FILE = "admin.token";

/** Returns `dir/pki/admin.token`, creating it (32 random bytes, base64url, mode 0600) on first use. */
export async function ensureAdminToken(dir: string): Promise<string> {
  const pkiDir = join(dir, "pki");
  const path = join(pkiDir, ADMIN_TOKEN_FILE);
  const existing = (await readIfExists(path))?.trim();
  if (existing !== undefined && existing !== "") return existing;
  await mkdir(pkiDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString("base64url");
  await writeFileAtomic(path, `${token}\n`, 0o600);
  return token;
}
