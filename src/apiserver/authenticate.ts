// Bearer-token authentication. The admin token is the only identity until RBAC arrives.

import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Authenticator } from "./http/server.ts";

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith("Bearer ")) return undefined;
  return header.slice("Bearer ".length).trim();
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function tokenAuthenticator(adminToken: string): Authenticator {
  return (req) => {
    const token = bearerToken(req);
    if (token === undefined || !sameSecret(token, adminToken)) return undefined;
    return { name: "mob:admin", groups: ["system:masters", "system:authenticated"] };
  };
}
