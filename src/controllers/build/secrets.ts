// The build's registry secrets (upstream §4 Secrets): a push secret and a base-image pull secret
// (default `global-pull-secret-copy`), each `kubernetes.io/dockerconfigjson` with `.dockerconfigjson`
// or `kubernetes.io/dockercfg` with `.dockercfg` (the other type's key must be absent, the key must
// be non-empty). Each is copied as canonical dockerconfigjson into `base-<mosb>` / `final-<mosb>`.
// Messages name the secret and the rule it broke, never its content.

import { MCO_NAMESPACE, ObjectNames, SecretKeys } from "../../api/constants.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { CredentialsError } from "../../registry/credentials.ts";
import {
  canonicalDockerConfigJson,
  DOCKER_CONFIG_JSON_KEY,
  DOCKER_CONFIG_JSON_TYPE,
} from "../../registry/pull-secret.ts";
import { type BuildIdentity, buildObjectAnnotations, buildObjectLabels } from "./labels.ts";
import { basePullSecretName, finalPushSecretName } from "./names.ts";

export type SecretRole = "push" | "base-pull";

export interface SecretProblem {
  role: SecretRole;
  secret: string;
  message: string;
}

export function pushSecretName(mosc: MachineOSConfig): string {
  return mosc.spec.renderedImagePushSecret.name;
}

export function basePullSecretSource(mosc: MachineOSConfig): string {
  return mosc.spec.baseImagePullSecret?.name || ObjectNames.globalPullSecretCopy;
}

const ROLE_TEXT: Record<SecretRole, string> = {
  push: "rendered image push secret",
  "base-pull": "base image pull secret",
};

/** The secret's credentials as canonical dockerconfigjson, or what is wrong with it. */
export function canonicalCredentials(
  role: SecretRole,
  name: string,
  secret: KubeObject | undefined,
): { json: string } | { problem: SecretProblem } {
  const prefix = `${ROLE_TEXT[role]} "${name}" in ${MCO_NAMESPACE}`;
  if (secret === undefined) return { problem: { role, secret: name, message: `${prefix} not found` } };
  try {
    const data = (secret.data ?? {}) as Record<string, string>;
    const type = typeof secret.type === "string" ? secret.type : undefined;
    return { json: canonicalDockerConfigJson({ ...(type !== undefined ? { type } : {}), data }) };
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error;
    return { problem: { role, secret: name, message: `${prefix} is invalid: ${error.message}` } };
  }
}

/** The canonical copy `base-<mosb>` or `final-<mosb>` of a validated secret. */
export function canonicalSecret(
  role: SecretRole,
  id: BuildIdentity,
  originalName: string,
  dockerConfigJson: string,
): KubeObject {
  const name = role === "push" ? finalPushSecretName(id.mosb) : basePullSecretName(id.mosb);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name,
      namespace: MCO_NAMESPACE,
      labels: { ...buildObjectLabels(id, true), [SecretKeys.canonicalizedSecret]: "true" },
      annotations: { ...buildObjectAnnotations(id), [SecretKeys.originalSecretName]: originalName },
    },
    type: DOCKER_CONFIG_JSON_TYPE,
    data: { [DOCKER_CONFIG_JSON_KEY]: Buffer.from(dockerConfigJson).toString("base64") },
  };
}
