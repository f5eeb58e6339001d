// authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth can-i`) and SubjectAccessReview:
// create-only, never stored; the answer is the authorizer's decision for the spec's attributes.

import { isPlainObject, type KubeObject } from "../../api/object.ts";
import { ApiError } from "../errors.ts";
import type { SubresourceCall, SubresourceHandler } from "../http/handlers.ts";
import { writeJson } from "../http/respond.ts";
import type { Attributes } from "./attributes.ts";
import type { Authorize } from "./authorizer.ts";
import { currentRequest } from "./request-context.ts";
import type { UserInfo } from "./user.ts";

const GROUP = "authorization.k8s.io";

function field(fields: Record<string, unknown>, key: string): string {
  const value = fields[key];
  return typeof value === "string" ? value : "";
}

function attributesOf(spec: Record<string, unknown>): Attributes {
  const resource = spec.resourceAttributes;
  if (isPlainObject(resource)) {
    return {
      kind: "resource",
      verb: field(resource, "verb"),
      group: field(resource, "group"),
      version: field(resource, "version"),
      resource: field(resource, "resource"),
      subresource: field(resource, "subresource"),
      namespace: field(resource, "namespace"),
      name: field(resource, "name"),
    };
  }
  const nonResource = isPlainObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : {};
  return { kind: "nonResource", verb: field(nonResource, "verb"), path: field(nonResource, "path") };
}

/** Decodes and validates the review as the resource's strategy defines it. */
async function readReview(call: SubresourceCall): Promise<KubeObject> {
  const review = call.store.decode(call.scope, await call.body());
  call.store.validateOrThrow(call.definition, review, undefined);
  return review;
}

function answer(call: SubresourceCall, review: KubeObject, user: UserInfo, authorize: Authorize): void {
  const spec = isPlainObject(review.spec) ? review.spec : {};
  const decision = authorize(user, attributesOf(spec));
  const status: Record<string, unknown> = { allowed: decision.allowed };
  if (decision.reason !== "") status.reason = decision.reason;
  const { resourceVersion: _rv, uid: _uid, ...metadata } = review.metadata;
  writeJson(call.res, 201, {
    ...review,
    metadata: { ...metadata, creationTimestamp: null },
    status,
  });
}

function subjectOf(review: KubeObject): UserInfo {
  const spec = isPlainObject(review.spec) ? review.spec : {};
  const groups = Array.isArray(spec.groups)
    ? spec.groups.filter((g): g is string => typeof g === "string")
    : [];
  const user: UserInfo = { name: field(spec, "user"), groups };
  const uid = field(spec, "uid");
  if (uid !== "") user.uid = uid;
  if (user.name === "" && groups.length === 0) {
    const message = `spec.user: Invalid value: "": at least one of user or group must be specified`;
    throw new ApiError(422, "Invalid", `SubjectAccessReview.${GROUP} "" is invalid: ${message}`, {
      group: GROUP,
      kind: "SubjectAccessReview",
      causes: [{ reason: "FieldValueInvalid", message, field: "spec.user" }],
    });
  }
  return user;
}

export function accessReviewHandlers(authorize: Authorize): Map<string, SubresourceHandler> {
  const self: SubresourceHandler = async (call) => {
    const review = await readReview(call);
    const user = currentRequest()?.user;
    if (user === undefined) throw new ApiError(401, "Unauthorized", "Unauthorized");
    answer(call, review, user, authorize);
  };
  const subject: SubresourceHandler = async (call) => {
    const review = await readReview(call);
    answer(call, review, subjectOf(review), authorize);
  };
  return new Map([
    [`selfsubjectaccessreviews.${GROUP}`, self],
    [`subjectaccessreviews.${GROUP}`, subject],
  ]);
}
