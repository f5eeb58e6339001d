// The daemon on a host whose root is mounted at a directory, as in the DaemonSet's pod (/rootfs):
// a real API server, the real rpm-ostree backend given only the host root, and a fake ostree host
// that answers only commands run in that root (`chroot <root> …`) and pulls only with the auth file
// found under it. A layered update must land entirely in the host root and nothing in the
// container's own `/`.

import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations } from "../api/constants.ts";
import type { KubeObject } from "../api/object.ts";
import { CONTROLLER_CONFIGS } from "../controllers/resources.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { eventually } from "../testing/eventually.ts";
import { DiskPaths, USER_CA_BUNDLE_PATH } from "./constants.ts";
import { OSTREE_AUTH_FILE } from "./os/auth-file.ts";
import { CREDENTIALS, commandLines, type HostFixture, IMAGE, startHostFixture } from "./os/host-fixture.ts";
import { RpmOstreeBackend } from "./os/rpm-ostree.ts";
import { staticCredentials } from "./pull-secret.ts";
import { type DaemonStack, renderedConfig, startDaemonStack } from "./testing/daemon-stack.ts";

const CONFIG = "rendered-worker-host-root";
const CONFIG_FILE = "/etc/mob-host-root-test.conf";
const PEM = "-----BEGIN CERTIFICATE-----\nMIIBhostroot\n-----END CERTIFICATE-----\n";
/** Every node path the update writes, as the host sees it. */
const NODE_PATHS = [
  OSTREE_AUTH_FILE,
  CONFIG_FILE,
  DiskPaths.currentConfig,
  DiskPaths.currentImage,
  USER_CA_BUNDLE_PATH,
] as const;
const call = (): AbortSignal => AbortSignal.timeout(10_000);
const ann = (node: KubeObject, key: string): string | undefined => node.metadata.annotations?.[key];
const readOptional = (path: string): Promise<string | undefined> =>
  readFile(path, "utf8").catch(() => undefined);

describe("mob daemon with the host root at a directory", () => {
  let api: TestApiServer | undefined;
  let stack: DaemonStack | undefined;
  let host: HostFixture | undefined;
  /** The container's own copies of NODE_PATHS before the test (undefined: absent). */
  const before = new Map<string, string | undefined>();

  beforeAll(async () => {
    for (const path of NODE_PATHS) before.set(path, await readOptional(path));
    api = await startTestApiServer({ installCrds: true });
    stack = await startDaemonStack(api);
    host = await startHostFixture("rpm-ostree", (options) => new RpmOstreeBackend(options), "directory");
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await host?.close?.();
    await api?.close();
  }, 60_000);

  it("writes files, state, CA bundle and auth file under the host root and runs commands in it", async () => {
    if (stack === undefined || host === undefined) throw new Error("set-up failed");
    const { hostRoot } = host;
    const { nodes, nodeName } = stack;
    await stack.configs.create(renderedConfig(CONFIG, { [CONFIG_FILE]: "in the host root\n" }), {
      signal: call(),
    });
    await stack.clients.resource<KubeObject>(CONTROLLER_CONFIGS).create(
      {
        metadata: { name: "machine-config-controller" },
        spec: {
          baseOSContainerImage: IMAGE,
          releaseImage: "",
          additionalTrustBundle: Buffer.from(PEM).toString("base64"),
          proxy: null,
          images: {},
        },
      },
      { signal: call() },
    );
    await stack.annotate({ [NodeAnnotations.desiredConfig]: CONFIG, [NodeAnnotations.desiredImage]: IMAGE });
    stack.startDaemon({
      backend: host.backend,
      credentials: staticCredentials(CREDENTIALS.dockerConfigJson),
    });

    const node = await eventually(
      async () => {
        const latest = await nodes.get(nodeName, { signal: call() });
        expect(ann(latest, NodeAnnotations.state)).toBe("Done");
        expect(ann(latest, NodeAnnotations.currentImage)).toBe(IMAGE);
        return latest;
      },
      { timeoutMs: 60_000 },
    );
    expect(ann(node, NodeAnnotations.currentConfig)).toBe(CONFIG);
    expect(ann(node, NodeAnnotations.reason)).toBe("");
    expect(stack.drains).toEqual([`drain-${CONFIG}`, `uncordon-${CONFIG}`]);

    // The host ran the update, every command inside its root.
    expect(commandLines(host.host).filter((line) => !line.endsWith(" status --json"))).toEqual([
      `chroot ${hostRoot} rpm-ostree cleanup -p`,
      `chroot ${hostRoot} rpm-ostree rebase --experimental ostree-unverified-registry:${IMAGE}`,
      `chroot ${hostRoot} systemctl reboot`,
    ]);
    expect(commandLines(host.host).every((line) => line.startsWith(`chroot ${hostRoot} `))).toBe(true);
    expect(host.host.booted.image).toBe(IMAGE);

    // Everything the daemon wrote for the OS is under the host root.
    const inRoot = (path: string): string => join(hostRoot, path);
    expect(await readFile(inRoot(OSTREE_AUTH_FILE), "utf8")).toBe(CREDENTIALS.dockerConfigJson);
    expect((await stat(inRoot(OSTREE_AUTH_FILE))).mode & 0o777).toBe(0o600);
    expect(await readFile(inRoot(CONFIG_FILE), "utf8")).toBe("in the host root\n");
    expect(JSON.parse(await readFile(inRoot(DiskPaths.currentConfig), "utf8"))).toMatchObject({
      metadata: { name: CONFIG },
    });
    expect(await readFile(inRoot(DiskPaths.currentImage), "utf8")).toBe(`${IMAGE}\n`);
    expect(await readFile(inRoot(USER_CA_BUNDLE_PATH), "utf8")).toBe(PEM);

    // …and nothing in the container's own `/`.
    for (const path of NODE_PATHS) {
      expect({ path, text: await readOptional(path) }).toEqual({ path, text: before.get(path) });
    }
    expect(await readOptional(OSTREE_AUTH_FILE)).not.toBe(CREDENTIALS.dockerConfigJson);
  }, 90_000);
});
