// Patches Kubernetes refuses before it writes anything, as it refuses them. A merge patch of `null`
// is a 400 "Invalid JSON Patch", any other non-object result a 422 with one cause on the field
// `patch` (it used to be a 422 without causes, `is invalid: []`); a patch may not rename the
// object (it used to be ignored); a strategic merge patch of a custom resource is a 415 even
// with force=true (it used to be the 422 about force).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";

const MC = "/apis/machineconfiguration.openshift.io/v1/machineconfigs";
const CM = "/api/v1/namespaces/default/configmaps";
const MERGE = "application/merge-patch+json";
const JSON_PATCH = "application/json-patch+json";
const STRATEGIC = "application/strategic-merge-patch+json";
const APPLY = "application/apply-patch+yaml";
const CAUSE =
  'Invalid value: "bool": json: cannot unmarshal bool into Go value of type map[string]interface {}';

let api: TestApiServer;

beforeAll(async () => {
  api = await startTestApiServer({ installCrds: true });
  const mc = { metadata: { name: "patched" }, spec: { config: { ignition: { version: "3.4.0" } } } };
  expect((await api.client.post(MC, mc)).status).toBe(201);
  expect(
    (await api.client.post(CM, { metadata: { name: "secretive" }, data: { password: "hunter2" } })).status,
  ).toBe(201);
});

afterAll(async () => {
  await api?.close();
});

describe("patches Kubernetes refuses before writing", () => {
  it("a merge patch that is a scalar or a list → 422 with a cause on `patch`", async () => {
    for (const [body, type] of [
      ["true", "bool"],
      ["[1]", "array"],
      ['"x"', "string"],
      ["5", "number"],
    ]) {
      const res = await api.client.patch(`${MC}/patched`, body, MERGE);
      expect(res.status, body).toBe(422);
      const message = `Invalid value: "${type}": json: cannot unmarshal ${type} into Go value of type map[string]interface {}`;
      expect(res.json).toEqual({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: ` "" is invalid: patch: ${message}`,
        reason: "Invalid",
        details: { causes: [{ reason: "FieldValueInvalid", message, field: "patch" }] },
        code: 422,
      });
    }
  });

  it("a merge patch of null → 400 Invalid JSON Patch", async () => {
    const res = await api.client.patch(`${MC}/patched`, "null", MERGE);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      kind: "Status",
      reason: "BadRequest",
      message: "Invalid JSON Patch",
      code: 400,
    });
  });

  it("a JSON patch that replaces the root with a stored value → 422 that does not echo the value", async () => {
    const res = await api.client.patch(
      `${CM}/secretive`,
      [{ op: "copy", from: "/data/password", path: "" }],
      JSON_PATCH,
    );
    expect(res.status).toBe(422);
    expect(res.json.details.causes).toEqual([
      { reason: "FieldValueInvalid", message: CAUSE.replaceAll("bool", "string"), field: "patch" },
    ]);
    expect(res.text).not.toContain("hunter2");
    const replaced = await api.client.patch(
      `${MC}/patched`,
      [{ op: "replace", path: "", value: true }],
      JSON_PATCH,
    );
    expect(replaced.json.details.causes).toEqual([
      { reason: "FieldValueInvalid", message: CAUSE, field: "patch" },
    ]);
  });

  it("a patch that renames the object → 400, whatever the patch type", async () => {
    const applied = JSON.stringify({
      apiVersion: "machineconfiguration.openshift.io/v1",
      kind: "MachineConfig",
      metadata: { name: "other" },
    });
    const attempts: [string, unknown, string, string][] = [
      [`${MC}/patched`, { metadata: { name: "other" } }, MERGE, "other"],
      [`${MC}/patched`, [{ op: "remove", path: "/metadata/name" }], JSON_PATCH, ""],
      [`${CM}/secretive`, { metadata: { name: "Other_Name" } }, MERGE, "Other_Name"],
      [`${MC}/patched?fieldManager=fuzz`, applied, APPLY, "other"],
      [`${MC}/absent?fieldManager=fuzz`, applied, APPLY, "other"],
    ];
    for (const [path, body, type, patched] of attempts) {
      const res = await api.client.patch(path, body, type);
      const name = path.split("/").at(-1)?.split("?")[0];
      expect([res.status, res.json.reason, res.json.message], path).toEqual([
        400,
        "BadRequest",
        `the name of the object (${patched}) does not match the name on the URL (${name})`,
      ]);
    }
    expect((await api.client.get(`${MC}/absent`)).status).toBe(404);
    expect((await api.client.get(`${MC}/other`)).status).toBe(404);
  });

  it("a strategic merge patch of a custom resource → 415, also with force=true", async () => {
    for (const query of ["", "?force=true"]) {
      const res = await api.client.patch(`${MC}/patched${query}`, { metadata: {} }, STRATEGIC);
      expect([res.status, res.json.reason], query).toEqual([415, "UnsupportedMediaType"]);
    }
  });

  it("an apply configuration for another group/version → 400 naming both (also when it would create)", async () => {
    for (const [name, apiVersion] of [
      ["patched", "v1"],
      ["patched", "machineconfiguration.openshift.io/v2"],
      ["absent", undefined],
    ] as const) {
      const body = { apiVersion, kind: "MachineConfig", metadata: { name, labels: { a: "b" } } };
      const res = await api.client.patch(`${MC}/${name}?fieldManager=fuzz`, body, APPLY);
      expect([res.status, res.json.message], name).toEqual([
        400,
        `Incorrect version specified in apply patch. Specified patch version: ${apiVersion ?? ""}, expected: machineconfiguration.openshift.io/v1`,
      ]);
    }
    expect((await api.client.get(`${MC}/absent`)).status).toBe(404);
    const applied = { apiVersion: "machineconfiguration.openshift.io/v1", kind: "MachineConfig" };
    const ok = await api.client.patch(
      `${MC}/patched?fieldManager=fuzz`,
      { ...applied, metadata: { name: "patched", labels: { applied: "yes" } } },
      APPLY,
    );
    expect(ok.status).toBe(200);
    const undo = { ...applied, metadata: { name: "patched" } };
    expect((await api.client.patch(`${MC}/patched?fieldManager=fuzz`, undo, APPLY)).status).toBe(200);
  });

  it("leaves the objects unchanged", async () => {
    const mc = await api.client.get(`${MC}/patched`);
    expect(mc.json.spec).toEqual({ config: { ignition: { version: "3.4.0" } } });
    expect(mc.json.metadata.generation).toBe(1);
    expect((await api.client.get(`${CM}/secretive`)).json.data).toEqual({ password: "hunter2" });
  });
});
