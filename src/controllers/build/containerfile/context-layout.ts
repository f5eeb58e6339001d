// The build context mob's Containerfile expects, written by `mob build prepare-context` (src/build/):
//
//   Containerfile                       the rendered Containerfile
//   machineconfig/machineconfig.json.gz base64(gzip(rendered MachineConfig JSON)), as in the mc-<mosb> ConfigMap
//   root/                               the Ignition config materialised as a tree (for inspection only)
//   root.tar                            the same entries the image gets: files, links, units, SSH keys and
//                                       configured directories, never implicit parents (see render.ts)
//   mob/shadow                          `user:hash` lines, when the config sets password hashes
//   mob/owners                          `owner mode path` lines, when entries have non-root owners
//
// mob/ is bind-mounted into the RUN steps that read it, so none of it lands in an image layer.

import type { IgnitionConfig, NodeGroup, NodeUser } from "../../../ignition/index.ts";

export const ContextPaths = {
  containerfile: "Containerfile",
  machineConfig: "machineconfig/machineconfig.json.gz",
  tree: "root",
  treeArchive: "root.tar",
  dataDir: "mob",
  shadow: "mob/shadow",
  owners: "mob/owners",
} as const;

/** Where RUN steps see the context's mob/ directory; the template spells it out. */
export const CONTEXT_MOUNT = "/run/mob-context";

/** Optional Containerfile steps that consume context data; render and prepare-context must agree. */
export interface ContextSteps {
  /** Set password hashes of existing users in /etc/shadow (from mob/shadow). */
  passwords: boolean;
  /** chown entries to non-root owners (from mob/owners). */
  owners: boolean;
}

/** The steps a rendered config needs; the controller passes these to renderContainerfile. */
export function contextStepsFor(config: IgnitionConfig): ContextSteps {
  const users = config.passwd?.users ?? [];
  const storage = config.storage ?? {};
  const nodes = [...(storage.files ?? []), ...(storage.directories ?? []), ...(storage.links ?? [])];
  const ownedNode = nodes.some(
    (node) => !("hard" in node && node.hard === true) && !isRootOwner(node.user, node.group),
  );
  const ownedKeys = users.some(
    (user) =>
      (user.sshAuthorizedKeys?.length ?? 0) > 0 && !isRootOwner({ name: user.name }, { name: user.name }),
  );
  return {
    passwords: users.some((user) => user.passwordHash !== undefined),
    owners: ownedNode || ownedKeys,
  };
}

/** Unset, id 0 and name "root" all mean root, which is what the archive's entries already have. */
export function isRootOwner(user: NodeUser | undefined, group: NodeGroup | undefined): boolean {
  const isRoot = (owner: NodeUser | NodeGroup | undefined): boolean =>
    owner === undefined || owner.id === 0 || (owner.id === undefined && (owner.name ?? "root") === "root");
  return isRoot(user) && isRoot(group);
}
