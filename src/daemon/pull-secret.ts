// Pull credentials for rebases: a dockerconfigjson file (`--pull-secret FILE`, upstream links
// /etc/mco/internal-registry-pull-secret.json or the kubelet's config.json). Read at each rebase so a
// rotated secret is picked up; its contents never reach a log, annotation or event.

import { readFile } from "node:fs/promises";
import type { PullCredentials } from "./os/backend.ts";

export type CredentialsSource = (signal: AbortSignal) => Promise<PullCredentials | undefined>;

export function pullSecretFile(path: string | undefined): CredentialsSource {
  return async (signal) => {
    if (path === undefined) return undefined;
    const text = await readFile(path, { encoding: "utf8", signal });
    try {
      JSON.parse(text);
    } catch {
      throw new Error(`pull secret ${path} is not JSON (want a dockerconfigjson document)`);
    }
    return { dockerConfigJson: text };
  };
}

export function staticCredentials(dockerConfigJson: string | undefined): CredentialsSource {
  return async () => (dockerConfigJson === undefined ? undefined : { dockerConfigJson });
}
