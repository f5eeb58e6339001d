// Bearer-token authentication: the admin token, then bound tokens signed by the TokenIssuer. A
// ServiceAccount token is valid only while an account with the uid it names exists; a node token
// is `system:node:<name>`. Verified tokens are cached until they expire, so a request costs a map
// lookup rather than an ECDSA verification.

import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TokenClaims, TokenIssuer } from "./token-issuer.ts";
import {
  ADMIN_USER,
  nodeUser,
  parseServiceAccountUserName,
  serviceAccountUser,
  type UserInfo,
} from "./user.ts";

export interface ServiceAccountLookup {
  /** The uid of the ServiceAccount that exists now, or undefined. */
  uidOf(namespace: string, name: string): string | undefined;
}

export interface TokenAuthenticatorOptions {
  adminToken: string;
  issuer: TokenIssuer;
  /** A bound token authenticates only when its audiences include one of these. */
  audiences: readonly string[];
  serviceAccounts: ServiceAccountLookup;
  now?: () => Date;
}

interface Verified {
  user: UserInfo;
  expiresAtMs: number;
  account: { namespace: string; name: string; uid: string } | undefined;
}

const CACHE_LIMIT = 4096;
const NODE_PREFIX = "system:node:";

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined || !/^bearer /i.test(header)) return undefined;
  const token = header.slice("bearer ".length).trim();
  return token === "" ? undefined : token;
}

/** Constant-time for tokens of the secret's length; others differ by length, which is no secret. */
function sameSecret(candidate: string, secret: Buffer): boolean {
  if (Buffer.byteLength(candidate) !== secret.length) return false;
  return timingSafeEqual(Buffer.from(candidate), secret);
}

export class TokenAuthenticator {
  readonly #options: TokenAuthenticatorOptions;
  readonly #now: () => Date;
  readonly #cache = new Map<string, Verified>();
  readonly #adminToken: Buffer;

  constructor(options: TokenAuthenticatorOptions) {
    this.#options = options;
    this.#adminToken = Buffer.from(options.adminToken);
    this.#now = options.now ?? (() => new Date());
  }

  /** The user a request's bearer token stands for; undefined when it has none or it is not valid. */
  authenticate(req: IncomingMessage): UserInfo | undefined {
    const token = bearerToken(req);
    return token === undefined ? undefined : this.authenticateToken(token);
  }

  authenticateToken(token: string): UserInfo | undefined {
    if (sameSecret(token, this.#adminToken)) return ADMIN_USER;
    const verified = this.#cache.get(token) ?? this.#verify(token);
    if (verified === undefined) return undefined;
    if (this.#now().getTime() >= verified.expiresAtMs) {
      this.#cache.delete(token);
      return undefined;
    }
    const account = verified.account;
    if (account && this.#options.serviceAccounts.uidOf(account.namespace, account.name) !== account.uid) {
      return undefined;
    }
    return verified.user;
  }

  #verify(token: string): Verified | undefined {
    const claims = this.#options.issuer.verify(token);
    if (claims === undefined) return undefined;
    if (!claims.aud.some((audience) => this.#options.audiences.includes(audience))) return undefined;
    const verified = identify(claims);
    if (verified === undefined) return undefined;
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(token, verified);
    return verified;
  }
}

function identify(claims: TokenClaims): Verified | undefined {
  const expiresAtMs = claims.exp * 1000;
  const bound = claims["kubernetes.io"];
  if (bound !== undefined) {
    const parsed = parseServiceAccountUserName(claims.sub);
    const { namespace, serviceaccount } = bound;
    if (parsed?.namespace !== namespace || parsed.name !== serviceaccount?.name) return undefined;
    const account = { namespace, name: serviceaccount.name, uid: serviceaccount.uid };
    return { user: serviceAccountUser(namespace, account.name, account.uid), expiresAtMs, account };
  }
  if (claims.sub.startsWith(NODE_PREFIX) && claims.sub.length > NODE_PREFIX.length) {
    return { user: nodeUser(claims.sub.slice(NODE_PREFIX.length)), expiresAtMs, account: undefined };
  }
  return undefined;
}
