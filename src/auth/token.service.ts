import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import type { Actor } from './actor';

export const SIGNING_KEY = Symbol('SIGNING_KEY');
export const TOKEN_ALGORITHM = 'HS256';

/** Claims of an access token; `sub` is the user id or the API client's id. */
export interface AccessTokenClaims {
  sub: string;
  kind: Actor['kind'];
  role: Actor['role'];
  office: string | null;
  network: string | null;
  partner: string | null;
  client_id: string | null;
}

@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(
    @Inject(SIGNING_KEY) signingKey: Buffer,
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
    });
  }

  get accessTokenTtlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  issueAccessToken(actor: Actor): string {
    const claims: AccessTokenClaims = {
      sub: actor.id,
      kind: actor.kind,
      role: actor.role,
      office: actor.officeId,
      network: actor.networkId,
      partner: actor.partnerId,
      client_id: actor.apiClientId,
    };
    return this.jwt.sign(claims, { jwtid: randomUUID() });
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
