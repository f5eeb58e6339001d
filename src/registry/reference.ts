// Image references: `[host[:port]/]path[:tag][@sha256:<hex>]`, the grammar of distribution/reference.
// A first component with a dot, a colon or equal to `localhost` is the registry host; otherwise the
// image lives on Docker Hub (`docker.io`, single names under `library/`).

import { RegistryError } from "./errors.ts";

export interface ImageReference {
  /** Host and optional port as written, e.g. `127.0.0.1:5000`, `quay.io`, `docker.io`. */
  registry: string;
  /** Repository path inside the registry, e.g. `os/layered`. */
  repository: string;
  tag: string | undefined;
  /** `sha256:<64 hex>` when the reference is pinned. */
  digest: string | undefined;
}

export const DOCKER_HUB = "docker.io";

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

export function parseImageReference(text: string): ImageReference {
  const invalid = (why: string) => new RegistryError("invalid-reference", `"${text}": ${why}`);
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid("digest must be sha256:<64 lowercase hex digits>");
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(":");
  if (lastColon > rest.lastIndexOf("/")) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) throw invalid(`invalid tag "${tag}"`);
  }
  const parts = rest.split("/");
  const first = parts[0] ?? "";
  let registry = DOCKER_HUB;
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    if (!HOST.test(first)) throw invalid(`invalid registry host "${first}"`);
    registry = first;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((part) => !COMPONENT.test(part))) {
    throw invalid("repository must be lowercase path components separated by /");
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift("library");
  return { registry, repository: parts.join("/"), tag, digest };
}

/** The canonical text form; a reference with a digest keeps its tag only when asked to. */
export function formatImageReference(ref: ImageReference, options: { keepTag?: boolean } = {}): string {
  const base = `${ref.registry}/${ref.repository}`;
  const tag =
    ref.tag !== undefined && (ref.digest === undefined || options.keepTag === true) ? `:${ref.tag}` : "";
  return `${base}${tag}${ref.digest === undefined ? "" : `@${ref.digest}`}`;
}

/** The same repository pinned to `digest` (the tag is dropped). */
export function withDigest(ref: ImageReference, digest: string): ImageReference {
  return { registry: ref.registry, repository: ref.repository, tag: undefined, digest };
}

/** What to ask the registry for: the digest when pinned, else the tag (`latest` when neither). */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? "latest";
}

export function toImageReference(ref: ImageReference | string): ImageReference {
  return typeof ref === "string" ? parseImageReference(ref) : ref;
}
