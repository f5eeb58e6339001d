import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";
import { type Kubectl, kubectlFor } from "../../testing/kubectl.ts";
import { bind, type Identity, kubeconfigWithToken, serviceAccountIdentity } from "./test-identities.ts";

const RBAC = "/apis/rbac.authorization.k8s.io/v1";
const USER = "system:serviceaccount:apps:dev";
const GROUPS = ["system:serviceaccounts", "system:serviceaccounts:apps", "system:authenticated"];

async function clusterRole(api: TestApiServer, name: string, body: Record<string, unknown>): Promise<void> {
  const response = await api.client.post(`${RBAC}/clusterroles`, { metadata: { name }, ...body });
  if (response.status !== 201) throw new Error(response.text);
}

type Review = Record<string, string>;

describe("RBAC authorization", () => {
  let api: TestApiServer;
  let dev: Identity;

  async function allowed(attributes: Review, nonResource = false): Promise<boolean> {
    const spec = nonResource ? { nonResourceAttributes: attributes } : { resourceAttributes: attributes };
    const response = await api.client.post("/apis/authorization.k8s.io/v1/subjectaccessreviews", {
      spec: { ...spec, user: USER, groups: GROUPS },
    });
    expect(response.status).toBe(201);
    return response.json.status.allowed;
  }

  beforeAll(async () => {
    api = await startTestApiServer();
    dev = await serviceAccountIdentity(api, "apps", "dev");
    await api.client.post("/api/v1/namespaces", { metadata: { name: "other" } });
    const sa = { kind: "ServiceAccount", name: "dev", namespace: "apps" };
    await clusterRole(api, "pod-reader", {
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }],
    });
    await bind(api, { name: "pods", namespace: "apps", roleKind: "ClusterRole", role: "pod-reader" }, sa);
    await clusterRole(api, "logs-and-status", {
      rules: [
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
        { apiGroups: ["*"], resources: ["*/status"], verbs: ["update"] },
      ],
    });
    await bind(api, { name: "logs", roleKind: "ClusterRole", role: "logs-and-status" }, sa);
    const role = await api.client.post(`${RBAC}/namespaces/apps/roles`, {
      metadata: { name: "cm" },
      rules: [
        { apiGroups: [""], resources: ["configmaps"], verbs: ["create"] },
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "update"], resourceNames: ["allowed"] },
        { apiGroups: ["apps"], resources: ["*"], verbs: ["*"] },
      ],
    });
    expect(role.status).toBe(201);
    await bind(api, { name: "cm", namespace: "apps", roleKind: "Role", role: "cm" }, sa);
    await clusterRole(api, "metrics", {
      rules: [{ nonResourceURLs: ["/metrics", "/logs/*"], verbs: ["get"] }],
    });
    await bind(
      api,
      { name: "metrics", roleKind: "ClusterRole", role: "metrics" },
      { kind: "Group", name: "system:serviceaccounts:apps", apiGroup: "rbac.authorization.k8s.io" },
    );
    await clusterRole(api, "aggregate", {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate": "true" } }] },
    });
    await clusterRole(api, "part-secrets", {
      metadata: { name: "part-secrets", labels: { "example.com/aggregate": "true" } },
      rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }],
    });
    await bind(
      api,
      { name: "aggregate", roleKind: "ClusterRole", role: "aggregate" },
      { kind: "User", name: USER, apiGroup: "rbac.authorization.k8s.io" },
    );
  });
  afterAll(async () => {
    await api.close();
  });

  it.each([
    [
      "ClusterRole through a RoleBinding: its namespace",
      { verb: "list", resource: "pods", namespace: "apps" },
      true,
    ],
    [
      "ClusterRole through a RoleBinding: not elsewhere",
      { verb: "list", resource: "pods", namespace: "other" },
      false,
    ],
    ["ClusterRole through a RoleBinding: not cluster-wide", { verb: "list", resource: "pods" }, false],
    ["verb not granted", { verb: "delete", resource: "pods", namespace: "apps", name: "x" }, false],
    [
      "subresource granted by name",
      { verb: "get", resource: "pods", subresource: "log", namespace: "other" },
      true,
    ],
    ["subresource does not grant the resource", { verb: "get", resource: "pods", namespace: "other" }, false],
    [
      "resource does not grant subresources",
      { verb: "get", resource: "pods", subresource: "exec", namespace: "apps" },
      false,
    ],
    [
      "*/status in any group",
      { verb: "update", group: "apps", resource: "deployments", subresource: "status" },
      true,
    ],
    [
      "Role: create without resourceNames",
      { verb: "create", resource: "configmaps", namespace: "apps" },
      true,
    ],
    [
      "Role: named object",
      { verb: "update", resource: "configmaps", namespace: "apps", name: "allowed" },
      true,
    ],
    [
      "Role: other object",
      { verb: "update", resource: "configmaps", namespace: "apps", name: "other" },
      false,
    ],
    ["Role: list with resourceNames", { verb: "list", resource: "configmaps", namespace: "apps" }, false],
    ["Role: only its namespace", { verb: "create", resource: "configmaps", namespace: "other" }, false],
    [
      "wildcard resources and verbs",
      { verb: "deletecollection", group: "apps", resource: "daemonsets", namespace: "apps" },
      true,
    ],
    [
      "wildcard limited to its group",
      { verb: "delete", group: "batch", resource: "jobs", namespace: "apps", name: "j" },
      false,
    ],
    ["aggregated ClusterRole", { verb: "list", resource: "secrets", namespace: "other" }, true],
    [
      "bootstrap: self access reviews",
      { verb: "create", group: "authorization.k8s.io", resource: "selfsubjectaccessreviews" },
      true,
    ],
  ])("%s", async (_name, attributes, expected) => {
    expect(await allowed(attributes)).toBe(expected);
  });

  it.each([
    ["/metrics", true],
    ["/logs/kubelet", true],
    ["/logs", false],
    ["/apis/apps/v1", true],
    ["/openapi/v3", true],
    ["/debug/pprof", false],
  ])("non-resource URL %s", async (path, expected) => {
    expect(await allowed({ verb: "get", path }, true)).toBe(expected);
  });

  it("computes aggregated rules when a new labelled ClusterRole appears", async () => {
    const review = { verb: "get", group: "batch", resource: "jobs", namespace: "apps", name: "j" };
    expect(await allowed(review)).toBe(false);
    await clusterRole(api, "part-jobs", {
      metadata: { name: "part-jobs", labels: { "example.com/aggregate": "true" } },
      rules: [{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["get"] }],
    });
    expect(await allowed(review)).toBe(true);
  });

  it("enforces the decisions on requests, with Kubernetes' 403", async () => {
    expect((await dev.client.get("/api/v1/namespaces/apps/pods")).status).toBe(200);
    const denied = await dev.client.get("/api/v1/namespaces/other/pods");
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `pods is forbidden: User "${USER}" cannot list resource "pods" in API group "" in the namespace "other"`,
      reason: "Forbidden",
      details: { kind: "pods" },
      code: 403,
    });
    const named = await dev.client.get("/api/v1/namespaces/apps/configmaps/other");
    expect(named.json.message).toBe(
      `configmaps "other" is forbidden: User "${USER}" cannot get resource "configmaps" in API group "" in the namespace "apps"`,
    );
    expect(named.json.details).toEqual({ name: "other", kind: "configmaps" });
    const log = await dev.client.get("/api/v1/namespaces/apps/pods/p/exec");
    expect(log.json.message).toBe(
      `pods "p" is forbidden: User "${USER}" cannot get resource "pods/exec" in API group "" in the namespace "apps"`,
    );
    const cluster = await dev.client.get("/apis/apps/v1/deployments");
    expect(cluster.json.message).toBe(
      `deployments.apps is forbidden: User "${USER}" cannot list resource "deployments" in API group "apps" at the cluster scope`,
    );
    expect(cluster.json.details).toEqual({ group: "apps", kind: "deployments" });
    const path = await dev.client.get("/debug/pprof");
    expect(path.status).toBe(403);
    expect(path.json.message).toBe(`forbidden: User "${USER}" cannot get path "/debug/pprof"`);
    expect((await dev.client.get("/apis")).status).toBe(200);
    expect((await dev.client.get("/api/v1/namespaces/apps/pods?watch=true&timeoutSeconds=1")).status).toBe(
      403,
    );
  });

  it("answers kubectl auth can-i for a ServiceAccount's kubeconfig", async () => {
    let kubectl: Kubectl | undefined;
    try {
      kubectl = await kubectlFor(await kubeconfigWithToken(api, dev.token, "dev.kubeconfig"));
      const yes = await kubectl.run(["auth", "can-i", "create", "configmaps", "-n", "apps"]);
      expect(yes).toMatchObject({ code: 0, stdout: "yes\n" });
      const no = await kubectl.run(["auth", "can-i", "create", "configmaps", "-n", "other"]);
      expect(no.code).toBe(1);
      expect(no.stdout.trim()).toBe("no");
      const denied = await kubectl.run(["get", "configmaps", "-n", "other"]);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain(
        `configmaps is forbidden: User "${USER}" cannot list resource "configmaps" in API group "" in the namespace "other"`,
      );
    } finally {
      await kubectl?.close();
    }
  });
});
