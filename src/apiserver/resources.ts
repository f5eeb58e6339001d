// Everything the API server serves: the built-in kinds plus CustomResourceDefinitions, wired to the
// CRD validation and table printers.

import { CONVERSIONS } from "../api/conversion/index.ts";
import type { KubeObject } from "../api/object.ts";
import { celRuleValidator } from "./cel/validator.ts";
import { resourceDefinitionFromCRD } from "./crd/crd-resource.ts";
import { prepareCustomResourceDefinition, validateCustomResourceDefinition } from "./crd/crd-validation.ts";
import { crdTableConvertor } from "./printers/crd-table.ts";
import { BUILTIN_RESOURCES, customResourceDefinitionResource } from "./registry/builtin/index.ts";
import { ResourceCatalog } from "./registry/catalog.ts";
import type { ResourceDefinition } from "./registry/resource.ts";

export function buildCatalog(): ResourceCatalog {
  const catalog = new ResourceCatalog();
  for (const definition of BUILTIN_RESOURCES) catalog.add(definition);
  catalog.add(
    customResourceDefinitionResource(validateCustomResourceDefinition, prepareCustomResourceDefinition),
  );
  return catalog;
}

export function crdToResource(crd: KubeObject): ResourceDefinition {
  return resourceDefinitionFromCRD(
    crd,
    crdTableConvertor,
    celRuleValidator(),
    CONVERSIONS.get(crd.metadata.name ?? ""),
  );
}
