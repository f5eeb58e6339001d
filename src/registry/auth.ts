// Registry authentication: the WWW-Authenticate challenge of a 401 and the two answers to it,
// Basic (credentials on every request) and Bearer (credentials traded for a token at the realm).

import type { Credentials } from "./credentials.ts";
import { RegistryError, type RegistryErrorOptions } from "./errors.ts";

export interface Challenge {
  /** Lowercase: `basic` or `bearer`. */
  scheme: string;
  params: Record<string, string>;
}

/** The first challenge of a WWW-Authenticate header, or undefined when there is none. */
export function parseChallenge(header: string | null): Challenge | undefined {
  const match = header === null ? null : /^\s*([A-Za-z][\w-]*)(?:\s+(.*))?$/s.exec(header);
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  const pairs = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const pair of (match[2] ?? "").matchAll(pairs)) {
    const key = pair[1]?.toLowerCase();
    if (key !== undefined) params[key] = pair[2]?.replace(/\\(.)/g, "$1") ?? pair[3] ?? "";
  }
  return { scheme: (match[1] ?? "").toLowerCase(), params };
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

export interface TokenRequest {
  challenge: Challenge;
  /** Used when the challenge names no scope, e.g. `repository:os/base:pull`. */
  scope: string;
  credentials: Credentials | undefined;
  fetch: typeof fetch;
  signal: AbortSignal;
  context: RegistryErrorOptions;
}

/** Trades credentials (or nothing, for anonymous pulls) for a bearer token at the challenge's realm. */
export async function fetchBearerToken(request: TokenRequest): Promise<string> {
  const { challenge, context } = request;
  const realm = challenge.params.realm;
  let url: URL;
  try {
    url = new URL(realm ?? "");
  } catch {
    throw new RegistryError("protocol", "bearer challenge without a usable realm", context);
  }
  if (challenge.params.service !== undefined) url.searchParams.set("service", challenge.params.service);
  for (const scope of (challenge.params.scope ?? request.scope).split(" ")) {
    if (scope !== "") url.searchParams.append("scope", scope);
  }
  const headers: Record<string, string> = {};
  if (request.credentials !== undefined) headers.authorization = basicAuthorization(request.credentials);
  let response: Response;
  try {
    response = await request.fetch(url, { headers, signal: request.signal });
  } catch (error) {
    request.signal.throwIfAborted();
    throw new RegistryError("unreachable", `token endpoint ${url.origin} did not answer`, {
      ...context,
      cause: error,
    });
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new RegistryError("unauthorized", credentialsNote(request.credentials, "token request rejected"), {
      ...context,
      status: response.status,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new RegistryError("protocol", `token endpoint answered ${response.status}`, {
      ...context,
      status: response.status,
    });
  }
  const body: unknown = await response.json().catch(() => undefined);
  const token =
    typeof body === "object" && body !== null
      ? ((body as { token?: unknown }).token ?? (body as { access_token?: unknown }).access_token)
      : undefined;
  if (typeof token !== "string" || token === "") {
    throw new RegistryError("protocol", "token endpoint answered without a token", context);
  }
  return `Bearer ${token}`;
}

/** A note for unauthorized errors that names the user, never the password. */
export function credentialsNote(credentials: Credentials | undefined, what: string): string {
  return credentials === undefined
    ? `${what} (no credentials configured for this registry)`
    : `${what} (credentials of user "${credentials.username}" rejected)`;
}
