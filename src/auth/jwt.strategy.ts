import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import type { Actor } from './actor';
import { AuthService } from './auth.service';
import { SIGNING_KEY, TOKEN_ALGORITHM, type AccessTokenClaims } from './token.service';

/** Verifies signature (HS256 only: `alg: none` and others are refused), issuer, audience and expiry. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(SIGNING_KEY) signingKey: Buffer,
    @InjectConfig() config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: signingKey,
      algorithms: [TOKEN_ALGORITHM],
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): Promise<Actor> {
    return this.auth.actorForToken(claims);
  }
}
