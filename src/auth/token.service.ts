import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import type { Actor } from './actor';

export const SIGNING_KEY = Symbol('SIGNING_KEY');
export const TOKEN_ALGORITHM = 'HS256';

/** How far a token's `iat` may lie in the future (clocks of several replicas drift a little). */
const CLOCK_SKEW_SECONDS = 30;

/** Claims of an access token; `sub` is the user id or the API client's id. */
export interface AccessTokenClaims {
  sub: string;
  kind: Actor['kind'];
  role: Actor['role'];
  office: string | null;
  network: string | null;
  partner: string | null;
  client_id: string | null;
  /**
   * The session (one sign-in and the refresh tokens rotated from it) of a user token. Each request
   * checks that it is still open, so revoking it, a password change or a deactivation ends the access
   * tokens at once instead of when they expire. Partner tokens have none (their API client is checked).
   */
  sid?: string;
  iat: number;
  exp: number;
}

/**
 * Verified tokens remembered, so a caller's repeated requests skip the signature check (a twentieth
 * of a read's CPU, measured). An entry is used only until the token's expiry; the session or API
 * client is still re-read on every request, so revocation takes effect at once.
 */
const MAX_REMEMBERED_TOKENS = 10_000;

/** What a bearer token turned out to be: verified claims, or why it is refused. */
export type VerifiedToken = { claims: AccessTokenClaims } | { refused: string };

@Injectable()
export class TokenService {
  private readonly jwt: JwtService;
  /** Token → its claims and the second (epoch) from which it is no longer valid. */
  private readonly remembered = new Map<string, { claims: AccessTokenClaims; validUntil: number }>();

  /**
   * `signingKey` is a `KeyObject` made once at start-up: handed a Buffer, jsonwebtoken would first try
   * `createPublicKey()` on every verification, fail, and only then make a secret key (a quarter of the
   * CPU time of a read, measured).
   */
  constructor(
    @Inject(SIGNING_KEY) signingKey: KeyObject,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.jwt = new JwtService({
      secret: signingKey,
      signOptions: {
        algorithm: TOKEN_ALGORITHM,
        issuer: config.auth.issuer,
        audience: config.auth.audience,
        expiresIn: config.auth.accessTokenTtlSeconds,
      },
      verifyOptions: {
        // Only HS256: `alg: none` and every other algorithm are refused.
        algorithms: [TOKEN_ALGORITHM],
        issuer: config.auth.issuer,
        audience: config.auth.audience,
        // However far away `exp` lies, a token is not accepted for longer than the configured lifetime.
        maxAge: config.auth.accessTokenTtlSeconds,
      },
    });
  }

  get accessTokenTtlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  /** `sessionId` for people (the session the token belongs to); partner systems have none. */
  issueAccessToken(actor: Actor, sessionId?: string): string {
    const claims: Omit<AccessTokenClaims, 'iat' | 'exp'> = {
      sub: actor.id,
      kind: actor.kind,
      role: actor.role,
      office: actor.officeId,
      network: actor.networkId,
      partner: actor.partnerId,
      client_id: actor.apiClientId,
      ...(sessionId ? { sid: sessionId } : {}),
    };
    return this.jwt.sign(claims, { jwtid: randomUUID() });
  }

  /**
   * Signature, algorithm, issuer, audience, expiry and age; then the claims this API relies on. A token
   * without `exp` (which jsonwebtoken would accept forever) or without `iat` is refused.
   */
  verifyAccessToken(token: string): VerifiedToken {
    const now = Date.now() / 1000;
    const remembered = this.remembered.get(token);
    if (remembered !== undefined) {
      if (now < remembered.validUntil) {
        return { claims: remembered.claims };
      }
      this.remembered.delete(token);
    }
    const verified = this.verifySignedToken(token, now);
    if ('claims' in verified) {
      this.remember(token, verified.claims);
    }
    return verified;
  }

  private verifySignedToken(token: string, now: number): VerifiedToken {
    let payload: Record<string, unknown>;
    try {
      payload = this.jwt.verify<Record<string, unknown>>(token);
    } catch {
      return { refused: 'A valid access token is required.' };
    }
    const { sub, kind, sid, iat, exp } = payload;
    if (typeof exp !== 'number' || typeof iat !== 'number') {
      return { refused: 'The access token must carry iat and exp.' };
    }
    if (iat > now + CLOCK_SKEW_SECONDS) {
      return { refused: 'The access token was issued in the future.' };
    }
    if (typeof sub !== 'string' || (kind !== 'user' && kind !== 'partner')) {
      return { refused: 'A valid access token is required.' };
    }
    if (kind === 'user' && typeof sid !== 'string') {
      return { refused: 'The access token belongs to no session; sign in again.' };
    }
    return { claims: payload as unknown as AccessTokenClaims };
  }

  /** Valid until its expiry or its maximum age, whichever comes first (as jsonwebtoken checks them). */
  private remember(token: string, claims: AccessTokenClaims): void {
    if (this.remembered.size >= MAX_REMEMBERED_TOKENS) {
      // The oldest entry goes first (a Map iterates in insertion order).
      this.remembered.delete(this.remembered.keys().next().value as string);
    }
    const validUntil = Math.min(claims.exp, claims.iat + this.config.auth.accessTokenTtlSeconds);
    this.remembered.set(token, { claims, validUntil });
  }

  /** An opaque, high-entropy refresh token and the hash that is stored in its place. */
  newRefreshToken(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: hashRefreshToken(token) };
  }
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
