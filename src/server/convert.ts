// Converts the served Ignition config (spec 3.4.0, mob's merged version) to the version the client
// negotiated. Down to an older 3.x the config only changes its declared version, then is parsed
// again, so a field or value the older spec lacks is an issue rather than silently dropped. Down to
// 2.2.0 the config is translated back the way translate-v2.ts translates up (nodes on the "root"
// filesystem, units, users); what spec 2.2 cannot say is an issue.

import {
  type IgnitionConfig,
  type IgnitionIssue,
  type IgnitionMeta,
  parseIgnition,
  type Resource,
} from "../ignition/index.ts";
import type { ServedVersion } from "./accept.ts";

export type Conversion =
  | { ok: true; config: Record<string, unknown> }
  | { ok: false; issues: IgnitionIssue[] };

export function convertIgnition(config: IgnitionConfig, version: ServedVersion): Conversion {
  if (version === "2.2.0") return toSpecV2(config);
  const relabelled = { ...config, ignition: { ...config.ignition, version } };
  const parsed = parseIgnition(relabelled);
  if ("issues" in parsed) return { ok: false, issues: parsed.issues };
  return { ok: true, config: relabelled as unknown as Record<string, unknown> };
}

function toSpecV2(config: IgnitionConfig): Conversion {
  const issues: IgnitionIssue[] = [];
  const refuse = (path: string, message: string): void => {
    issues.push({ path, code: "Untranslatable", message });
  };
  const storage = config.storage ?? {};
  for (const section of ["disks", "raid", "filesystems", "luks"] as const) {
    if ((storage[section]?.length ?? 0) > 0)
      refuse(`storage.${section}`, `spec 2.2 cannot express ${section}`);
  }
  if (config.kernelArguments !== undefined) refuse("kernelArguments", "spec 2.2 has no kernelArguments");
  if (config.ignition.proxy !== undefined) refuse("ignition.proxy", "spec 2.2 has no proxy settings");
  const resource = (path: string, r: Resource): Record<string, unknown> => {
    if (r.httpHeaders !== undefined) refuse(`${path}.httpHeaders`, "spec 2.2 has no httpHeaders");
    return compact({ source: r.source, compression: r.compression, verification: r.verification });
  };
  const files = storage.files?.map((file, i) => {
    const path = `storage.files[${i}]`;
    if ((file.append?.length ?? 0) > 0) refuse(`${path}.append`, "spec 2.2 cannot append fragments");
    return compact({
      filesystem: "root",
      path: file.path,
      overwrite: file.overwrite,
      user: file.user,
      group: file.group,
      mode: file.mode,
      contents: file.contents === undefined ? undefined : resource(`${path}.contents`, file.contents),
    });
  });
  const directories = storage.directories?.map((dir) => ({ filesystem: "root", ...dir }));
  const links = storage.links?.map((link) => ({ filesystem: "root", ...link }));
  config.passwd?.users?.forEach((user, i) => {
    if (user.shouldExist === false) refuse(`passwd.users[${i}].shouldExist`, "spec 2.2 cannot remove users");
  });
  config.passwd?.groups?.forEach((group, i) => {
    if (group.shouldExist === false)
      refuse(`passwd.groups[${i}].shouldExist`, "spec 2.2 cannot remove groups");
  });
  const passwd =
    config.passwd === undefined
      ? undefined
      : compact({
          users: config.passwd.users?.map(({ shouldExist: _, ...user }) => user),
          groups: config.passwd.groups?.map(({ shouldExist: _, ...group }) => group),
        });
  const converted = compact({
    ignition: metaV2(config.ignition, resource),
    storage:
      files === undefined && directories === undefined && links === undefined
        ? undefined
        : compact({ files, directories, links }),
    systemd: config.systemd,
    passwd,
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config: converted };
}

function metaV2(
  meta: IgnitionMeta,
  resource: (path: string, r: Resource) => Record<string, unknown>,
): Record<string, unknown> {
  const refs = meta.config;
  return compact({
    version: "2.2.0",
    config:
      refs === undefined
        ? undefined
        : compact({
            append: refs.merge?.map((r, i) => resource(`ignition.config.merge[${i}]`, r)),
            replace:
              refs.replace === undefined ? undefined : resource("ignition.config.replace", refs.replace),
          }),
    timeouts: meta.timeouts,
    security:
      meta.security?.tls?.certificateAuthorities === undefined
        ? meta.security
        : {
            tls: {
              certificateAuthorities: meta.security.tls.certificateAuthorities.map((r, i) =>
                resource(`ignition.security.tls.certificateAuthorities[${i}]`, r),
              ),
            },
          },
  });
}

/** Drops the keys whose value is undefined (spec 2.2 parsers reject explicit nulls). */
function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
