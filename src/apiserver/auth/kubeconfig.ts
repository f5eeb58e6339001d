// A kubeconfig for the admin user, in the shape kubectl and @kubernetes/client-node read unchanged.

import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { stringify } from "yaml";
import { writeFileAtomic } from "./files.ts";

export interface KubeconfigOptions {
  /** `https://127.0.0.1:PORT` */
  server: string;
  caCertPem: string;
  token: string;
  /** User entry name; "admin" when unset. */
  user?: string;
  /** Context (and cluster entry) name; "mob" when unset. */
  context?: string;
}

/** The kubeconfig document (a `Config` with one cluster, user and context, that context current). */
export function renderKubeconfig(options: KubeconfigOptions): string {
  const user = options.user ?? "admin";
  const context = options.context ?? "mob";
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: context,
        cluster: {
          server: options.server,
          "certificate-authority-data": Buffer.from(options.caCertPem, "utf8").toString("base64"),
        },
      },
    ],
    users: [{ name: user, user: { token: options.token } }],
    contexts: [{ name: context, context: { cluster: context, user } }],
    "current-context": context,
    preferences: {},
  });
}

/** Writes the kubeconfig to `path` with mode 0600, creating its directory. */
export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, renderKubeconfig(options), 0o600);
}
