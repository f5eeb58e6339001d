// authorization.k8s.io/v1 SelfSubjectAccessReview and SubjectAccessReview: create-only, never
// stored. Their create handlers live with the authorizer (auth/); these definitions serve
// discovery, OpenAPI and request validation. They differ only in who is asked about.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import type { OpenAPISchema, ResourceDefinition } from "../resource.ts";
import { builtinResource } from "./definition.ts";
import { fieldInvalid } from "./field-issues.ts";
import { record } from "./object-fields.ts";
import { arrayOf, bool, obj, str } from "./openapi.ts";
import { builtinStrategy } from "./strategy.ts";

/** Exactly one of spec.resourceAttributes and spec.nonResourceAttributes. */
function validateReview(review: KubeObject): FieldIssue[] {
  const spec = record(review.spec) ?? {};
  const count = [spec.resourceAttributes, spec.nonResourceAttributes].filter((a) => a != null).length;
  if (count === 1) return [];
  return [
    fieldInvalid(
      "spec.resourceAttributes",
      spec.resourceAttributes ?? null,
      "exactly one of nonResourceAttributes or resourceAttributes must be specified",
    ),
  ];
}

const base = builtinStrategy({ meta: { namespaced: false, nameRule: "subdomain" } });

function accessReview(
  kind: string,
  description: string,
  specDescription: string,
  subject: Record<string, OpenAPISchema>,
): ResourceDefinition {
  return builtinResource({
    group: "authorization.k8s.io",
    version: "v1",
    kind,
    plural: `${kind.toLowerCase()}s`,
    namespaced: false,
    verbs: ["create"],
    description,
    properties: {
      spec: obj(specDescription, {
        resourceAttributes: obj("A resource request: namespace, verb, group, resource, subresource, name.", {
          namespace: str("Namespace of the action; empty for all namespaces or cluster scope."),
          verb: str("A Kubernetes verb: get, list, watch, create, update, patch, delete."),
          group: str("API group of the resource."),
          version: str("API version of the resource."),
          resource: str("The resource type."),
          subresource: str("The subresource."),
          name: str("Name of the object."),
        }),
        nonResourceAttributes: obj("A non-resource request.", {
          path: str("URL path."),
          verb: str("HTTP verb."),
        }),
        ...subject,
      }),
      status: obj("Filled in by the server: whether the action is allowed.", {
        allowed: bool("Whether the action is allowed."),
        denied: bool("Whether the action is explicitly denied."),
        reason: str("Why the action is allowed or denied."),
      }),
    },
    // A review has no name, so ObjectMeta rules do not apply; only the spec is checked.
    strategy: { ...base, validate: (review) => validateReview(review) },
  });
}

export const SELFSUBJECTACCESSREVIEW_RESOURCE = accessReview(
  "SelfSubjectAccessReview",
  "SelfSubjectAccessReview checks whether the current user can perform an action.",
  "The action being checked.",
  {},
);

export const SUBJECTACCESSREVIEW_RESOURCE = accessReview(
  "SubjectAccessReview",
  "SubjectAccessReview checks whether a user or group can perform an action.",
  "The action being checked and who would perform it.",
  {
    user: str("The user to check for."),
    groups: arrayOf("The groups to check for.", str("A group.")),
    uid: str("The user's uid."),
    extra: obj("Extra user attributes."),
  },
);
