// core/v1 Secret. mob stores `data` as the base64 strings of the wire format; `stringData` is
// folded into `data` on every write, as upstream's conversion does.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { SECRET_TABLE } from "../../printers/builtin-tables.ts";
import {
  decodedSize,
  MAX_DATA_BYTES,
  validateBase64Values,
  validateDataKeys,
  validateImmutableData,
} from "./config-data.ts";
import { builtinResource } from "./definition.ts";
import { fieldImmutable, fieldInvalid, fieldRequired, fieldTooLong, index } from "./field-issues.ts";
import { SUPPORTED_FIELD_LABELS, secretFieldLabels } from "./field-labels.ts";
import { record, setDefault, text } from "./object-fields.ts";
import { bool, str, stringMapOf } from "./openapi.ts";
import { builtinStrategy } from "./strategy.ts";

/** Keys each well-known type requires in `data` (kubernetes.io/basic-auth is checked apart). */
const REQUIRED_KEYS: Record<string, readonly string[]> = {
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
};

const SERVICE_ACCOUNT_NAME_ANNOTATION = "kubernetes.io/service-account.name";

function foldStringData(secret: KubeObject): void {
  setDefault(secret, "type", "Opaque");
  const stringData = record(secret.stringData);
  if (stringData === undefined) return;
  const data = { ...record(secret.data) };
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value === "string") data[key] = Buffer.from(value, "utf8").toString("base64");
  }
  secret.data = data;
  delete secret.stringData;
}

function validateType(secret: KubeObject): FieldIssue[] {
  const type = text(secret.type) ?? "Opaque";
  const data = record(secret.data) ?? {};
  const issues: FieldIssue[] = [];
  for (const key of REQUIRED_KEYS[type] ?? []) {
    if (data[key] === undefined) issues.push(fieldRequired(index("data", key)));
  }
  if (type === "kubernetes.io/basic-auth" && data.username === undefined && data.password === undefined) {
    issues.push(fieldRequired(index("data", "username")), fieldRequired(index("data", "password")));
  }
  if (type === "kubernetes.io/dockerconfigjson" && typeof data[".dockerconfigjson"] === "string") {
    try {
      JSON.parse(Buffer.from(data[".dockerconfigjson"], "base64").toString("utf8"));
    } catch (error) {
      const detail = error instanceof Error ? error.message : "invalid JSON";
      issues.push(fieldInvalid(index("data", ".dockerconfigjson"), "<secret contents redacted>", detail));
    }
  }
  if (type === "kubernetes.io/service-account-token") {
    if (!secret.metadata.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION]) {
      issues.push(fieldRequired(index("metadata.annotations", SERVICE_ACCOUNT_NAME_ANNOTATION)));
    }
  }
  return issues;
}

function validate(secret: KubeObject, old: KubeObject | undefined): FieldIssue[] {
  const issues = [
    ...validateDataKeys(secret.data, "data"),
    ...validateBase64Values(secret.data, "data"),
    ...validateType(secret),
  ];
  if (decodedSize(secret.data, "base64") > MAX_DATA_BYTES) issues.push(fieldTooLong("data", MAX_DATA_BYTES));
  if (old !== undefined) {
    if ((text(secret.type) ?? "Opaque") !== (text(old.type) ?? "Opaque")) {
      issues.push(fieldImmutable("type", secret.type));
    }
    issues.push(...validateImmutableData(secret, old, ["data"]));
  }
  return issues;
}

export const SECRET_RESOURCE = builtinResource({
  group: "",
  version: "v1",
  kind: "Secret",
  plural: "secrets",
  namespaced: true,
  description: "Secret holds secret data of a certain type.",
  properties: {
    type: str(
      "Used to facilitate programmatic handling of secret data, e.g. kubernetes.io/dockerconfigjson.",
    ),
    data: stringMapOf("Secret data; values are base64-encoded."),
    stringData: stringMapOf("Write-only plain-text convenience for data; merged into data on write."),
    immutable: bool("When true, data can no longer be changed."),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    fieldLabels: secretFieldLabels,
    selectableFields: SUPPORTED_FIELD_LABELS.secrets ?? [],
    prepareForCreate: foldStringData,
    prepareForUpdate: foldStringData,
    validate,
    table: SECRET_TABLE,
  }),
});
