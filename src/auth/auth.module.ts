import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { RateLimitGuard } from './rate-limit.guard';
import { resolveSigningKey } from './signing-key';
import { SIGNING_KEY, TokenService } from './token.service';

@Module({
  imports: [
    PassportModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // The name 'default' keeps the standard header names (Retry-After, X-RateLimit-*).
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.auth.rateLimitPerMinute }],
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    {
      provide: SIGNING_KEY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => resolveSigningKey(config.auth),
    },
    TokenService,
    AuthRepository,
    AuthService,
    JwtStrategy,
    // Order matters: the access guard identifies the principal the rate limit counts against.
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
