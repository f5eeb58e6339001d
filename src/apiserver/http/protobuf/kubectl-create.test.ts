// The real kubectl's `create` subcommands, which POST protobuf, against an in-process mob API server;
// the stored objects are read back with `kubectl get -o json`.

import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApiServer, type TestApiServer } from "../../../testing/api-server.ts";
import { PROTOBUF_MEDIA_TYPE } from "./decode.ts";

const KUBECTL = "/usr/bin/kubectl";
const NS = "pb";

let api: TestApiServer;
let dir: string;

beforeAll(async () => {
  api = await startTestApiServer();
  dir = await mkdtemp(join(tmpdir(), "mob-kubectl-pb-"));
});
afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function kubectl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      KUBECTL,
      ["--cache-dir", join(dir, "cache"), ...args],
      { env: { ...process.env, KUBECONFIG: api.server.kubeconfigPath }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`kubectl ${args.join(" ")} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

async function getJson(...args: string[]): Promise<Record<string, unknown>> {
  return JSON.parse(await kubectl("get", ...args, "-o", "json")) as Record<string, unknown>;
}

function base64(text: string): string {
  return Buffer.from(text).toString("base64");
}

describe("kubectl create with protobuf bodies", { timeout: 60_000 }, () => {
  it("namespace", async () => {
    expect(await kubectl("create", "namespace", NS)).toContain(`namespace/${NS} created`);
    expect(await getJson("namespace", NS)).toMatchObject({ kind: "Namespace", metadata: { name: NS } });
  });

  it("configmap from literals and files, binary content in binaryData", async () => {
    const text = join(dir, "f.txt");
    const binary = join(dir, "bin.dat");
    await writeFile(text, "hello\nworld\n");
    await writeFile(binary, Buffer.from([0, 255, 1]));
    await kubectl("create", "configmap", "x", "-n", NS, "--from-literal=a=b", "--from-literal=empty=");
    await kubectl("create", "configmap", "y", "-n", NS, `--from-file=${text}`, `--from-file=${binary}`);
    expect(await getJson("configmap", "x", "-n", NS)).toMatchObject({ data: { a: "b", empty: "" } });
    const y = await getJson("configmap", "y", "-n", NS);
    expect(y.data).toEqual({ "f.txt": "hello\nworld\n" });
    expect(y.binaryData).toEqual({ "bin.dat": Buffer.from([0, 255, 1]).toString("base64") });
  });

  it("secret generic and docker-registry", async () => {
    await kubectl(
      "create",
      "secret",
      "generic",
      "s",
      "-n",
      NS,
      "--from-literal=user=me",
      "--from-literal=pw=p@ss",
    );
    expect(await getJson("secret", "s", "-n", NS)).toMatchObject({
      type: "Opaque",
      data: { user: base64("me"), pw: base64("p@ss") },
    });
    await kubectl(
      "create",
      "secret",
      "docker-registry",
      "r",
      "-n",
      NS,
      "--docker-server=registry.example.com",
      "--docker-username=robot",
      "--docker-password=s3cret",
    );
    const secret = await getJson("secret", "r", "-n", NS);
    expect(secret.type).toBe("kubernetes.io/dockerconfigjson");
    const data = secret.data as Record<string, string>;
    expect(JSON.parse(Buffer.from(data[".dockerconfigjson"] ?? "", "base64").toString("utf8"))).toEqual({
      auths: {
        "registry.example.com": { username: "robot", password: "s3cret", auth: base64("robot:s3cret") },
      },
    });
  });

  it("serviceaccount", async () => {
    await kubectl("create", "serviceaccount", "sa", "-n", NS);
    expect(await getJson("serviceaccount", "sa", "-n", NS)).toMatchObject({
      kind: "ServiceAccount",
      metadata: { name: "sa", namespace: NS },
    });
  });

  it("job with an image and a command", async () => {
    await kubectl("create", "job", "j", "-n", NS, "--image=busybox", "--", "echo", "hi");
    const job = await getJson("job", "j", "-n", NS);
    expect(job).toMatchObject({
      apiVersion: "batch/v1",
      kind: "Job",
      spec: {
        template: {
          spec: {
            containers: [{ name: "j", image: "busybox", command: ["echo", "hi"] }],
            restartPolicy: "Never",
          },
        },
      },
    });
  });

  it("answers kubectl's Accept (protobuf, then JSON) with JSON", async () => {
    // runtime.Unknown{typeMeta: {apiVersion: "v1", kind: "Namespace"}, raw: Namespace{metadata: {name: "raw"}}}
    const body = "k8s\u0000\n\u000f\n\u0002v1\u0012\u0009Namespace\u0012\u0007\n\u0005\n\u0003raw";
    const res = await api.client.post("/api/v1/namespaces", body, {
      contentType: PROTOBUF_MEDIA_TYPE,
      accept: `${PROTOBUF_MEDIA_TYPE},application/json`,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json).toMatchObject({ kind: "Namespace", metadata: { name: "raw" } });
  });
});
