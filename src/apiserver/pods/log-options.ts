// The query of GET pods/<name>/log as core/v1 PodLogOptions, validated like Kubernetes does.

import { badRequest, type FieldIssue, invalid } from "../errors.ts";

export interface LogOptions {
  container: string | undefined;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Only lines at or after this time (ms since epoch), from sinceSeconds or sinceTime. */
  sinceMs: number | undefined;
  tailLines: number | undefined;
  limitBytes: number | undefined;
}

const TRUE = new Set(["1", "t", "T", "true", "TRUE", "True"]);
const FALSE = new Set(["0", "f", "F", "false", "FALSE", "False"]);

/** strconv.ParseBool; an absent or empty parameter is false. */
function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === "" || FALSE.has(value)) return false;
  if (TRUE.has(value)) return true;
  throw badRequest(`invalid boolean value for ${name}: ${JSON.stringify(value)}`);
}

function integer(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  if (!/^[+-]?\d+$/.test(value))
    throw badRequest(`invalid integer value for ${name}: ${JSON.stringify(value)}`);
  return Number(value);
}

function time(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) {
    throw badRequest(`invalid time value for ${name}: ${JSON.stringify(value)}: expected RFC 3339`);
  }
  return ms;
}

function validate(
  sinceSeconds: number | undefined,
  sinceTime: number | undefined,
  options: LogOptions,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const tooSmall = (field: string, value: number, bound: string): void => {
    issues.push({
      field,
      reason: "FieldValueInvalid",
      message: `${field}: Invalid value: ${value}: must be ${bound}`,
    });
  };
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    issues.push({
      field: "",
      reason: "FieldValueForbidden",
      message: "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
    });
  }
  if (sinceSeconds !== undefined && sinceSeconds < 1)
    tooSmall("sinceSeconds", sinceSeconds, "greater than 0");
  if (options.tailLines !== undefined && options.tailLines < 0) {
    tooSmall("tailLines", options.tailLines, "greater than or equal to 0");
  }
  if (options.limitBytes !== undefined && options.limitBytes < 1) {
    tooSmall("limitBytes", options.limitBytes, "greater than 0");
  }
  return issues;
}

/** Parses and validates; 400 for unparsable values, 422 (PodLogOptions invalid) for bad ones. */
export function parseLogOptions(query: URLSearchParams, podName: string, now: Date): LogOptions {
  const sinceSeconds = integer(query, "sinceSeconds");
  const sinceTime = time(query, "sinceTime");
  const options: LogOptions = {
    container: query.get("container") || undefined,
    follow: flag(query, "follow"),
    previous: flag(query, "previous"),
    timestamps: flag(query, "timestamps"),
    sinceMs: sinceTime ?? (sinceSeconds === undefined ? undefined : now.getTime() - sinceSeconds * 1000),
    tailLines: integer(query, "tailLines"),
    limitBytes: integer(query, "limitBytes"),
  };
  const issues = validate(sinceSeconds, sinceTime, options);
  if (issues.length > 0) throw invalid("", "PodLogOptions", podName, issues);
  return options;
}
