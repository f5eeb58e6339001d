import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureAdminToken } from "./admin-token.ts";
import { ensurePki } from "./pki.ts";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mob-pki-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe("ensurePki", () => {
  it("creates a CA and a serving certificate it issued", async () => {
    const pki = await ensurePki(dir);
    const ca = new X509Certificate(pki.caCertPem);
    const cert = new X509Certificate(pki.certPem);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(cert.subjectAltName).toContain("DNS:localhost");
    expect(cert.keyUsage).toContain("1.3.6.1.5.5.7.3.1");
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    const years = (Date.parse(cert.validTo) - Date.now()) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(9.9);
    expect(await mode(join(dir, "pki", "ca.key"))).toBe(0o600);
    expect(await mode(join(dir, "pki", "apiserver.key"))).toBe(0o600);
    expect(await readFile(join(dir, "pki", "apiserver.crt"), "utf8")).toBe(pki.certPem);
  });

  it("loads the existing files on later calls", async () => {
    const first = await ensurePki(dir);
    const second = await ensurePki(dir);
    expect(second).toEqual(first);
  });

  it("reissues the serving certificate, under the same CA, when a host is missing", async () => {
    const first = await ensurePki(dir);
    const second = await ensurePki(dir, ["mob.example.com", "10.1.2.3"]);
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.certPem).not.toBe(first.certPem);
    const cert = new X509Certificate(second.certPem);
    expect(cert.subjectAltName).toContain("DNS:mob.example.com");
    expect(cert.subjectAltName).toContain("IP Address:10.1.2.3");
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
  });

  it("serves TLS that a client trusting only the CA accepts for 127.0.0.1 and localhost", async () => {
    const pki = await ensurePki(dir);
    const server = createServer({ cert: pki.certPem, key: pki.keyPem }, (_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const host of ["127.0.0.1", "localhost"]) {
        const body = await new Promise<string>((resolve, reject) => {
          const req = request({ host, port, path: "/", ca: pki.caCertPem }, (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => {
              text += chunk.toString();
            });
            res.on("end", () => resolve(text));
          });
          req.on("error", reject);
          req.end();
        });
        expect(body).toBe("ok");
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("ensureAdminToken", () => {
  it("creates a 32-byte base64url token once, mode 0600", async () => {
    const token = await ensureAdminToken(dir);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(await mode(join(dir, "pki", "admin.token"))).toBe(0o600);
    expect(await ensureAdminToken(dir)).toBe(token);
  });
});
