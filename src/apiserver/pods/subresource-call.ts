// Shared checks on a pod subresource call.

import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { badRequest, methodNotAllowed } from "../errors.ts";
import type { SubresourceCall } from "../http/handlers.ts";

export function requireName(call: SubresourceCall): string {
  if (call.name === undefined || call.name === "") throw badRequest("a pod name is required");
  return call.name;
}

export function requirePost(call: SubresourceCall): void {
  if (call.method !== "POST")
    throw methodNotAllowed("the server does not allow this method on the requested resource");
}

/**
 * The request body as an object of `kind` in one of `apiVersions`, whose metadata.name equals the
 * URL's and whose namespace, when set, equals the request's.
 */
export async function readSubresourceBody(
  call: SubresourceCall,
  kind: string,
  apiVersions: readonly string[],
): Promise<KubeObject> {
  const name = requireName(call);
  const body = await call.body();
  if (!isPlainObject(body)) throw badRequest("the request body must be a JSON or YAML object");
  const { apiVersion, kind: bodyKind } = body;
  if (apiVersion !== undefined && apiVersion !== "" && !apiVersions.includes(String(apiVersion))) {
    throw badRequest(
      `the API version in the data (${String(apiVersion)}) is not one of ${apiVersions.join(", ")}`,
    );
  }
  if (bodyKind !== undefined && bodyKind !== "" && bodyKind !== kind) {
    throw badRequest(`the kind in the data (${String(bodyKind)}) does not match the expected kind (${kind})`);
  }
  const metadata = isPlainObject(body.metadata) ? body.metadata : {};
  if (metadata.name !== name) throw badRequest(`name in URL does not match name in ${kind} object`);
  if (
    metadata.namespace !== undefined &&
    metadata.namespace !== "" &&
    metadata.namespace !== call.scope.namespace
  ) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  return { ...body, metadata } as KubeObject;
}
