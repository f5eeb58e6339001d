// Upstream scenario 21 on the embedded stack: an SSH key MachineConfig and a password MachineConfig
// for a layered pool are applied — the key is in core's authorized keys and the hash in /etc/shadow
// of the booted tree — both on a node already running the image and on a node joining later.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations } from "../../src/api/constants.ts";
import type { KubeObject } from "../../src/api/object.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  annotation,
  bootedFile,
  createMosc,
  createPool,
  type LayeredImage,
  type RolloutStack,
  setRole,
  startRollout,
  waitDone,
  waitForImage,
  waitPoolUpdated,
} from "./rollout-harness.ts";

const POOL = "accounts";
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMobE2eTestKeyForTheLayeredPool0000000000 e2e@mob";
const HASH =
  "$6$mobsalt$3mtmG0cmTeDrTK4HC/Ab8mF0l3R9c0/OkcEl8lCc3Y7U1l0e8d0Rm1pEtF0rT1Jw3d5kQmN2Cqk2j1uYp4mT1.";

function accountsConfig(name: string, user: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineConfig",
    metadata: { name, labels: { "machineconfiguration.openshift.io/role": POOL } },
    spec: { config: { ignition: { version: "3.4.0" }, passwd: { users: [{ name: "core", ...user }] } } },
  };
}

async function authorizedKeys(r: RolloutStack, node: string): Promise<string> {
  const dropin = await bootedFile(r, node, "/home/core/.ssh/authorized_keys.d/ignition");
  return dropin ?? (await bootedFile(r, node, "/home/core/.ssh/authorized_keys")) ?? "";
}

async function expectAccounts(r: RolloutStack, node: string): Promise<void> {
  expect(await authorizedKeys(r, node)).toContain(KEY);
  const shadow = (await bootedFile(r, node, "/etc/shadow")) ?? "";
  const core = shadow.split("\n").find((line) => line.startsWith("core:"));
  expect(core?.split(":")[1]).toBe(HASH);
  expect(shadow).toMatch(/^root:\*:/m);
}

describe("SSH key and password MachineConfigs on a layered pool (scenario 21)", () => {
  let r: RolloutStack;
  let first: LayeredImage;

  beforeAll(async () => {
    r = await startRollout({ workers: 2 });
    await createPool(r, POOL);
    await createMosc(r, POOL);
    first = await waitForImage(r, POOL);
    await setRole(r, "worker-0", POOL, true);
    await waitDone(r, "worker-0", first.image);
  }, 120_000);
  afterAll(async () => {
    await r?.close();
  }, 60_000);

  it("applies them to a node running the image", async () => {
    expect(await authorizedKeys(r, "worker-0")).not.toContain(KEY);
    await r.configs.create(accountsConfig("70-accounts-ssh", { sshAuthorizedKeys: [KEY] }), {
      signal: r.signal,
    });
    await r.configs.create(accountsConfig("71-accounts-password", { passwordHash: HASH }), {
      signal: r.signal,
    });
    const next = await eventually(
      async () => {
        const image = await waitForImage(r, POOL, 1_000);
        const node = await waitDone(r, "worker-0", image.image, 1_000);
        expect(annotation(node, NodeAnnotations.currentConfig)).toBe(image.config);
        expect(image.config).not.toBe(first.config);
        return image;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    await waitPoolUpdated(r, POOL);
    await expectAccounts(r, "worker-0");
    expect(next.config).toMatch(/^rendered-accounts-/);
  }, 110_000);

  it("applies them to a node that joins the pool afterwards", async () => {
    expect(await authorizedKeys(r, "worker-1")).not.toContain(KEY);
    await setRole(r, "worker-1", POOL, true);
    const image = await waitForImage(r, POOL);
    await waitDone(r, "worker-1", image.image);
    await expectAccounts(r, "worker-1");
  }, 90_000);
});
