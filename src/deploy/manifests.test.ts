import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { CRD_DIRECTORY, REGENERATE_COMMAND, renderCRDManifests } from "../api/crd-manifests.ts";
import type { KubeObject } from "../api/object.ts";
import { loadKubeClients } from "../runtime/kube-client.ts";
import { DEFAULT_IMAGE } from "./components.ts";
import { DEPLOY_DIRECTORY, deployObjects, renderDeployFiles } from "./manifests.ts";
import { inClusterKubeconfig } from "./workloads.ts";

const directory = resolve(import.meta.dirname, "../..", DEPLOY_DIRECTORY);
const HOW_TO_FIX = `deploy/ is out of date with src/deploy/; run \`${REGENERATE_COMMAND}\` and commit the result.`;
const crdSubdirectory = CRD_DIRECTORY.slice(DEPLOY_DIRECTORY.length + 1);
const expected = renderDeployFiles([...renderCRDManifests().keys()]);

function presentFiles(): string[] {
  const found: string[] = [];
  for (const name of readdirSync(directory)) {
    if (name === crdSubdirectory) continue;
    if (!statSync(join(directory, name)).isDirectory()) found.push(name);
    else for (const inner of readdirSync(join(directory, name))) found.push(`${name}/${inner}`);
  }
  return found.sort();
}

const images = (objects: KubeObject[]): string[] =>
  [...JSON.stringify(objects).matchAll(/"image":"([^"]+)"/g)].map((m) => m[1] ?? "");

describe("deploy/", () => {
  it("holds exactly the generated files besides crds/", () => {
    expect(presentFiles(), HOW_TO_FIX).toEqual([...expected.keys()].sort());
  });

  it.each([...expected.keys()])("%s matches the generated file", (name) => {
    const path = join(directory, name);
    expect(existsSync(path), `${name} is missing. ${HOW_TO_FIX}`).toBe(true);
    expect(readFileSync(path, "utf8") === expected.get(name), `${name} is stale. ${HOW_TO_FIX}`).toBe(true);
  });

  it("holds, in its YAML files, exactly the objects mob install applies", () => {
    const fromFiles = [...expected.entries()]
      .filter(([name]) => name.endsWith(".yaml") && name !== "kustomization.yaml")
      .flatMap(([, text]) => parseAllDocuments(text).map((doc) => doc.toJS() as KubeObject));
    const installed = deployObjects().filter((o) => o.kind !== "CustomResourceDefinition");
    expect(fromFiles).toEqual(installed);
  });

  it("lists every manifest and CRD in kustomization.yaml", () => {
    const kustomization = parseAllDocuments(expected.get("kustomization.yaml") ?? "")[0]?.toJS() as {
      resources: string[];
    };
    const yamlFiles = [...expected.keys()].filter((n) => n.endsWith(".yaml") && n !== "kustomization.yaml");
    const crds = [...renderCRDManifests().keys()].map((n) => `${crdSubdirectory}/${n}`);
    expect([...kustomization.resources].sort()).toEqual([...yamlFiles, ...crds].sort());
  });

  it("puts the namespace first and the CRDs before anything that could use them", () => {
    const kinds = deployObjects().map((o) => o.kind);
    expect(kinds[0]).toBe("Namespace");
    expect(kinds.lastIndexOf("CustomResourceDefinition")).toBeLessThan(kinds.indexOf("ServiceAccount"));
  });

  it("uses the given image in every workload", () => {
    expect(new Set(images(deployObjects()))).toEqual(new Set([DEFAULT_IMAGE]));
    expect(new Set(images(deployObjects({ image: "registry.example/mob:dev" })))).toEqual(
      new Set(["registry.example/mob:dev"]),
    );
    expect(images(deployObjects())).toHaveLength(3);
  });

  it("ships an in-cluster kubeconfig client-node reads: the pod's token file and CA", () => {
    const dir = mkdtempSync(join(tmpdir(), "mob-kubeconfig-"));
    try {
      const path = join(dir, "kubeconfig");
      writeFileSync(path, String((inClusterKubeconfig().data as Record<string, string>).kubeconfig));
      const { kubeConfig } = loadKubeClients(path);
      expect(kubeConfig.getCurrentCluster()).toMatchObject({
        server: "https://kubernetes.default.svc",
        caFile: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
      });
      expect(kubeConfig.getCurrentUser()?.authProvider).toEqual({
        name: "tokenFile",
        config: { tokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
