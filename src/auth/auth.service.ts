import { Transactional } from '@nestjs-cls/transactional';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { ProblemError } from '../common/errors/problem.error';
import type { Actor } from './actor';
import { AuthRepository, type ApiClientCredentials, type UserCredentials } from './auth.repository';
import { OAuthError } from './oauth.error';
import { hashSecret, verifySecret } from './password';
import { hashRefreshToken, TokenService, type AccessTokenClaims } from './token.service';

export type TokenRequest =
  | { grantType: 'password'; username: string; password: string }
  | { grantType: 'client_credentials'; clientId: string; clientSecret: string; viaBasicAuth: boolean }
  | { grantType: 'refresh_token'; refreshToken: string };

export interface TokenGrant {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
}

export interface RequestContext {
  address: string;
  requestId: string;
}

export interface SignedInIdentity {
  actor: Actor;
  email: string | null;
  displayName: string | null;
  partnerName: string | null;
}

const INVALID_CREDENTIALS = 'The username or password is not correct, or the account is deactivated.';

function userActor(user: UserCredentials): Actor {
  return {
    kind: 'user',
    id: user.id,
    role: user.role,
    officeId: user.officeId,
    networkId: user.networkId,
    partnerId: null,
    apiClientId: null,
  };
}

function partnerActor(client: ApiClientCredentials): Actor {
  return {
    kind: 'partner',
    id: client.id,
    role: 'PARTNER',
    officeId: null,
    networkId: null,
    partnerId: client.partnerId,
    apiClientId: client.clientId,
  };
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly repository: AuthRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** First start with an empty user table: create the administrator from ADMIN_EMAIL/ADMIN_PASSWORD. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.repository.countUsers()) > 0) {
      return;
    }
    const admin = this.config.auth.bootstrapAdmin;
    if (!admin) {
      this.logger.warn(
        'No user exists yet. Create the first administrator with `npm run admin:create`, ' +
          'or start once with ADMIN_EMAIL and ADMIN_PASSWORD set.',
      );
      return;
    }
    const passwordHash = await hashSecret(admin.password);
    if (await this.createFirstAdmin(admin.email, passwordHash)) {
      this.logger.log('Created the first administrator from ADMIN_EMAIL');
    }
  }

  /** The administrator and its audit event, only into an empty user table; its id, if created. */
  @Transactional()
  private async createFirstAdmin(email: string, passwordHash: string): Promise<string | undefined> {
    const created = await this.repository.insertAdmin({ email, displayName: 'Administrator', passwordHash });
    if (created) {
      await this.audit.record({
        actor: 'system',
        action: 'user.create',
        resourceType: 'user',
        resourceId: created,
      });
    }
    return created;
  }

  async token(request: TokenRequest, context: RequestContext): Promise<TokenGrant> {
    switch (request.grantType) {
      case 'password':
        return this.passwordGrant(request.username, request.password, context);
      case 'client_credentials':
        return this.clientCredentialsGrant(
          request.clientId,
          request.clientSecret,
          request.viaBasicAuth,
          context,
        );
      case 'refresh_token':
        return this.refreshTokenGrant(request.refreshToken, context);
    }
  }

  private async passwordGrant(
    username: string,
    password: string,
    context: RequestContext,
  ): Promise<TokenGrant> {
    const email = username.trim().toLowerCase();
    const keys = [`account:${email}`, `address:${context.address}`];
    await this.assertNotLockedOut(keys);
    const user = await this.repository.findUserByEmail(email);
    const valid = await verifySecret(user?.passwordHash, password);
    if (!user || !valid || !user.active) {
      await this.recordFailure(keys, 'user', user?.id ?? null, context);
      throw new OAuthError('invalid_grant', INVALID_CREDENTIALS);
    }
    await this.repository.clearFailures([keys[0]]);
    const actor = userActor(user);
    const refresh = this.tokens.newRefreshToken();
    await this.startSession(actor, refresh.hash, context);
    return this.grant(actor, refresh.token);
  }

  /** A new refresh-token family for a signed-in user, with the sign-in's audit event. */
  @Transactional()
  private async startSession(actor: Actor, refreshTokenHash: string, context: RequestContext): Promise<void> {
    await this.repository.insertRefreshToken({
      familyId: randomUUID(),
      userId: actor.id,
      tokenHash: refreshTokenHash,
      ttlSeconds: this.config.auth.refreshTokenTtlSeconds,
    });
    await this.audit.record({
      actor,
      action: 'auth.sign-in',
      resourceType: 'user',
      resourceId: actor.id,
      requestId: context.requestId,
    });
  }

  private async clientCredentialsGrant(
    clientId: string,
    clientSecret: string,
    viaBasicAuth: boolean,
    context: RequestContext,
  ): Promise<TokenGrant> {
    const keys = [`client:${clientId}`, `address:${context.address}`];
    await this.assertNotLockedOut(keys);
    const client = await this.repository.findApiClientByClientId(clientId);
    const valid = await verifySecret(client?.secretHash, clientSecret);
    if (!client || !valid || client.revoked) {
      await this.recordFailure(keys, 'api-client', client?.id ?? null, context);
      throw new OAuthError(
        'invalid_client',
        'The client credentials are not correct, or the client was revoked.',
        401,
        viaBasicAuth ? { 'www-authenticate': 'Basic realm="anker"' } : {},
      );
    }
    await this.repository.clearFailures([keys[0]]);
    const actor = partnerActor(client);
    await this.recordClientSignIn(actor, context);
    return this.grant(actor);
  }

  @Transactional()
  private async recordClientSignIn(actor: Actor, context: RequestContext): Promise<void> {
    await this.repository.markApiClientUsed(actor.id);
    await this.audit.record({
      actor,
      action: 'auth.sign-in',
      resourceType: 'api-client',
      resourceId: actor.id,
      requestId: context.requestId,
    });
  }

  private async refreshTokenGrant(refreshToken: string, context: RequestContext): Promise<TokenGrant> {
    const tokenHash = hashRefreshToken(refreshToken);
    const next = this.tokens.newRefreshToken();
    const outcome = await this.rotate(tokenHash, next.hash);
    if (typeof outcome === 'object') {
      return this.grant(outcome, next.token);
    }
    if (outcome === 'not-consumed') {
      await this.detectReuse(tokenHash, context);
    }
    throw new OAuthError(
      'invalid_grant',
      'The refresh token is not valid (unknown, expired, used or revoked).',
    );
  }

  /**
   * Consumes the presented refresh token and stores its successor in the same family, as one
   * transaction; an inactive user's family is revoked instead (committed, then the grant is refused).
   */
  @Transactional()
  private async rotate(tokenHash: string, nextHash: string): Promise<Actor | 'not-consumed' | 'inactive'> {
    const consumed = await this.repository.consumeRefreshToken(tokenHash);
    if (!consumed) {
      return 'not-consumed';
    }
    const user = await this.repository.findUserById(consumed.userId);
    if (!user?.active) {
      await this.repository.revokeFamily(consumed.familyId);
      return 'inactive';
    }
    await this.repository.insertRefreshToken({
      familyId: consumed.familyId,
      userId: user.id,
      tokenHash: nextHash,
      ttlSeconds: this.config.auth.refreshTokenTtlSeconds,
    });
    return userActor(user);
  }

  /** A rotated token that comes back was copied: revoke every token of its family. */
  @Transactional()
  private async detectReuse(tokenHash: string, context: RequestContext): Promise<void> {
    const { state, familyId, userId } = await this.repository.refreshTokenState(tokenHash);
    if (state === 'used' && familyId) {
      await this.repository.revokeFamily(familyId);
      await this.audit.record({
        actor: null,
        action: 'auth.refresh-token-reuse',
        resourceType: 'user',
        resourceId: userId ?? null,
        requestId: context.requestId,
        outcome: 'DENIED',
      });
    }
  }

  /** RFC 7009: revoking answers the same whether or not the token was valid. */
  @Transactional()
  async revoke(refreshToken: string, actor: Actor, requestId: string): Promise<void> {
    const { familyId, userId } = await this.repository.refreshTokenState(hashRefreshToken(refreshToken));
    if (familyId && userId === actor.id) {
      await this.repository.revokeFamily(familyId);
      await this.audit.record({
        actor,
        action: 'auth.revoke',
        resourceType: 'user',
        resourceId: actor.id,
        requestId,
      });
    }
  }

  /**
   * Ends every session of a user (their refresh tokens), inside the caller's transaction: after a
   * password change or a deactivation. Access tokens need no revocation: each request re-reads the user.
   */
  async revokeSessionsOf(userId: string): Promise<void> {
    await this.repository.revokeUserSessions(userId);
  }

  /** Called for every request with an access token: the account must still exist and be active. */
  async actorForToken(claims: AccessTokenClaims): Promise<Actor> {
    if (claims.kind === 'user') {
      const user = await this.repository.findUserById(claims.sub);
      if (user?.active) {
        return userActor(user);
      }
    } else if (claims.kind === 'partner') {
      const client = await this.repository.findApiClientById(claims.sub);
      if (client && !client.revoked) {
        return partnerActor(client);
      }
    }
    throw new ProblemError('unauthenticated', 'The access token is no longer valid.');
  }

  async identity(actor: Actor): Promise<SignedInIdentity> {
    if (actor.kind === 'user') {
      const user = await this.repository.findUserById(actor.id);
      return { actor, email: user?.email ?? null, displayName: user?.displayName ?? null, partnerName: null };
    }
    const client = await this.repository.findApiClientById(actor.id);
    return { actor, email: null, displayName: null, partnerName: client?.partnerName ?? null };
  }

  private grant(actor: Actor, refreshToken?: string): TokenGrant {
    return {
      access_token: this.tokens.issueAccessToken(actor),
      token_type: 'Bearer',
      expires_in: this.tokens.accessTokenTtlSeconds,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  }

  private async assertNotLockedOut(keys: string[]): Promise<void> {
    const { signInMaxFailures, signInMaxFailuresPerAddress, signInFailureWindowSeconds } = this.config.auth;
    const failures = await this.repository.recentFailures(keys, signInFailureWindowSeconds);
    const [account, address] = keys;
    if (
      (failures.get(account) ?? 0) >= signInMaxFailures ||
      (failures.get(address) ?? 0) >= signInMaxFailuresPerAddress
    ) {
      throw new OAuthError('slow_down', 'Too many failed sign-ins. Try again later.', 429, {
        'retry-after': String(signInFailureWindowSeconds),
      });
    }
  }

  @Transactional()
  private async recordFailure(
    keys: string[],
    resourceType: string,
    resourceId: string | null,
    context: RequestContext,
  ): Promise<void> {
    await this.repository.recordFailures(keys, this.config.auth.signInFailureWindowSeconds);
    await this.audit.record({
      actor: null,
      action: 'auth.sign-in',
      resourceType,
      resourceId,
      requestId: context.requestId,
      outcome: 'FAILURE',
    });
  }
}
