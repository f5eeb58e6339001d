// Registry credentials from Docker client configuration: the dockerconfigjson form
// `{"auths": {"<host>": {"auth": base64("user:pass")} | {"username", "password"}}}` and the legacy
// `.dockercfg` form (the same map without the `auths` wrapper). Error messages name keys and hosts,
// never values.

export interface Credentials {
  username: string;
  password: string;
}

export interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  email?: string;
}

export interface DockerConfig {
  auths: Record<string, DockerAuthEntry>;
}

export type CredentialsErrorCode =
  | "malformed"
  | "unsupported-type"
  | "missing-key"
  | "empty-key"
  | "conflicting-keys";

export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
  readonly code: CredentialsErrorCode;
  constructor(code: CredentialsErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const ENTRY_FIELDS = ["auth", "username", "password", "email"] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseEntry(host: string, value: unknown): DockerAuthEntry {
  if (!isObject(value)) throw new CredentialsError("malformed", `entry for "${host}" is not an object`);
  const entry: DockerAuthEntry = {};
  for (const field of ENTRY_FIELDS) {
    const fieldValue = value[field];
    if (fieldValue === undefined || fieldValue === null) continue;
    if (typeof fieldValue !== "string") {
      throw new CredentialsError("malformed", `field "${field}" of the entry for "${host}" is not a string`);
    }
    entry[field] = fieldValue;
  }
  return entry;
}

function parseAuthMap(map: Record<string, unknown>): Record<string, DockerAuthEntry> {
  const auths: Record<string, DockerAuthEntry> = {};
  for (const [host, value] of Object.entries(map)) auths[host] = parseEntry(host, value);
  return auths;
}

/**
 * Reads either form. With an `auths` key the strict form wins; `credHelpers` and `credsStore` are
 * ignored; only when none of the three keys is present is the text read as a legacy map.
 */
export function parseDockerConfig(text: string): DockerConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CredentialsError("malformed", "registry credentials are not valid JSON");
  }
  if (!isObject(parsed))
    throw new CredentialsError("malformed", "registry credentials are not a JSON object");
  if ("auths" in parsed) {
    if (!isObject(parsed.auths)) throw new CredentialsError("malformed", `"auths" is not an object`);
    return { auths: parseAuthMap(parsed.auths) };
  }
  if ("credHelpers" in parsed || "credsStore" in parsed) return { auths: {} };
  return { auths: parseAuthMap(parsed) };
}

/** The legacy `.dockercfg` text (or an already strict one) as canonical dockerconfigjson text. */
export function dockercfgToDockerConfigJson(dockercfg: string): string {
  return JSON.stringify(parseDockerConfig(dockercfg));
}

/** `https://index.docker.io/v1/`, `http://h:5000/x` and `h:5000` all name the host `h:5000`. */
export function normalizeRegistryHost(key: string): string {
  let host = key.trim().replace(/^[a-z]+:\/\//i, "");
  const slash = host.indexOf("/");
  if (slash >= 0) host = host.slice(0, slash);
  host = host.toLowerCase();
  return host === "index.docker.io" || host === "registry-1.docker.io" ? "docker.io" : host;
}

function entryCredentials(host: string, entry: DockerAuthEntry): Credentials | undefined {
  if (entry.auth !== undefined && entry.auth !== "") {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0) {
      throw new CredentialsError(
        "malformed",
        `"auth" of the entry for "${host}" is not base64("user:password")`,
      );
    }
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username !== undefined && entry.username !== "" && entry.password !== undefined) {
    return { username: entry.username, password: entry.password };
  }
  return undefined;
}

/** The credentials for `registryHost` in a docker config (either form), or undefined. */
export function credentialsFor(config: string | DockerConfig, registryHost: string): Credentials | undefined {
  const parsed = typeof config === "string" ? parseDockerConfig(config) : config;
  const wanted = normalizeRegistryHost(registryHost);
  const exact = parsed.auths[registryHost];
  if (exact !== undefined) return entryCredentials(registryHost, exact);
  for (const [key, entry] of Object.entries(parsed.auths)) {
    if (normalizeRegistryHost(key) === wanted) return entryCredentials(key, entry);
  }
  return undefined;
}

/** dockerconfigjson text giving `credentials` for `registryHost`. */
export function dockerConfigJsonFor(registryHost: string, credentials: Credentials): string {
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
  return JSON.stringify({ auths: { [registryHost]: { auth } } });
}
