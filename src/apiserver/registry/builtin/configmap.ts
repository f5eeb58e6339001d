// core/v1 ConfigMap.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { CONFIGMAP_TABLE } from "../../printers/builtin-tables.ts";
import {
  decodedSize,
  MAX_DATA_BYTES,
  validateBase64Values,
  validateDataKeys,
  validateImmutableData,
  validateStringMap,
} from "./config-data.ts";
import { builtinResource } from "./definition.ts";
import { fieldTooLong } from "./field-issues.ts";
import { bool, stringMapOf } from "./openapi.ts";
import { builtinStrategy } from "./strategy.ts";

function validate(configMap: KubeObject, old: KubeObject | undefined): FieldIssue[] {
  const issues = [
    ...validateStringMap(configMap.data, "data"),
    ...validateDataKeys(configMap.data, "data", { map: configMap.binaryData, field: "binaryData" }),
    ...validateDataKeys(configMap.binaryData, "binaryData", { map: configMap.data, field: "data" }),
    ...validateBase64Values(configMap.binaryData, "binaryData"),
  ];
  if (decodedSize(configMap.data, "utf8") + decodedSize(configMap.binaryData, "base64") > MAX_DATA_BYTES) {
    // Upstream reports the size against the whole object, hence the empty path.
    issues.push(fieldTooLong("", MAX_DATA_BYTES));
  }
  if (old !== undefined) issues.push(...validateImmutableData(configMap, old, ["data", "binaryData"]));
  return issues;
}

export const CONFIGMAP_RESOURCE = builtinResource({
  group: "",
  version: "v1",
  kind: "ConfigMap",
  plural: "configmaps",
  namespaced: true,
  shortNames: ["cm"],
  description: "ConfigMap holds configuration data for pods to consume.",
  properties: {
    data: stringMapOf("Configuration data: keys of [-._a-zA-Z0-9]+, UTF-8 values."),
    binaryData: stringMapOf("Binary configuration data, base64-encoded values."),
    immutable: bool("When true, data and binaryData can no longer be changed."),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    validate,
    table: CONFIGMAP_TABLE,
  }),
});
