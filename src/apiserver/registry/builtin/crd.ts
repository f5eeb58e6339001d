// apiextensions.k8s.io/v1 CustomResourceDefinition: the resource shell. Validation and
// defaulting of the definition itself are injected by the CRD package.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { CRD_TABLE } from "../../printers/builtin-tables.ts";
import type { ResourceDefinition } from "../resource.ts";
import { builtinResource, statusSubresource } from "./definition.ts";
import { arrayOf, CONDITIONS, obj, str } from "./openapi.ts";
import { builtinStrategy, resetStatus } from "./strategy.ts";

export interface CustomResourceDefinitionHooks {
  /** Every problem with the definition beyond ObjectMeta (names, versions, schemas). */
  validate: (crd: KubeObject) => FieldIssue[];
  /** Normalises the definition on create (after status is cleared) and on update. */
  prepare: (crd: KubeObject) => void;
}

export function customResourceDefinitionResource(
  validate: CustomResourceDefinitionHooks["validate"],
  prepare: CustomResourceDefinitionHooks["prepare"],
): ResourceDefinition {
  return builtinResource({
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
    namespaced: false,
    shortNames: ["crd", "crds"],
    categories: ["api-extensions"],
    subresources: [statusSubresource("CustomResourceDefinition")],
    description: "CustomResourceDefinition represents a resource that should be exposed on the API server.",
    properties: {
      spec: obj("Describes how the user wants the resources to appear.", {
        group: str("API group of the defined custom resource."),
        names: obj("Resource and kind names for the custom resource."),
        scope: str("Cluster or Namespaced."),
        versions: arrayOf(
          "API versions of the defined custom resource.",
          obj("One version of the resource."),
        ),
        conversion: obj("How to convert between versions."),
      }),
      status: obj("Status of the definition.", {
        conditions: CONDITIONS,
        acceptedNames: obj("Names actually being used to serve discovery."),
        storedVersions: arrayOf("Versions that have ever been persisted.", str("A version.")),
      }),
    },
    strategy: builtinStrategy({
      meta: { namespaced: false, nameRule: "subdomain" },
      hasStatusSubresource: true,
      tracksGeneration: true,
      prepareForCreate(crd) {
        resetStatus(crd);
        prepare(crd);
      },
      prepareForUpdate: (crd) => prepare(crd),
      validate: (crd) => validate(crd),
      table: CRD_TABLE,
    }),
  });
}
