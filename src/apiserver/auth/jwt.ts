// Compact JWS with ES256 (RFC 7515/7518): the signature is the raw r||s pair, as JOSE wants it.

import { createHash, type KeyObject, sign, verify } from "node:crypto";

export interface JwtHeader {
  alg: "ES256";
  kid: string;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/** `kid` as Kubernetes derives it: the SHA-256 of the public key's DER (SPKI), base64url. */
export function keyId(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("base64url");
}

export function signJwt(claims: object, privateKey: KeyObject, kid: string): string {
  const input = `${encode({ alg: "ES256", kid } satisfies JwtHeader)}.${encode(claims)}`;
  const signature = sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${signature.toString("base64url")}`;
}

/** The payload of a token signed by `publicKey` with ES256, or undefined. Claims are not checked. */
export function verifyJwt(token: string, publicKey: KeyObject): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const decoded = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Partial<JwtHeader>;
    if (decoded.alg !== "ES256") return undefined;
    const valid = verify(
      "sha256",
      Buffer.from(`${header}.${payload}`),
      { key: publicKey, dsaEncoding: "ieee-p1363" },
      Buffer.from(signature, "base64url"),
    );
    if (!valid) return undefined;
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
