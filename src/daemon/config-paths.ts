// The node paths a rendered config owns, so an update can back them up first and remove the ones
// the new config no longer has. Directories are never removed (upstream leaves them too).

import type { IgnitionConfig, PasswdUser, Unit } from "../ignition/index.ts";
import { parseInstallSection } from "../ignition/index.ts";

const SYSTEMD_DIR = "/etc/systemd/system";

export type SSHKeyLayout = "fragment" | "legacy";

/** Files, links, unit files, drop-ins and SSH key files the config writes. */
export function ownedPaths(config: IgnitionConfig | undefined, layout: SSHKeyLayout): Set<string> {
  const paths = new Set<string>();
  if (config === undefined) return paths;
  for (const file of config.storage?.files ?? []) paths.add(file.path);
  for (const link of config.storage?.links ?? []) paths.add(link.path);
  for (const unit of config.systemd?.units ?? []) {
    paths.add(`${SYSTEMD_DIR}/${unit.name}`);
    for (const dropin of unit.dropins ?? []) paths.add(`${SYSTEMD_DIR}/${unit.name}.d/${dropin.name}`);
  }
  for (const user of config.passwd?.users ?? []) {
    if ((user.sshAuthorizedKeys ?? []).length > 0) paths.add(sshKeyPath(user, layout));
  }
  return paths;
}

/** Where materialiseToTree puts a user's keys. */
export function sshKeyPath(user: PasswdUser, layout: SSHKeyLayout): string {
  const home = user.homeDir ?? (user.name === "root" ? "/root" : `/home/${user.name}`);
  return user.name === "core" && layout === "legacy"
    ? `${home}/.ssh/authorized_keys`
    : `${home}/.ssh/authorized_keys.d/ignition`;
}

/** Enablement links an enabled unit has (from its [Install] section; multi-user.target by default). */
export function enablementLinks(unit: Unit): string[] {
  if (unit.enabled !== true) return [];
  const install = parseInstallSection(unit.contents ?? "");
  const wanted =
    install.wantedBy.length + install.requiredBy.length === 0 ? ["multi-user.target"] : install.wantedBy;
  return [
    ...wanted.map((target) => `${SYSTEMD_DIR}/${target}.wants/${unit.name}`),
    ...install.requiredBy.map((target) => `${SYSTEMD_DIR}/${target}.requires/${unit.name}`),
  ];
}

/** Paths `previous` owned that `next` does not: they are removed by the update. */
export function stalePaths(
  previous: IgnitionConfig | undefined,
  next: IgnitionConfig,
  layout: SSHKeyLayout,
): string[] {
  const keep = ownedPaths(next, layout);
  const nextUnits = new Map((next.systemd?.units ?? []).map((unit) => [unit.name, unit]));
  const stale = [...ownedPaths(previous, layout)].filter((path) => !keep.has(path));
  for (const unit of previous?.systemd?.units ?? []) {
    const still = new Set(enablementLinks(nextUnits.get(unit.name) ?? { name: unit.name }));
    stale.push(...enablementLinks(unit).filter((link) => !still.has(link)));
  }
  return stale;
}

/** Files, links and units written with overwrite: the daemon replaces what a previous config left. */
export function withOverwrite(config: IgnitionConfig): IgnitionConfig {
  const storage = config.storage;
  if (storage === undefined) return config;
  return {
    ...config,
    storage: {
      ...storage,
      ...(storage.files ? { files: storage.files.map((file) => ({ ...file, overwrite: true })) } : {}),
      ...(storage.links ? { links: storage.links.map((link) => ({ ...link, overwrite: true })) } : {}),
    },
  };
}
