// Request bodies: size limit, media type, JSON, YAML or Kubernetes protobuf decoding.

import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import { ApiError, badRequest, requestEntityTooLarge, unsupportedMediaType } from "../errors.ts";
import { decodeProtobuf, PROTOBUF_MEDIA_TYPE } from "./protobuf/decode.ts";

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) {
    req.resume();
    throw requestEntityTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw requestEntityTooLarge(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

const JSON_TYPES = new Set(["application/json", "", "*/*"]);
const YAML_TYPES = new Set([
  "application/yaml",
  "application/x-yaml",
  "text/yaml",
  "application/apply-patch+yaml",
]);
const PATCH_JSON_TYPES = new Set([
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
]);

export const ACCEPTED_BODY_TYPES = ["application/json", "application/yaml", PROTOBUF_MEDIA_TYPE];

/** Decodes a body of the given media type; 415 for media types (CBOR) and protobuf kinds mob does not read. */
export function decodeBody(
  buffer: Buffer,
  type: string,
  accepted: readonly string[] = ACCEPTED_BODY_TYPES,
): unknown {
  const text = buffer.toString("utf8");
  if (JSON_TYPES.has(type) || PATCH_JSON_TYPES.has(type)) {
    if (text.trim() === "") throw badRequest("the request body is empty");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
    }
    return withinDepth(value);
  }
  if (YAML_TYPES.has(type)) {
    let value: unknown;
    try {
      value = parseYaml(text, { maxAliasCount: 100 });
    } catch (error) {
      throw badRequest(`error converting YAML to JSON: ${(error as Error).message.split("\n")[0] ?? ""}`);
    }
    return withinDepth(value);
  }
  if (type === PROTOBUF_MEDIA_TYPE && accepted.includes(type)) return withinDepth(decodeProtobuf(buffer));
  throw unsupportedMediaType(type, accepted);
}

/** Deepest nesting of objects and arrays a body may have; the store and patch code recurse. */
export const MAX_BODY_DEPTH = 512;

/** The value itself; 400 when it nests deeper than MAX_BODY_DEPTH (checked without recursion). */
function withinDepth(value: unknown): unknown {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== "object" || node === null) continue;
    if (depth > MAX_BODY_DEPTH)
      throw badRequest(`the request body exceeds the max depth of ${MAX_BODY_DEPTH}`);
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return value;
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
