// OwnerReferencesPermissionEnforcement, the Kubernetes admission plugin OpenShift enables
// (plugin/pkg/admission/gc): whoever changes an object's ownerReferences must be allowed to delete
// the object (not asked on create: its creator could as well not have created it), and whoever makes
// a reference block its owner's deletion (blockOwnerDeletion: true, newly) must be allowed to update
// the owner's `finalizers` subresource. Writes the server makes itself are not checked, nor pods/status
// (upstream exempts it; the status strategy keeps metadata anyway). The checks go through the
// request's authorizer, so members of system:masters pass, and each is audited like the request.

import { isDeepStrictEqual } from "node:util";
import type { KubeObject, OwnerReference } from "../../api/object.ts";
import type { ApiError } from "../errors.ts";
import type { AdmissionPlugin, AdmissionRequest } from "../registry/admission.ts";
import type { ResourceCatalog } from "../registry/catalog.ts";
import { forbiddenFor, type ResourceAttributes } from "./attributes.ts";
import { auditCheck } from "./audit.ts";
import type { Authorize } from "./authorizer.ts";
import type { Decision } from "./rbac-authorizer.ts";
import { currentRequest, type RequestContext } from "./request-context.ts";
import { isRequestWrite } from "./request-target.ts";

export const OWNER_REFERENCES_ADMISSION = "OwnerReferencesPermissionEnforcement";

export interface OwnerReferencesAdmissionOptions {
  /** Resolves an owner reference's apiVersion and kind to a resource (the REST mapping). */
  catalog: ResourceCatalog;
  authorize: Authorize;
}

function referencesOf(object: KubeObject | undefined): OwnerReference[] {
  return object?.metadata.ownerReferences ?? [];
}

/** On create: any reference set. On update: any reference added, removed or changed, in order. */
export function changesOwnerReferences(object: KubeObject, old: KubeObject | undefined): boolean {
  const next = referencesOf(object);
  if (old === undefined) return next.length > 0;
  return !isDeepStrictEqual(next, referencesOf(old));
}

/** References that block their owner's deletion and did not before (matched by uid). */
export function newlyBlockingReferences(object: KubeObject, old: KubeObject | undefined): OwnerReference[] {
  const before = new Map(referencesOf(old).map((ref) => [ref.uid, ref]));
  return referencesOf(object).filter(
    (ref) => ref.blockOwnerDeletion === true && before.get(ref.uid)?.blockOwnerDeletion !== true,
  );
}

/** Probed first, unaudited: a user who may update every finalizer needs no owner resolved. */
const FINALIZE_ANYTHING: ResourceAttributes = {
  kind: "resource",
  verb: "update",
  group: "*",
  version: "*",
  resource: "*",
  subresource: "finalizers",
  namespace: "",
  name: "*",
};

function isExempt(request: AdmissionRequest): boolean {
  const { definition, subresource } = request;
  return definition.group === "" && definition.plural === "pods" && subresource === "status";
}

/** upstream's `%v, %v` of the authorizer's reason and error (mob's authorizer has no separate error). */
function details(decision: Decision): string {
  return `${decision.reason}, <nil>`;
}

/** The owner's `finalizers` update the reference needs, or why its kind resolves to no resource. */
function finalizersAttributes(
  catalog: ResourceCatalog,
  ref: OwnerReference,
  namespace: string,
): ResourceAttributes | string {
  const parts = ref.apiVersion.split("/");
  if (parts.length > 2) return `unexpected GroupVersion string: ${ref.apiVersion}`;
  const [group, version] = parts.length === 2 ? [parts[0] ?? "", parts[1] ?? ""] : ["", ref.apiVersion];
  const definition = catalog.byGroupKind(group, ref.kind);
  if (definition === undefined || !definition.versions.some((v) => v.name === version && v.served)) {
    if (version === "") return `no matches for kind "${ref.kind}" in group "${group}"`;
    return `no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`;
  }
  return {
    kind: "resource",
    verb: "update",
    group,
    version,
    resource: definition.plural,
    subresource: "finalizers",
    namespace: definition.namespaced ? namespace : "",
    name: ref.name,
  };
}

class Admission {
  readonly #options: OwnerReferencesAdmissionOptions;
  readonly #context: RequestContext;
  readonly #request: AdmissionRequest;

  constructor(options: OwnerReferencesAdmissionOptions, context: RequestContext, request: AdmissionRequest) {
    this.#options = options;
    this.#context = context;
    this.#request = request;
  }

  admit(attributes: ResourceAttributes): void {
    const { object, old, operation } = this.#request;
    if (operation === "UPDATE") {
      this.#require(
        { ...attributes, verb: "delete", name: object.metadata.name ?? "" },
        "cannot set an ownerRef on a resource you can't delete",
      );
    }
    const blocking = newlyBlockingReferences(object, old);
    if (blocking.length === 0) return;
    if (this.#options.authorize(this.#context.user, FINALIZE_ANYTHING).allowed) return;
    for (const ref of blocking) {
      const owner = finalizersAttributes(this.#options.catalog, ref, object.metadata.namespace ?? "");
      if (typeof owner === "string") {
        throw this.#refusal(
          `cannot set blockOwnerDeletion in this case because cannot find RESTMapping for APIVersion ${ref.apiVersion} Kind ${ref.kind}: ${owner}`,
        );
      }
      this.#require(
        owner,
        "cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on",
      );
    }
  }

  #require(attributes: ResourceAttributes, why: string): void {
    const decision = this.#options.authorize(this.#context.user, attributes);
    const refusal = decision.allowed ? undefined : this.#refusal(`${why}: ${details(decision)}`);
    auditCheck(this.#context, attributes, refusal);
    if (refusal !== undefined) throw refusal;
  }

  #refusal(why: string): ApiError {
    const { definition, object } = this.#request;
    return forbiddenFor(definition.group, definition.plural, object.metadata.name ?? "", why);
  }
}

export function ownerReferencesAdmission(options: OwnerReferencesAdmissionOptions): AdmissionPlugin {
  return {
    name: OWNER_REFERENCES_ADMISSION,
    admit(request) {
      if (request.operation === "DELETE" || isExempt(request)) return;
      const context = currentRequest();
      if (context === undefined || !isRequestWrite(request, context.attributes)) return;
      if (!changesOwnerReferences(request.object, request.old)) return;
      new Admission(options, context, request).admit(context.attributes);
    },
  };
}
