// Bound tokens as Kubernetes issues them through TokenRequest: ES256 JWTs with iss, sub, aud, exp,
// iat, nbf, jti and the private `kubernetes.io` claim naming the ServiceAccount (with its uid, so a
// token dies with its account). Node tokens carry `sub: system:node:<name>` and no account.

import { randomUUID } from "node:crypto";
import { keyId, signJwt, verifyJwt } from "./jwt.ts";
import type { SigningKey } from "./sa-key.ts";

/** Kubernetes' default issuer and API audience (--service-account-issuer, --api-audiences). */
export const DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";
export const MIN_EXPIRATION_SECONDS = 600;
export const DEFAULT_EXPIRATION_SECONDS = 3600;
export const MAX_EXPIRATION_SECONDS = 2 ** 32;
/** How far a token's nbf/iat may lie in the future (clock skew), as the JWT validator allows. */
const LEEWAY_SECONDS = 60;

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  "kubernetes.io"?: { namespace: string; serviceaccount: { name: string; uid: string } };
}

export interface IssueOptions {
  sub: string;
  audiences: readonly string[];
  expirationSeconds: number;
  serviceAccount?: ServiceAccountRef;
}

export interface TokenIssuerOptions {
  key: SigningKey;
  issuer?: string;
  now?: () => Date;
}

export class TokenIssuer {
  readonly issuer: string;
  readonly #key: SigningKey;
  readonly #kid: string;
  readonly #now: () => Date;

  constructor(options: TokenIssuerOptions) {
    this.#key = options.key;
    this.issuer = options.issuer ?? DEFAULT_ISSUER;
    this.#now = options.now ?? (() => new Date());
    this.#kid = keyId(options.key.publicKey);
  }

  issue(options: IssueOptions): { token: string; expiresAt: Date } {
    const iat = Math.floor(this.#now().getTime() / 1000);
    const exp = iat + options.expirationSeconds;
    const claims: TokenClaims = {
      aud: [...options.audiences],
      exp,
      iat,
      iss: this.issuer,
      jti: randomUUID(),
      nbf: iat,
      sub: options.sub,
    };
    const sa = options.serviceAccount;
    if (sa !== undefined) {
      claims["kubernetes.io"] = { namespace: sa.namespace, serviceaccount: { name: sa.name, uid: sa.uid } };
    }
    return { token: signJwt(claims, this.#key.privateKey, this.#kid), expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a token this issuer signed that is valid now; undefined otherwise. */
  verify(token: string): TokenClaims | undefined {
    const claims = verifyJwt(token, this.#key.publicKey);
    if (claims === undefined || claims.iss !== this.issuer || typeof claims.sub !== "string")
      return undefined;
    const { exp, nbf } = claims;
    if (typeof exp !== "number" || typeof nbf !== "number" || !Array.isArray(claims.aud)) return undefined;
    const now = this.#now().getTime() / 1000;
    if (now >= exp || now + LEEWAY_SECONDS < nbf) return undefined;
    return claims as unknown as TokenClaims;
  }
}
