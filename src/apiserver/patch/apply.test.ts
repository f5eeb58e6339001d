import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { applyServerSide, fieldsV1Of } from "./apply.ts";
import { type ManagedFieldsEntry, recordUpdate } from "./managed-fields.ts";
import type { PatchSchema } from "./schema.ts";
import { PATCH_SCHEMAS } from "./strategic-schemas.ts";

const clock = { now: () => new Date("2026-01-02T03:04:05.678Z") };
const later = { now: () => new Date("2026-01-02T04:00:00Z") };

function cm(data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  const metadata: KubeObject["metadata"] = { name: "c", namespace: "default" };
  if (labels !== undefined) metadata.labels = labels;
  return { apiVersion: "v1", kind: "ConfigMap", metadata, data };
}

function entries(obj: KubeObject): ManagedFieldsEntry[] {
  return (obj.metadata.managedFields ?? []) as ManagedFieldsEntry[];
}

describe("fieldsV1Of", () => {
  it("encodes maps, keyed list elements, sets and atomic lists like Kubernetes", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "d", uid: "u", labels: { a: "1" }, finalizers: ["x"] },
      spec: {
        containers: [{ name: "c1", image: "i", args: ["a"], ports: [{ containerPort: 80 }] }],
        tolerations: [{ key: "k" }],
      },
    };
    expect(fieldsV1Of(pod, PATCH_SCHEMAS.pod)).toEqual({
      "f:metadata": { "f:labels": { "f:a": {} }, "f:finalizers": { 'v:"x"': {} } },
      "f:spec": {
        "f:containers": {
          'k:{"name":"c1"}': {
            ".": {},
            "f:name": {},
            "f:image": {},
            "f:args": {},
            "f:ports": { 'k:{"containerPort":80}': { ".": {}, "f:containerPort": {} } },
          },
        },
        "f:tolerations": {},
      },
    });
  });

  it("uses every merge key, sorted, for list-map identity", () => {
    const schema: PatchSchema = { items: { mergeKeys: ["port", "protocol"] } };
    expect(fieldsV1Of({ metadata: {}, items: [{ protocol: "TCP", port: 1 }] }, schema)).toEqual({
      "f:items": { 'k:{"port":1,"protocol":"TCP"}': { ".": {}, "f:port": {}, "f:protocol": {} } },
    });
  });
});

describe("applyServerSide", () => {
  it("creates: the object is the applied configuration plus an Apply entry", () => {
    const { object } = applyServerSide(undefined, cm({ k: "v" }, { a: "1" }), "kubectl", undefined, clock);
    expect(object).toEqual({
      ...cm({ k: "v" }, { a: "1" }),
      metadata: {
        name: "c",
        namespace: "default",
        labels: { a: "1" },
        managedFields: [
          {
            manager: "kubectl",
            operation: "Apply",
            apiVersion: "v1",
            time: "2026-01-02T03:04:05Z",
            fieldsType: "FieldsV1",
            fieldsV1: { "f:data": { "f:k": {} }, "f:metadata": { "f:labels": { "f:a": {} } } },
          },
        ],
      },
    });
  });

  it("removes a label it no longer applies but keeps one another manager set by update", () => {
    const created = applyServerSide(
      undefined,
      cm({ k: "v" }, { a: "1", c: "3" }),
      "kubectl",
      undefined,
      clock,
    ).object;
    const labelled = recordUpdate(
      created,
      { ...created, metadata: { ...created.metadata, labels: { a: "1", c: "3", b: "2" } } },
      "kubectl-label",
      undefined,
      clock,
    );
    const { object } = applyServerSide(labelled, cm({ k: "v" }, { a: "1" }), "kubectl", undefined, later);
    expect(object.metadata.labels).toEqual({ a: "1", b: "2" });
    expect(object.data).toEqual({ k: "v" });
    expect(entries(object).map((e) => [e.manager, e.operation, e.time])).toEqual([
      ["kubectl", "Apply", "2026-01-02T04:00:00Z"],
      ["kubectl-label", "Update", "2026-01-02T03:04:05Z"],
    ]);
    expect(entries(object)[0]?.fieldsV1).toEqual({
      "f:data": { "f:k": {} },
      "f:metadata": { "f:labels": { "f:a": {} } },
    });
  });

  it("keeps a field another manager also owns", () => {
    const first = applyServerSide(undefined, cm({ shared: "1", mine: "1" }), "a", undefined, clock).object;
    const second = applyServerSide(first, cm({ shared: "1" }), "b", undefined, clock).object;
    const { object } = applyServerSide(second, cm({}), "a", undefined, clock);
    expect(object.data).toEqual({ shared: "1" });
  });

  it("removes maps emptied by the removal, but not top-level fields", () => {
    const first = applyServerSide(undefined, cm({ k: "v" }, { a: "1" }), "m", undefined, clock).object;
    const { object } = applyServerSide(
      first,
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } },
      "m",
      undefined,
      clock,
    );
    expect(object.metadata.labels).toBeUndefined();
    expect(object.data).toEqual({});
  });

  it("merges keyed lists by key and removes elements it stopped applying", () => {
    const pod = (containers: unknown[]): KubeObject => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers },
    });
    const first = applyServerSide(
      undefined,
      pod([
        { name: "c1", image: "a:1" },
        { name: "c2", image: "b:1" },
      ]),
      "m",
      PATCH_SCHEMAS.pod,
      clock,
    ).object;
    const defaulted = recordUpdate(
      first,
      pod([
        { name: "c1", image: "a:1", imagePullPolicy: "IfNotPresent" },
        { name: "c2", image: "b:1" },
      ]),
      "defaulter",
      PATCH_SCHEMAS.pod,
      clock,
    );
    const { object } = applyServerSide(
      defaulted,
      pod([{ name: "c1", image: "a:2" }]),
      "m",
      PATCH_SCHEMAS.pod,
      clock,
    );
    expect(object.spec).toEqual({
      containers: [{ name: "c1", image: "a:2", imagePullPolicy: "IfNotPresent" }],
    });
  });

  it("unions set lists and removes set members it stopped applying", () => {
    const obj = (finalizers: string[]): KubeObject => ({
      apiVersion: "v1",
      kind: "X",
      metadata: { name: "x", finalizers },
    });
    const first = applyServerSide(obj(["other"]), obj(["a", "b"]), "m", PATCH_SCHEMAS.generic, clock).object;
    expect(first.metadata.finalizers).toEqual(["other", "a", "b"]);
    const { object } = applyServerSide(first, obj(["b"]), "m", PATCH_SCHEMAS.generic, clock);
    expect(object.metadata.finalizers).toEqual(["other", "b"]);
  });

  it("replaces atomic lists and treats null as removal", () => {
    const live = {
      apiVersion: "v1",
      kind: "X",
      metadata: { name: "x" },
      spec: { args: ["a", "b"], drop: 1 },
    };
    const { object } = applyServerSide(
      live,
      { ...live, spec: { args: ["c"], drop: null } },
      "m",
      undefined,
      clock,
    );
    expect(object.spec).toEqual({ args: ["c"] });
  });

  it("never mutates its inputs and ignores managedFields in the applied configuration", () => {
    const live = applyServerSide(undefined, cm({ k: "v" }), "m", undefined, clock).object;
    const applied = { ...cm({ k: "w" }), metadata: { name: "c", managedFields: [{ bogus: true }] } };
    const snapshot = structuredClone({ live, applied });
    const { object } = applyServerSide(live, applied, "m", undefined, clock);
    expect({ live, applied }).toEqual(snapshot);
    expect(entries(object)).toHaveLength(1);
    (object.data as Record<string, string>).k = "changed";
    expect({ live, applied }).toEqual(snapshot);
  });
});

describe("recordUpdate", () => {
  it("takes changed fields from other managers and forgets removed fields", () => {
    const created = applyServerSide(undefined, cm({ a: "1", b: "1" }), "applier", undefined, clock).object;
    const updated = recordUpdate(created, { ...created, data: { a: "2" } }, "editor", undefined, clock);
    expect(entries(updated).map((e) => [e.manager, e.fieldsV1])).toEqual([
      ["editor", { "f:data": { "f:a": {} } }],
    ]);
    const relabelled = recordUpdate(
      created,
      { ...created, metadata: { ...created.metadata, labels: { x: "1" } } },
      "labeller",
      undefined,
      clock,
    );
    expect(entries(relabelled).map((e) => [e.manager, e.fieldsV1])).toEqual([
      ["applier", { "f:data": { "f:a": {}, "f:b": {} } }],
      ["labeller", { "f:metadata": { "f:labels": { "f:x": {} } } }],
    ]);
  });
});
