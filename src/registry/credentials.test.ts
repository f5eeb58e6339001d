import { describe, expect, it } from "vitest";
import {
  CredentialsError,
  credentialsFor,
  dockerConfigJsonFor,
  dockercfgToDockerConfigJson,
} from "./credentials.ts";
import { canonicalDockerConfigJson, DOCKER_CONFIG_JSON_TYPE, DOCKERCFG_TYPE } from "./pull-secret.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");
const alice = { username: "alice", password: "pa:ss" };

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof CredentialsError) return error.code;
    throw error;
  }
  return undefined;
}

describe("credentialsFor", () => {
  it("reads auth (base64 user:pass, password may contain colons) and username/password entries", () => {
    const config = JSON.stringify({
      auths: {
        "quay.io": { auth: b64("alice:pa:ss") },
        "https://registry.example.com/v1/": { username: "bob", password: "pw" },
        "https://index.docker.io/v1/": { auth: b64("carol:hub") },
      },
    });
    expect(credentialsFor(config, "quay.io")).toEqual(alice);
    expect(credentialsFor(config, "registry.example.com")).toEqual({ username: "bob", password: "pw" });
    expect(credentialsFor(config, "docker.io")).toEqual({ username: "carol", password: "hub" });
    expect(credentialsFor(config, "other.io")).toBeUndefined();
  });

  it("reads the legacy map and round-trips what it writes", () => {
    expect(
      credentialsFor(JSON.stringify({ "quay.io": { auth: b64("alice:pa:ss"), email: "a@b" } }), "quay.io"),
    ).toEqual(alice);
    expect(credentialsFor(dockerConfigJsonFor("127.0.0.1:5000", alice), "127.0.0.1:5000")).toEqual(alice);
  });

  it("rejects malformed configs without echoing values", () => {
    expect(codeOf(() => credentialsFor("not json", "x"))).toBe("malformed");
    expect(codeOf(() => credentialsFor(JSON.stringify({ auths: [] }), "x"))).toBe("malformed");
    expect(codeOf(() => credentialsFor(JSON.stringify({ auths: { x: { auth: 5 } } }), "x"))).toBe(
      "malformed",
    );
    try {
      credentialsFor(JSON.stringify({ auths: { x: { auth: b64("no-colon-secret") } } }), "x");
    } catch (error) {
      expect((error as Error).message).not.toContain("no-colon-secret");
    }
  });
});

describe("dockercfgToDockerConfigJson", () => {
  it("wraps the legacy map in auths and keeps strict configs, ignoring credential helpers", () => {
    const legacy = { "quay.io": { auth: b64("alice:pa:ss"), email: "a@b" } };
    expect(JSON.parse(dockercfgToDockerConfigJson(JSON.stringify(legacy)))).toEqual({ auths: legacy });
    const strict = { auths: { "quay.io": { auth: b64("a:b") } }, credHelpers: { "gcr.io": "gcloud" } };
    expect(JSON.parse(dockercfgToDockerConfigJson(JSON.stringify(strict)))).toEqual({ auths: strict.auths });
    expect(JSON.parse(dockercfgToDockerConfigJson(JSON.stringify({ credsStore: "desktop" })))).toEqual({
      auths: {},
    });
  });
});

describe("canonicalDockerConfigJson", () => {
  const json = JSON.stringify({ auths: { "quay.io": { auth: b64("alice:pa:ss") } } });
  const cfg = JSON.stringify({ "quay.io": { auth: b64("alice:pa:ss") } });

  it("accepts both secret types and always answers dockerconfigjson", () => {
    const fromJson = canonicalDockerConfigJson({
      type: DOCKER_CONFIG_JSON_TYPE,
      data: { ".dockerconfigjson": b64(json) },
    });
    const fromCfg = canonicalDockerConfigJson({ type: DOCKERCFG_TYPE, data: { ".dockercfg": b64(cfg) } });
    expect(JSON.parse(fromJson)).toEqual(JSON.parse(json));
    expect(JSON.parse(fromCfg)).toEqual(JSON.parse(json));
  });

  it.each([
    ["wrong type", { type: "Opaque", data: { ".dockerconfigjson": b64(json) } }, "unsupported-type"],
    ["missing type", { data: { ".dockerconfigjson": b64(json) } }, "unsupported-type"],
    ["missing key", { type: DOCKER_CONFIG_JSON_TYPE, data: {} }, "missing-key"],
    [
      "key of the other type",
      { type: DOCKERCFG_TYPE, data: { ".dockerconfigjson": b64(json) } },
      "conflicting-keys",
    ],
    ["empty key", { type: DOCKERCFG_TYPE, data: { ".dockercfg": "" } }, "empty-key"],
    [
      "both keys",
      { type: DOCKER_CONFIG_JSON_TYPE, data: { ".dockerconfigjson": b64(json), ".dockercfg": b64(cfg) } },
      "conflicting-keys",
    ],
    ["not JSON", { type: DOCKER_CONFIG_JSON_TYPE, data: { ".dockerconfigjson": b64("{") } }, "malformed"],
  ])("rejects %s", (_name, secret, code) => {
    expect(codeOf(() => canonicalDockerConfigJson(secret))).toBe(code);
  });
});
