// Writing responses: JSON objects, Status errors and plain text.

import type { ServerResponse } from "node:http";
import { ApiError, internalError, type Status } from "../errors.ts";

export function writeJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = "application/json",
): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(code, {
    "Content-Type": contentType,
    "Content-Length": payload.length,
    "Cache-Control": "no-cache, private",
  });
  res.end(payload);
}

export function writeText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return internalError(error instanceof Error ? error.message : String(error));
}

export function writeError(res: ServerResponse, error: unknown): void {
  const apiError = toApiError(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeJson(res, apiError.code, apiError.toStatus());
}

export function successStatus(code: number, details?: Status["details"]): Status {
  const status: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code };
  if (details !== undefined) status.details = details;
  return status;
}
