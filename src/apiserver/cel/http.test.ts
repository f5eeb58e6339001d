import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";
import { eventually } from "../../testing/eventually.ts";
import { loadUpstream, MOSB_FILE, MOSC_FILE } from "./upstream.fixture.ts";

const GROUP = "/apis/machineconfiguration.openshift.io/v1";
const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const START = "2024-05-01T10:00:00Z";

let api: TestApiServer;

beforeAll(async () => {
  api = await startTestApiServer();
  for (const file of [MOSC_FILE, MOSB_FILE]) await applyCRD(loadUpstream(file));
  for (const plural of ["machineosconfigs", "machineosbuilds"]) {
    await eventually(async () =>
      expect((await api.client.request("GET", `${GROUP}/${plural}`)).status).toBe(200),
    );
  }
});

/** Creates the CRD, or replaces the one the server installed itself. */
async function applyCRD(crd: KubeObject): Promise<void> {
  const created = await api.client.request("POST", CRDS, { body: crd });
  if (created.status === 201) return;
  expect(created.status).toBe(409);
  const existing = await api.client.request("GET", `${CRDS}/${crd.metadata.name}`);
  const replaced = await api.client.request("PUT", `${CRDS}/${crd.metadata.name}`, {
    body: { ...crd, metadata: existing.json.metadata },
  });
  expect(replaced.status).toBe(200);
}

afterAll(async () => {
  await api.close();
});

function causes(json: { details?: { causes?: { field?: string; message: string }[] } }) {
  return (json.details?.causes ?? []).map((cause) => [cause.field ?? "", cause.message]).sort();
}

describe("CEL rules through the API", () => {
  it("rejects a MachineOSConfig with every violation listed", async () => {
    const body = {
      apiVersion: "machineconfiguration.openshift.io/v1",
      kind: "MachineOSConfig",
      metadata: { name: "other" },
      spec: {
        machineConfigPool: { name: "worker" },
        imageBuilder: { imageBuilderType: "Job" },
        renderedImagePushSecret: { name: "Bad_Secret" },
        renderedImagePushSpec: "foo.bar",
      },
    };
    const response = await api.client.request("POST", `${GROUP}/machineosconfigs`, { body });
    expect(response.status).toBe(422);
    expect(response.json.reason).toBe("Invalid");
    expect(causes(response.json)).toEqual(
      [
        [
          "",
          'Invalid value: "object": MachineOSConfig name must match the referenced MachineConfigPool name; can only have one MachineOSConfig per MachineConfigPool',
        ],
        [
          "spec.renderedImagePushSecret.name",
          `Invalid value: "string": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character.`,
        ],
        [
          "spec.renderedImagePushSpec",
          'Invalid value: "string": the OCI Image name should follow the host[:port][/namespace]/name format, resembling a valid URL without the scheme. Or it must be a valid .svc followed by a port, repository, image name, and tag.',
        ],
      ].sort(),
    );
    expect((await api.client.request("GET", `${GROUP}/machineosconfigs/other`)).status).toBe(404);
  });

  it("rejects a MachineOSBuild status update and keeps the stored object", async () => {
    const body = {
      apiVersion: "machineconfiguration.openshift.io/v1",
      kind: "MachineOSBuild",
      metadata: { name: "worker-build" },
      spec: {
        machineConfig: { name: "rendered-worker-abcd" },
        machineOSConfig: { name: "worker" },
        renderedImagePushSpec: "quay.io/mco/renderedImage:latest",
      },
    };
    const path = `${GROUP}/machineosbuilds/worker-build`;
    expect((await api.client.request("POST", `${GROUP}/machineosbuilds`, { body })).status).toBe(201);
    const created = (await api.client.request("GET", path)).json;
    const failed = {
      type: "Failed",
      status: "True",
      reason: "Failed",
      message: "",
      lastTransitionTime: START,
    };
    const first = await api.client.request("PUT", `${path}/status`, {
      body: { ...created, status: { conditions: [failed], buildStart: START } },
    });
    expect(first.status).toBe(200);

    const update = {
      ...first.json,
      status: {
        conditions: [{ ...failed, status: "False" }],
        buildStart: "2024-05-01T12:00:00Z",
        buildEnd: START,
      },
    };
    const rejected = await api.client.request("PUT", `${path}/status`, { body: update });
    expect(rejected.status).toBe(422);
    expect(causes(rejected.json)).toEqual(
      [
        ["status", 'Invalid value: "object": buildEnd must be after buildStart'],
        ["status.buildStart", 'Invalid value: "string": buildStart is immutable once set'],
        [
          "status.conditions",
          'Invalid value: "array": once a Failed condition is set, conditions are immutable',
        ],
      ].sort(),
    );
    const stored = await api.client.request("GET", path);
    expect(stored.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
    expect(stored.json.status).toEqual(first.json.status);

    const specChange = { ...first.json, spec: { ...first.json.spec, machineOSConfig: { name: "infra" } } };
    const immutable = await api.client.request("PUT", path, { body: specChange });
    expect(immutable.status).toBe(422);
    expect(causes(immutable.json)).toEqual([
      ["spec", 'Invalid value: "object": machineOSBuildSpec is immutable once set'],
    ]);
  });

  it("rejects a CRD whose rule does not compile", async () => {
    const crd = loadUpstream(MOSC_FILE);
    const broken = JSON.parse(JSON.stringify(crd).replace("self >= oldSelf", "self >= "));
    const path = `${CRDS}/machineosconfigs.machineconfiguration.openshift.io`;
    const stored = await api.client.request("GET", path);
    const invalid = await api.client.request("PUT", path, {
      body: { ...broken, metadata: stored.json.metadata },
    });
    expect(invalid.status).toBe(422);
    expect((await api.client.request("GET", path)).json.metadata.resourceVersion).toBe(
      stored.json.metadata.resourceVersion,
    );
    expect(JSON.stringify(invalid.json.details.causes)).toContain("compilation failed");
  });
});
