// Turns a file's contents and appends into bytes: data URL → gunzip (when compression is gzip) →
// hash check (the hash describes the decompressed bytes). Only data: URLs; mob fetches nothing.

import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { parseDataUrl } from "./data-url.ts";
import { IgnitionError, type IgnitionFile, type IgnitionIssue, type Resource } from "./types.ts";

export const HASH_PATTERN = /^(sha512|sha256)-([0-9a-fA-F]+)$/;

/** The bytes to write for `file`: contents (empty when no source) followed by every append entry. */
export function decodeFileContents(file: IgnitionFile, path = file.path): Buffer {
  const parts: Buffer[] = [];
  if (file.contents !== undefined) parts.push(decodeResource(file.contents, `${path}: contents`));
  file.append?.forEach((resource, i) => {
    parts.push(decodeResource(resource, `${path}: append[${i}]`));
  });
  return Buffer.concat(parts);
}

/** Decodes one resource; `where` prefixes issue paths. Throws IgnitionError. */
export function decodeResource(resource: Resource, where: string): Buffer {
  const fail = (code: IgnitionIssue["code"], message: string): never => {
    throw new IgnitionError("cannot decode contents", [{ path: where, code, message }]);
  };
  const source = resource.source;
  if (source === undefined || source === "") return Buffer.alloc(0);
  const parsed = parseDataUrl(source);
  if ("error" in parsed) {
    return parsed.error === "not a data: URL"
      ? fail("SourceUnsupported", `mob applies only data: URL sources, got "${schemeOf(source)}"`)
      : fail("Invalid", parsed.error);
  }
  let data = parsed.data;
  const compression = resource.compression ?? "";
  if (compression === "gzip") {
    try {
      data = gunzipSync(data);
    } catch (error) {
      fail("Invalid", `gzip decompression failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else if (compression !== "") {
    fail("Invalid", `unsupported compression "${compression}"; only "gzip" is allowed`);
  }
  const hash = resource.verification?.hash;
  if (hash !== undefined) {
    const match = HASH_PATTERN.exec(hash);
    if (match === null) return fail("Invalid", `hash "${hash}" is not sha512-<hex> or sha256-<hex>`);
    const [, algorithm = "", expected = ""] = match;
    const actual = createHash(algorithm).update(data).digest("hex");
    if (actual !== expected.toLowerCase()) {
      fail(
        "Invalid",
        `${algorithm} mismatch: config says ${expected.toLowerCase()}, contents hash to ${actual}`,
      );
    }
  }
  return data;
}

export function schemeOf(source: string): string {
  const colon = source.indexOf(":");
  return colon > 0 ? `${source.slice(0, colon)}:` : source;
}
