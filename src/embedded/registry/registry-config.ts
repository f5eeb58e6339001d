// The configuration file of CNCF distribution (`docker-registry serve <file>`) as mob runs it:
// filesystem storage with deletes enabled, htpasswd (bcrypt) authentication, loopback only.

import { stringify } from "yaml";

export interface RegistryConfigInput {
  /** `127.0.0.1:5000`. */
  addr: string;
  dataDir: string;
  htpasswdPath: string;
  /** Signs upload state; stable across restarts so interrupted uploads stay valid. */
  httpSecret: string;
}

export const REGISTRY_REALM = "mob-registry";

export function renderRegistryConfig(input: RegistryConfigInput): string {
  return stringify({
    version: 0.1,
    log: { level: "info", formatter: "text", fields: { service: "registry" } },
    storage: {
      filesystem: { rootdirectory: input.dataDir },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: true, age: "24h", interval: "1h", dryrun: false } },
    },
    http: { addr: input.addr, secret: input.httpSecret, headers: { "X-Content-Type-Options": ["nosniff"] } },
    auth: { htpasswd: { realm: REGISTRY_REALM, path: input.htpasswdPath } },
  });
}
