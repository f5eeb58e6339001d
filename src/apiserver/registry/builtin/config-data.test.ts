import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../api/object.ts";
import { CONFIGMAP_RESOURCE } from "./configmap.ts";
import { SECRET_RESOURCE } from "./secret.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");

function object(kind: string, fields: Record<string, unknown>): KubeObject {
  return { kind, metadata: { name: "x", namespace: "ns" }, ...fields };
}

const messages = (kind: typeof SECRET_RESOURCE, value: KubeObject, old?: KubeObject) =>
  kind.strategy.validate(value, old).map((i) => i.message);

describe("Secret strategy", () => {
  const strategy = SECRET_RESOURCE.strategy;

  it("folds stringData into base64 data, over data, and defaults the type", () => {
    const secret = object("Secret", {
      data: { a: b64("old"), b: b64("kept") },
      stringData: { a: "new", c: "ç" },
    });
    strategy.prepareForCreate(secret);
    expect(secret).toEqual(
      object("Secret", { type: "Opaque", data: { a: b64("new"), b: b64("kept"), c: b64("ç") } }),
    );
    expect(messages(SECRET_RESOURCE, secret)).toEqual([]);
  });

  it("rejects bad keys and non-base64 values without echoing them", () => {
    const secret = object("Secret", { type: "Opaque", data: { "bad key": b64("v"), token: "not base64!" } });
    expect(messages(SECRET_RESOURCE, secret)).toEqual([
      `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      'data[token]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3',
    ]);
  });

  it("requires the keys of well-known types", () => {
    expect(messages(SECRET_RESOURCE, object("Secret", { type: "kubernetes.io/tls", data: {} }))).toEqual([
      "data[tls.crt]: Required value",
      "data[tls.key]: Required value",
    ]);
    const pull = object("Secret", {
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": b64('{"auths":{}}') },
    });
    expect(messages(SECRET_RESOURCE, pull)).toEqual([]);
  });

  it("limits data to 1 MiB", () => {
    const secret = object("Secret", {
      type: "Opaque",
      data: { big: Buffer.alloc(1024 * 1024 + 1).toString("base64") },
    });
    expect(messages(SECRET_RESOURCE, secret)).toEqual(["data: Too long: may not be more than 1048576 bytes"]);
  });

  it("keeps type and, when immutable, data", () => {
    const old = object("Secret", { type: "Opaque", immutable: true, data: { a: b64("1") } });
    const changed = object("Secret", {
      type: "kubernetes.io/basic-auth",
      immutable: true,
      data: { a: b64("2") },
    });
    expect(messages(SECRET_RESOURCE, changed, old)).toEqual([
      "data[username]: Required value",
      "data[password]: Required value",
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
      "data: Forbidden: field is immutable when `immutable` is set",
    ]);
  });

  it("answers the type field label", () => {
    expect(strategy.fieldLabels(object("Secret", { type: "kubernetes.io/tls" }))).toEqual({
      type: "kubernetes.io/tls",
    });
  });
});

describe("ConfigMap strategy", () => {
  it("accepts valid data and rejects keys present in both maps", () => {
    expect(
      messages(CONFIGMAP_RESOURCE, object("ConfigMap", { data: { "app.conf": "x=1", KEY_2: "" } })),
    ).toEqual([]);
    expect(
      messages(CONFIGMAP_RESOURCE, object("ConfigMap", { data: { k: "v" }, binaryData: { k: b64("v") } })),
    ).toEqual([
      'data[k]: Invalid value: "k": duplicate of key present in binaryData',
      'binaryData[k]: Invalid value: "k": duplicate of key present in data',
    ]);
    expect(messages(CONFIGMAP_RESOURCE, object("ConfigMap", { data: { "..x": "" } }))).toEqual([
      `data[..x]: Invalid value: "..x": must not start with '..'`,
    ]);
  });

  it("limits the total size to 1 MiB", () => {
    const big = object("ConfigMap", { data: { a: "x".repeat(1024 * 1024), b: "y" } });
    expect(CONFIGMAP_RESOURCE.strategy.validate(big, undefined)).toEqual([
      { field: "", reason: "FieldValueTooLong", message: "Too long: may not be more than 1048576 bytes" },
    ]);
  });

  it("blocks data changes and un-setting immutable once immutable", () => {
    const old = object("ConfigMap", { immutable: true, data: { a: "1" } });
    expect(
      messages(CONFIGMAP_RESOURCE, object("ConfigMap", { immutable: true, data: { a: "1" } }), old),
    ).toEqual([]);
    expect(messages(CONFIGMAP_RESOURCE, object("ConfigMap", { data: { a: "2" } }), old)).toEqual([
      "immutable: Forbidden: field is immutable when `immutable` is set",
      "data: Forbidden: field is immutable when `immutable` is set",
    ]);
  });
});
