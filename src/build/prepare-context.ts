// `mob build prepare-context`: turns the build's inputs (the mc-<mosb> blob and the rendered
// Containerfile) into a buildah build context laid out as containerfile/context-layout.ts describes.
// The Ignition config is applied by mob (materialiseToTree), so the base image needs no Ignition.

import { chmod, lstat, mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  CONTEXT_MOUNT,
  ContextPaths,
  contextStepsFor,
} from "../controllers/build/containerfile/context-layout.ts";
import {
  formatContainerfileIssues,
  validateContainerfile,
} from "../controllers/build/containerfile/validate.ts";
import {
  formatIssue,
  type IgnitionConfig,
  type MaterialiseManifest,
  materialiseToTree,
  parseIgnition,
  validateIgnition,
} from "../ignition/index.ts";
import { PrepareContextError } from "./errors.ts";
import { decodeMachineConfigBlob, encodeMachineConfigBlob } from "./machineconfig-blob.ts";
import { archiveEntries, explicitDirectories, writeRootArchive } from "./root-archive.ts";
import { type OwnedEntry, ownersData, shadowData } from "./step-data.ts";

export interface PrepareContextOptions {
  /** The mc-<mosb> ConfigMap value (base64 of gzip), raw gzip, or plain MachineConfig JSON. */
  machineConfig: Buffer;
  /** The rendered Containerfile. */
  containerfile: string;
  /** The context directory; created, and must be empty if it exists. */
  out: string;
  coreSSHKeyLayout?: "fragment" | "legacy";
  signal?: AbortSignal;
}

export interface PreparedContext {
  dir: string;
  manifest: MaterialiseManifest;
  /** Archive members, relative to /. */
  archived: string[];
  /** Lines written to mob/owners (non-root owners applied by the chown step). */
  ownedEntries: number;
  passwordUsers: string[];
}

/** Always in the archive, so it is never empty (buildah copies an empty archive as a plain file). */
const ANCHOR_DIR = "etc/machine-config-daemon";

export async function prepareContext(options: PrepareContextOptions): Promise<PreparedContext> {
  const { json, machineConfig } = decodeMachineConfigBlob(options.machineConfig);
  const config = ignitionOf(machineConfig.spec?.config);
  checkContainerfile(options.containerfile, config);
  await ensureEmptyDir(options.out);
  const tree = join(options.out, ContextPaths.tree);
  await mkdir(tree, { recursive: true });
  const manifest = await materialiseToTree(config, tree, {
    chown: false,
    ...(options.coreSSHKeyLayout === undefined ? {} : { coreSSHKeyLayout: options.coreSSHKeyLayout }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  refuseAccountChanges(manifest);
  await ensureAnchor(tree);
  const entries = await archiveEntries(tree, new Set([...explicitDirectories(manifest), `/${ANCHOR_DIR}`]));
  await writeRootArchive(tree, entries, join(options.out, ContextPaths.treeArchive));
  await writeContextFile(options.out, ContextPaths.machineConfig, encodeMachineConfigBlob(json));
  await writeContextFile(options.out, ContextPaths.containerfile, options.containerfile);
  const ownedEntries = await writeStepData(options.out, tree, manifest);
  return {
    dir: options.out,
    manifest,
    archived: entries,
    ownedEntries,
    passwordUsers: manifest.passwords.map((entry) => entry.user),
  };
}

function ignitionOf(raw: unknown): IgnitionConfig {
  if (raw === undefined || raw === null) {
    throw new PrepareContextError("InvalidMachineConfig", "the MachineConfig has no spec.config");
  }
  const parsed = parseIgnition(raw);
  if ("issues" in parsed) {
    throw new PrepareContextError(
      "InvalidIgnition",
      `spec.config: ${parsed.issues.map(formatIssue).join("; ")}`,
    );
  }
  const issues = validateIgnition(parsed.config);
  if (issues.length > 0) {
    throw new PrepareContextError("InvalidIgnition", `spec.config: ${issues.map(formatIssue).join("; ")}`);
  }
  return parsed.config;
}

/** The Containerfile must be valid and carry the steps the config's data needs, or data would be dropped. */
function checkContainerfile(text: string, config: IgnitionConfig): void {
  const issues = validateContainerfile(text);
  if (issues.length > 0) {
    throw new PrepareContextError(
      "InvalidContainerfile",
      `invalid Containerfile: ${formatContainerfileIssues(issues)}`,
    );
  }
  const steps = contextStepsFor(config);
  const missing = [
    ...(steps.passwords && !text.includes(`${CONTEXT_MOUNT}/shadow`) ? ["password hashes (mob/shadow)"] : []),
    ...(steps.owners && !text.includes(`${CONTEXT_MOUNT}/owners`) ? ["file owners (mob/owners)"] : []),
  ];
  if (missing.length > 0) {
    throw new PrepareContextError(
      "ContainerfileMismatch",
      `the Containerfile has no step for ${missing.join(" and ")}; render it with contextStepsFor(config)`,
    );
  }
}

async function ensureEmptyDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) {
    throw new PrepareContextError("OutputNotEmpty", `output directory ${dir} is not empty`);
  }
}

async function ensureAnchor(tree: string): Promise<void> {
  const anchor = join(tree, ANCHOR_DIR);
  const existed = await lstat(anchor).then(
    () => true,
    () => false,
  );
  if (existed) return;
  await mkdir(anchor, { recursive: true });
  await chmod(anchor, 0o755);
}

function refuseAccountChanges(manifest: MaterialiseManifest): void {
  const { users, groups } = manifest.accounts;
  if (users.length === 0 && groups.length === 0) return;
  const what = [...users.map((user) => `user ${user}`), ...groups.map((group) => `group ${group}`)];
  throw new PrepareContextError(
    "UnsupportedAccounts",
    `mob cannot create or change accounts in an image (${what.join(", ")}); only sshAuthorizedKeys and passwordHash of existing users are applied`,
  );
}

/** Writes mob/owners and mob/shadow when there is data for them; returns the number of owner lines. */
async function writeStepData(out: string, tree: string, manifest: MaterialiseManifest): Promise<number> {
  const owned: OwnedEntry[] = [];
  for (const record of manifest.ownership) {
    const stats = await lstat(join(tree, record.path));
    owned.push({ record, mode: stats.isSymbolicLink() ? undefined : stats.mode & 0o7777 });
  }
  const owners = ownersData(owned);
  const shadow = shadowData(manifest.passwords);
  if (owners !== "") await writeContextFile(out, ContextPaths.owners, owners);
  // Password hashes: readable by the build only.
  if (shadow !== "") await writeContextFile(out, ContextPaths.shadow, shadow, 0o600);
  return owners.split("\n").filter(Boolean).length;
}

async function writeContextFile(out: string, relative: string, data: string, mode = 0o644): Promise<void> {
  const path = join(out, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data, { mode });
}
