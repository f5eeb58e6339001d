// The runtime's error types. API failures become one `ApiStatusError` at the client boundary
// (`toApiStatusError`), so reconcilers test `isNotFound(e)` instead of poking at transport errors.

import { ApiException } from "@kubernetes/client-node";
import { isPlainObject } from "../api/object.ts";

/** Thrown by a reconciler when retrying cannot help; the controller logs and counts it, no requeue. */
export class TerminalError extends Error {
  override readonly name = "TerminalError";
}

/** A Kubernetes `Status` failure (or an HTTP failure without one). */
export class ApiStatusError extends Error {
  override readonly name = "ApiStatusError";
  readonly code: number;
  /** `NotFound`, `Conflict`, `AlreadyExists`, `Expired`, …; `Unknown` when the server sent none. */
  readonly reason: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: number, reason: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
}

/** Builds the error from a response status and body (a `Status` JSON object, text or nothing). */
export function apiStatusErrorFrom(code: number, body: unknown): ApiStatusError {
  const status = typeof body === "string" ? parseJson(body) : body;
  if (isPlainObject(status) && status.kind === "Status") {
    return new ApiStatusError(
      typeof status.code === "number" ? status.code : code,
      typeof status.reason === "string" && status.reason !== "" ? status.reason : "Unknown",
      typeof status.message === "string" ? status.message : `HTTP ${code}`,
      isPlainObject(status.details) ? status.details : undefined,
    );
  }
  const text = typeof body === "string" && body.trim() !== "" ? body.trim().slice(0, 200) : `HTTP ${code}`;
  return new ApiStatusError(code, "Unknown", text);
}

/** Normalises an error from client-node's generated API classes; other errors pass through. */
export function toApiStatusError(error: unknown): unknown {
  if (error instanceof ApiException) return apiStatusErrorFrom(error.code, error.body);
  return error;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function hasCode(error: unknown, code: number, reason?: string): boolean {
  const normalised = toApiStatusError(error);
  if (!(normalised instanceof ApiStatusError) || normalised.code !== code) return false;
  return reason === undefined || normalised.reason === reason;
}

export const isNotFound = (error: unknown): boolean => hasCode(error, 404);
export const isConflict = (error: unknown): boolean => hasCode(error, 409, "Conflict");
export const isAlreadyExists = (error: unknown): boolean => hasCode(error, 409, "AlreadyExists");
export const isExpired = (error: unknown): boolean => hasCode(error, 410);
export const isInvalid = (error: unknown): boolean => hasCode(error, 422);

/** True for the error an aborted signal produces (fetch and `AbortSignal.throwIfAborted`). */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}
