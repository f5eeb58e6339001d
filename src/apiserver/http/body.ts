// Request bodies: size limit, media type, JSON or YAML decoding.

import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import { ApiError, badRequest, requestEntityTooLarge, unsupportedMediaType } from "../errors.ts";

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
const YAML_TYPES = new Set(["application/yaml", "application/x-yaml", "text/yaml", "application/apply-patch+yaml"]);
const PATCH_JSON_TYPES = new Set([
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
]);

export const ACCEPTED_BODY_TYPES = ["application/json", "application/yaml"];

/** Decodes a body of the given media type; 415 for media types mob does not read (protobuf, CBOR). */
export function decodeBody(buffer: Buffer, type: string, accepted: readonly string[] = ACCEPTED_BODY_TYPES): unknown {
  const text = buffer.toString("utf8");
  if (JSON_TYPES.has(type) || PATCH_JSON_TYPES.has(type)) {
    if (text.trim() === "") throw badRequest("the request body is empty");
    try {
      return JSON.parse(text);
    } catch (error) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
    }
  }
  if (YAML_TYPES.has(type)) {
    try {
      return parseYaml(text, { maxAliasCount: 100 });
    } catch (error) {
      throw badRequest(`error converting YAML to JSON: ${(error as Error).message.split("\n")[0] ?? ""}`);
    }
  }
  throw unsupportedMediaType(type, accepted);
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
