// What survives a restart of the embedded registry: the generated user and password
// (`credentials.json`, mode 0600) and the port and upload secret (`state.json`), so image references
// recorded by the cluster keep working. The htpasswd file is derived from the credentials each start.

import { randomBytes } from "node:crypto";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import type { Credentials } from "../../registry/credentials.ts";

export const REGISTRY_USER = "mob";

export interface RegistryPaths {
  root: string;
  data: string;
  config: string;
  credentials: string;
  state: string;
  htpasswd: string;
  log: string;
}

export interface RegistryState {
  port: number | undefined;
  httpSecret: string;
}

export function registryPaths(dir: string): RegistryPaths {
  const root = join(dir, "registry");
  return {
    root,
    data: join(root, "data"),
    config: join(root, "config.yml"),
    credentials: join(root, "credentials.json"),
    state: join(root, "state.json"),
    htpasswd: join(root, "htpasswd"),
    log: join(root, "registry.log"),
  };
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(path, "utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function writePrivate(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

/** The stored credentials, or new ones (a random password) written on first use. */
export async function loadOrCreateCredentials(paths: RegistryPaths): Promise<Credentials> {
  const stored = await readJson(paths.credentials);
  if (typeof stored?.username === "string" && typeof stored.password === "string" && stored.password !== "") {
    return { username: stored.username, password: stored.password };
  }
  const credentials = { username: REGISTRY_USER, password: randomBytes(24).toString("base64url") };
  await writePrivate(paths.credentials, `${JSON.stringify(credentials, null, 2)}\n`);
  return credentials;
}

export async function loadOrCreateState(paths: RegistryPaths): Promise<RegistryState> {
  const stored = await readJson(paths.state);
  const port = typeof stored?.port === "number" ? stored.port : undefined;
  if (typeof stored?.httpSecret === "string" && stored.httpSecret !== "")
    return { port, httpSecret: stored.httpSecret };
  const state = { port, httpSecret: randomBytes(32).toString("hex") };
  await saveState(paths, state);
  return state;
}

export async function saveState(paths: RegistryPaths, state: RegistryState): Promise<void> {
  await writePrivate(paths.state, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * bcrypt's work factor. distribution checks the hash on every request, serialised: at the usual 10
 * (about 80 ms each) a wave of nodes pulling at once queues behind it for seconds. The password is
 * 24 random bytes, out of reach of guessing at any cost, so the factor buys nothing here.
 */
const BCRYPT_COST = 4;

/** Writes the htpasswd file (bcrypt, the only scheme distribution accepts) for the credentials. */
export async function writeHtpasswd(paths: RegistryPaths, credentials: Credentials): Promise<void> {
  const hash = await bcrypt.hash(credentials.password, BCRYPT_COST);
  await writePrivate(paths.htpasswd, `${credentials.username}:${hash}\n`);
}
