// Image pull spec formats. The CEL rules and messages are upstream's, character for character:
// they decide which pull specs the API accepts, and clients match the messages.

import Type from "typebox";
import type { KubeSchemaOptions, ValidationRule } from "./kube.ts";

const SVC_FORM = String.raw`^[^.]+\.[^.]+\.svc:\d+\/[^\/]+\/[^\/]+:[^\/]+$`;
const TAGGED_NAME = String.raw`^([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(:[0-9]{2,5})?(/[a-zA-Z0-9-_]{1,61})*/[a-zA-Z0-9-_.]+:[a-zA-Z0-9._-]+$`;
/** At most one namespace segment: `host/a/b/c@sha256:...` fails (upstream quirk). */
const DIGEST_NAME = String.raw`^([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(:[0-9]{2,5})?/([a-zA-Z0-9-_]{0,61}/)?[a-zA-Z0-9-_.]*?$`;

/** Quote a regular expression as a CEL single-quoted string (backslashes doubled). */
function cel(regex: string): string {
  return `'${regex.replaceAll("\\", "\\\\")}'`;
}

const SVC_MESSAGE = "Or it must be a valid .svc followed by a port, repository, image name, and tag.";
const NAME_MESSAGE =
  "the OCI Image name should follow the host[:port][/namespace]/name format, resembling a valid URL without the scheme";

export const IMAGE_TAG_RULE: ValidationRule = {
  rule: `self.matches(${cel(TAGGED_NAME)}) || self.matches(${cel(SVC_FORM)})`,
  message: `${NAME_MESSAGE}. ${SVC_MESSAGE}`,
};

const DIGEST_SUFFIX = "self.split('@').size() == 2 && self.split('@')[1].matches('^sha256:[a-f0-9]{64}$')";
const DIGEST_SUFFIX_MESSAGE =
  "the OCI Image reference must end with a valid '@sha256:<digest>' suffix, where '<digest>' is 64 characters long";

export const IMAGE_DIGEST_SUFFIX_RULE: ValidationRule = {
  rule: `(${DIGEST_SUFFIX})`,
  message: DIGEST_SUFFIX_MESSAGE,
};

export const IMAGE_DIGEST_NAME_RULE: ValidationRule = {
  rule: `(self.split('@')[0].matches(${cel(DIGEST_NAME)}))`,
  message: NAME_MESSAGE,
};

const LENGTH = { minLength: 1, maxLength: 447 } as const;

/** `host[:port][/namespace]/name:tag`, or the in-cluster `.svc` form. */
export function ImageTagFormat(options: KubeSchemaOptions = {}) {
  return Type.String({ ...options, ...LENGTH, "x-kubernetes-validations": [IMAGE_TAG_RULE] });
}

/** `host[:port][/namespace]/name@sha256:<64 hex>`. */
export function ImageDigestFormat(options: KubeSchemaOptions = {}) {
  return Type.String({
    ...options,
    ...LENGTH,
    "x-kubernetes-validations": [IMAGE_DIGEST_SUFFIX_RULE, IMAGE_DIGEST_NAME_RULE],
  });
}

// v1alpha1 spellings. Splitting on ':' means a registry port is only accepted in the .svc form.

export const V1ALPHA1_IMAGE_TAG_RULES: ValidationRule[] = [
  {
    rule: `((self.split(':').size() == 2 && self.split(':')[1].matches('^([a-zA-Z0-9-./:])+$')) || self.matches(${cel(SVC_FORM)}))`,
    message: `the OCI Image reference must end with a valid :<tag>, where '<digest>' is 64 characters long and '<tag>' is any valid string  ${SVC_MESSAGE}`,
  },
  {
    rule: `((self.split(':').size() == 2 && self.split(':')[0].matches(${cel(DIGEST_NAME)})) || self.matches(${cel(SVC_FORM)}))`,
    message: `${NAME_MESSAGE}. ${SVC_MESSAGE}`,
  },
];

/** v1alpha1 MOSB `finalImagePullspec`: the digest suffix rule only, wrapped in one more pair of parentheses. */
export const V1ALPHA1_DIGEST_SUFFIX_RULE: ValidationRule = {
  rule: `((${DIGEST_SUFFIX}))`,
  message: DIGEST_SUFFIX_MESSAGE,
};

export function V1Alpha1ImageTagFormat(options: KubeSchemaOptions = {}) {
  return Type.String({ ...options, ...LENGTH, "x-kubernetes-validations": V1ALPHA1_IMAGE_TAG_RULES });
}
