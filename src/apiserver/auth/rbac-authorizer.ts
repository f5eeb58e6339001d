// RBAC as Kubernetes evaluates it (plugin/pkg/auth/authorizer/rbac): the ClusterRoleBindings, then
// the RoleBindings of the request's namespace, whose subjects include the user or one of its groups;
// the first rule that matches allows. Roles and bindings are read from in-memory mirrors, indexed by
// subject, so a decision costs a few map lookups; the index is rebuilt after a binding changes.

import type { KubeObject } from "../../api/object.ts";
import { selectorMatches } from "../registry/builtin/label-selector.ts";
import type { Storage } from "../storage/storage.ts";
import type { Attributes } from "./attributes.ts";
import { type PolicyRule, ruleAllows, rulesOf } from "./rbac-rules.ts";
import { StorageMirror } from "./storage-mirror.ts";
import { serviceAccountUserName, type UserInfo } from "./user.ts";

export interface Decision {
  allowed: boolean;
  /** Why, in Kubernetes' words; "" when there is nothing to say. */
  reason: string;
}

const RBAC = "rbac.authorization.k8s.io";

interface BindingEntry {
  /** `ClusterRoleBinding "x"` or `RoleBinding "x/ns"`. */
  binding: string;
  namespace: string;
  roleKind: string;
  roleName: string;
  subject: string;
}

type SubjectIndex = Map<string, BindingEntry[]>;

const userKey = (name: string) => `User\u0000${name}`;
const groupKey = (name: string) => `Group\u0000${name}`;

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function subjectsOf(binding: KubeObject): Record<string, unknown>[] {
  const subjects = binding.subjects;
  if (!Array.isArray(subjects)) return [];
  return subjects.filter((s): s is Record<string, unknown> => typeof s === "object" && s !== null);
}

/** The index key a subject matches under, and how the allow reason names it. */
function subjectEntry(subject: Record<string, unknown>, namespace: string): [string, string] | undefined {
  const kind = text(subject.kind);
  const name = text(subject.name);
  if (kind === "User") return [userKey(name), `User "${name}"`];
  if (kind === "Group") return [groupKey(name), `Group "${name}"`];
  if (kind !== "ServiceAccount") return undefined;
  const saNamespace = text(subject.namespace) || namespace;
  if (saNamespace === "") return undefined;
  return [userKey(serviceAccountUserName(saNamespace, name)), `ServiceAccount "${name}/${saNamespace}"`];
}

function indexBinding(index: SubjectIndex, binding: KubeObject): void {
  const namespace = binding.metadata.namespace ?? "";
  const name = binding.metadata.name ?? "";
  const roleRef = (binding.roleRef ?? {}) as Record<string, unknown>;
  for (const subject of subjectsOf(binding)) {
    const entry = subjectEntry(subject, namespace);
    if (entry === undefined) continue;
    const [key, described] = entry;
    const list = index.get(key) ?? [];
    list.push({
      binding: namespace === "" ? `ClusterRoleBinding "${name}"` : `RoleBinding "${name}/${namespace}"`,
      namespace,
      roleKind: text(roleRef.kind),
      roleName: text(roleRef.name),
      subject: described,
    });
    index.set(key, list);
  }
}

export class RbacAuthorizer {
  readonly #roles: StorageMirror;
  readonly #clusterRoles: StorageMirror;
  readonly #roleBindings: StorageMirror;
  readonly #clusterRoleBindings: StorageMirror;
  #clusterIndex: SubjectIndex | undefined;
  /** Namespace → subject index of its RoleBindings. */
  #namespaceIndex: Map<string, SubjectIndex> | undefined;
  readonly #aggregated = new Map<string, PolicyRule[]>();

  constructor(storage: Storage) {
    const resource = (plural: string) => `${plural}.${RBAC}`;
    this.#roles = new StorageMirror(storage, resource("roles"));
    this.#clusterRoles = new StorageMirror(storage, resource("clusterroles"), () => this.#aggregated.clear());
    this.#roleBindings = new StorageMirror(storage, resource("rolebindings"), () => {
      this.#namespaceIndex = undefined;
    });
    this.#clusterRoleBindings = new StorageMirror(storage, resource("clusterrolebindings"), () => {
      this.#clusterIndex = undefined;
    });
  }

  start(signal: AbortSignal): void {
    for (const mirror of [this.#roles, this.#clusterRoles, this.#roleBindings, this.#clusterRoleBindings])
      mirror.start(signal);
  }

  authorize(user: UserInfo, attributes: Attributes): Decision {
    const keys = [userKey(user.name), ...user.groups.map(groupKey)];
    const errors: string[] = [];
    const scopes: SubjectIndex[] = [this.#clusterBindingIndex()];
    const namespace = attributes.kind === "resource" ? attributes.namespace : "";
    const local = namespace === "" ? undefined : this.#roleBindingIndex().get(namespace);
    if (local !== undefined) scopes.push(local);
    for (const index of scopes) {
      for (const key of keys) {
        for (const entry of index.get(key) ?? []) {
          const rules = this.#rulesOf(entry);
          if (rules === undefined) {
            errors.push(roleNotFound(entry));
            continue;
          }
          if (rules.some((rule) => ruleAllows(rule, attributes))) {
            return {
              allowed: true,
              reason: `RBAC: allowed by ${entry.binding} of ${entry.roleKind} "${entry.roleName}" to ${entry.subject}`,
            };
          }
        }
      }
    }
    const reason =
      errors.length === 0 ? "" : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`}`;
    return { allowed: false, reason };
  }

  /** The rules of a ClusterRole, aggregated ones computed from the roles their selectors match. */
  clusterRoleRules(name: string): PolicyRule[] | undefined {
    return this.#clusterRoleRules(name, new Set());
  }

  #rulesOf(entry: BindingEntry): PolicyRule[] | undefined {
    if (entry.roleKind === "ClusterRole") return this.clusterRoleRules(entry.roleName);
    if (entry.roleKind !== "Role" || entry.namespace === "") return undefined;
    const role = this.#roles.get(entry.namespace, entry.roleName);
    return role === undefined ? undefined : rulesOf(role);
  }

  #clusterRoleRules(name: string, visiting: Set<string>): PolicyRule[] | undefined {
    const role = this.#clusterRoles.get("", name);
    if (role === undefined) return undefined;
    const aggregation = role.aggregationRule as { clusterRoleSelectors?: unknown } | undefined;
    if (aggregation === undefined || aggregation === null) return rulesOf(role);
    const cached = this.#aggregated.get(name);
    if (cached !== undefined) return cached;
    visiting.add(name);
    const selectors = Array.isArray(aggregation.clusterRoleSelectors) ? aggregation.clusterRoleSelectors : [];
    const rules: PolicyRule[] = [];
    for (const other of this.#clusterRoles.values()) {
      const otherName = other.metadata.name ?? "";
      if (visiting.has(otherName)) continue;
      const labels = other.metadata.labels ?? {};
      if (!selectors.some((selector: unknown) => selectorMatches(selector, labels))) continue;
      rules.push(...(this.#clusterRoleRules(otherName, visiting) ?? []));
    }
    visiting.delete(name);
    // A result computed inside another role's aggregation may miss roles skipped as cycles.
    if (visiting.size === 0) this.#aggregated.set(name, rules);
    return rules;
  }

  #clusterBindingIndex(): SubjectIndex {
    if (this.#clusterIndex !== undefined) return this.#clusterIndex;
    const index: SubjectIndex = new Map();
    for (const binding of this.#clusterRoleBindings.values()) indexBinding(index, binding);
    this.#clusterIndex = index;
    return index;
  }

  #roleBindingIndex(): Map<string, SubjectIndex> {
    if (this.#namespaceIndex !== undefined) return this.#namespaceIndex;
    const byNamespace = new Map<string, SubjectIndex>();
    for (const binding of this.#roleBindings.values()) {
      const namespace = binding.metadata.namespace ?? "";
      let index = byNamespace.get(namespace);
      if (index === undefined) {
        index = new Map();
        byNamespace.set(namespace, index);
      }
      indexBinding(index, binding);
    }
    this.#namespaceIndex = byNamespace;
    return byNamespace;
  }
}

function roleNotFound(entry: BindingEntry): string {
  const kind = entry.roleKind === "Role" ? "role" : "clusterrole";
  return `${kind}.${RBAC} "${entry.roleName}" not found`;
}
