// Every built-in resource mob serves.

import type { ResourceDefinition } from "../resource.ts";
import { SELFSUBJECTACCESSREVIEW_RESOURCE, SUBJECTACCESSREVIEW_RESOURCE } from "./access-reviews.ts";
import { CONFIGMAP_RESOURCE } from "./configmap.ts";
import { type CustomResourceDefinitionHooks, customResourceDefinitionResource } from "./crd.ts";
import { DAEMONSET_RESOURCE } from "./daemonset.ts";
import { DEPLOYMENT_RESOURCE } from "./deployment.ts";
import { EVENT_RESOURCE, EVENTS_V1_RESOURCE } from "./events.ts";
import { JOB_RESOURCE } from "./job.ts";
import { LEASE_RESOURCE } from "./lease.ts";
import { NAMESPACE_RESOURCE } from "./namespace.ts";
import { NODE_RESOURCE } from "./node.ts";
import { PDB_RESOURCE } from "./pdb.ts";
import { POD_RESOURCE } from "./pod.ts";
import {
  CLUSTERROLE_RESOURCE,
  CLUSTERROLEBINDING_RESOURCE,
  ROLE_RESOURCE,
  ROLEBINDING_RESOURCE,
} from "./rbac.ts";
import { SECRET_RESOURCE } from "./secret.ts";
import { SERVICE_RESOURCE } from "./service.ts";
import { SERVICEACCOUNT_RESOURCE } from "./service-account.ts";

export type { CustomResourceDefinitionHooks } from "./crd.ts";
export { customResourceDefinitionResource } from "./crd.ts";
export { SUPPORTED_FIELD_LABELS } from "./field-labels.ts";
export { type NameRule, type ObjectMetaRules, validateObjectMeta } from "./object-meta.ts";

/**
 * The built-in resources except CustomResourceDefinitions, whose strategy needs the CRD package's
 * validation: use `builtinResources(hooks)` for the full set.
 */
export const BUILTIN_RESOURCES: ResourceDefinition[] = [
  NAMESPACE_RESOURCE,
  NODE_RESOURCE,
  POD_RESOURCE,
  CONFIGMAP_RESOURCE,
  SECRET_RESOURCE,
  SERVICEACCOUNT_RESOURCE,
  SERVICE_RESOURCE,
  EVENT_RESOURCE,
  EVENTS_V1_RESOURCE,
  LEASE_RESOURCE,
  JOB_RESOURCE,
  PDB_RESOURCE,
  DEPLOYMENT_RESOURCE,
  DAEMONSET_RESOURCE,
  ROLE_RESOURCE,
  CLUSTERROLE_RESOURCE,
  ROLEBINDING_RESOURCE,
  CLUSTERROLEBINDING_RESOURCE,
  SELFSUBJECTACCESSREVIEW_RESOURCE,
  SUBJECTACCESSREVIEW_RESOURCE,
];

/** BUILTIN_RESOURCES plus the CustomResourceDefinition resource built with `crd`. */
export function builtinResources(crd: CustomResourceDefinitionHooks): ResourceDefinition[] {
  return [...BUILTIN_RESOURCES, customResourceDefinitionResource(crd.validate, crd.prepare)];
}
