// Bad input: malformed bodies, schema violations, oversize bodies, unknown resources, stale versions
// and unsupported media types each get the right 4xx Status; a rejected write changes nothing and
// emits no watch event; and a bounded, seeded fuzz of create/update/patch never gets a 5xx or a
// dropped connection and leaves pre-existing objects byte-identical.

import { describe, expect, it } from "vitest";
import type { ApiResponse } from "../../src/testing/api-client.ts";
import {
  APPLY,
  createNamespace,
  expectStatus,
  JSON_PATCH,
  MCO_GROUP,
  MCP_PATH,
  MERGE,
  mcp,
  pod,
  STRATEGIC,
  useApiServer,
} from "./helpers.ts";

const NS = "bad-ns";
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const PROTOBUF = "application/vnd.kubernetes.protobuf";

const api = useApiServer({ namespaces: [NS], machineConfigPools: true });

describe("bad input", () => {
  it("malformed JSON → 400 Status", async () => {
    const res = await api.client.post(CM, '{"metadata": {"name": "x"');
    expectStatus(res, 400, "BadRequest");
    expect((await api.client.get(`${CM}/x`)).status).toBe(404);
  });

  it("malformed YAML → 400 Status", async () => {
    const res = await api.client.post(CM, "metadata:\n  name: [x\n", { contentType: "application/yaml" });
    expectStatus(res, 400, "BadRequest");
  });

  it("well-formed YAML is accepted", async () => {
    const res = await api.client.post(CM, "metadata:\n  name: from-yaml\ndata:\n  a: b\n", {
      contentType: "application/yaml",
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.data).toEqual({ a: "b" });
  });

  it("a body that is not an object, or an empty body → 400", async () => {
    expectStatus(await api.client.post(CM, "[1,2]"), 400, "BadRequest");
    expectStatus(await api.client.post(CM, '"text"'), 400, "BadRequest");
    expectStatus(await api.client.post(CM, "null"), 400, "BadRequest");
    expectStatus(await api.client.post(CM, ""), 400, "BadRequest");
    expectStatus(await api.client.post(CM, { metadata: "x" }), 400, "BadRequest");
  });

  it("schema violations on a CR → 422 Invalid with a cause per field", async () => {
    const res = await api.client.post(
      MCP_PATH,
      mcp("bad-schema", { spec: { paused: "yes", maxUnavailable: { a: 1 } } }),
    );
    expectStatus(res, 422, "Invalid", /^MachineConfigPool "bad-schema" is invalid: \[/);
    expect(res.json.details).toMatchObject({
      name: "bad-schema",
      group: MCO_GROUP,
      kind: "MachineConfigPool",
    });
    const fields = res.json.details.causes.map((c: { field: string }) => c.field).sort();
    expect(fields).toEqual(["spec.maxUnavailable", "spec.paused"]);
    expect(res.json.details.causes[0].reason).toMatch(/^FieldValue/);
    const missingSpec = await api.client.post(MCP_PATH, { metadata: { name: "no-spec" } });
    expectStatus(missingSpec, 422, "Invalid", 'MachineConfigPool "no-spec" is invalid: spec: Required value');
    expect(missingSpec.json.details.causes).toEqual([
      { reason: "FieldValueRequired", message: "Required value", field: "spec" },
    ]);
    expect((await api.client.get(`${MCP_PATH}/bad-schema`)).status).toBe(404);
  });

  it("built-in validation → 422 with field causes (name, data keys, labels, pod containers)", async () => {
    const name = await api.client.post(CM, { metadata: { name: "Bad_Name" } });
    expectStatus(
      name,
      422,
      "Invalid",
      /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/,
    );
    expect(name.json.details.causes).toEqual([
      expect.objectContaining({ field: "metadata.name", reason: "FieldValueInvalid" }),
    ]);
    const key = await api.client.post(CM, { metadata: { name: "badkey" }, data: { "a b": "x" } });
    expectStatus(key, 422, "Invalid");
    expect(key.json.details.causes[0].field).toBe("data[a b]");
    const labels = await api.client.post(CM, { metadata: { name: "badlabel", labels: { "bad key!": "x" } } });
    expectStatus(labels, 422, "Invalid");
    expect(labels.json.details.causes[0].field).toBe("metadata.labels");
    const noContainers = await api.client.post(PODS, { metadata: { name: "p" }, spec: { containers: [] } });
    expectStatus(noContainers, 422, "Invalid");
    expect(noContainers.json.details.causes[0]).toMatchObject({
      field: "spec.containers",
      reason: "FieldValueRequired",
    });
  });

  it("a wrongly typed ConfigMap value is rejected (Kubernetes cannot decode it), not stored", async () => {
    const res = await api.client.post(CM, { metadata: { name: "numeric" }, data: { a: 1 } });
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.json).toMatchObject({ kind: "Status", status: "Failure" });
    expect(res.json.message).toContain("data");
    expect((await api.client.get(`${CM}/numeric`)).status).toBe(404);
  });

  it("a body over 3 MiB → 413 RequestEntityTooLarge", async () => {
    const res = await api.client.post(CM, {
      metadata: { name: "big" },
      data: { a: "x".repeat(3 * 1024 * 1024) },
    });
    expectStatus(res, 413, "RequestEntityTooLarge");
    expect((await api.client.get(`${CM}/big`)).status).toBe(404);
    // The connection-level limit applies to patches too.
    await api.client.post(CM, { metadata: { name: "patched-big" } });
    const patch = await api.client.patch(
      `${CM}/patched-big`,
      { data: { a: "y".repeat(3 * 1024 * 1024 + 1) } },
      MERGE,
    );
    expectStatus(patch, 413, "RequestEntityTooLarge");
  });

  it("unknown resources, groups and versions → 404 Status", async () => {
    expectStatus(await api.client.get(`/api/v1/namespaces/${NS}/gizmos`), 404, "NotFound");
    expectStatus(
      await api.client.post(`/api/v1/namespaces/${NS}/gizmos`, { metadata: { name: "g" } }),
      404,
      "NotFound",
    );
    expectStatus(await api.client.get("/apis/nope.example.com/v1/things"), 404, "NotFound");
    expectStatus(await api.client.get(`/apis/${MCO_GROUP}/v9/machineconfigpools`), 404, "NotFound");
    expectStatus(await api.client.get(`${CM}/a/b/c`), 404, "NotFound");
    expectStatus(await api.client.get("/not/an/api/path"), 404, "NotFound");
  });

  it("a wrong resourceVersion on update → 409 Conflict", async () => {
    const created = await api.client.post(CM, { metadata: { name: "rv" }, data: { a: "1" } });
    const res = await api.client.put(`${CM}/rv`, {
      ...created.json,
      metadata: { ...created.json.metadata, resourceVersion: "1" },
    });
    expectStatus(
      res,
      409,
      "Conflict",
      /^Operation cannot be fulfilled on configmaps "rv": the object has been modified/,
    );
  });

  it("a resourceVersion that is not a number → 4xx, never 500", async () => {
    const created = await api.client.post(CM, { metadata: { name: "rv-text" } });
    const put = await api.client.put(`${CM}/rv-text`, {
      ...created.json,
      metadata: { ...created.json.metadata, resourceVersion: "abc" },
    });
    expect(put.status).toBe(409);
    const watch = await api.client.get(`${CM}?watch=true&resourceVersion=abc&timeoutSeconds=1`);
    expect(watch.status === 400 || (watch.status === 200 && watch.text.includes('"ERROR"'))).toBe(true);
  });

  // kube-apiserver answers this with a 500 from its watch cache (kubernetes/kubernetes#139485); a
  // client's mistake is a 400 here.
  it("a list with a non-numeric resourceVersion → 400", async () => {
    for (const version of ["abc", "-1", "1.5", "0x10"]) {
      const res = await api.client.get(`${CM}?resourceVersion=${encodeURIComponent(version)}`);
      expectStatus(res, 400, "BadRequest");
      expect(res.json.message).toContain(`Invalid value: "${version}"`);
    }
    expect((await api.client.get(`${CM}?resourceVersion=0`)).status).toBe(200);
  });

  it("a protobuf body of a kind mob does not decode → 415 naming the kind and the accepted media types", async () => {
    // runtime.Unknown{typeMeta: {apiVersion: "coordination.k8s.io/v1", kind: "Lease"}} after the "k8s\0" prefix.
    const lease = "k8s\u0000\n\u001f\n\u0016coordination.k8s.io/v1\u0012\u0005Lease";
    const res = await api.client.post(CM, lease, { contentType: PROTOBUF });
    expectStatus(
      res,
      415,
      "UnsupportedMediaType",
      'the body of the request was in an unknown format - protobuf bodies of kind "Lease" in "coordination.k8s.io/v1" are not decoded; accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (for v1 Namespace, v1 ConfigMap, v1 Secret, v1 ServiceAccount, batch/v1 Job, authorization.k8s.io/v1 SelfSubjectAccessReview, authorization.k8s.io/v1 SubjectAccessReview, authentication.k8s.io/v1 TokenRequest)',
    );
    const put = await api.client.put(`${CM}/rv`, "k8s\u0000", { contentType: PROTOBUF });
    expectStatus(put, 415, "UnsupportedMediaType");
  });

  it("a rejected write changes nothing and emits no watch event", async () => {
    const created = await api.client.post(CM, {
      metadata: { name: "guarded", labels: { a: "b" } },
      data: { k: "v" },
    });
    expect(created.status).toBe(201);
    const before = (await api.client.get(`${CM}/guarded`)).text;
    const watch = await api.client.watch(
      `${CM}?watch=true&resourceVersion=${created.json.metadata.resourceVersion}`,
    );
    try {
      const stale = { ...created.json, metadata: { ...created.json.metadata, resourceVersion: "1" } };
      const bad: [string, Promise<ApiResponse>][] = [
        ["malformed create", api.client.post(CM, "{")],
        ["invalid create", api.client.post(CM, { metadata: { name: "Bad!" } })],
        ["duplicate create", api.client.post(CM, { metadata: { name: "guarded" } })],
        [
          "oversize create",
          api.client.post(CM, { metadata: { name: "huge" }, data: { a: "x".repeat(3_200_000) } }),
        ],
        ["protobuf create", api.client.post(CM, "k8s\u0000", { contentType: PROTOBUF })],
        ["stale update", api.client.put(`${CM}/guarded`, { ...stale, data: { k: "stale" } })],
        [
          "renaming update",
          api.client.put(`${CM}/guarded`, { ...created.json, metadata: { name: "other" } }),
        ],
        ["invalid update", api.client.put(`${CM}/guarded`, { ...created.json, data: { "bad key": "x" } })],
        ["non-array json patch", api.client.patch(`${CM}/guarded`, { data: {} }, JSON_PATCH)],
        [
          "failed test op",
          api.client.patch(
            `${CM}/guarded`,
            [
              { op: "replace", path: "/data/k", value: "changed" },
              { op: "test", path: "/data/k", value: "v" },
            ],
            JSON_PATCH,
          ),
        ],
        [
          "invalid merge patch",
          api.client.patch(`${CM}/guarded`, { metadata: { labels: { "!": "x" } } }, MERGE),
        ],
        ["bad $patch", api.client.patch(`${CM}/guarded`, { data: { $patch: "nope" } }, STRATEGIC)],
        [
          "apply without manager",
          api.client.patch(`${CM}/guarded`, JSON.stringify({ data: { k: "x" } }), APPLY),
        ],
        ["force on merge", api.client.patch(`${CM}/guarded?force=true`, { data: { k: "x" } }, MERGE)],
        ["unknown patch type", api.client.patch(`${CM}/guarded`, { data: { k: "x" } }, "text/plain")],
        ["dry run", api.client.patch(`${CM}/guarded?dryRun=All`, { data: { k: "dry" } }, MERGE)],
      ];
      for (const [label, pending] of bad) {
        const res = await pending;
        if (label === "dry run") {
          expect(res.status, label).toBe(200);
          expect(res.json.data, label).toEqual({ k: "dry" });
          continue;
        }
        expect(res.status, `${label}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, label).toBeLessThan(500);
        expect(res.json?.kind, label).toBe("Status");
      }
      expect((await api.client.get(`${CM}/guarded`)).text).toBe(before);
      const good = await api.client.patch(`${CM}/guarded`, { data: { k: "good" } }, MERGE);
      expect(good.status).toBe(200);
      const event = await watch.next();
      expect(event.type).toBe("MODIFIED");
      expect(event.object.metadata.resourceVersion).toBe(good.json.metadata.resourceVersion);
      expect(event.object.data).toEqual({ k: "good" });
    } finally {
      watch.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzz

/** mulberry32: a small, seeded PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class Fuzzer {
  readonly #random: () => number;

  constructor(seed: number) {
    this.#random = prng(seed);
  }

  int(max: number): number {
    return Math.floor(this.#random() * max);
  }
  chance(p: number): boolean {
    return this.#random() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  string(): string {
    switch (this.int(8)) {
      case 0:
        return "";
      case 1:
        return "x".repeat(this.pick([64, 254, 1000, 70_000, 300_000]));
      case 2:
        return String.fromCharCode(...Array.from({ length: 1 + this.int(20) }, () => this.int(0x10000)));
      case 3:
        return this.pick(["$patch", "delete", "replace", "merge", "-", "/", "~", "__proto__", "constructor"]);
      case 4:
        return this.pick(["a", "b", "c1", "nginx", "True", "Running", "default", "kube-system"]);
      case 5:
        return `${this.int(1e6)}`;
      default:
        return Array.from({ length: 1 + this.int(12) }, () =>
          this.pick([..."abcdefghijklmnopqrstuvwxyz0123456789-._/ !"]),
        ).join("");
    }
  }

  key(): string {
    return this.pick([
      "metadata",
      "spec",
      "status",
      "data",
      "binaryData",
      "name",
      "namespace",
      "labels",
      "annotations",
      "finalizers",
      "ownerReferences",
      "resourceVersion",
      "uid",
      "generation",
      "containers",
      "env",
      "image",
      "nodeName",
      "conditions",
      "paused",
      "machineConfigSelector",
      "maxUnavailable",
      "$patch",
      "$setElementOrder/containers",
      "$retainKeys",
      "$deleteFromPrimitiveList/finalizers",
      "__proto__",
      "constructor",
      "apiVersion",
      "kind",
      this.string(),
    ]);
  }

  value(depth = 0): Json {
    const leaf = depth > 4 || this.chance(0.4);
    if (leaf) {
      return this.pick<() => Json>([
        () => null,
        () => this.chance(0.5),
        () => this.pick([0, -1, 1, 1.5, 2 ** 53, -(2 ** 63), 1e308, -1e-308]),
        () => this.string(),
      ])();
    }
    if (this.chance(0.5)) return Array.from({ length: this.int(5) }, () => this.value(depth + 1));
    const object: { [key: string]: Json } = {};
    for (let i = this.int(5); i > 0; i--) object[this.key()] = this.value(depth + 1);
    return object;
  }

  /** Replaces, removes or retypes one random node of a valid object. */
  mutate(base: Json): Json {
    const copy = structuredClone(base);
    for (let n = 1 + this.int(3); n > 0; n--) {
      let node: Json = copy;
      for (let depth = 0; depth < 6; depth++) {
        if (node === null || typeof node !== "object") break;
        const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
        if (keys.length === 0) break;
        const key = this.pick(keys);
        const container: Json = node;
        const childValue: Json | undefined = Array.isArray(container)
          ? container[key as number]
          : (container as { [k: string]: Json })[key as string];
        if (childValue !== null && typeof childValue === "object" && this.chance(0.6)) {
          node = childValue;
          continue;
        }
        const replacement = this.chance(0.15) ? undefined : this.value(2);
        if (Array.isArray(container)) {
          if (replacement === undefined) container.splice(key as number, 1);
          else container[key as number] = replacement;
        } else if (replacement === undefined) {
          delete (container as { [k: string]: Json })[key as string];
        } else {
          (container as { [k: string]: Json })[key as string] = replacement;
        }
        break;
      }
    }
    return copy;
  }

  deep(): string {
    const depth = this.pick([1000, 10_000, 100_000]);
    if (this.chance(0.5)) return `${"[".repeat(depth)}${"]".repeat(depth)}`;
    return `{"metadata":{"name":"deep"},"data":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
  }

  bytes(): string {
    return String.fromCharCode(...Array.from({ length: this.int(2000) }, () => this.int(256)));
  }

  jsonPatch(base: Json): Json {
    const pointer = (): string =>
      this.pick([
        "",
        "/",
        "/-",
        "/metadata/name",
        "/metadata/resourceVersion",
        "/metadata/labels/a~1b",
        "/metadata/finalizers/-",
        "/spec/containers/0/image",
        "/spec/containers/99",
        "/data/k",
        "/status",
        "/spec/paused",
        "/a/~2/b",
        `/${this.key()}`,
        `/${this.key()}/${this.key()}`,
      ]);
    if (this.chance(0.2)) return this.value();
    return Array.from({ length: 1 + this.int(4) }, () => {
      const op: { [key: string]: Json } = {
        op: this.pick(["add", "remove", "replace", "move", "copy", "test", "bogus", 5 as unknown as string]),
        path: this.chance(0.9) ? pointer() : this.value(3),
      };
      if (this.chance(0.7)) op.value = this.chance(0.5) ? this.value(2) : this.mutate(base);
      if (this.chance(0.3)) op.from = pointer();
      return op;
    });
  }
}

interface Target {
  kind: string;
  collection: string;
  name: string;
  base: Record<string, Json>;
  statusSubresource: boolean;
  strategic: boolean;
}

describe("fuzz", () => {
  it("400 seeded random bodies and patches: only 2xx or 4xx Status, the server stays up, sentinels untouched", async () => {
    const FUZZ_NS = "fuzz-ns";
    await createNamespace(api.client, FUZZ_NS);
    const cmBase = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "fuzz-cm", labels: { a: "b" } },
      data: { k: "v" },
    };
    const podBase = {
      ...pod("fuzz-pod", ["c1", "c2"]),
      spec: {
        containers: [
          { name: "c1", image: "nginx:1", env: [{ name: "A", value: "1" }] },
          { name: "c2", image: "nginx:1", ports: [{ containerPort: 80 }] },
        ],
        tolerations: [{ key: "k", operator: "Exists" }],
      },
    };
    const mcpBase = mcp("fuzz-mcp", {
      spec: { machineConfigSelector: { matchLabels: { a: "b" } }, paused: false, maxUnavailable: 1 },
    });
    const targets: Target[] = [
      {
        kind: "ConfigMap",
        collection: `/api/v1/namespaces/${FUZZ_NS}/configmaps`,
        name: "fuzz-cm",
        base: cmBase as Record<string, Json>,
        statusSubresource: false,
        strategic: true,
      },
      {
        kind: "Pod",
        collection: `/api/v1/namespaces/${FUZZ_NS}/pods`,
        name: "fuzz-pod",
        base: podBase as Record<string, Json>,
        statusSubresource: true,
        strategic: true,
      },
      {
        kind: "MachineConfigPool",
        collection: MCP_PATH,
        name: "fuzz-mcp",
        base: mcpBase as Record<string, Json>,
        statusSubresource: true,
        strategic: false,
      },
    ];

    // Sentinels: created before the fuzz and never addressed by it.
    const sentinels = [
      `/api/v1/namespaces/${FUZZ_NS}/configmaps/sentinel-cm`,
      `/api/v1/namespaces/${FUZZ_NS}/pods/sentinel-pod`,
      `${MCP_PATH}/sentinel-mcp`,
    ];
    expect(
      (await api.client.post(targets[0]?.collection ?? "", { ...cmBase, metadata: { name: "sentinel-cm" } }))
        .status,
    ).toBe(201);
    expect(
      (
        await api.client.post(targets[1]?.collection ?? "", {
          ...podBase,
          metadata: { name: "sentinel-pod" },
        })
      ).status,
    ).toBe(201);
    expect((await api.client.post(MCP_PATH, { ...mcpBase, metadata: { name: "sentinel-mcp" } })).status).toBe(
      201,
    );
    const before = await Promise.all(sentinels.map(async (path) => (await api.client.get(path)).text));

    const ensure = async (target: Target): Promise<Json> => {
      const got = await api.client.get(`${target.collection}/${target.name}`);
      if (got.status === 200) return got.json;
      const created = await api.client.post(target.collection, target.base);
      expect(created.status, created.text).toBe(201);
      return created.json;
    };

    // MOB_FUZZ_SEED reproduces or widens a run; the default keeps CI deterministic.
    const fuzz = new Fuzzer(Number(process.env.MOB_FUZZ_SEED ?? 0x6d6f62));
    const started = Date.now();
    const failures: string[] = [];
    const counts = new Map<number, number>();
    for (let i = 0; i < 400 && Date.now() - started < 20_000; i++) {
      const target = fuzz.pick(targets);
      const current = await ensure(target);
      const item = `${target.collection}/${target.name}${target.statusSubresource && fuzz.chance(0.2) ? "/status" : ""}`;
      const body = (): string => {
        switch (fuzz.int(6)) {
          case 0:
            return JSON.stringify(fuzz.value());
          case 1:
            return fuzz.deep();
          case 2:
            return fuzz.bytes();
          default:
            return JSON.stringify(fuzz.mutate(fuzz.chance(0.5) ? current : target.base));
        }
      };
      let method: string;
      let path: string;
      let payload: string;
      let contentType: string;
      const verb = fuzz.int(3);
      if (verb === 0) {
        method = "POST";
        path = target.collection;
        payload = body();
        contentType = fuzz.pick([
          "application/json",
          "application/json",
          "application/yaml",
          PROTOBUF,
          "text/plain",
        ]);
      } else if (verb === 1) {
        method = "PUT";
        path = item;
        payload = body();
        contentType = fuzz.pick(["application/json", "application/json", "application/yaml"]);
      } else {
        method = "PATCH";
        path = `${item}${fuzz.pick(["", "", "?fieldManager=fuzz", "?fieldManager=fuzz&force=true", "?dryRun=All"])}`;
        contentType = fuzz.pick([JSON_PATCH, MERGE, STRATEGIC, APPLY, MERGE, "application/json"]);
        if (contentType === JSON_PATCH) payload = JSON.stringify(fuzz.jsonPatch(current));
        else if (fuzz.chance(0.15)) payload = fuzz.chance(0.5) ? fuzz.deep() : fuzz.bytes();
        else payload = JSON.stringify(fuzz.chance(0.5) ? fuzz.value() : fuzz.mutate(current));
      }
      let res: ApiResponse;
      try {
        res = await api.client.request(method, path, { body: payload, contentType });
      } catch (error) {
        failures.push(`#${i} ${method} ${path} ${contentType}: connection error ${String(error)}`);
        continue;
      }
      counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
      const ok2xx = res.status >= 200 && res.status < 300;
      const ok4xx =
        res.status >= 400 &&
        res.status < 500 &&
        res.json?.kind === "Status" &&
        res.json.status === "Failure" &&
        res.json.code === res.status;
      if (!ok2xx && !ok4xx) {
        failures.push(
          `#${i} ${method} ${path} ${contentType} → ${res.status} ${res.text.slice(0, 300)} (body: ${payload.slice(0, 300)})`,
        );
      }
    }
    expect(failures).toEqual([]);
    // The fuzz exercised both outcomes.
    expect([...counts.keys()].some((code) => code < 300)).toBe(true);
    expect([...counts.keys()].some((code) => code >= 400)).toBe(true);

    const ready = await api.client.get("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.text).toBe("ok");
    const after = await Promise.all(sentinels.map(async (path) => (await api.client.get(path)).text));
    expect(after).toEqual(before);
  });
});
