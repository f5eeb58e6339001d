// Assembles a built-in ResourceDefinition: one served storage version with a hand-written schema.

import type {
  OpenAPISchema,
  ResourceDefinition,
  Strategy,
  SubresourceDefinition,
  Verb,
} from "../resource.ts";
import { ALL_VERBS } from "../resource.ts";
import { kindSchema } from "./openapi.ts";

export interface BuiltinResourceSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: readonly string[];
  categories?: readonly string[];
  subresources?: readonly SubresourceDefinition[];
  /** Default: every verb. */
  verbs?: readonly Verb[];
  /** Top of `kubectl explain <kind>`. */
  description: string;
  /** Schemas of the top-level fields besides apiVersion, kind and metadata. */
  properties: Record<string, OpenAPISchema>;
  strategy: Strategy;
}

export function builtinResource(spec: BuiltinResourceSpec): ResourceDefinition {
  return {
    group: spec.group,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    plural: spec.plural,
    singular: spec.kind.toLowerCase(),
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    versions: [
      {
        name: spec.version,
        served: true,
        storage: true,
        schema: kindSchema({
          group: spec.group,
          version: spec.version,
          kind: spec.kind,
          description: spec.description,
          properties: spec.properties,
        }),
      },
    ],
    subresources: spec.subresources ?? [],
    verbs: spec.verbs ?? ALL_VERBS,
    strategy: spec.strategy,
  };
}

/** `<plural>/status`: get, patch and update of the whole object, writing only `.status`. */
export function statusSubresource(kind: string): SubresourceDefinition {
  return { name: "status", kind, verbs: ["get", "patch", "update"] };
}
