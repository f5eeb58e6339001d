// Validation and canonicalisation of pull/push Secrets: the two Kubernetes secret types that carry
// registry credentials, each with its own data key; the result is always dockerconfigjson.

import { CredentialsError, dockercfgToDockerConfigJson } from "./credentials.ts";

export const DOCKER_CONFIG_JSON_TYPE = "kubernetes.io/dockerconfigjson";
export const DOCKER_CONFIG_JSON_KEY = ".dockerconfigjson";
export const DOCKERCFG_TYPE = "kubernetes.io/dockercfg";
export const DOCKERCFG_KEY = ".dockercfg";

/** The parts of a Secret that matter here; `data` values are base64 as in the API. */
export interface PullSecretLike {
  type?: string;
  data?: Record<string, string>;
}

const KEY_FOR_TYPE: Record<string, string> = {
  [DOCKER_CONFIG_JSON_TYPE]: DOCKER_CONFIG_JSON_KEY,
  [DOCKERCFG_TYPE]: DOCKERCFG_KEY,
};

/**
 * The secret's credentials as canonical dockerconfigjson text. Throws CredentialsError when the type
 * is not one of the two, its key is missing or empty, the other type's key is also present, or the
 * content cannot be read.
 */
export function canonicalDockerConfigJson(secret: PullSecretLike): string {
  const type = secret.type ?? "";
  const key = KEY_FOR_TYPE[type];
  if (key === undefined) {
    throw new CredentialsError(
      "unsupported-type",
      `secret type "${type}" is not supported; use ${DOCKER_CONFIG_JSON_TYPE} or ${DOCKERCFG_TYPE}`,
    );
  }
  const otherKey = key === DOCKER_CONFIG_JSON_KEY ? DOCKERCFG_KEY : DOCKER_CONFIG_JSON_KEY;
  const data = secret.data ?? {};
  if (data[otherKey] !== undefined) {
    throw new CredentialsError(
      "conflicting-keys",
      `secret of type "${type}" must not contain key "${otherKey}"`,
    );
  }
  const encoded = data[key];
  if (encoded === undefined) {
    throw new CredentialsError("missing-key", `secret of type "${type}" has no key "${key}"`);
  }
  const text = Buffer.from(encoded, "base64").toString("utf8");
  if (text.trim() === "") {
    throw new CredentialsError("empty-key", `key "${key}" of the secret of type "${type}" is empty`);
  }
  return dockercfgToDockerConfigJson(text);
}
