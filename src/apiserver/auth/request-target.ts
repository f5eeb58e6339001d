// Whether an admission request is the HTTP request's own write. Work a request starts asynchronously
// (the garbage collector, the in-process Job controller reacting to a watch event) runs in that
// request's context too; admission that judges the requesting user must skip those writes.

import type { AdmissionRequest, Operation } from "../registry/admission.ts";
import type { Attributes, ResourceAttributes } from "./attributes.ts";

/** The verbs whose requests lead the store to an operation (an update may create, as apply does). */
const VERBS_OF: Record<Operation, readonly string[]> = {
  CREATE: ["create", "update", "patch"],
  UPDATE: ["update", "patch"],
  DELETE: ["delete", "deletecollection"],
};

/** The object the request's URL names (or, for a create, one in its namespace), of its resource. */
export function isRequestTarget(
  request: AdmissionRequest,
  attributes: Attributes | undefined,
): attributes is ResourceAttributes {
  if (attributes?.kind !== "resource") return false;
  const { definition, object } = request;
  if (attributes.group !== definition.group || attributes.resource !== definition.plural) return false;
  if (attributes.name !== "" && attributes.name !== object.metadata.name) return false;
  return !definition.namespaced || attributes.namespace === (object.metadata.namespace ?? "");
}

/** isRequestTarget, and the operation is one the request's verb leads to. */
export function isRequestWrite(
  request: AdmissionRequest,
  attributes: Attributes | undefined,
): attributes is ResourceAttributes {
  return isRequestTarget(request, attributes) && VERBS_OF[request.operation].includes(attributes.verb);
}
