import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './auth.decorators';

/**
 * Requests per minute per principal (RATE_LIMIT_PER_MINUTE): per user or API client when signed in,
 * per address otherwise. Runs after the access guard, which identifies the principal.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const { actor, ip } = request as unknown as AuthenticatedRequest;
    return Promise.resolve(actor ? `actor:${actor.id}` : `address:${ip}`);
  }
}
