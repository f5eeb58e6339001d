// Systemd units into a tree: unit files and drop-ins under /etc/systemd/system, enablement as the
// symlinks `systemctl enable` would create (from the unit's [Install] section), masking as a link to
// /dev/null. No systemctl is run; the tree may not be bootable yet.

import { lstat, readFile, readlink, rm } from "node:fs/promises";
import { writeNode } from "./nodes.ts";
import { isCode, resolveInRoot } from "./root-path.ts";
import type { Unit } from "./types.ts";

export const SYSTEMD_DIR = "/etc/systemd/system";
const UNIT_SEARCH_PATH = [SYSTEMD_DIR, "/usr/lib/systemd/system", "/lib/systemd/system"];
export const DEFAULT_WANTED_BY = "multi-user.target";

export interface UnitRecord {
  name: string;
  /** Config path of the unit file written, when the unit had contents. */
  path?: string;
  dropins: string[];
  enabled?: boolean;
  masked: boolean;
  /** Config paths of the enablement links created. */
  links: string[];
}

export interface InstallSection {
  wantedBy: string[];
  requiredBy: string[];
}

/** The WantedBy= and RequiredBy= targets of a unit file's [Install] section. */
export function parseInstallSection(contents: string): InstallSection {
  const out: InstallSection = { wantedBy: [], requiredBy: [] };
  let section = "";
  for (const raw of contents.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[") && line.endsWith("]")) {
      section = line.slice(1, -1);
      continue;
    }
    if (section !== "Install") continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const values = line
      .slice(eq + 1)
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    const list = key === "WantedBy" ? out.wantedBy : key === "RequiredBy" ? out.requiredBy : undefined;
    if (list === undefined) continue;
    // An empty assignment resets the list, as in systemd.
    if (values.length === 0) list.length = 0;
    else list.push(...values);
  }
  return out;
}

export async function writeUnit(root: string, unit: Unit): Promise<UnitRecord> {
  const record: UnitRecord = { name: unit.name, dropins: [], masked: unit.mask === true, links: [] };
  if (unit.enabled !== undefined) record.enabled = unit.enabled;
  const unitPath = `${SYSTEMD_DIR}/${unit.name}`;
  if (unit.mask === true) {
    await writeNode(root, unitPath, { kind: "symlink", target: "/dev/null" });
  } else {
    if (await isMaskLink(root, unitPath)) await rm(await resolveInRoot(root, unitPath, false));
    if (unit.contents !== undefined) {
      await writeNode(root, unitPath, { kind: "file", data: Buffer.from(unit.contents), mode: 0o644 });
      record.path = unitPath;
    }
  }
  for (const dropin of unit.dropins ?? []) {
    const path = `${SYSTEMD_DIR}/${unit.name}.d/${dropin.name}`;
    await writeNode(root, path, { kind: "file", data: Buffer.from(dropin.contents ?? ""), mode: 0o644 });
    record.dropins.push(path);
  }
  if (unit.enabled !== undefined) record.links = await setEnabled(root, unit, unit.enabled);
  return record;
}

async function setEnabled(root: string, unit: Unit, enabled: boolean): Promise<string[]> {
  const found = await findUnitFile(root, unit);
  const install = parseInstallSection(found?.contents ?? "");
  if (install.wantedBy.length === 0 && install.requiredBy.length === 0)
    install.wantedBy.push(DEFAULT_WANTED_BY);
  const linkPaths = [
    ...install.wantedBy.map((target) => `${SYSTEMD_DIR}/${target}.wants/${unit.name}`),
    ...install.requiredBy.map((target) => `${SYSTEMD_DIR}/${target}.requires/${unit.name}`),
  ];
  const created: string[] = [];
  for (const path of linkPaths) {
    if (enabled) {
      await writeNode(root, path, { kind: "symlink", target: found?.path ?? `${SYSTEMD_DIR}/${unit.name}` });
      created.push(path);
    } else {
      await rm(await resolveInRoot(root, path, false), { force: true });
    }
  }
  return created;
}

/** The unit's file: its own contents, else the first file in the search path (templates included). */
async function findUnitFile(
  root: string,
  unit: Unit,
): Promise<{ path: string; contents: string } | undefined> {
  if (unit.contents !== undefined) return { path: `${SYSTEMD_DIR}/${unit.name}`, contents: unit.contents };
  const template = unit.name.replace(/@[^.]+\./, "@.");
  for (const dir of UNIT_SEARCH_PATH) {
    for (const name of new Set([unit.name, template])) {
      const path = `${dir}/${name}`;
      try {
        return { path, contents: await readFile(await resolveInRoot(root, path, true), "utf8") };
      } catch (error) {
        if (!isCode(error, "ENOENT") && !isCode(error, "ENOTDIR")) throw error;
      }
    }
  }
  return undefined;
}

async function isMaskLink(root: string, path: string): Promise<boolean> {
  const host = await resolveInRoot(root, path, false);
  const stats = await lstat(host).catch(() => undefined);
  return stats?.isSymbolicLink() === true && (await readlink(host)) === "/dev/null";
}
