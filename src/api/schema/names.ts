// Name rules shared by the v1 kinds: Kubernetes' CEL format library, with upstream's messages
// (clients match them as substrings, so they are kept word for word).

import Type from "typebox";
import type { KubeSchemaOptions, ValidationRule } from "./kube.ts";

export const DNS1123_SUBDOMAIN_RULE: ValidationRule = {
  rule: "!format.dns1123Subdomain().validate(self).hasValue()",
  message:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character.",
};

/** The MCP osImageStream copy of the subdomain rule, whose message lacks "lowercase". */
export const RFC1123_SUBDOMAIN_RULE: ValidationRule = {
  rule: DNS1123_SUBDOMAIN_RULE.rule,
  message:
    "a RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character.",
};

export const DNS1123_LABEL_RULE: ValidationRule = {
  rule: "!format.dns1123Label().validate(self).hasValue()",
  message: "the value must consist of only lowercase alphanumeric characters and hyphens",
};

export const DNS1035_LABEL_RULE: ValidationRule = {
  rule: "!format.dns1035Label().validate(self).hasValue()",
  message:
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
};

/** The older (v1alpha1, pinnedImageSets) spelling of a subdomain: a pattern that also allows capitals. */
export const LEGACY_SUBDOMAIN_PATTERN =
  "^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9]))*$";

interface LengthOptions extends KubeSchemaOptions {
  minLength?: number;
  maxLength?: number;
}

/** A DNS-1123 subdomain (object names), at most 253 characters unless `options` says otherwise. */
export function SubdomainName(options: LengthOptions = {}) {
  return Type.String({ maxLength: 253, ...options, "x-kubernetes-validations": [DNS1123_SUBDOMAIN_RULE] });
}

/** A DNS-1123 label (namespaces), 1–63 characters. */
export function LabelName(options: KubeSchemaOptions = {}) {
  return Type.String({
    minLength: 1,
    maxLength: 63,
    ...options,
    "x-kubernetes-validations": [DNS1123_LABEL_RULE],
  });
}

/** A DNS-1035 label (resource names), 1–63 characters. */
export function Dns1035Name(options: KubeSchemaOptions = {}) {
  return Type.String({
    minLength: 1,
    maxLength: 63,
    ...options,
    "x-kubernetes-validations": [DNS1035_LABEL_RULE],
  });
}

/** `{name}` pointing at an object by a subdomain name. */
export function NameReference(description: string, name: LengthOptions = {}) {
  return Type.Object(
    { name: SubdomainName({ description: "Name of the referenced object.", ...name }) },
    { description },
  );
}
