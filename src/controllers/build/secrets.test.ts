// §9.25: push and pull secrets are validated with upstream's rules and copied as dockerconfigjson.

import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { canonicalCredentials, canonicalSecret } from "./secrets.ts";

const b64 = (text: string): string => Buffer.from(text).toString("base64");
const auths = { "127.0.0.1:5000": { auth: b64("mob:secret") } };
const secret = (type: string, data: Record<string, string>): KubeObject => ({
  metadata: { name: "s" },
  type,
  data,
});
const id = { mosb: "layered-abc", mosc: "layered", pool: "layered", machineConfig: "rendered-layered-1" };

describe("canonicalCredentials", () => {
  it("accepts dockerconfigjson as is", () => {
    const result = canonicalCredentials(
      "push",
      "s",
      secret("kubernetes.io/dockerconfigjson", { ".dockerconfigjson": b64(JSON.stringify({ auths })) }),
    );
    expect(result).toEqual({ json: JSON.stringify({ auths }) });
  });

  it("converts .dockercfg to dockerconfigjson with the same auths", () => {
    const result = canonicalCredentials(
      "base-pull",
      "s",
      secret("kubernetes.io/dockercfg", { ".dockercfg": b64(JSON.stringify(auths)) }),
    );
    expect(result).toEqual({ json: JSON.stringify({ auths }) });
  });

  it.each([
    ["a wrong type", secret("Opaque", { ".dockerconfigjson": b64("{}") }), /not supported/],
    ["a missing key", secret("kubernetes.io/dockerconfigjson", {}), /has no key ".dockerconfigjson"/],
    ["an empty key", secret("kubernetes.io/dockercfg", { ".dockercfg": "" }), /is empty/],
    [
      "both keys",
      secret("kubernetes.io/dockercfg", { ".dockercfg": b64("{}"), ".dockerconfigjson": b64("{}") }),
      /must not contain/,
    ],
    ["no secret at all", undefined, /not found/],
  ])("rejects %s, naming the secret and never its content", (_what, input, pattern) => {
    const result = canonicalCredentials("push", "my-push", input);
    if (!("problem" in result)) throw new Error("expected a problem");
    expect(result.problem.message).toMatch(pattern);
    expect(result.problem.message).toContain('rendered image push secret "my-push"');
    expect(result.problem.message).not.toContain(b64("mob:secret"));
  });
});

describe("canonicalSecret", () => {
  it("is final-<mosb> / base-<mosb> with upstream's labels and annotations", () => {
    const push = canonicalSecret("push", id, "my-push", "{}");
    expect(push.metadata.name).toBe("final-layered-abc");
    expect(push.type).toBe("kubernetes.io/dockerconfigjson");
    expect(push.metadata.labels).toMatchObject({
      "machineconfiguration.openshift.io/ephemeral-build-object": "",
      "machineconfiguration.openshift.io/on-cluster-layering": "",
      "machineconfiguration.openshift.io/machine-os-build": "layered-abc",
      "machineconfiguration.openshift.io/canonicalizedSecret": "true",
    });
    expect(push.metadata.annotations?.["machineconfiguration.openshift.io/originalSecretName"]).toBe(
      "my-push",
    );
    expect(canonicalSecret("base-pull", id, "g", "{}").metadata.name).toBe("base-layered-abc");
  });
});
