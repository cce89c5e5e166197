import { Injectable, type CanActivate, type ExecutionContext, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemError } from '../common/errors/problem.error';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { verifiedBearer } from './bearer';
import { TokenService } from './token.service';

const WINDOW_MS = 60_000;

interface Window {
  endsAt: number;
  requests: number;
}

/**
 * Requests per minute per principal (RATE_LIMIT_PER_MINUTE), counted in this process: per user or API
 * client when the bearer token verifies, per address otherwise. Runs before the access guard, so
 * refused requests (401, 403) count too: a bad token cannot make the server look up principals
 * without limit.
 *
 * A fixed window per key: one counter, O(1) per request. (@nestjs/throttler, used before, keeps the
 * time of every request of the last minute and filters that list on each request, so its cost grows
 * with the limit.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate, OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly tokens: TokenService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    // Forget the windows that ended, so that the map does not grow with every address ever seen.
    this.sweep = setInterval(() => this.forgetEnded(Date.now()), WINDOW_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const verified = verifiedBearer(request, this.tokens);
    const key =
      verified && 'claims' in verified
        ? `${verified.claims.kind}:${verified.claims.sub}`
        : `address:${request.ip}`;
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { endsAt: now + WINDOW_MS, requests: 0 };
      this.windows.set(key, window);
    }
    window.requests += 1;
    if (window.requests > this.config.auth.rateLimitPerMinute) {
      throw new ProblemError('tooManyRequests', 'Too many requests; retry after the time in Retry-After.', {
        headers: { 'retry-after': String(Math.max(1, Math.ceil((window.endsAt - now) / 1000))) },
      });
    }
    return true;
  }

  private forgetEnded(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now) {
        this.windows.delete(key);
      }
    }
  }
}
