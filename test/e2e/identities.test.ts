// mob's embedded components run with deploy/'s identities and RBAC, proven from the API server's
// audit records over a real build and rollout: no request of a component is denied, nor any check
// OwnerReferencesPermissionEnforcement admission makes for it, each is made with its own identity
// (never the admin's), and every permission deploy/rbac grants is used by some request or admission
// check of its component — except the few the allow-list below explains. The master pool has no
// nodes, so six MachineConfigs created for it one by one render seven configs without a rollout, and
// render's garbage collection deletes all but five (render/gc.ts).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAnnotations } from "../../src/api/constants.ts";
import type { AuditRecord } from "../../src/apiserver/auth/audit.ts";
import { Groups, nodeNameOf, serviceAccountUserName } from "../../src/apiserver/auth/user.ts";
import {
  COMPONENT_ACCOUNTS,
  type Component,
  Components,
  DEPLOY_NAMESPACE,
} from "../../src/deploy/components.ts";
import {
  describePermission,
  type GrantedPermission,
  grantedPermissions,
  permissionAllows,
} from "../../src/deploy/granted-permissions.ts";
import type { AccessRequest } from "../../src/deploy/rbac-evaluator.ts";
import {
  componentUserAgent,
  SIMULATED_NODE_USER_AGENT,
} from "../../src/embedded/identities/component-clients.ts";
import { deployIdentityObjects } from "../../src/embedded/identities/deploy-rbac.ts";
import { fetchPoolConfig } from "../../src/server/client.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  annotation,
  createMosc,
  createPool,
  fileConfig,
  type LayeredImage,
  type RolloutStack,
  setRole,
  startRollout,
  waitDone,
  waitForImage,
} from "./rollout-harness.ts";

const POOL = "layered";
const MEMBER = "worker-0";
const MASTER = "master";
/** With the pool's first render, two more than render/gc.ts keeps (five). */
const MASTER_CONFIGS = 6;
const COMPONENTS = Object.values(Components) as Component[];

/**
 * Granted but not exercised by this scenario, and why; keyed like describePermission(). Each entry
 * must still be granted (checked), so the list cannot go stale silently.
 */
const CONTROLLER = "machine-config-controller ClusterRole";
const BUILDER = "machine-os-builder ClusterRole";
const BUILDER_NS = "machine-os-builder Role openshift-machine-config-operator";
const MCO = "machineconfiguration.openshift.io";
const CONFLICT = "only when a create finds the object already there (a write retried after a crash)";
const LEGACY =
  "the 4.14 opt-in controller (legacy/) writes it only for a pool labelled layering-enabled; this scenario uses the v1 API";
const REPEAT =
  "an Event is patched only when the same event about the same object repeats (runtime/events.ts); the daemon's and the builder's events here differ each time";
const NOT_EXERCISED: Record<string, string> = {
  [`${CONTROLLER}: get ${MCO}/machineconfigs`]: `render's base configs: ${CONFLICT}`,
  [`${CONTROLLER}: update ${MCO}/machineconfigs`]:
    "a base config 00-<role> is updated when the ControllerConfig changes after it was rendered; the stack seeds it before the controllers start",
  "machine-config-daemon Role default: patch core/events": REPEAT,
  "machine-os-builder Role default: patch core/events": REPEAT,
  [`${BUILDER}: get ${MCO}/machineosbuilds`]: CONFLICT,
  [`${BUILDER}: get ${MCO}/machineosconfigs`]:
    "read live only while the MachineOSConfig carries the rebuild annotation (build/converge.ts)",
  [`${BUILDER}: create ${MCO}/machineosconfigs`]: LEGACY,
  [`${BUILDER}: update ${MCO}/machineosconfigs`]: LEGACY,
  [`${BUILDER}: delete ${MCO}/machineosconfigs`]: LEGACY,
  [`${BUILDER}: patch ${MCO}/machineconfigpools`]: LEGACY,
  [`${BUILDER_NS}: get batch/jobs`]: `${CONFLICT}, or a Job missing from the informer's cache`,
  [`${BUILDER_NS}: get core/configmaps`]: `${CONFLICT}, or a digest the build pod no longer reports`,
  [`${BUILDER_NS}: update core/configmaps`]: `${CONFLICT}; and ${LEGACY}`,
  [`${BUILDER_NS}: update core/secrets`]: CONFLICT,
};

/** The pool's rendered config once it is another than `previous`. */
async function renderedAfter(r: RolloutStack, pool: string, previous: string): Promise<string> {
  return eventually(
    async () => {
      const name = (await r.pools.get(pool, { signal: r.signal })).spec.configuration?.name ?? "";
      expect(name).not.toBe("");
      expect(name).not.toBe(previous);
      return name;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

/** Renders the node-less master pool MASTER_CONFIGS more times, one MachineConfig at a time. */
async function renderMasterRepeatedly(r: RolloutStack): Promise<string> {
  let rendered = await renderedAfter(r, MASTER, "");
  for (let i = 0; i < MASTER_CONFIGS; i++) {
    const config = fileConfig(`60-identities-gc-${i}`, MASTER, `/etc/identities-gc-${i}.conf`, `${i}\n`);
    await r.configs.create(config, { signal: r.signal });
    rendered = await renderedAfter(r, MASTER, rendered);
  }
  return rendered;
}

/** Rendered configs the master pool controls, once garbage collection has kept only five. */
async function masterRenderedAfterGc(r: RolloutStack): Promise<string[]> {
  return eventually(
    async () => {
      const configs = (await r.configs.list({ signal: r.signal })).items;
      const owned = configs
        .filter((c) =>
          c.metadata.ownerReferences?.some((o) => o.kind === "MachineConfigPool" && o.name === MASTER),
        )
        .map((c) => c.metadata.name ?? "");
      expect(owned).toHaveLength(5);
      return owned;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

function componentOf(userAgent: string): Component | "node" | undefined {
  if (userAgent === SIMULATED_NODE_USER_AGENT) return "node";
  return COMPONENTS.find((component) => componentUserAgent(component) === userAgent);
}

function accessRequest(record: AuditRecord): AccessRequest | undefined {
  const a = record.attributes;
  if (a.kind !== "resource") return undefined;
  return {
    group: a.group,
    resource: a.resource,
    subresource: a.subresource === "" ? undefined : a.subresource,
    verb: a.verb,
    namespace: a.namespace === "" ? undefined : a.namespace,
    name: a.name === "" ? undefined : a.name,
  };
}

function describeRecord(record: AuditRecord): string {
  const a = record.attributes;
  const what =
    a.kind === "resource"
      ? `${a.verb} ${a.group}/${a.resource}${a.subresource ? `/${a.subresource}` : ""} ns=${a.namespace} name=${a.name}`
      : `${a.verb} ${a.path}`;
  return `${record.userAgent} as ${record.user}: ${what}${record.allowed ? "" : ` DENIED (${record.reason})`}`;
}

describe("embedded components run with deploy/'s identities and RBAC", () => {
  const records: AuditRecord[] = [];
  let r: RolloutStack;
  let layered: LayeredImage;
  let granted: GrantedPermission[];
  let lastMasterRender: string;
  let masterRenders: string[];

  beforeAll(async () => {
    granted = grantedPermissions(await deployIdentityObjects());
    r = await startRollout({ audit: (record) => records.push(record), leaderElection: true, masters: 0 });
    await r.configs.create(fileConfig("50-identities", POOL, "/etc/identities.conf", "audited\n"), {
      signal: r.signal,
    });
    await createPool(r, POOL);
    await createMosc(r, POOL);
    // While the image builds.
    lastMasterRender = await renderMasterRepeatedly(r);
    masterRenders = await masterRenderedAfterGc(r);
    layered = await waitForImage(r, POOL, 120_000);
    await setRole(r, MEMBER, POOL, true);
    await waitDone(r, MEMBER, layered.image, 120_000);
    const served = await fetchPoolConfig({
      serverUrl: r.stack.server.url,
      pool: POOL,
      caPem: r.stack.api.caCertPem,
      signal: r.signal,
    });
    expect(served).toHaveProperty("ignition");
    await r.moscs.delete(POOL, { signal: r.signal });
    const reverted = await waitDone(r, MEMBER, undefined, 120_000);
    expect(annotation(reverted, NodeAnnotations.currentConfig)).toBe(layered.config);
    await eventually(async () => expect((await r.mosbs.list({ signal: r.signal })).items).toEqual([]), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
  }, 300_000);
  afterAll(async () => {
    await r?.close();
  }, 60_000);

  it("denies no request of a mob component or simulated node", () => {
    const denied = records.filter((record) => componentOf(record.userAgent) !== undefined && !record.allowed);
    expect(denied.map(describeRecord)).toEqual([]);
  }, 10_000);

  it("passes every finalizers check of OwnerReferencesPermissionEnforcement, for each owner kind", () => {
    const checks = records.filter(
      (record) =>
        componentOf(record.userAgent) !== undefined &&
        record.attributes.kind === "resource" &&
        record.attributes.subresource === "finalizers",
    );
    expect(checks.filter((record) => !record.allowed).map(describeRecord)).toEqual([]);
    const owners = new Set(
      checks.map((record) => `${componentOf(record.userAgent)} ${accessRequest(record)?.resource}`),
    );
    expect([...owners].sort()).toEqual([
      `${Components.controller} controllerconfigs`,
      `${Components.controller} machineconfigpools`,
      `${Components.builder} machineosbuilds`,
      `${Components.builder} machineosconfigs`,
    ]);
  }, 10_000);

  it("garbage-collects the master pool's renders beyond five, keeping the current one", () => {
    expect(masterRenders).toContain(lastMasterRender);
  }, 10_000);

  it("makes every component's requests with its own identity, none with the admin's", () => {
    const wrong: string[] = [];
    const counts = new Map<string, number>();
    for (const record of records) {
      const component = componentOf(record.userAgent);
      if (component === undefined) continue;
      counts.set(component, (counts.get(component) ?? 0) + 1);
      const ok =
        component === "node"
          ? nodeNameOf({ name: record.user, groups: record.groups }) !== undefined &&
            !record.groups.includes(Groups.masters)
          : record.user === serviceAccountUserName(DEPLOY_NAMESPACE, COMPONENT_ACCOUNTS[component]);
      if (!ok) wrong.push(describeRecord(record));
    }
    expect(wrong).toEqual([]);
    // Each component (and the nodes) made requests, so the check above is not vacuous.
    expect([...counts.keys()].sort()).toEqual([...COMPONENTS, "node"].sort());
  }, 10_000);

  it("uses every permission deploy/rbac grants, except the explained ones", () => {
    const uses = granted.map((permission) => {
      const count = records.filter((record) => {
        const request = accessRequest(record);
        return (
          record.allowed &&
          request !== undefined &&
          componentOf(record.userAgent) === permission.component &&
          permissionAllows(permission, request)
        );
      }).length;
      return { permission: describePermission(permission), count };
    });
    const table = uses.map((u) => `${String(u.count).padStart(6)}  ${u.permission}`).join("\n");
    process.stdout.write(`granted permissions and their uses:\n${table}\n`);
    const unused = uses.filter((u) => u.count === 0 && NOT_EXERCISED[u.permission] === undefined);
    expect(unused.map((u) => u.permission)).toEqual([]);
    const described = new Set(uses.map((u) => u.permission));
    expect(Object.keys(NOT_EXERCISED).filter((key) => !described.has(key))).toEqual([]);
  }, 10_000);
});
