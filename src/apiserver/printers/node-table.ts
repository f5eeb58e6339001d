// `kubectl get nodes` as printers.go printNode computes it.

import type { KubeObject } from "../../api/object.ts";
import { age } from "./human-duration.ts";
import { AGE_COLUMN, at, column, list, NAME_COLUMN, table, text, wide } from "./table-columns.ts";

const ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
const LEGACY_ROLE_LABEL = "kubernetes.io/role";

/** Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: KubeObject): string {
  const ready = list(at(node, "status", "conditions")).findLast((c) => at(c, "type") === "Ready");
  const status = [ready === undefined ? "Unknown" : at(ready, "status") === "True" ? "Ready" : "NotReady"];
  if (at(node, "spec", "unschedulable") === true) status.push("SchedulingDisabled");
  return status.join(",");
}

/** Sorted, de-duplicated roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role=<role>` labels. */
export function nodeRoles(node: KubeObject): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role !== "") roles.add(role);
    } else if (key === LEGACY_ROLE_LABEL && value !== "") {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

function address(node: KubeObject, type: string): string {
  const found = list(at(node, "status", "addresses")).find((a) => at(a, "type") === type);
  return found === undefined ? "<none>" : text(at(found, "address"));
}

export const NODE_TABLE = table(
  [
    NAME_COLUMN,
    column("Status", "The status of the node"),
    column("Roles", "The roles of the node"),
    AGE_COLUMN,
    column("Version", "Kubelet Version reported by the node."),
    wide("Internal-IP", "List of addresses reachable to the node."),
    wide("External-IP", "List of addresses reachable to the node."),
    wide(
      "OS-Image",
      "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
    ),
    wide(
      "Kernel-Version",
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
    ),
    wide(
      "Container-Runtime",
      "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
    ),
  ],
  (node, now) => {
    const info = at(node, "status", "nodeInfo");
    return [
      node.metadata.name ?? "",
      nodeStatus(node),
      nodeRoles(node).join(",") || "<none>",
      age(node.metadata.creationTimestamp, now),
      text(at(info, "kubeletVersion")),
      address(node, "InternalIP"),
      address(node, "ExternalIP"),
      text(at(info, "osImage")) || "<unknown>",
      text(at(info, "kernelVersion")) || "<unknown>",
      text(at(info, "containerRuntimeVersion")) || "<unknown>",
    ];
  },
);
