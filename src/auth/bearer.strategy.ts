import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';
import { ProblemError } from '../common/errors/problem.error';
import { AuthService, type Principal } from './auth.service';
import { verifiedBearer } from './bearer';
import { TokenService } from './token.service';

/**
 * Passport's bearer strategy: the token is verified once per request (`verifiedBearer`, shared with
 * the rate limit, which runs first), then the principal is re-read — the user must still be active and
 * the session open, or the API client not revoked.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(
    private readonly tokens: TokenService,
    private readonly auth: AuthService,
  ) {
    super({ passReqToCallback: true });
  }

  async validate(request: FastifyRequest): Promise<Principal> {
    const verified = verifiedBearer(request, this.tokens);
    if (!verified || 'refused' in verified) {
      throw new ProblemError('unauthenticated', verified?.refused ?? 'A valid access token is required.');
    }
    const principal = await this.auth.principalForToken(verified.claims);
    if (!principal) {
      throw new ProblemError('unauthenticated', 'The access token is no longer valid.');
    }
    return principal;
  }
}
