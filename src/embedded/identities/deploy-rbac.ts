// deploy/'s ServiceAccounts and RBAC, applied to the embedded API server as `kubectl apply -k deploy/`
// would create them: read from the generated files, never restated in code, so the embedded stack
// runs with exactly the policy a cluster install gets.

import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../api/object.ts";
import { applyObject } from "../../deploy/install.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";

export const DEPLOY_DIR = resolve(import.meta.dirname, "../../../deploy");

async function objectsOf(file: string): Promise<KubeObject[]> {
  const text = await readFile(file, "utf8");
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

/** The ServiceAccounts (deploy/service-accounts.yaml) and every object of deploy/rbac/. */
export async function deployIdentityObjects(deployDir = DEPLOY_DIR): Promise<KubeObject[]> {
  const rbacDir = join(deployDir, "rbac");
  const rbacFiles = (await readdir(rbacDir)).filter((name) => name.endsWith(".yaml")).sort();
  const files = [join(deployDir, "service-accounts.yaml"), ...rbacFiles.map((name) => join(rbacDir, name))];
  return (await Promise.all(files.map(objectsOf))).flat();
}

/** Applies them with `admin` (server-side apply, as `mob install`); unchanged objects are not written. */
export async function applyDeployIdentities(admin: KubeClients, signal: AbortSignal): Promise<void> {
  for (const object of await deployIdentityObjects()) await applyObject(admin, object, signal);
}
