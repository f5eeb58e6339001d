// One Error subclass for everything the API answers with a non-2xx Status. Every layer below HTTP
// throws either this or a typed error of its own that is translated into this once, at the boundary.

export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Expired"
  | "RequestEntityTooLarge"
  | "UnsupportedMediaType"
  | "Invalid"
  | "TooManyRequests"
  | "InternalError"
  | "ServiceUnavailable"
  | "Timeout";

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  /** ListMeta: Kubernetes sets `continue` on an Expired continued list (a token for an inconsistent rest). */
  metadata: { continue?: string };
  status: "Success" | "Failure";
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;
  /** The Status' metadata.continue (Expired continued lists only). */
  readonly continueToken: string | undefined;

  constructor(
    code: number,
    reason: StatusReason,
    message: string,
    details?: StatusDetails,
    continueToken?: string,
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.continueToken = continueToken;
  }

  toStatus(): Status {
    const status: Status = {
      kind: "Status",
      apiVersion: "v1",
      metadata: this.continueToken === undefined ? {} : { continue: this.continueToken },
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details !== undefined) status.details = this.details;
    return status;
  }
}

/** A group and resource, as Kubernetes names them in messages: `configmaps` or `machineconfigpools.machineconfiguration.openshift.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function groupResourceString(gr: GroupResource): string {
  return gr.group === "" ? gr.resource : `${gr.resource}.${gr.group}`;
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(404, "NotFound", `${groupResourceString(gr)} "${name}" not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError(409, "AlreadyExists", `${groupResourceString(gr)} "${name}" already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export function conflict(gr: GroupResource, name: string, why: string): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${groupResourceString(gr)} "${name}": ${why}`,
    { name, group: gr.group, kind: gr.resource },
  );
}

export const OBJECT_MODIFIED =
  "the object has been modified; please apply your changes to the latest version and try again";

/** One problem with one field, as validation reports it. */
export interface FieldIssue {
  /** Dotted path with list indexes, e.g. `spec.containers[0].image`; empty for the whole object. */
  field: string;
  /** Kubernetes cause reason: FieldValueInvalid, FieldValueRequired, FieldValueNotSupported, FieldValueForbidden, FieldValueDuplicate, FieldValueTooLong, FieldValueTypeInvalid, ... */
  reason: string;
  /** The message as Kubernetes prints it, e.g. `spec.x: Invalid value: "string": must be ...`. */
  message: string;
}

/** A 422 listing every issue, in Kubernetes' words: `ConfigMap "x" is invalid: [a: ..., b: ...]`. */
export function invalid(group: string, kind: string, name: string, issues: readonly FieldIssue[]): ApiError {
  const messages = issues.map((issue) => issue.message);
  const summary = messages.length === 1 ? messages[0] : `[${messages.join(", ")}]`;
  return new ApiError(422, "Invalid", `${kind} "${name}" is invalid: ${summary}`, {
    name,
    group,
    kind,
    // As Kubernetes: a cause carries the field separately and only the body in its message
    // (kubectl prints `field: message`); the summary message above keeps the field prefix.
    causes: issues.map((issue) => ({ reason: issue.reason, message: causeBody(issue), field: issue.field })),
  });
}

function causeBody(issue: FieldIssue): string {
  const prefix = `${issue.field}: `;
  return issue.field !== "" && issue.message.startsWith(prefix)
    ? issue.message.slice(prefix.length)
    : issue.message;
}

export function badRequest(message: string, details?: StatusDetails): ApiError {
  return new ApiError(400, "BadRequest", message, details);
}

export function methodNotAllowed(message: string): ApiError {
  return new ApiError(405, "MethodNotAllowed", message);
}

export function unsupportedMediaType(contentType: string, accepted: readonly string[]): ApiError {
  return new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    { causes: [{ reason: "UnexpectedServerResponse", message: `unsupported media type ${contentType}` }] },
  );
}

export function expired(message: string, continueToken?: string): ApiError {
  return new ApiError(410, "Expired", message, undefined, continueToken);
}

export function forbidden(message: string, details?: StatusDetails): ApiError {
  return new ApiError(403, "Forbidden", message, details);
}

export function tooManyRequests(message: string, details?: StatusDetails): ApiError {
  return new ApiError(429, "TooManyRequests", message, details);
}

export function internalError(message: string): ApiError {
  return new ApiError(500, "InternalError", `Internal error occurred: ${message}`);
}

export function requestEntityTooLarge(limitBytes: number): ApiError {
  return new ApiError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limitBytes}`);
}
