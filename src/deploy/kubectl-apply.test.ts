// Acceptance: deploy/ applies with the real kubectl (`apply -k`, kustomize built in) to mob's
// embedded API server with no CRDs installed, every object is accepted, kubectl lists the
// workloads and roles, and a second apply changes nothing.

import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";
import { type Kubectl, kubectlFor } from "../testing/kubectl.ts";
import { DEPLOY_NAMESPACE } from "./components.ts";
import { DEPLOY_DIRECTORY, deployObjects } from "./manifests.ts";

const deployDir = resolve(import.meta.dirname, "../..", DEPLOY_DIRECTORY);

/** What kubectl prints for an object: `<resource>.<group>/<name>` (no group for the core group). */
function kubectlName(object: ReturnType<typeof deployObjects>[number]): string {
  const group = (object.apiVersion ?? "").includes("/") ? (object.apiVersion ?? "").split("/")[0] : "";
  const resource = `${(object.kind ?? "").toLowerCase()}${group === "" ? "" : `.${group}`}`;
  return `${resource}/${object.metadata.name ?? ""}`;
}

describe("kubectl apply -k deploy/", { timeout: 60_000 }, () => {
  let api: TestApiServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    api = await startTestApiServer({ installCrds: false });
    kubectl = await kubectlFor(api.server.kubeconfigPath);
  });

  afterAll(async () => {
    await kubectl?.close();
    await api?.close();
  });

  it("creates every object, then leaves them unchanged", async () => {
    const first = await kubectl.run(["apply", "-k", deployDir], { timeoutMs: 45_000 });
    expect(first.code, first.stderr).toBe(0);
    const created = first.stdout.trim().split("\n").sort();
    const expected = deployObjects().map((o) => `${kubectlName(o)} created`);
    expect(created).toEqual(expected.sort());

    const second = await kubectl.run(["apply", "-k", deployDir], { timeoutMs: 45_000 });
    expect(second.code, second.stderr).toBe(0);
    const lines = second.stdout.trim().split("\n");
    expect(lines.filter((line) => !line.endsWith(" unchanged"))).toEqual([]);
    expect(lines).toHaveLength(created.length);
  });

  it("shows the workloads, the service and the roles", async () => {
    const workloads = await kubectl.ok(
      "get",
      "deployments,daemonsets,services",
      "-n",
      DEPLOY_NAMESPACE,
      "-o",
      "name",
    );
    expect(workloads.trim().split("\n").sort()).toEqual([
      "daemonset.apps/machine-config-daemon",
      "deployment.apps/machine-config-controller",
      "deployment.apps/machine-config-server",
      "service/machine-config-server",
    ]);
    const roles = await kubectl.ok(
      "get",
      "clusterroles",
      "-l",
      "app.kubernetes.io/part-of=mob",
      "-o",
      "name",
    );
    expect(roles.trim().split("\n").sort()).toEqual([
      "clusterrole.rbac.authorization.k8s.io/machine-config-controller",
      "clusterrole.rbac.authorization.k8s.io/machine-config-daemon",
      "clusterrole.rbac.authorization.k8s.io/machine-config-server",
      "clusterrole.rbac.authorization.k8s.io/machine-os-builder",
    ]);
    const table = await kubectl.ok("get", "service", "machine-config-server", "-n", DEPLOY_NAMESPACE);
    expect(table).toMatch(/^machine-config-server\s+ClusterIP\s+<none>\s+<none>\s+22623\/TCP\s+/m);
  });
});
