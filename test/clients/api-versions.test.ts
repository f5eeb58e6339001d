// MachineOSConfig YAML from the v1alpha1 Technology Preview applies with kubectl and reads back as
// v1 (and as v1alpha1 when asked), stored once; invalid v1alpha1 input is refused with field paths.

import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startTestApiServer, type TestApiServer } from "../../src/testing/api-server.ts";
import { type Kubectl, kubectlFor } from "../../src/testing/kubectl.ts";

const EXAMPLE = resolve(import.meta.dirname, "../../examples/v1alpha1/machineosconfig.yaml");
const GROUP = "/apis/machineconfiguration.openshift.io";

let api: TestApiServer;
let kubectl: Kubectl;

beforeAll(async () => {
  api = await startTestApiServer({ installCrds: true });
  kubectl = await kubectlFor(api.server.kubeconfigPath);
});
afterAll(async () => {
  await kubectl?.close();
  await api?.close();
});

describe("MachineOSConfig v1alpha1 through kubectl", () => {
  it("applies the Technology Preview YAML and shows it in v1", async () => {
    expect(await kubectl.ok("apply", "-f", EXAMPLE)).toContain(
      "machineosconfig.machineconfiguration.openshift.io/layered created",
    );
    const v1 = parse(await kubectl.ok("get", "machineosconfig", "layered", "-o", "yaml"));
    expect(v1.apiVersion).toBe("machineconfiguration.openshift.io/v1");
    expect(v1.spec).toMatchObject({
      machineConfigPool: { name: "layered" },
      imageBuilder: { imageBuilderType: "Job" },
      baseImagePullSecret: { name: "global-pull-secret-copy" },
      renderedImagePushSecret: { name: "builder-dockercfg-7lzwl" },
      renderedImagePushSpec: "image-registry.openshift-image-registry.svc:5000/openshift/os-image:latest",
      containerFile: [
        { containerfileArch: "NoArch", content: expect.stringContaining("FROM configs AS final") },
      ],
    });
    expect(v1.spec.buildInputs).toBeUndefined();
  });

  it("re-applying the same v1alpha1 YAML changes nothing", async () => {
    expect(await kubectl.ok("apply", "-f", EXAMPLE)).toContain("unchanged");
  });

  it("reads back in v1alpha1 with the fields v1 cannot hold", async () => {
    const res = await api.client.get(`${GROUP}/v1alpha1/machineosconfigs/layered`);
    expect(res.status).toBe(200);
    expect(res.json.apiVersion).toBe("machineconfiguration.openshift.io/v1alpha1");
    expect(res.json.spec.buildOutputs).toEqual({
      currentImagePullSecret: { name: "builder-dockercfg-7lzwl" },
    });
    expect(res.json.spec.buildInputs.imageBuilder).toEqual({ imageBuilderType: "PodImageBuilder" });
    expect(res.json.spec.buildInputs.containerFile[0].containerfileArch).toBe("noarch");
  });

  it("refuses a v1alpha1 object the v1alpha1 schema rejects, naming the field", async () => {
    const bad = {
      apiVersion: "machineconfiguration.openshift.io/v1alpha1",
      kind: "MachineOSConfig",
      metadata: { name: "broken" },
      spec: {
        machineConfigPool: { name: "broken" },
        buildInputs: {
          imageBuilder: { imageBuilderType: "PodImageBuilder" },
          baseImagePullSecret: { name: "pull" },
          renderedImagePushSecret: { name: "push" },
          renderedImagePushspec: "foo.bar",
        },
      },
    };
    const res = await api.client.post(`${GROUP}/v1alpha1/machineosconfigs`, bad);
    expect(res.status).toBe(422);
    expect(res.json.details.causes.map((c: { field: string }) => c.field)).toContain(
      "spec.buildInputs.renderedImagePushspec",
    );
    expect((await api.client.get(`${GROUP}/v1/machineosconfigs/broken`)).status).toBe(404);
  });

  it("lists in either version", async () => {
    const v1 = await api.client.get(`${GROUP}/v1/machineosconfigs`);
    const alpha = await api.client.get(`${GROUP}/v1alpha1/machineosconfigs`);
    expect(v1.json.items.map((o: { apiVersion: string }) => o.apiVersion)).toEqual([
      "machineconfiguration.openshift.io/v1",
    ]);
    expect(alpha.json.items.map((o: { apiVersion: string }) => o.apiVersion)).toEqual([
      "machineconfiguration.openshift.io/v1alpha1",
    ]);
  });
});
