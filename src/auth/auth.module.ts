import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { BearerStrategy } from './bearer.strategy';
import { RateLimitGuard } from './rate-limit.guard';
import { resolveSigningKey } from './signing-key';
import { SIGNING_KEY, TokenService } from './token.service';

@Module({
  imports: [PassportModule],
  controllers: [AuthController],
  providers: [
    {
      provide: SIGNING_KEY,
      inject: [APP_CONFIG],
      // A KeyObject, made once: see TokenService.
      useFactory: async (config: AppConfig) => createSecretKey(await resolveSigningKey(config.auth)),
    },
    TokenService,
    AuthRepository,
    AuthService,
    BearerStrategy,
    // Order matters: the rate limit runs first, so that requests the access guard refuses count too.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
