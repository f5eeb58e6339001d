// The one error type of the registry client. Messages name the registry and the image and never carry
// a password, a token or an Authorization header: callers may log them and put them into statuses.

export type RegistryErrorCode =
  /** The registry rejected the credentials (or none were given and it wants some). */
  | "unauthorized"
  /** The manifest, tag or blob does not exist. */
  | "not-found"
  /** Downloaded bytes do not hash to the digest they were asked for or announced with. */
  | "digest-mismatch"
  /** No HTTP answer at all: connection refused, DNS, TLS. */
  | "unreachable"
  /** An answer mob cannot use: unexpected status, malformed JSON, unknown media type. */
  | "protocol"
  /** The image reference (or a digest) could not be parsed. */
  | "invalid-reference"
  /** Valid but not supported by mob, e.g. a compression it does not decode. */
  | "unsupported"
  /** A layer tries to write outside the target directory (traversal, absolute names, link escapes). */
  | "unsafe-layer";

export interface RegistryErrorOptions {
  /** The registry host, e.g. `127.0.0.1:5000`. */
  registry?: string;
  /** The image as the caller named it (never with credentials). */
  image?: string;
  /** The HTTP status, when there was one. */
  status?: number;
  cause?: unknown;
}

export class RegistryError extends Error {
  override readonly name = "RegistryError";
  readonly code: RegistryErrorCode;
  readonly registry: string | undefined;
  readonly image: string | undefined;
  readonly status: number | undefined;
  /** The message without the registry, image and code prefix. */
  readonly detail: string;

  constructor(code: RegistryErrorCode, detail: string, options: RegistryErrorOptions = {}) {
    super(formatMessage(code, detail, options), options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
    this.detail = detail;
    this.registry = options.registry;
    this.image = options.image;
    this.status = options.status;
  }
}

function formatMessage(code: RegistryErrorCode, detail: string, options: RegistryErrorOptions): string {
  const where = [
    options.registry === undefined ? "" : `registry ${options.registry}`,
    options.image === undefined ? "" : `image ${options.image}`,
  ].filter((part) => part !== "");
  return `${where.length > 0 ? `${where.join(", ")}: ` : ""}${code}: ${detail}`;
}

export function isRegistryError(error: unknown, code?: RegistryErrorCode): error is RegistryError {
  return error instanceof RegistryError && (code === undefined || error.code === code);
}
