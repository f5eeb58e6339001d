// Semantic checks on a parsed config, in the spirit of Ignition's own validation, plus the one thing
// only mob cares about: every resource must be a data: URL, because the build fetches nothing.

import { HASH_PATTERN, schemeOf } from "./contents.ts";
import { isDataUrl, parseDataUrl } from "./data-url.ts";
import type { IgnitionConfig, IgnitionIssue } from "./types.ts";
import { modesOf, resourcesOf } from "./visit.ts";

/** Unit types Ignition accepts as a unit name suffix. */
export const UNIT_SUFFIXES: readonly string[] = [
  ".service",
  ".socket",
  ".device",
  ".mount",
  ".automount",
  ".swap",
  ".target",
  ".path",
  ".timer",
  ".snapshot",
  ".slice",
  ".scope",
];

/** Every issue in `config`; empty when mob can apply it. */
export function validateIgnition(config: IgnitionConfig): IgnitionIssue[] {
  const issues: IgnitionIssue[] = [];
  const add = (path: string, code: IgnitionIssue["code"], message: string): void => {
    issues.push({ path, code, message });
  };
  checkNodes(config, add);
  for (const { mode, path } of modesOf(config)) {
    if (mode < 0 || mode > 0o7777) add(path, "Invalid", `mode ${mode} is outside 0-07777 (0-4095 decimal)`);
  }
  checkResources(config, add);
  checkUnits(config, add);
  checkPasswd(config, add);
  const keep = new Set(config.kernelArguments?.shouldExist ?? []);
  config.kernelArguments?.shouldNotExist?.forEach((arg, i) => {
    if (keep.has(arg)) {
      add(`kernelArguments.shouldNotExist[${i}]`, "Invalid", `"${arg}" is also listed in shouldExist`);
    }
  });
  return issues;
}

type Add = (path: string, code: IgnitionIssue["code"], message: string) => void;

function checkNodes(config: IgnitionConfig, add: Add): void {
  const seen = new Map<string, string>();
  const check = (kind: "files" | "directories" | "links", path: string, i: number): void => {
    const at = `storage.${kind}[${i}].path`;
    if (!path.startsWith("/")) add(at, "Invalid", `path "${path}" is not absolute`);
    if (path.split("/").includes("..")) add(at, "Invalid", `path "${path}" must not contain ".." segments`);
    const first = seen.get(path);
    if (first !== undefined) add(at, "Duplicate", `path "${path}" is already used by ${first}`);
    else seen.set(path, `storage.${kind}[${i}]`);
  };
  config.storage?.files?.forEach((file, i) => {
    check("files", file.path, i);
  });
  config.storage?.directories?.forEach((dir, i) => {
    check("directories", dir.path, i);
  });
  config.storage?.links?.forEach((link, i) => {
    check("links", link.path, i);
    const at = `storage.links[${i}].target`;
    if (link.target === undefined || link.target === "") add(at, "Required", "a link needs a target");
    else if (link.hard === true && !link.target.startsWith("/")) {
      add(at, "Invalid", `hard link target "${link.target}" is not absolute`);
    }
  });
}

function checkResources(config: IgnitionConfig, add: Add): void {
  for (const { resource, path, role } of resourcesOf(config)) {
    if (role === "config merge" || role === "config replace") {
      add(
        path,
        "SourceUnsupported",
        `mob does not fetch or merge referenced configs (${role}); inline it instead`,
      );
      continue;
    }
    const compression = resource.compression ?? "";
    if (compression !== "" && compression !== "gzip") {
      add(`${path}.compression`, "Invalid", `compression must be "gzip" or empty, got "${compression}"`);
    }
    const hash = resource.verification?.hash;
    if (hash !== undefined && !HASH_PATTERN.test(hash)) {
      add(`${path}.verification.hash`, "Invalid", `hash "${hash}" is not sha512-<hex> or sha256-<hex>`);
    }
    const source = resource.source;
    if (source === undefined || source === "") continue;
    if (!isDataUrl(source)) {
      // Certificate authorities only matter for fetching, which mob never does.
      if (role !== "certificate authority") {
        add(
          `${path}.source`,
          "SourceUnsupported",
          `mob applies only data: URL sources, got "${schemeOf(source)}"`,
        );
      }
      continue;
    }
    const parsed = parseDataUrl(source);
    if ("error" in parsed) add(`${path}.source`, "Invalid", parsed.error);
  }
}

function checkUnits(config: IgnitionConfig, add: Add): void {
  const names = new Set<string>();
  config.systemd?.units?.forEach((unit, i) => {
    const at = `systemd.units[${i}]`;
    if (unit.name.includes("/"))
      add(`${at}.name`, "Invalid", `unit name "${unit.name}" must not contain "/"`);
    else if (
      !UNIT_SUFFIXES.some((suffix) => unit.name.endsWith(suffix) && unit.name.length > suffix.length)
    ) {
      add(`${at}.name`, "Invalid", `unit name "${unit.name}" needs a unit type suffix such as .service`);
    }
    if (names.has(unit.name)) add(`${at}.name`, "Duplicate", `unit "${unit.name}" is listed twice`);
    names.add(unit.name);
    const dropins = new Set<string>();
    unit.dropins?.forEach((dropin, j) => {
      const dat = `${at}.dropins[${j}].name`;
      if (dropin.name.includes("/")) add(dat, "Invalid", `dropin name "${dropin.name}" must not contain "/"`);
      else if (!dropin.name.endsWith(".conf") || dropin.name === ".conf") {
        add(dat, "Invalid", `dropin name "${dropin.name}" must end in .conf`);
      }
      if (dropins.has(dropin.name)) add(dat, "Duplicate", `dropin "${dropin.name}" is listed twice`);
      dropins.add(dropin.name);
    });
  });
}

function checkPasswd(config: IgnitionConfig, add: Add): void {
  const users = new Set<string>();
  config.passwd?.users?.forEach((user, i) => {
    const at = `passwd.users[${i}]`;
    if (user.name === "") add(`${at}.name`, "Required", "a user needs a name");
    else if (users.has(user.name)) add(`${at}.name`, "Duplicate", `user "${user.name}" is listed twice`);
    users.add(user.name);
    const keys = new Set<string>();
    user.sshAuthorizedKeys?.forEach((key, j) => {
      const kat = `${at}.sshAuthorizedKeys[${j}]`;
      if (key.trim() === "") add(kat, "Invalid", "SSH key must not be empty");
      else if (keys.has(key)) add(kat, "Duplicate", "SSH key is listed twice");
      keys.add(key);
    });
  });
  const groups = new Set<string>();
  config.passwd?.groups?.forEach((group, i) => {
    const at = `passwd.groups[${i}].name`;
    if (group.name === "") add(at, "Required", "a group needs a name");
    else if (groups.has(group.name)) add(at, "Duplicate", `group "${group.name}" is listed twice`);
    groups.add(group.name);
  });
}
