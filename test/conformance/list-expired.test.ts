// A continued list whose snapshot has left the watch history: 410 Expired with Kubernetes' message
// and, in the Status' metadata, a continue token that lists the rest at the current state.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../../src/testing/api-server.ts";
import { createNamespace, expectStatus } from "./helpers.ts";

const NS = "list-expired";
const CM = `/api/v1/namespaces/${NS}/configmaps`;

let api: TestApiServer;

beforeAll(async () => {
  api = await startTestApiServer({ historyLimit: { events: 5, ageMs: 0 } });
  await createNamespace(api.client, NS);
  for (const name of ["a", "b", "c", "d", "e"]) {
    expect((await api.client.post(CM, { metadata: { name } })).status).toBe(201);
  }
});
afterAll(() => api?.close());

describe("a continue token older than the history", () => {
  it("→ 410 Expired with a token for the rest at the current state", async () => {
    const first = await api.client.get(`${CM}?limit=2`);
    expect(first.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["a", "b"]);
    for (let i = 0; i < 20; i++) {
      const res = await api.client.patch(
        `${CM}/e`,
        { data: { i: String(i) } },
        "application/merge-patch+json",
      );
      expect(res.status).toBe(200);
    }
    expect((await api.client.post(CM, { metadata: { name: "f" } })).status).toBe(201);
    const token = encodeURIComponent(first.json.metadata.continue);
    const stale = await api.client.get(`${CM}?limit=2&continue=${token}`);
    expectStatus(
      stale,
      410,
      "Expired",
      /^The provided continue parameter is too old to display a consistent list result\./,
    );
    const rest = stale.json.metadata.continue;
    expect(typeof rest).toBe("string");
    const names: string[] = [];
    let next: string | undefined = rest;
    while (next !== undefined) {
      const page = await api.client.get(`${CM}?limit=2&continue=${encodeURIComponent(next)}`);
      expect(page.status, page.text).toBe(200);
      names.push(...page.json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      next = page.json.metadata.continue;
    }
    // The rest as it is now: the object created after the first page is there.
    expect(names).toEqual(["c", "d", "e", "f"]);
  });
});
