// POST serviceaccounts/<name>/token (authentication.k8s.io/v1 TokenRequest): a bound token for an
// existing ServiceAccount. mob also serves the same request at nodes/<name>/token, for node
// identities (`mob token --node`); RBAC leaves that to cluster-admin.

import { isPlainObject } from "../../api/object.ts";
import { ApiError, badRequest, methodNotAllowed } from "../errors.ts";
import type { SubresourceCall, SubresourceHandler } from "../http/handlers.ts";
import { writeJson } from "../http/respond.ts";
import { timestamp } from "../registry/names.ts";
import {
  DEFAULT_EXPIRATION_SECONDS,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
  type TokenIssuer,
} from "./token-issuer.ts";
import { nodeUserName, serviceAccountUserName } from "./user.ts";

const GROUP = "authentication.k8s.io";
const API_VERSION = `${GROUP}/v1`;

interface TokenSpec {
  audiences: string[];
  expirationSeconds: number;
  boundObjectRef: unknown;
}

function invalidExpiration(name: string, value: number, why: string): ApiError {
  const message = `spec.expirationSeconds: Invalid value: ${value}: ${why}`;
  return new ApiError(422, "Invalid", `TokenRequest.${GROUP} "${name}" is invalid: ${message}`, {
    name,
    group: GROUP,
    kind: "TokenRequest",
    causes: [{ reason: "FieldValueInvalid", message, field: "spec.expirationSeconds" }],
  });
}

async function readSpec(
  call: SubresourceCall,
  name: string,
  audiences: readonly string[],
): Promise<TokenSpec> {
  if (call.method !== "POST")
    throw methodNotAllowed("the server does not allow this method on the requested resource");
  const body = await call.body();
  if (!isPlainObject(body)) throw badRequest("the request body must be a JSON or YAML object");
  if (body.apiVersion !== undefined && body.apiVersion !== "" && body.apiVersion !== API_VERSION) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${API_VERSION})`,
    );
  }
  const spec = isPlainObject(body.spec) ? body.spec : {};
  const requested = Array.isArray(spec.audiences)
    ? spec.audiences.filter((a): a is string => typeof a === "string")
    : [];
  const seconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (typeof seconds !== "number" || !Number.isInteger(seconds))
    throw badRequest("spec.expirationSeconds must be an integer");
  if (seconds < MIN_EXPIRATION_SECONDS)
    throw invalidExpiration(name, seconds, "may not specify a duration less than 10 minutes");
  if (seconds > MAX_EXPIRATION_SECONDS)
    throw invalidExpiration(name, seconds, "may not specify a duration larger than 2^32 seconds");
  return {
    audiences: requested.length > 0 ? requested : [...audiences],
    expirationSeconds: seconds,
    boundObjectRef: spec.boundObjectRef ?? null,
  };
}

function respond(
  call: SubresourceCall,
  name: string,
  spec: TokenSpec,
  issued: { token: string; expiresAt: Date },
): void {
  const namespace = call.scope.namespace;
  writeJson(call.res, 201, {
    kind: "TokenRequest",
    apiVersion: API_VERSION,
    metadata: { name, ...(namespace === "" ? {} : { namespace }), creationTimestamp: timestamp(new Date()) },
    spec,
    status: { token: issued.token, expirationTimestamp: timestamp(issued.expiresAt) },
  });
}

export function tokenRequestHandlers(
  issuer: TokenIssuer,
  audiences: readonly string[],
): Map<string, SubresourceHandler> {
  const serviceAccountToken: SubresourceHandler = async (call) => {
    const name = call.name ?? "";
    const spec = await readSpec(call, name, audiences);
    const account = call.store.get(call.scope, name);
    const namespace = call.scope.namespace;
    const issued = issuer.issue({
      sub: serviceAccountUserName(namespace, name),
      audiences: spec.audiences,
      expirationSeconds: spec.expirationSeconds,
      serviceAccount: { namespace, name, uid: account.metadata.uid ?? "" },
    });
    respond(call, name, spec, issued);
  };
  const nodeToken: SubresourceHandler = async (call) => {
    const name = call.name ?? "";
    const spec = await readSpec(call, name, audiences);
    const issued = issuer.issue({
      sub: nodeUserName(name),
      audiences: spec.audiences,
      expirationSeconds: spec.expirationSeconds,
    });
    respond(call, name, spec, issued);
  };
  return new Map([
    ["serviceaccounts/token", serviceAccountToken],
    ["nodes/token", nodeToken],
  ]);
}
