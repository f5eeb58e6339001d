// mob's embedded Kubernetes API server, assembled: SQLite storage → generic store with the built-in
// kinds and CustomResourceDefinitions → HTTPS. State lives in one directory: `state.db`, `pki/`,
// `kubeconfig`. Start order: storage, catalog, in-process controllers, then the listener; stop in reverse.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { MOB_CRDS } from "../api/crds.ts";
import { type NodeHeartbeat, startEmbeddedPlatform } from "../embedded/index.ts";
import { silentLogger } from "../logging.ts";
import { ensureAdminToken } from "./auth/admin-token.ts";
import { startAuth } from "./auth/assemble.ts";
import type { AuditSink } from "./auth/audit.ts";
import { writeKubeconfig } from "./auth/kubeconfig.ts";
import { ensurePki } from "./auth/pki.ts";
import { GarbageCollector } from "./controllers/garbage-collector.ts";
import { NamespaceLifecycle, namespaceLifecycleAdmission } from "./controllers/namespace-lifecycle.ts";
import { crdStatusFor } from "./crd/crd-status.ts";
import { installDefaults } from "./defaults.ts";
import { ApiServer } from "./http/server.ts";
import { installCrds } from "./install-crds.ts";
import { podSubresourceHandlers } from "./pods/handlers.ts";
import { FileLogSource } from "./pods/log-source.ts";
import { CrdRegistrar } from "./registry/crd-registrar.ts";
import { Store } from "./registry/store.ts";
import { buildCatalog, crdToResource } from "./resources.ts";
import { SqliteStorage } from "./storage/sqlite-storage.ts";

export interface ApiServerConfig {
  /** State directory: state.db, pki/, kubeconfig. */
  dir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  logger?: Logger;
  bookmarkIntervalMs?: number;
  /** Where container logs are read from (the host kubelet writes them). Default `<dir>/kubelet/logs`. */
  podLogDir?: string;
  /** Install mob's own CustomResourceDefinitions at start (default true; `mob apiserver --no-crds` opts out). */
  installCrds?: boolean;
  /** Run the Job controller, node lifecycle controller, scheduler and host kubelet in-process (default false). */
  embeddedPlatform?: boolean;
  /** The embedded platform's node Lease renewal and node monitor grace period (tests shorten them). */
  nodeHeartbeat?: NodeHeartbeat;
  /**
   * On an empty store, create the master/worker pools, the MCO namespace and the ControllerConfig
   * once (see defaults.ts). Default: on when installCrds is.
   */
  defaults?: boolean;
  /** Watch history kept by storage (default: 10,000 events or 10 minutes, whichever is more). */
  historyLimit?: { events?: number; ageMs?: number };
  /** Receives an audit record (user, attributes, decision) per authorized request; off when unset. */
  audit?: AuditSink;
}

export interface RunningApiServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  adminToken: string;
  caCertPem: string;
  store: Store;
  stop(): Promise<void>;
}

export async function startApiServer(config: ApiServerConfig): Promise<RunningApiServer> {
  const logger = config.logger ?? silentLogger();
  await mkdir(config.dir, { recursive: true });
  const controllers = new AbortController();
  const storage = new SqliteStorage({
    path: join(config.dir, "state.db"),
    ...(config.historyLimit !== undefined ? { historyLimit: config.historyLimit } : {}),
  });
  try {
    const catalog = buildCatalog();
    const store = new Store({ storage, catalog });
    store.addAdmission(namespaceLifecycleAdmission(store));
    new CrdRegistrar({
      storage,
      catalog,
      toResource: crdToResource,
      statusFor: crdStatusFor,
      logger: logger.child({ component: "crd-registrar" }),
    }).start(controllers.signal);
    new NamespaceLifecycle({
      store,
      catalog,
      logger: logger.child({ component: "namespace-lifecycle" }),
    }).start(controllers.signal);
    new GarbageCollector({ store, catalog, logger: logger.child({ component: "garbage-collector" }) }).start(
      controllers.signal,
    );

    if (config.installCrds ?? true)
      installCrds(store, catalog, MOB_CRDS, logger.child({ component: "crds" }));
    if (config.defaults ?? config.installCrds ?? true)
      installDefaults(store, logger.child({ component: "defaults" }));
    const platform = config.embeddedPlatform
      ? await startEmbeddedPlatform(
          {
            store,
            catalog,
            dir: config.dir,
            logger,
            ...(config.podLogDir === undefined ? {} : { kubelet: { logDir: config.podLogDir } }),
            ...(config.nodeHeartbeat === undefined ? {} : { nodeHeartbeat: config.nodeHeartbeat }),
          },
          controllers.signal,
        )
      : undefined;
    const pki = await ensurePki(config.dir);
    const adminToken = await ensureAdminToken(config.dir);
    const auth = await startAuth(
      { dir: config.dir, store, adminToken, logger: logger.child({ component: "auth" }) },
      controllers.signal,
    );
    const server = new ApiServer({
      store,
      catalog,
      tls: { certPem: pki.certPem, keyPem: pki.keyPem },
      authenticate: auth.authenticate,
      authorize: auth.authorize,
      ...(config.audit !== undefined ? { audit: config.audit } : {}),
      logger: logger.child({ component: "apiserver" }),
      handlers: new Map([
        ...podSubresourceHandlers(new FileLogSource(config.podLogDir ?? join(config.dir, "kubelet", "logs"))),
        ...auth.handlers,
      ]),
      ...(config.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: config.bookmarkIntervalMs } : {}),
    });
    const host = config.host ?? "127.0.0.1";
    const bound = await server.listen(host, config.port ?? 6443);
    const url = `https://${host}:${bound.port}`;
    const kubeconfigPath = join(config.dir, "kubeconfig");
    await writeKubeconfig(kubeconfigPath, { server: url, caCertPem: pki.caCertPem, token: adminToken });
    logger.info({ url, kubeconfig: kubeconfigPath }, "API server ready");
    return {
      url,
      port: bound.port,
      kubeconfigPath,
      adminToken,
      caCertPem: pki.caCertPem,
      store,
      stop: async () => {
        await server.close();
        controllers.abort();
        await platform?.stopped();
        storage.close();
      },
    };
  } catch (error) {
    controllers.abort();
    storage.close();
    throw error;
  }
}
