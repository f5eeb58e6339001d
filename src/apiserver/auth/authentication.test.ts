import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../testing/api-client.ts";
import { startTestApiServer, type TestApiServer } from "../../testing/api-server.ts";
import { kubectlFor } from "../../testing/kubectl.ts";
import { ensureServiceAccountKey } from "./sa-key.ts";
import { serviceAccountIdentity } from "./test-identities.ts";
import { DEFAULT_ISSUER, TokenIssuer } from "./token-issuer.ts";

const UNAUTHORIZED = {
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message: "Unauthorized",
  reason: "Unauthorized",
  code: 401,
};

describe("authentication", () => {
  let api: TestApiServer;
  const whoami = (client: ApiClient) =>
    client.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
      spec: { resourceAttributes: { verb: "get", resource: "pods", namespace: "default" } },
    });

  beforeAll(async () => {
    api = await startTestApiServer();
  });
  afterAll(async () => {
    await api.close();
  });

  it("answers 401 without a token, with a bad token and with a forged or expired one", async () => {
    const key = await ensureServiceAccountKey(api.dir);
    const past = new TokenIssuer({ key, now: () => new Date(Date.now() - 2 * 3600 * 1000) });
    const expired = past.issue({
      sub: "system:node:worker-0",
      audiences: [DEFAULT_ISSUER],
      expirationSeconds: 3600,
    });
    const other = new TokenIssuer({
      key: { ...key, privateKey: (await ensureServiceAccountKey(`${api.dir}/other`)).privateKey },
    });
    const forged = other.issue({
      sub: "system:node:worker-0",
      audiences: [DEFAULT_ISSUER],
      expirationSeconds: 3600,
    });
    for (const token of [null, "not-a-token", "a.b.c", expired.token, forged.token]) {
      const response = await api.client.get("/api/v1/namespaces", { token });
      expect(response.status, String(token)).toBe(401);
      expect(response.json).toEqual(UNAUTHORIZED);
    }
    expect((await api.client.get("/version", { token: null })).status).toBe(200);
    expect((await api.client.get("/healthz", { token: null })).status).toBe(200);
  });

  it("issues TokenRequest tokens that authenticate as the ServiceAccount until it is deleted", async () => {
    const sa = await serviceAccountIdentity(api, "team", "builder");
    const [, payload] = sa.token.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const account = await api.client.get("/api/v1/namespaces/team/serviceaccounts/builder");
    expect(claims).toMatchObject({
      iss: DEFAULT_ISSUER,
      sub: "system:serviceaccount:team:builder",
      aud: [DEFAULT_ISSUER],
      "kubernetes.io": {
        namespace: "team",
        serviceaccount: { name: "builder", uid: account.json.metadata.uid },
      },
    });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    const allowed = await whoami(sa.client);
    expect(allowed.status).toBe(201);
    expect(allowed.json.status).toEqual({ allowed: false });

    expect((await api.client.delete("/api/v1/namespaces/team/serviceaccounts/builder")).status).toBe(200);
    expect((await whoami(sa.client)).status).toBe(401);
    // A new account of the same name has another uid: the old token stays dead.
    await api.client.post("/api/v1/namespaces/team/serviceaccounts", { metadata: { name: "builder" } });
    expect((await whoami(sa.client)).status).toBe(401);
  });

  it("answers a TokenRequest like Kubernetes: defaults, audiences, 404 and minimum duration", async () => {
    await serviceAccountIdentity(api, "team2", "robot");
    const path = "/api/v1/namespaces/team2/serviceaccounts/robot/token";
    const created = await api.client.post(path, { spec: { audiences: ["vault"], expirationSeconds: 600 } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name: "robot", namespace: "team2" },
      spec: { audiences: ["vault"], expirationSeconds: 600, boundObjectRef: null },
    });
    const vaultOnly = new ApiClient(api.server.url, api.server.caCertPem, created.json.status.token);
    expect((await whoami(vaultOnly)).status).toBe(401);

    const short = await api.client.post(path, { spec: { expirationSeconds: 599 } });
    expect(short.status).toBe(422);
    expect(short.json.message).toBe(
      'TokenRequest.authentication.k8s.io "robot" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    );
    const missing = await api.client.post("/api/v1/namespaces/team2/serviceaccounts/nobody/token", {
      spec: {},
    });
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('serviceaccounts "nobody" not found');
  });

  it("serves kubectl create token (a protobuf TokenRequest)", async () => {
    await serviceAccountIdentity(api, "team3", "bot");
    const kubectl = await kubectlFor(api.server.kubeconfigPath);
    try {
      const token = (await kubectl.ok("create", "token", "bot", "-n", "team3", "--duration", "20m")).trim();
      const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
      expect(claims.sub).toBe("system:serviceaccount:team3:bot");
      expect(claims.exp - claims.iat).toBe(1200);
      expect((await whoami(new ApiClient(api.server.url, api.server.caCertPem, token))).status).toBe(201);
    } finally {
      await kubectl.close();
    }
  });

  it("lists the token subresource in discovery", async () => {
    const core = await api.client.get("/api/v1");
    const names = core.json.resources.map((r: { name: string }) => r.name);
    expect(names).toContain("serviceaccounts/token");
  });
});
