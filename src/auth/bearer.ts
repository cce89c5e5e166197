import type { FastifyRequest } from 'fastify';
import type { TokenService, VerifiedToken } from './token.service';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;
const VERIFIED = Symbol('anker:verified-bearer');

type WithVerifiedBearer = FastifyRequest & { [VERIFIED]?: VerifiedToken | null };

/**
 * The request's bearer token, verified once per request: the rate limit (which runs first, to count
 * refused requests too) and the access guard both need it. `null` when the request carries none.
 * Verification is pure (no database); the access guard then checks the principal and session.
 */
export function verifiedBearer(request: FastifyRequest, tokens: TokenService): VerifiedToken | null {
  const cached = (request as WithVerifiedBearer)[VERIFIED];
  if (cached !== undefined) {
    return cached;
  }
  const header = request.headers.authorization;
  let verified: VerifiedToken | null = null;
  if (header !== undefined) {
    const token = BEARER.exec(header)?.[1];
    verified = token ? tokens.verifyAccessToken(token) : { refused: 'A valid access token is required.' };
  }
  (request as WithVerifiedBearer)[VERIFIED] = verified;
  return verified;
}
