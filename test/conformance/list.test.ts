// §9.8 List: the <Kind>List shape, limit/continue with remainingItemCount, label selectors (as
// kubectl encodes them), field selectors per resource, and the ListOptions errors (400 and 422).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../../src/testing/api-server.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  createNamespace,
  expectStatus,
  installMachineConfigPoolCrd,
  MCO_GROUP,
  MCP_PATH,
  MERGE,
  mcp,
  pod,
} from "./helpers.ts";

const NS = "list-ns";
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const PODS = `/api/v1/namespaces/${NS}/pods`;

let api: TestApiServer;

async function names(path: string): Promise<string[]> {
  const res = await api.client.get(path);
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort();
}

beforeAll(async () => {
  api = await startTestApiServer();
  await createNamespace(api.client, NS);
  await createNamespace(api.client, "list-three");
  for (const name of ["c1", "c2", "c3"]) {
    expect(
      (await api.client.post("/api/v1/namespaces/list-three/configmaps", { metadata: { name } })).status,
    ).toBe(201);
  }
  await installMachineConfigPoolCrd(api.client);
  const labelled: [string, Record<string, string>][] = [
    ["demo-1", { app: "demo", tier: "web" }],
    ["demo-2", { app: "demo" }],
    ["other", { app: "other" }],
    ["bare", {}],
  ];
  for (const [name, labels] of labelled) {
    const res = await api.client.post(CM, { metadata: { name, labels } });
    expect(res.status, res.text).toBe(201);
  }
  for (const [name, node] of [
    ["p1", "n1"],
    ["p2", "n2"],
  ] as const) {
    const res = await api.client.post(
      PODS,
      pod(name, ["c1"], { spec: { nodeName: node, containers: [{ name: "c1", image: "x" }] } }),
    );
    expect(res.status, res.text).toBe(201);
  }
  for (const name of ["pool-a", "pool-b"])
    expect((await api.client.post(MCP_PATH, mcp(name))).status).toBe(201);
});
afterAll(async () => {
  await api?.close();
});

describe("list", () => {
  it("answers a <Kind>List with the current resourceVersion", async () => {
    const res = await api.client.get(CM);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json.kind).toBe("ConfigMapList");
    expect(res.json.apiVersion).toBe("v1");
    expect(res.json.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(res.json.metadata.continue).toBeUndefined();
    expect(res.json.items).toHaveLength(4);
    // Items carry their kind and apiVersion.
    expect(res.json.items[0]).toMatchObject({ kind: "ConfigMap", apiVersion: "v1" });
    const mcps = await api.client.get(MCP_PATH);
    expect(mcps.json).toMatchObject({ kind: "MachineConfigPoolList", apiVersion: `${MCO_GROUP}/v1` });
  });

  it("limit=2 of 3 → continue and remainingItemCount 1; the next page ends the list", async () => {
    const three = "/api/v1/namespaces/list-three/configmaps";
    const first = await api.client.get(`${three}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.metadata.continue).toEqual(expect.any(String));
    expect(first.json.metadata.remainingItemCount).toBe(1);
    const token = encodeURIComponent(first.json.metadata.continue);
    const second = await api.client.get(`${three}?limit=2&continue=${token}`);
    expect(second.status, second.text).toBe(200);
    expect(second.json.items).toHaveLength(1);
    expect(second.json.metadata.continue).toBeUndefined();
    expect(second.json.metadata.remainingItemCount).toBeUndefined();
    expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
    const all = [...first.json.items, ...second.json.items].map(
      (i: { metadata: { name: string } }) => i.metadata.name,
    );
    expect(all).toEqual(["c1", "c2", "c3"]);
  });

  // Kubernetes (etcd) reads every page at the first page's resourceVersion, so a later create is not listed.
  it("a continued list reads the first page's snapshot (later writes are not listed)", async () => {
    const path = "/api/v1/namespaces/list-three/configmaps";
    const first = await api.client.get(`${path}?limit=3`);
    expect(first.json.metadata.continue).toBeUndefined();
    const page = await api.client.get(`${path}?limit=2`);
    expect((await api.client.post(path, { metadata: { name: "zz-late" } })).status).toBe(201);
    try {
      const token = encodeURIComponent(page.json.metadata.continue);
      const rest = await api.client.get(`${path}?limit=2&continue=${token}`);
      expect(rest.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["c3"]);
      expect(rest.json.metadata.resourceVersion).toBe(page.json.metadata.resourceVersion);
    } finally {
      await api.client.delete(`${path}/zz-late`);
    }
  }, 30_000);

  it("an informer-style paged list stays one snapshot while another client writes", async () => {
    const ns = "list-paged";
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    await createNamespace(api.client, ns);
    const names = Array.from({ length: 300 }, (_, i) => `cm-${String(i).padStart(3, "0")}`);
    for (let start = 0; start < names.length; start += 25) {
      const batch = names.slice(start, start + 25);
      const created = await Promise.all(batch.map((name) => api.client.post(path, { metadata: { name } })));
      expect(created.map((res) => res.status)).toEqual(batch.map(() => 201));
    }
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const patched = await api.client.patch(
          `${path}/${names[(i * 7) % names.length]}`,
          { data: { v: `${i}` } },
          MERGE,
        );
        expect(patched.status, patched.text).toBe(200);
        expect((await api.client.post(path, { metadata: { name: `late-${i}` } })).status).toBe(201);
        writes++;
      }
    })();
    try {
      const pages: {
        metadata: { resourceVersion: string; continue?: string };
        items: { metadata: { name: string; resourceVersion: string } }[];
      }[] = [];
      let token: string | undefined;
      do {
        const query = token === undefined ? "" : `&continue=${encodeURIComponent(token)}`;
        const res = await api.client.get(`${path}?limit=50${query}`);
        expect(res.status, res.text).toBe(200);
        pages.push(res.json);
        token = res.json.metadata.continue;
        const before = writes;
        await eventually(() => expect(writes).toBeGreaterThan(before + 2), { timeoutMs: 20_000 });
      } while (token !== undefined);
      const listRv = Number(pages[0]?.metadata.resourceVersion);
      const items = pages.flatMap((page) => page.items);
      expect(pages.map((page) => page.metadata.resourceVersion)).toEqual(pages.map(() => `${listRv}`));
      expect(items.map((item) => item.metadata.name)).toEqual(names);
      expect(items.filter((item) => Number(item.metadata.resourceVersion) > listRv)).toEqual([]);
    } finally {
      writing = false;
      await writer;
    }
  }, 60_000);

  it("with a selector, pages still chain through continue (remainingItemCount is optional, as upstream)", async () => {
    const first = await api.client.get(`${CM}?labelSelector=app&limit=2`);
    expect(first.json.items).toHaveLength(2);
    const token = encodeURIComponent(first.json.metadata.continue);
    const second = await api.client.get(`${CM}?labelSelector=app&limit=2&continue=${token}`);
    expect(second.json.items).toHaveLength(1);
    expect(second.json.metadata.continue).toBeUndefined();
  });

  it("a continue token that does not parse → 400", async () => {
    expectStatus(await api.client.get(`${CM}?limit=2&continue=not-a-token`), 400, "BadRequest");
  });

  it.each([
    ["app+in+%28demo%29", ["demo-1", "demo-2"]],
    ["app%3Ddemo%2Ctier%3Dweb", ["demo-1"]],
    ["app%3D%3Ddemo", ["demo-1", "demo-2"]],
    ["%21app", ["bare"]],
    ["app%21%3Dother", ["bare", "demo-1", "demo-2"]],
    ["app+notin+%28demo%29", ["bare", "other"]],
    ["app", ["demo-1", "demo-2", "other"]],
    ["tier%3D", []],
  ])("labelSelector=%s", async (selector, expected) => {
    expect(await names(`${CM}?labelSelector=${selector}`)).toEqual(expected);
  });

  it("a label selector that does not parse → 400", async () => {
    expectStatus(await api.client.get(`${CM}?labelSelector=app+in+%28demo`), 400, "BadRequest");
    expectStatus(await api.client.get(`${CM}?labelSelector=${"k".repeat(64)}%3Dv`), 400, "BadRequest");
  });

  it("field selectors: metadata.name everywhere, spec.nodeName on pods, != and commas", async () => {
    expect(await names(`${CM}?fieldSelector=metadata.name%3Ddemo-2`)).toEqual(["demo-2"]);
    expect(await names(`${CM}?fieldSelector=metadata.name%21%3Ddemo-2%2Cmetadata.name%21%3Dbare`)).toEqual([
      "demo-1",
      "other",
    ]);
    expect(await names(`${MCP_PATH}?fieldSelector=metadata.name%3Dpool-b`)).toEqual(["pool-b"]);
    expect(await names(`/api/v1/pods?fieldSelector=spec.nodeName%3Dn1`)).toEqual(["p1"]);
    expect(await names(`${PODS}?fieldSelector=spec.nodeName%3Dn1%2Cstatus.phase%21%3DSucceeded`)).toEqual([
      "p1",
    ]);
    expect(
      await names(`/api/v1/configmaps?fieldSelector=metadata.namespace%3D${NS}&labelSelector=app%3Dother`),
    ).toEqual(["other"]);
  });

  it("an unsupported field → 400 field label not supported", async () => {
    const res = await api.client.get(`${CM}?fieldSelector=spec.nodeName%3Dn1`);
    expectStatus(res, 400, "BadRequest", /field label not supported: spec\.nodeName/);
    const cr = await api.client.get(`${MCP_PATH}?fieldSelector=spec.paused%3Dtrue`);
    expectStatus(cr, 400, "BadRequest", /field label not supported: spec\.paused/);
  });

  it("the same selector errors on a watch are HTTP 400, not a 200 stream", async () => {
    const res = await api.client.get(`${CM}?watch=true&fieldSelector=bogus%3Dx&timeoutSeconds=1`);
    expectStatus(res, 400, "BadRequest", /field label not supported: bogus/);
  });

  it("resourceVersionMatch without resourceVersion → 422 ListOptions", async () => {
    const res = await api.client.get(`${CM}?resourceVersionMatch=NotOlderThan`);
    expectStatus(res, 422, "Invalid");
    expect(res.json.details).toMatchObject({ group: "meta.k8s.io", kind: "ListOptions" });
    expect(res.json.details.causes[0].field).toBe("resourceVersionMatch");
  });

  it("Exact with resourceVersion 0, resourceVersionMatch with continue, sendInitialEvents on a list → 422", async () => {
    expectStatus(await api.client.get(`${CM}?resourceVersion=0&resourceVersionMatch=Exact`), 422, "Invalid");
    const first = await api.client.get(`${CM}?limit=1`);
    const token = encodeURIComponent(first.json.metadata.continue);
    expectStatus(
      await api.client.get(
        `${CM}?limit=1&continue=${token}&resourceVersion=1&resourceVersionMatch=NotOlderThan`,
      ),
      422,
      "Invalid",
    );
    expectStatus(await api.client.get(`${CM}?sendInitialEvents=true`), 422, "Invalid");
  });

  it("resourceVersion semantics: 0 and NotOlderThan answer; Exact at the current RV answers, an older one → 410", async () => {
    const current = (await api.client.get(CM)).json.metadata.resourceVersion;
    expect((await api.client.get(`${CM}?resourceVersion=0`)).status).toBe(200);
    expect(
      (await api.client.get(`${CM}?resourceVersion=${current}&resourceVersionMatch=NotOlderThan`)).status,
    ).toBe(200);
    const exact = await api.client.get(`${CM}?resourceVersion=${current}&resourceVersionMatch=Exact`);
    expect(exact.status).toBe(200);
    expect(exact.json.metadata.resourceVersion).toBe(current);
    expectStatus(await api.client.get(`${CM}?resourceVersion=1&resourceVersionMatch=Exact`), 410, "Expired");
  });

  it("an unknown resource → 404; a cluster-scoped list across a namespace path → 404", async () => {
    expectStatus(await api.client.get(`/api/v1/namespaces/${NS}/widgets`), 404, "NotFound");
    expectStatus(
      await api.client.get(`/apis/${MCO_GROUP}/v1/namespaces/${NS}/machineconfigpools`),
      404,
      "NotFound",
    );
  });
});
