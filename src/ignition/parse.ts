// Parses a MachineConfig's `spec.config` into a typed Ignition 3.x config. Like Ignition itself the
// parser is strict: unknown fields, wrong types and fields newer than the declared spec version are
// issues, never silently dropped. Spec 2.2.0 configs are translated (translate-v2.ts).

import { IGNITION_V3_SCHEMA } from "./schema.ts";
import { isPlainObject, walkSchema } from "./schema-walk.ts";
import { translateV2 } from "./translate-v2.ts";
import { type IgnitionConfig, IgnitionError, type IgnitionIssue } from "./types.ts";
import { modesOf, resourcesOf } from "./visit.ts";

export type ParseResult = { config: IgnitionConfig } | { issues: IgnitionIssue[] };

/** Accepted 3.x versions and their minor numbers; experimental versions are refused, as Ignition does. */
const V3_MINORS: Readonly<Record<string, number>> = {
  "3.0.0": 0,
  "3.1.0": 1,
  "3.2.0": 2,
  "3.3.0": 3,
  "3.4.0": 4,
};

const ACCEPTED = "2.2.0, 3.0.0, 3.1.0, 3.2.0, 3.3.0 and 3.4.0";

/** `raw` is the decoded JSON object, or JSON text. */
export function parseIgnition(raw: unknown): ParseResult {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return fail("", "TypeInvalid", `config is not valid JSON: ${why}`);
    }
  }
  if (!isPlainObject(value)) return fail("", "TypeInvalid", "config must be a JSON object");
  const meta = value.ignition;
  if (meta === undefined || meta === null) return fail("ignition.version", "Required", "field is required");
  if (!isPlainObject(meta)) return fail("ignition", "TypeInvalid", "expected an object");
  const version = meta.version;
  if (version === undefined || version === null) {
    return fail("ignition.version", "Required", `field is required (one of ${ACCEPTED})`);
  }
  if (typeof version !== "string") return fail("ignition.version", "TypeInvalid", "expected a string");
  if (version === "2.2.0") return translateV2(value);
  const minor = V3_MINORS[version];
  if (minor === undefined) {
    return fail(
      "ignition.version",
      "VersionUnsupported",
      `unsupported Ignition spec version "${version}"; mob accepts ${ACCEPTED}`,
    );
  }
  const issues: IgnitionIssue[] = [];
  const checked = walkSchema(value, IGNITION_V3_SCHEMA, "", { minor, declared: version, issues });
  if (issues.length > 0) return { issues };
  // The walk checked every field against the schema, which mirrors IgnitionConfig field for field.
  const config = checked as IgnitionConfig;
  issues.push(...versionValueIssues(config, minor, version));
  return issues.length > 0 ? { issues } : { config };
}

/** Values (rather than fields) that the declared version does not allow yet. */
function versionValueIssues(config: IgnitionConfig, minor: number, declared: string): IgnitionIssue[] {
  const issues: IgnitionIssue[] = [];
  const tooOld = (path: string, what: string, needed: number): void => {
    issues.push({
      path,
      code: "FieldNotInVersion",
      message: `${what} needs spec 3.${needed}.0 or later; the config declares ${declared}`,
    });
  };
  if (minor < 4) {
    for (const { mode, path } of modesOf(config)) {
      if (mode > 0o777 && mode <= 0o7777) tooOld(path, "setuid/setgid/sticky mode bits", 4);
    }
  }
  if (minor < 1) {
    for (const { resource, path } of resourcesOf(config)) {
      if (resource.verification?.hash?.startsWith("sha256-") === true) {
        tooOld(`${path}.verification.hash`, "a sha256 hash", 1);
      }
    }
  }
  if (minor < 3) {
    config.storage?.filesystems?.forEach((fs, i) => {
      if (fs.format === "none") tooOld(`storage.filesystems[${i}].format`, 'format "none"', 3);
    });
  }
  return issues;
}

/** Parses or throws an IgnitionError carrying the issues. */
export function parseIgnitionOrThrow(raw: unknown): IgnitionConfig {
  const result = parseIgnition(raw);
  if ("issues" in result) throw new IgnitionError("invalid Ignition config", result.issues);
  return result.config;
}

function fail(path: string, code: IgnitionIssue["code"], message: string): ParseResult {
  return { issues: [{ path, code, message }] };
}

export function isParseFailure(result: ParseResult): result is { issues: IgnitionIssue[] } {
  return "issues" in result;
}
