// OwnerReferencesPermissionEnforcement, enabled by default as OpenShift has it: a user who may write
// ConfigMaps but not delete them, nor update an owner's finalizers, is refused exactly as Kubernetes
// refuses them (messages of plugin/pkg/admission/gc), passes once RBAC grants what is missing; writes
// that leave ownerReferences alone are not checked; the admin passes; kubectl shows the 403; the
// checks are audited like requests.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditRecord } from "../../src/apiserver/auth/audit.ts";
import {
  bind,
  type Identity,
  kubeconfigWithToken,
  serviceAccountIdentity,
} from "../../src/apiserver/auth/test-identities.ts";
import type { ApiClient, ApiResponse } from "../../src/testing/api-client.ts";
import { startTestApiServer, type TestApiServer } from "../../src/testing/api-server.ts";
import { eventually } from "../../src/testing/eventually.ts";
import { kubectlFor } from "../../src/testing/kubectl.ts";
import { expectStatus, installCrd, MERGE, widgetCrd } from "./helpers.ts";

const NS = "owners";
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const WIDGETS = `/apis/example.com/v1/namespaces/${NS}/widgets`;
const ROLES = `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`;
const USER_AGENT = "owner-references-test";
const DEV = { kind: "ServiceAccount", name: "dev", namespace: NS };
const RBAC_WAIT = { timeoutMs: 10_000, intervalMs: 100 };

const FINALIZERS =
  "cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: , <nil>";
const DELETE = "cannot set an ownerRef on a resource you can't delete: , <nil>";

interface Owner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  blockOwnerDeletion?: boolean;
}

const forbidden = (name: string, why: string) => `configmaps "${name}" is forbidden: ${why}`;

describe("OwnerReferencesPermissionEnforcement admission", () => {
  const records: AuditRecord[] = [];
  let api: TestApiServer;
  let dev: Identity;
  let widget: Owner;
  let node: Owner;

  const headers = { "user-agent": USER_AGENT };
  const configMap = (name: string, ownerReferences: Owner[], labels: Record<string, string> = {}) => ({
    metadata: { name, labels, ownerReferences },
    data: { k: "v" },
  });
  const create = (client: ApiClient, name: string, owners: Owner[]): Promise<ApiResponse> =>
    client.post(CM, configMap(name, owners), { headers });
  const setOwners = (client: ApiClient, name: string, owners: Owner[]): Promise<ApiResponse> =>
    client.patch(`${CM}/${name}`, { metadata: { ownerReferences: owners } }, MERGE, { headers });

  async function role(name: string, rules: unknown[]): Promise<void> {
    const created = await api.client.post(ROLES, { metadata: { name }, rules });
    expect(created.status, created.text).toBe(201);
    await bind(api, { name, namespace: NS, roleKind: "Role", role: name }, DEV);
  }

  beforeAll(async () => {
    api = await startTestApiServer({ audit: (record) => records.push(record) });
    dev = await serviceAccountIdentity(api, NS, "dev");
    await installCrd(api.client, widgetCrd(), WIDGETS);
    const created = await api.client.post(WIDGETS, { metadata: { name: "w" }, spec: { size: 1 } });
    expect(created.status, created.text).toBe(201);
    widget = { apiVersion: "example.com/v1", kind: "Widget", name: "w", uid: created.json.metadata.uid };
    const nodeCreated = await api.client.post("/api/v1/nodes", { metadata: { name: "n1" } });
    expect(nodeCreated.status, nodeCreated.text).toBe(201);
    node = { apiVersion: "v1", kind: "Node", name: "n1", uid: nodeCreated.json.metadata.uid };
    await role("writer", [
      { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "get", "update", "patch"] },
    ]);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  }, 30_000);

  it("refuses blockOwnerDeletion without update on the owner's finalizers, with upstream's message", async () => {
    const refused = await create(dev.client, "blocking", [{ ...widget, blockOwnerDeletion: true }]);
    expectStatus(refused, 403, "Forbidden", forbidden("blocking", FINALIZERS));
    expect(refused.json.details).toEqual({ name: "blocking", kind: "configmaps" });
    const check = records.find(
      (r) =>
        r.userAgent === USER_AGENT &&
        r.attributes.kind === "resource" &&
        r.attributes.subresource === "finalizers",
    );
    expect(check).toMatchObject({
      user: `system:serviceaccount:${NS}:dev`,
      allowed: false,
      reason: forbidden("blocking", FINALIZERS),
      attributes: {
        verb: "update",
        group: "example.com",
        version: "v1",
        resource: "widgets",
        subresource: "finalizers",
        namespace: NS,
        name: "w",
      },
    });
  }, 20_000);

  it("lets a creator set a non-blocking reference, and skips updates that keep ownerReferences", async () => {
    expect((await create(dev.client, "plain", [widget])).status).toBe(201);
    const relabelled = await dev.client.patch(`${CM}/plain`, { metadata: { labels: { a: "b" } } }, MERGE);
    expect(relabelled.status, relabelled.text).toBe(200);
    const current = await dev.client.get(`${CM}/plain`);
    const replaced = await dev.client.put(`${CM}/plain`, { ...current.json, data: { k: "v2" } });
    expect(replaced.status, replaced.text).toBe(200);
  }, 20_000);

  it("refuses a change of ownerReferences by a user who may not delete the object", async () => {
    expect((await create(dev.client, "orphan", [])).status).toBe(201);
    expectStatus(
      await setOwners(dev.client, "orphan", [widget]),
      403,
      "Forbidden",
      forbidden("orphan", DELETE),
    );
    expectStatus(await setOwners(dev.client, "plain", []), 403, "Forbidden", forbidden("plain", DELETE));
    const check = records.find(
      (r) => !r.allowed && r.attributes.kind === "resource" && r.attributes.verb === "delete",
    );
    expect(check?.attributes).toEqual({
      kind: "resource",
      verb: "delete",
      group: "",
      version: "v1",
      resource: "configmaps",
      subresource: "",
      namespace: NS,
      name: "orphan",
    });
  }, 20_000);

  it("needs only delete for blockOwnerDeletion false; finalizers once it turns true", async () => {
    await role("deleter", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["delete"] }]);
    await eventually(async () => {
      expect((await setOwners(dev.client, "orphan", [{ ...widget, blockOwnerDeletion: false }])).status).toBe(
        200,
      );
    }, RBAC_WAIT);
    const blocking = await setOwners(dev.client, "orphan", [{ ...widget, blockOwnerDeletion: true }]);
    expectStatus(blocking, 403, "Forbidden", forbidden("orphan", FINALIZERS));
  }, 20_000);

  it("allows blockOwnerDeletion once a Role grants update on <owner>/finalizers", async () => {
    await role("finalizer", [
      { apiGroups: ["example.com"], resources: ["widgets/finalizers"], verbs: ["update"] },
    ]);
    await eventually(async () => {
      expect((await create(dev.client, "blocking", [{ ...widget, blockOwnerDeletion: true }])).status).toBe(
        201,
      );
    }, RBAC_WAIT);
    const turned = await setOwners(dev.client, "orphan", [{ ...widget, blockOwnerDeletion: true }]);
    expect(turned.status, turned.text).toBe(200);
    expect(turned.json.metadata.ownerReferences).toEqual([{ ...widget, blockOwnerDeletion: true }]);
    const allowed = records.filter(
      (r) => r.allowed && r.attributes.kind === "resource" && r.attributes.subresource === "finalizers",
    );
    expect(allowed.length).toBeGreaterThan(0);
  }, 20_000);

  it("asks a cluster-scoped owner's finalizers at the cluster scope, where a Role does not reach", async () => {
    await role("node-finalizers", [{ apiGroups: [""], resources: ["nodes/finalizers"], verbs: ["update"] }]);
    const refused = await create(dev.client, "on-node", [{ ...node, blockOwnerDeletion: true }]);
    expectStatus(refused, 403, "Forbidden", forbidden("on-node", FINALIZERS));
    const created = await api.client.post("/apis/rbac.authorization.k8s.io/v1/clusterroles", {
      metadata: { name: "node-finalizers" },
      rules: [{ apiGroups: [""], resources: ["nodes/finalizers"], verbs: ["update"] }],
    });
    expect(created.status, created.text).toBe(201);
    await bind(api, { name: "node-finalizers", roleKind: "ClusterRole", role: "node-finalizers" }, DEV);
    await eventually(async () => {
      expect((await create(dev.client, "on-node", [{ ...node, blockOwnerDeletion: true }])).status).toBe(201);
    }, RBAC_WAIT);
  }, 20_000);

  it("refuses blockOwnerDeletion on a kind the server does not serve; the admin passes", async () => {
    const gadget = {
      apiVersion: "example.com/v1",
      kind: "Gadget",
      name: "g",
      uid: "u-1",
      blockOwnerDeletion: true,
    };
    const refused = await create(dev.client, "gadget", [gadget]);
    expectStatus(
      refused,
      403,
      "Forbidden",
      forbidden(
        "gadget",
        'cannot set blockOwnerDeletion in this case because cannot find RESTMapping for APIVersion example.com/v1 Kind Gadget: no matches for kind "Gadget" in version "example.com/v1"',
      ),
    );
    expect((await create(api.client, "gadget", [gadget])).status).toBe(201);
    expect(
      (await create(api.client, "admin-blocking", [{ ...widget, blockOwnerDeletion: true }])).status,
    ).toBe(201);
    expect((await setOwners(api.client, "admin-blocking", [])).status).toBe(200);
  }, 20_000);

  it("shows kubectl the 403", async () => {
    const kubeconfig = await kubeconfigWithToken(api, dev.token, "dev-kubeconfig");
    const kubectl = await kubectlFor(kubeconfig);
    try {
      const namespace = await api.client.get(`/api/v1/namespaces/${NS}`);
      const owner = {
        apiVersion: "v1",
        kind: "Namespace",
        name: NS,
        uid: namespace.json.metadata.uid,
        blockOwnerDeletion: true,
      };
      const manifest = JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        ...configMap("kubectl", [owner]),
      });
      const result = await kubectl.run(["create", "-n", NS, "-f", "-"], { stdin: manifest });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `Error from server (Forbidden): error when creating "STDIN": ${forbidden("kubectl", FINALIZERS)}`,
      );
    } finally {
      await kubectl.close();
    }
  }, 30_000);
});
