// coordination.k8s.io/v1 Lease, used for leader election and node heartbeats.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { LEASE_TABLE } from "../../printers/builtin-tables.ts";
import { builtinResource } from "./definition.ts";
import { fieldInvalid, nonNegative } from "./field-issues.ts";
import { at } from "./object-fields.ts";
import { int, obj, str } from "./openapi.ts";
import { builtinStrategy } from "./strategy.ts";

function validate(lease: KubeObject): FieldIssue[] {
  const duration = at(lease, "spec", "leaseDurationSeconds");
  const issues = nonNegative("spec.leaseTransitions", at(lease, "spec", "leaseTransitions"));
  if (duration !== undefined && (typeof duration !== "number" || duration <= 0)) {
    issues.push(fieldInvalid("spec.leaseDurationSeconds", duration, "must be greater than 0"));
  }
  return issues;
}

export const LEASE_RESOURCE = builtinResource({
  group: "coordination.k8s.io",
  version: "v1",
  kind: "Lease",
  plural: "leases",
  namespaced: true,
  description: "Lease defines a lease concept.",
  properties: {
    spec: obj("Specification of the Lease.", {
      holderIdentity: str("Identity of the holder of the current lease."),
      leaseDurationSeconds: int("Seconds candidates wait before forcibly acquiring the lease."),
      acquireTime: str("When the current lease was acquired (RFC 3339 with microseconds)."),
      renewTime: str("When the current holder last renewed the lease."),
      leaseTransitions: int("Number of transitions of the lease between holders."),
    }),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    validate,
    table: LEASE_TABLE,
  }),
});
