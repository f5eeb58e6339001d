import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../logging.ts";
import { credentialsFor } from "../../registry/credentials.ts";
import { type RunningRegistry, startRegistry } from "./registry-process.ts";

const signal = new AbortController().signal;
let dir: string;
let registry: RunningRegistry;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mob-registry-"));
  registry = await startRegistry({ dir, logger: silentLogger(), signal });
});

afterAll(async () => {
  await registry.stop();
  await rm(dir, { recursive: true, force: true });
});

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

describe("startRegistry", () => {
  it("serves the distribution API on loopback and refuses anonymous requests", async () => {
    expect(registry.url).toMatch(/^127\.0\.0\.1:\d+$/);
    const anonymous = await fetch(`http://${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    const upload = await fetch(`http://${registry.url}/v2/os/x/blobs/uploads/`, { method: "POST" });
    expect(upload.status).toBe(401);
    const pull = await fetch(`http://${registry.url}/v2/os/base/manifests/latest`);
    expect(pull.status).toBe(401);
  });

  it("accepts the generated credentials and rejects a wrong password", async () => {
    const { username, password } = registry.credentials;
    expect(username).toBe("mob");
    const ok = await fetch(`http://${registry.url}/v2/`, {
      headers: { authorization: basic(username, password) },
    });
    expect(ok.status).toBe(200);
    const wrong = await fetch(`http://${registry.url}/v2/`, {
      headers: { authorization: basic(username, "nope") },
    });
    expect(wrong.status).toBe(401);
    expect(credentialsFor(registry.dockerConfigJson(), registry.url)).toEqual(registry.credentials);
  });

  it("keeps its credentials private and out of the log", async () => {
    const file = join(dir, "registry", "credentials.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(registry.credentials);
    const log = await readFile(join(dir, "registry", "registry.log"), "utf8");
    expect(log).not.toContain(registry.credentials.password);
  });

  it("fails clearly when the registry binary cannot start", async () => {
    const other = await mkdtemp(join(tmpdir(), "mob-registry-missing-"));
    try {
      const start = startRegistry({
        dir: other,
        logger: silentLogger(),
        signal,
        command: "/nonexistent/registry",
      });
      await expect(start).rejects.toThrow(/registry did not start.*ENOENT/s);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it("starts again in place after stop(): the port is closed in between, then served again", async () => {
    const { url } = registry;
    const authorization = basic(registry.credentials.username, registry.credentials.password);
    await registry.stop();
    await expect(fetch(`http://${url}/v2/`)).rejects.toThrow();
    await registry.start();
    expect(registry.url).toBe(url);
    const ok = await fetch(`http://${url}/v2/`, { headers: { authorization } });
    expect(ok.status).toBe(200);
  });

  it("keeps blobs in storageDir when one is given", async () => {
    const other = await mkdtemp(join(tmpdir(), "mob-registry-storage-"));
    const storageDir = join(other, "storage");
    let elsewhere: RunningRegistry | undefined;
    try {
      elsewhere = await startRegistry({ dir: other, storageDir, logger: silentLogger(), signal });
      const { username, password } = elsewhere.credentials;
      const post = await fetch(`http://${elsewhere.url}/v2/os/x/blobs/uploads/`, {
        method: "POST",
        headers: { authorization: basic(username, password) },
      });
      expect(post.status).toBe(202);
      const repositories = join(storageDir, "docker", "registry", "v2", "repositories", "os", "x");
      expect((await stat(repositories)).isDirectory()).toBe(true);
      await expect(stat(join(other, "registry", "data", "docker"))).rejects.toThrow(/ENOENT/);
    } finally {
      await elsewhere?.stop();
      await rm(other, { recursive: true, force: true });
    }
  });

  it("restarts on the same directory with the same credentials and port", async () => {
    const { url, credentials } = registry;
    await registry.stop();
    await expect(fetch(`http://${url}/v2/`)).rejects.toThrow();
    registry = await startRegistry({ dir, logger: silentLogger(), signal });
    expect(registry.url).toBe(url);
    expect(registry.credentials).toEqual(credentials);
  });
});
