// HTTP to registries: scheme choice, authentication (cached per registry and scope, renewed on a
// 401) and the translation of HTTP outcomes into RegistryError. Only successful responses leave here.

import { basicAuthorization, credentialsNote, fetchBearerToken, parseChallenge } from "./auth.ts";
import { type Credentials, credentialsFor, type DockerConfig, parseDockerConfig } from "./credentials.ts";
import { RegistryError, type RegistryErrorOptions } from "./errors.ts";
import { DOCKER_HUB, type ImageReference } from "./reference.ts";

export interface TransportOptions {
  /** Used for every registry; otherwise credentials come from `dockerConfigJson`. */
  credentials?: Credentials | undefined;
  /** dockerconfigjson (or legacy dockercfg) text holding credentials per registry host. */
  dockerConfigJson?: string | undefined;
  /** Plain HTTP for every registry; loopback registries always use it. */
  insecure?: boolean | undefined;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch | undefined;
}

export interface RegistryRequest {
  ref: ImageReference;
  method: "GET" | "HEAD" | "DELETE";
  /** Below `/v2/<repository>/`, e.g. `manifests/<reference>` or `blobs/<digest>`. */
  path: string;
  accept?: string;
  /** The action named in the token scope. */
  action: "pull" | "delete";
  /** What is asked for, for error messages: `manifest os/base:1`. */
  what: string;
  signal: AbortSignal;
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d+)?$/;

export function errorContext(ref: ImageReference): RegistryErrorOptions {
  const pin = ref.digest === undefined ? `:${ref.tag ?? "latest"}` : `@${ref.digest}`;
  return { registry: ref.registry, image: `${ref.repository}${pin}` };
}

export class RegistryTransport {
  readonly #options: TransportOptions;
  readonly #fetch: typeof fetch;
  readonly #authorizations = new Map<string, string>();
  #config: DockerConfig | undefined;

  constructor(options: TransportOptions = {}) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
  }

  /** `http(s)://host[:port]` for API calls to `registry`. */
  baseUrl(registry: string): string {
    const host = registry === DOCKER_HUB ? "registry-1.docker.io" : registry;
    const scheme = this.#options.insecure === true || LOOPBACK.test(host) ? "http" : "https";
    return `${scheme}://${host}`;
  }

  credentials(registry: string): Credentials | undefined {
    if (this.#options.credentials !== undefined) return this.#options.credentials;
    if (this.#options.dockerConfigJson === undefined) return undefined;
    this.#config ??= parseDockerConfig(this.#options.dockerConfigJson);
    return credentialsFor(this.#config, registry);
  }

  /** Sends the request, authenticating when challenged; throws RegistryError unless the answer is 2xx. */
  async send(request: RegistryRequest): Promise<Response> {
    const { ref } = request;
    const scope = `repository:${ref.repository}:${request.action}`;
    const key = `${ref.registry} ${scope}`;
    let authorization = this.#authorizations.get(key);
    let response = await this.#attempt(request, authorization);
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get("www-authenticate"));
      await response.body?.cancel();
      authorization = await this.#answer(request, challenge, scope);
      this.#authorizations.set(key, authorization);
      response = await this.#attempt(request, authorization);
      if (response.status === 401) this.#authorizations.delete(key);
    }
    if (response.ok) return response;
    throw await this.#failure(request, response);
  }

  async #answer(request: RegistryRequest, challenge: ReturnType<typeof parseChallenge>, scope: string) {
    const context = errorContext(request.ref);
    const credentials = this.credentials(request.ref.registry);
    if (challenge?.scheme === "bearer") {
      return fetchBearerToken({
        challenge,
        scope,
        credentials,
        fetch: this.#fetch,
        signal: request.signal,
        context,
      });
    }
    if (challenge?.scheme === "basic" && credentials !== undefined) return basicAuthorization(credentials);
    throw new RegistryError(
      "unauthorized",
      credentialsNote(credentials, `${request.what} needs authentication`),
      {
        ...context,
        status: 401,
      },
    );
  }

  async #attempt(request: RegistryRequest, authorization: string | undefined): Promise<Response> {
    const url = `${this.baseUrl(request.ref.registry)}/v2/${request.ref.repository}/${request.path}`;
    const headers: Record<string, string> = {};
    if (request.accept !== undefined) headers.accept = request.accept;
    if (authorization !== undefined) headers.authorization = authorization;
    try {
      return await this.#fetch(url, { method: request.method, headers, signal: request.signal });
    } catch (error) {
      request.signal.throwIfAborted();
      const reason = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      throw new RegistryError("unreachable", `no answer for ${request.what}${reason}`, {
        ...errorContext(request.ref),
        cause: error,
      });
    }
  }

  async #failure(request: RegistryRequest, response: Response): Promise<RegistryError> {
    const context = { ...errorContext(request.ref), status: response.status };
    const detail = request.method === "HEAD" ? "" : await registryErrorDetail(response);
    if (response.status === 401 || response.status === 403) {
      const credentials = this.credentials(request.ref.registry);
      return new RegistryError(
        "unauthorized",
        credentialsNote(credentials, `${request.what} refused`),
        context,
      );
    }
    if (response.status === 404) return new RegistryError("not-found", `${request.what} not found`, context);
    return new RegistryError("protocol", `${request.what}: HTTP ${response.status}${detail}`, context);
  }
}

/** The first `errors[]` entry of a distribution error body, shortened; empty when there is none. */
async function registryErrorDetail(response: Response): Promise<string> {
  const body: unknown = await response.json().catch(() => undefined);
  const first =
    typeof body === "object" && body !== null && Array.isArray((body as { errors?: unknown }).errors)
      ? (body as { errors: unknown[] }).errors[0]
      : undefined;
  if (typeof first !== "object" || first === null) return "";
  const { code, message } = first as { code?: unknown; message?: unknown };
  const text = [code, message].filter((part) => typeof part === "string").join(" ");
  return text === "" ? "" : ` (${text.slice(0, 200)})`;
}
