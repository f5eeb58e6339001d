// The daemon against a real API server with an in-memory OS backend: in-place updates, image
// updates with the drain handshake and a reboot, revert, failures and restarts.

import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations } from "../api/constants.ts";
import { isPlainObject, type KubeObject } from "../api/object.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { eventually } from "../testing/eventually.ts";
import { DiskStore } from "./disk-state.ts";
import { OsBackendError } from "./os/backend.ts";
import { staticCredentials } from "./pull-secret.ts";
import {
  BASE_IMAGE,
  type DaemonStack,
  LAYERED_IMAGE,
  renderedConfig,
  startDaemonStack,
} from "./testing/daemon-stack.ts";

const A = "rendered-worker-aaaa";
const B = "rendered-worker-bbbb";
const signal = AbortSignal.timeout(120_000);
const ann = (node: KubeObject, key: string): string | undefined => node.metadata.annotations?.[key];
const unschedulable = (node: KubeObject): boolean =>
  isPlainObject(node.spec) && node.spec.unschedulable === true;

describe("mob daemon", () => {
  let api: TestApiServer;
  let stack: DaemonStack;

  beforeAll(async () => {
    api = await startTestApiServer({ installCrds: true });
    const first = await startDaemonStack(api);
    await first.configs.create(renderedConfig(A, { "/etc/a.conf": "a\n", "/etc/common.conf": "v1\n" }), {
      signal,
    });
    await first.configs.create(renderedConfig(B, { "/etc/b.conf": "b\n", "/etc/common.conf": "v2\n" }), {
      signal,
    });
    await first.close();
  });
  afterAll(async () => {
    await api.close();
  });
  afterEach(async () => {
    await stack.close();
  });

  const file = (path: string): Promise<string> => readFile(join(stack.root, path), "utf8");
  const exists = (path: string): Promise<boolean> =>
    stat(join(stack.root, path)).then(
      () => true,
      () => false,
    );

  async function settled(check: (node: KubeObject) => void = () => {}): Promise<KubeObject> {
    return eventually(
      async () => {
        const node = await stack.node();
        expect(ann(node, NodeAnnotations.state)).toBe("Done");
        check(node);
        return node;
      },
      { timeoutMs: 20_000 },
    );
  }

  it("reports a fresh, untargeted node as Done so the node controller can give it its pool's config", async () => {
    stack = await startDaemonStack(api);
    stack.startDaemon();
    const node = await eventually(async () => {
      const n = await stack.node();
      expect(ann(n, NodeAnnotations.state)).toBe("Done");
      return n;
    });
    expect(ann(node, NodeAnnotations.currentConfig)).toBeUndefined();
    expect(stack.backend.ops()).toEqual([]);
  });

  it("applies a config-only change in place: files written and removed, Done, no drain, no reboot", async () => {
    stack = await startDaemonStack(api);
    await stack.annotate({ [NodeAnnotations.desiredConfig]: A });
    stack.startDaemon();
    await settled((node) => expect(ann(node, NodeAnnotations.currentConfig)).toBe(A));
    expect(await file("etc/a.conf")).toBe("a\n");
    await stack.annotate({ [NodeAnnotations.desiredConfig]: B });
    const node = await settled((n) => expect(ann(n, NodeAnnotations.currentConfig)).toBe(B));
    expect(await file("etc/b.conf")).toBe("b\n");
    expect(await file("etc/common.conf")).toBe("v2\n");
    expect(await exists("etc/a.conf")).toBe(false);
    expect(ann(node, NodeAnnotations.reason)).toBe("");
    expect(ann(node, NodeAnnotations.currentImage)).toBeUndefined();
    expect(stack.drains).toEqual([]);
    expect(stack.backend.ops()).toEqual([]);
    const disk = await new DiskStore(stack.root).read();
    expect(disk.config?.metadata.name).toBe(B);
    expect(disk.image).toBe("");
  });

  it("updates the image: drain handshake, rebase by digest with credentials, reboot, Done; then reverts", async () => {
    stack = await startDaemonStack(api);
    await stack.annotate({ [NodeAnnotations.desiredConfig]: A, [NodeAnnotations.currentConfig]: A });
    stack.startDaemon({ credentials: staticCredentials('{"auths":{}}') });
    await settled();
    await stack.annotate({ [NodeAnnotations.desiredImage]: LAYERED_IMAGE });
    const node = await settled((n) => expect(ann(n, NodeAnnotations.currentImage)).toBe(LAYERED_IMAGE));
    expect(stack.drains).toEqual([`drain-${A}`, `uncordon-${A}`]);
    expect(stack.backend.ops()).toEqual(["cleanupStaged", `rebase ${LAYERED_IMAGE}`, "reboot"]);
    expect(stack.backend.calls[1]?.credentials).toEqual({ dockerConfigJson: '{"auths":{}}' });
    expect(ann(node, NodeAnnotations.postConfigAction)).toBeUndefined();
    expect(unschedulable(node)).toBe(false);
    expect((await stack.backend.status(signal)).booted.image).toBe(LAYERED_IMAGE);
    expect(await file("etc/machine-config-daemon/currentimage")).toBe(`${LAYERED_IMAGE}\n`);

    // Revert: the image annotation goes away, the node rebases to the config's osImageURL.
    await stack.annotate({ [NodeAnnotations.desiredImage]: null });
    const reverted = await settled((n) => expect(ann(n, NodeAnnotations.currentImage)).toBeUndefined());
    expect(stack.backend.ops().slice(3)).toEqual(["cleanupStaged", `rebase ${BASE_IMAGE}`, "reboot"]);
    expect((await stack.backend.status(signal)).booted.image).toBe(BASE_IMAGE);
    expect(stack.drains.slice(2)).toEqual([`drain-${A}`, `uncordon-${A}`]);
    expect(ann(reverted, NodeAnnotations.currentConfig)).toBe(A);
    expect(await file("etc/a.conf")).toBe("a\n");
  });

  it("reports a failed rebase as Degraded naming the image, restores files, cleans staged, uncordons", async () => {
    stack = await startDaemonStack(api);
    await stack.annotate({ [NodeAnnotations.desiredConfig]: A, [NodeAnnotations.currentConfig]: A });
    stack.startDaemon();
    await settled();
    stack.backend.failRebase = new OsBackendError("image-not-found", `manifest unknown: ${LAYERED_IMAGE}`);
    await stack.annotate({
      [NodeAnnotations.desiredConfig]: B,
      [NodeAnnotations.desiredImage]: LAYERED_IMAGE,
    });
    const node = await eventually(
      async () => {
        const n = await stack.node();
        expect(ann(n, NodeAnnotations.state)).toBe("Degraded");
        expect(ann(n, NodeAnnotations.lastAppliedDrain)).toBe(`uncordon-${B}`);
        return n;
      },
      { timeoutMs: 20_000 },
    );
    expect(ann(node, NodeAnnotations.reason)).toContain(`failed to rebase to ${LAYERED_IMAGE}`);
    expect(unschedulable(node)).toBe(false);
    expect(stack.backend.ops()).toEqual(["cleanupStaged", `rebase ${LAYERED_IMAGE}`, "cleanupStaged"]);
    expect((await stack.backend.status(signal)).staged).toBeUndefined();
    expect(await file("etc/a.conf")).toBe("a\n");
    expect(await file("etc/common.conf")).toBe("v1\n");
    expect(await exists("etc/b.conf")).toBe(false);
    expect((await new DiskStore(stack.root).read()).config?.metadata.name).toBe(A);
    expect(ann(node, NodeAnnotations.currentConfig)).toBe(A);
  });

  it("finishes an update after a restart from what is on disk (staged, not rebooted yet)", async () => {
    stack = await startDaemonStack(api);
    // What a daemon leaves behind when it dies between writing its record and rebooting.
    const desired = await stack.configs.get(B, { signal });
    await stack.backend.rebase(LAYERED_IMAGE, { signal });
    await new DiskStore(stack.root).write({ config: desired, image: LAYERED_IMAGE });
    await stack.annotate({
      [NodeAnnotations.currentConfig]: A,
      [NodeAnnotations.desiredConfig]: B,
      [NodeAnnotations.desiredImage]: LAYERED_IMAGE,
      [NodeAnnotations.state]: "Working",
      [NodeAnnotations.desiredDrain]: `drain-${B}`,
      [NodeAnnotations.lastAppliedDrain]: `drain-${B}`,
    });
    stack.startDaemon();
    const node = await settled((n) => expect(ann(n, NodeAnnotations.currentConfig)).toBe(B));
    expect(ann(node, NodeAnnotations.currentImage)).toBe(LAYERED_IMAGE);
    expect(stack.backend.ops()).toEqual([`rebase ${LAYERED_IMAGE}`, "reboot"]);
    expect(stack.drains).toEqual([`uncordon-${B}`]);
  });

  it("trusts the disk over stale annotations after a reboot", async () => {
    stack = await startDaemonStack(api);
    const desired = await stack.configs.get(B, { signal });
    await stack.backend.rebase(LAYERED_IMAGE, { signal });
    await stack.backend.reboot();
    await new DiskStore(stack.root).write({ config: desired, image: LAYERED_IMAGE });
    await stack.annotate({
      [NodeAnnotations.currentConfig]: A,
      [NodeAnnotations.desiredConfig]: B,
      [NodeAnnotations.desiredImage]: LAYERED_IMAGE,
      [NodeAnnotations.postConfigAction]: "Rebooting",
    });
    stack.startDaemon();
    const node = await settled((n) => expect(ann(n, NodeAnnotations.currentConfig)).toBe(B));
    expect(ann(node, NodeAnnotations.postConfigAction)).toBeUndefined();
    expect(stack.backend.ops()).toEqual([`rebase ${LAYERED_IMAGE}`, "reboot"]);
  });

  it("reports Degraded when the booted image is not the one recorded", async () => {
    stack = await startDaemonStack(api);
    const desired = await stack.configs.get(B, { signal });
    await new DiskStore(stack.root).write({ config: desired, image: LAYERED_IMAGE });
    await stack.annotate({
      [NodeAnnotations.desiredConfig]: B,
      [NodeAnnotations.desiredImage]: LAYERED_IMAGE,
    });
    stack.startDaemon();
    const node = await eventually(async () => {
      const n = await stack.node();
      expect(ann(n, NodeAnnotations.state)).toBe("Degraded");
      return n;
    });
    expect(ann(node, NodeAnnotations.reason)).toContain(
      `expected image ${LAYERED_IMAGE}, booted ${BASE_IMAGE}`,
    );
  });

  it("refuses unreconcilable changes", async () => {
    stack = await startDaemonStack(api);
    const withDisk = renderedConfig("rendered-worker-disks", {});
    withDisk.spec = {
      ...withDisk.spec,
      config: {
        ignition: { version: "3.4.0" },
        storage: { disks: [{ device: "/dev/vdb", wipeTable: true }] },
      },
    };
    await stack.configs.create(withDisk, { signal }).catch(() => undefined);
    await stack.annotate({ [NodeAnnotations.desiredConfig]: A });
    stack.startDaemon();
    await settled();
    await stack.annotate({ [NodeAnnotations.desiredConfig]: "rendered-worker-disks" });
    const node = await eventually(async () => {
      const n = await stack.node();
      expect(ann(n, NodeAnnotations.state)).toBe("Unreconcilable");
      return n;
    });
    expect(ann(node, NodeAnnotations.reason)).toBe("ignition disks section contains changes");
  });

  it("applies SSH keys and a password hash in place on a layered node (scenario 21)", async () => {
    stack = await startDaemonStack(api);
    await mkdir(join(stack.root, "etc"), { recursive: true });
    await writeFile(join(stack.root, "etc/shadow"), "root:*:19000::::::\ncore:!!:19000::::::\n", {
      mode: 0o600,
    });
    const ssh = renderedConfig("rendered-worker-ssh", { "/etc/a.conf": "a\n" });
    ssh.spec = {
      ...ssh.spec,
      config: {
        ignition: { version: "3.4.0" },
        passwd: {
          users: [
            { name: "core", sshAuthorizedKeys: ["ssh-ed25519 AAAA test"], passwordHash: "$6$salt$hash" },
          ],
        },
      },
    };
    await stack.configs.create(ssh, { signal }).catch(() => undefined);
    // A layered node whose image stays the same: a layer-only change, no rebase, no reboot.
    await stack.annotate({
      [NodeAnnotations.desiredConfig]: "rendered-worker-ssh",
      [NodeAnnotations.desiredImage]: BASE_IMAGE,
    });
    stack.startDaemon();
    const node = await settled((n) => expect(ann(n, NodeAnnotations.currentImage)).toBe(BASE_IMAGE));
    expect(ann(node, NodeAnnotations.currentConfig)).toBe("rendered-worker-ssh");
    expect(await file("home/core/.ssh/authorized_keys.d/ignition")).toBe("ssh-ed25519 AAAA test\n");
    expect(await file("etc/shadow")).toContain("core:$6$salt$hash:19000");
    expect(stack.backend.ops()).toEqual([]);
    expect(stack.drains).toEqual([]);
  });

  it("writes the ControllerConfig trust bundle in place", async () => {
    stack = await startDaemonStack(api);
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const cc = stack.clients.resource<KubeObject>({
      group: "machineconfiguration.openshift.io",
      version: "v1",
      plural: "controllerconfigs",
      kind: "ControllerConfig",
      namespaced: false,
    });
    await cc.create(
      {
        metadata: { name: "machine-config-controller" },
        spec: {
          baseOSContainerImage: BASE_IMAGE,
          releaseImage: "",
          additionalTrustBundle: Buffer.from(pem).toString("base64"),
          proxy: null,
          images: {},
        },
      },
      { signal },
    );
    stack.startDaemon();
    try {
      await eventually(async () =>
        expect(await file("etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt")).toBe(pem),
      );
      expect(stack.drains).toEqual([]);
      expect(stack.backend.ops()).toEqual([]);
    } finally {
      await cc.delete("machine-config-controller", { signal });
    }
  });
});
