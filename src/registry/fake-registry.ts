// Test double: an in-process OCI distribution server with Basic or Bearer authentication and knobs to
// serve wrong bytes, for client behaviour a real registry will not show on demand.

import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sha256Digest } from "./digest.ts";
import type { Descriptor } from "./manifest.ts";

export interface FakeRegistryOptions {
  auth: "none" | "basic" | "bearer";
  username?: string;
  password?: string;
}

export interface FakeRegistry {
  /** `127.0.0.1:PORT`. */
  host: string;
  token: string;
  /** Stores a blob; returns its descriptor. */
  putBlob(bytes: Buffer, mediaType: string): Descriptor;
  /** Stores a manifest under its digest and `tag`; returns the digest. */
  putManifest(repository: string, tag: string, manifest: object): string;
  /** Serves `bytes` instead of what is stored at `path` (`/v2/...`). */
  override(path: string, bytes: Buffer): void;
  /** Authorization headers received, in order. */
  authorizations: string[];
  close(): Promise<void>;
}

export async function startFakeRegistry(options: FakeRegistryOptions): Promise<FakeRegistry> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { bytes: Buffer; mediaType: string; digest: string }>();
  const overrides = new Map<string, Buffer>();
  const authorizations: string[] = [];
  const token = "fake-token-0123456789";
  const basic = `Basic ${Buffer.from(`${options.username ?? ""}:${options.password ?? ""}`).toString("base64")}`;
  let host = "";

  const authorized = (request: IncomingMessage, response: ServerResponse): boolean => {
    const header = request.headers.authorization ?? "";
    authorizations.push(header);
    if (options.auth === "none") return true;
    if (options.auth === "basic" && header === basic) return true;
    if (options.auth === "bearer" && header === `Bearer ${token}`) return true;
    const challenge =
      options.auth === "basic" ? 'Basic realm="fake"' : `Bearer realm="http://${host}/token",service="fake"`;
    response.writeHead(401, { "www-authenticate": challenge, "content-type": "application/json" });
    response.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }));
    return false;
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", `http://${host}`);
    if (url.pathname === "/token") {
      const ok = request.headers.authorization === basic;
      response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      response.end(ok ? JSON.stringify({ token }) : "{}");
      return;
    }
    if (!authorized(request, response)) return;
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    const blob = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(url.pathname);
    const stored = manifest ? manifests.get(`${manifest[1]}@${manifest[2]}`) : undefined;
    const body =
      overrides.get(url.pathname) ?? stored?.bytes ?? (blob ? blobs.get(blob[2] ?? "") : undefined);
    if (body === undefined) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN", message: "unknown" }] }));
      return;
    }
    if (request.method === "DELETE") {
      manifests.delete(`${manifest?.[1]}@${manifest?.[2]}`);
      response.writeHead(202).end();
      return;
    }
    const headers: Record<string, string> = { "content-length": String(body.length) };
    if (stored !== undefined)
      Object.assign(headers, { "content-type": stored.mediaType, "docker-content-digest": stored.digest });
    response.writeHead(200, headers);
    response.end(request.method === "HEAD" ? undefined : body);
  };

  const server: Server = createServer(handle);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    token,
    authorizations,
    putBlob(bytes, mediaType) {
      const digest = sha256Digest(bytes);
      blobs.set(digest, bytes);
      return { mediaType, digest, size: bytes.length };
    },
    putManifest(repository, tag, manifest) {
      const bytes = Buffer.from(JSON.stringify(manifest));
      const digest = sha256Digest(bytes);
      const mediaType = (manifest as { mediaType?: string }).mediaType ?? "application/json";
      const entry = { bytes, mediaType, digest };
      manifests.set(`${repository}@${tag}`, entry);
      manifests.set(`${repository}@${digest}`, entry);
      return digest;
    },
    override: (path, bytes) => overrides.set(path, bytes),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
