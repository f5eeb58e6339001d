import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MOB_CRDS } from "../api/crds.ts";
import { startTestApiServer, type TestApiServer } from "../testing/api-server.ts";

const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

function versions(list: {
  items: { metadata: { name: string; resourceVersion: string } }[];
}): Record<string, string> {
  return Object.fromEntries(list.items.map((crd) => [crd.metadata.name, crd.metadata.resourceVersion]));
}

describe("mob's CRDs at start", () => {
  let api: TestApiServer | undefined;
  let dir = "";
  afterEach(async () => {
    await api?.close();
    api = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("installs every CRD once, Established, and leaves them untouched on restart", async () => {
    dir = await mkdtemp(join(tmpdir(), "mob-crds-"));
    api = await startTestApiServer({ dir, installCrds: true });
    const first = (await api.client.get(CRDS)).json;
    expect(Object.keys(versions(first)).sort()).toEqual(MOB_CRDS.map((crd) => crd.metadata.name).sort());
    for (const crd of first.items) {
      expect(crd.status.conditions).toContainEqual(
        expect.objectContaining({ type: "Established", status: "True" }),
      );
    }
    await api.close();
    api = await startTestApiServer({ dir, installCrds: true });
    const second = (await api.client.get(CRDS)).json;
    expect(versions(second)).toEqual(versions(first));
    expect(
      (await api.client.get("/apis/machineconfiguration.openshift.io/v1/machineconfigpools")).status,
    ).toBe(200);
  });

  it("installs nothing with installCrds: false", async () => {
    api = await startTestApiServer({ installCrds: false });
    expect((await api.client.get(CRDS)).json.items).toEqual([]);
    expect(
      (await api.client.get("/apis/machineconfiguration.openshift.io/v1/machineconfigpools")).status,
    ).toBe(404);
  });
});
