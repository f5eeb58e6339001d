// Who a request comes from, as Kubernetes' user.Info has it, and the identities mob knows: the
// admin, ServiceAccounts and nodes.

export interface UserInfo {
  name: string;
  uid?: string;
  groups: readonly string[];
}

export const Groups = {
  masters: "system:masters",
  authenticated: "system:authenticated",
  unauthenticated: "system:unauthenticated",
  serviceAccounts: "system:serviceaccounts",
  nodes: "system:nodes",
} as const;

export const ADMIN_USER: UserInfo = {
  name: "mob:admin",
  groups: [Groups.masters, Groups.authenticated],
};

const SA_PREFIX = "system:serviceaccount:";
const NODE_PREFIX = "system:node:";

export function serviceAccountUserName(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

export function serviceAccountUser(namespace: string, name: string, uid: string): UserInfo {
  return {
    name: serviceAccountUserName(namespace, name),
    uid,
    groups: [Groups.serviceAccounts, `${Groups.serviceAccounts}:${namespace}`, Groups.authenticated],
  };
}

/** `{namespace, name}` of a `system:serviceaccount:<ns>:<name>` user name. */
export function parseServiceAccountUserName(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const [namespace, name, ...extra] = user.slice(SA_PREFIX.length).split(":");
  if (!namespace || !name || extra.length > 0) return undefined;
  return { namespace, name };
}

export function nodeUserName(node: string): string {
  return `${NODE_PREFIX}${node}`;
}

export function nodeUser(node: string): UserInfo {
  return { name: nodeUserName(node), groups: [Groups.nodes, Groups.authenticated] };
}

/** The node a node identity speaks for: `system:node:<name>` in group system:nodes. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_PREFIX) || !user.groups.includes(Groups.nodes)) return undefined;
  const name = user.name.slice(NODE_PREFIX.length);
  return name === "" ? undefined : name;
}
