// Table convertors for the built-in kinds mob serves, column for column as Kubernetes'
// printers.go (the server always fills -o wide cells; kubectl hides priority-1 columns).

import type { TableConvertor } from "../registry/resource.ts";
import { age } from "./human-duration.ts";
import {
  AGE_COLUMN,
  at,
  CREATION_TIMESTAMP_DESCRIPTION,
  column,
  integer,
  keyCount,
  list,
  NAME_COLUMN,
  table,
  text,
} from "./table-columns.ts";

export { EVENT_TABLE, EVENTS_V1_TABLE } from "./event-table.ts";
export { NODE_TABLE } from "./node-table.ts";
export { POD_TABLE } from "./pod-table.ts";
export { DAEMONSET_TABLE, DEPLOYMENT_TABLE, JOB_TABLE, PDB_TABLE } from "./workload-tables.ts";

export const NAMESPACE_TABLE = table(
  [NAME_COLUMN, column("Status", "The status of the namespace"), AGE_COLUMN],
  (namespace, now) => [
    namespace.metadata.name ?? "",
    text(at(namespace, "status", "phase")),
    age(namespace.metadata.creationTimestamp, now),
  ],
);

// Data is declared a string column but carries a number, exactly as in Kubernetes.
export const CONFIGMAP_TABLE = table(
  [NAME_COLUMN, column("Data", "Data contains the configuration data."), AGE_COLUMN],
  (configMap, now) => [
    configMap.metadata.name ?? "",
    keyCount(configMap.data) + keyCount(configMap.binaryData),
    age(configMap.metadata.creationTimestamp, now),
  ],
);

export const SECRET_TABLE = table(
  [
    NAME_COLUMN,
    column("Type", "Used to facilitate programmatic handling of secret data."),
    column("Data", "Data contains the secret data."),
    AGE_COLUMN,
  ],
  (secret, now) => [
    secret.metadata.name ?? "",
    text(secret.type),
    keyCount(secret.data),
    age(secret.metadata.creationTimestamp, now),
  ],
);

export const LEASE_TABLE = table(
  [NAME_COLUMN, column("Holder", "The identity of the holder of a current lease."), AGE_COLUMN],
  (lease, now) => [
    lease.metadata.name ?? "",
    text(at(lease, "spec", "holderIdentity")),
    age(lease.metadata.creationTimestamp, now),
  ],
);

export const SERVICEACCOUNT_TABLE = table(
  [
    NAME_COLUMN,
    column(
      "Secrets",
      "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.",
    ),
    AGE_COLUMN,
  ],
  (serviceAccount, now) => [
    serviceAccount.metadata.name ?? "",
    integer(list(serviceAccount.secrets).length),
    age(serviceAccount.metadata.creationTimestamp, now),
  ],
);

/** Go's time.RFC3339 in UTC, whole seconds; Kubernetes prints the zero time for a missing timestamp. */
export function rfc3339(timestamp: string | undefined): string {
  const ms = timestamp === undefined || timestamp === "" ? Number.NaN : Date.parse(timestamp);
  if (Number.isNaN(ms)) return "0001-01-01T00:00:00Z";
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Kubernetes' default table (rest.NewDefaultTableConvertor): Name and Created At. */
export const DEFAULT_TABLE: TableConvertor = table(
  [NAME_COLUMN, column("Created At", CREATION_TIMESTAMP_DESCRIPTION, { type: "date" })],
  (object) => [object.metadata.name ?? "", rfc3339(object.metadata.creationTimestamp)],
);

/** CustomResourceDefinitions have no printer of their own and use the default table. */
export const CRD_TABLE: TableConvertor = DEFAULT_TABLE;
