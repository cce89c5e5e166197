import { Transactional } from '@nestjs-cls/transactional';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { ProblemError, RequestValidationError } from '../common/errors/problem.error';
import type { Actor } from './actor';
import {
  AuthRepository,
  type ApiClientCredentials,
  type ClaimedAttempt,
  type UserCredentials,
} from './auth.repository';
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
  passwordSetByAdminAt: string | null;
}

/** Who an access token belongs to, as checked against the database on this request. */
export interface Principal {
  actor: Actor;
  /** The token's session (people only). */
  sessionId?: string;
  /** An administrator set the password: the account may only set its own. */
  passwordChangeRequired: boolean;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/** The keys an attempt counts against: the account (or API client), and the address it came from. */
interface AttemptKeys {
  subject: string;
  address: string;
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
    const keys = { subject: `account:${email}`, address: `address:${context.address}` };
    await this.claimAttempt(keys);
    const user = await this.repository.findUserByEmail(email);
    const valid = await verifySecret(user?.passwordHash, password);
    if (!user || !valid || !user.active) {
      await this.recordFailure('user', user?.id ?? null, context);
      throw new OAuthError('invalid_grant', INVALID_CREDENTIALS);
    }
    await this.releaseAttempt(keys);
    const actor = userActor(user);
    const refresh = this.tokens.newRefreshToken();
    const sessionId = await this.startSession(actor, refresh.hash, context);
    return this.grant(actor, { sessionId, refreshToken: refresh.token });
  }

  /** A new session for a signed-in user, with its first refresh token and the sign-in's audit event. */
  @Transactional()
  private async startSession(
    actor: Actor,
    refreshTokenHash: string,
    context: RequestContext,
  ): Promise<string> {
    const sessionId = await this.repository.openSession({
      userId: actor.id,
      refreshTokenHash,
      ttlSeconds: this.config.auth.refreshTokenTtlSeconds,
    });
    await this.audit.record({
      actor,
      action: 'auth.sign-in',
      resourceType: 'user',
      resourceId: actor.id,
      requestId: context.requestId,
    });
    return sessionId;
  }

  private async clientCredentialsGrant(
    clientId: string,
    clientSecret: string,
    viaBasicAuth: boolean,
    context: RequestContext,
  ): Promise<TokenGrant> {
    const keys = { subject: `client:${clientId}`, address: `address:${context.address}` };
    await this.claimAttempt(keys);
    const client = await this.repository.findApiClientByClientId(clientId);
    const valid = await verifySecret(client?.secretHash, clientSecret);
    if (!client || !valid || client.revoked) {
      await this.recordFailure('api-client', client?.id ?? null, context);
      throw new OAuthError(
        'invalid_client',
        'The client credentials are not correct, or the client was revoked.',
        401,
        viaBasicAuth ? { 'www-authenticate': 'Basic realm="anker"' } : {},
      );
    }
    await this.releaseAttempt(keys);
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
      return this.grant(outcome.actor, { sessionId: outcome.sessionId, refreshToken: next.token });
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
   * Consumes the presented refresh token and stores its successor in the same session, as one
   * transaction; an inactive user's session is revoked instead (committed, then the grant is refused).
   */
  @Transactional()
  private async rotate(
    tokenHash: string,
    nextHash: string,
  ): Promise<{ actor: Actor; sessionId: string } | 'not-consumed' | 'inactive'> {
    const consumed = await this.repository.consumeRefreshToken(tokenHash);
    if (!consumed) {
      return 'not-consumed';
    }
    const user = await this.repository.findUserById(consumed.userId);
    if (!user?.active) {
      await this.repository.revokeSession(consumed.sessionId);
      return 'inactive';
    }
    await this.repository.insertRefreshToken({
      sessionId: consumed.sessionId,
      tokenHash: nextHash,
      ttlSeconds: this.config.auth.refreshTokenTtlSeconds,
    });
    return { actor: userActor(user), sessionId: consumed.sessionId };
  }

  /** A rotated token that comes back was copied: revoke its session, access tokens included. */
  @Transactional()
  private async detectReuse(tokenHash: string, context: RequestContext): Promise<void> {
    const { state, sessionId, userId } = await this.repository.refreshTokenState(tokenHash);
    if (state === 'used' && sessionId) {
      await this.repository.revokeSession(sessionId);
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

  /**
   * RFC 7009: revoking answers the same whether or not the token was valid. The refresh token's
   * session ends, and with it every access token issued in it.
   */
  @Transactional()
  async revoke(refreshToken: string, actor: Actor, requestId: string): Promise<void> {
    const { sessionId, userId } = await this.repository.refreshTokenState(hashRefreshToken(refreshToken));
    if (sessionId && userId === actor.id) {
      await this.repository.revokeSession(sessionId);
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
   * A person sets their own password (`currentPassword` proves it is them; wrong guesses count
   * against the account like failed sign-ins). Afterwards an administrator no longer knows it, and
   * every other session of the account ends; the caller's own stays open.
   */
  async changeOwnPassword(
    change: PasswordChange,
    actor: Actor,
    sessionId: string | undefined,
    context: RequestContext,
  ): Promise<void> {
    if (change.newPassword === change.currentPassword) {
      throw new RequestValidationError([
        { pointer: '#/newPassword', detail: 'must differ from the current password' },
      ]);
    }
    const user = await this.repository.findUserById(actor.id);
    if (!user) {
      throw new Error(`The signed-in user ${actor.id} does not exist`);
    }
    const keys = { subject: `account:${user.email}`, address: `address:${context.address}` };
    await this.claimAttempt(keys, (retryAfter) => {
      throw new ProblemError('tooManyRequests', 'Too many wrong passwords. Try again later.', {
        headers: { 'retry-after': String(retryAfter) },
      });
    });
    if (!(await verifySecret(user.passwordHash, change.currentPassword))) {
      await this.recordFailure('user', user.id, context, actor, 'auth.change-password');
      throw new RequestValidationError([
        { pointer: '#/currentPassword', detail: 'is not your current password' },
      ]);
    }
    await this.releaseAttempt(keys);
    await this.storeOwnPassword(actor, await hashSecret(change.newPassword), sessionId ?? null, context);
  }

  @Transactional()
  private async storeOwnPassword(
    actor: Actor,
    passwordHash: string,
    keepSession: string | null,
    context: RequestContext,
  ): Promise<void> {
    await this.repository.setOwnPassword(actor.id, passwordHash);
    await this.repository.revokeUserSessions(actor.id, keepSession);
    await this.audit.record({
      actor,
      action: 'auth.change-password',
      resourceType: 'user',
      resourceId: actor.id,
      requestId: context.requestId,
    });
  }

  /**
   * Ends every session of a user, access tokens included, inside the caller's transaction: after an
   * administrator sets the password or deactivates the user.
   */
  async revokeSessionsOf(userId: string): Promise<void> {
    await this.repository.revokeUserSessions(userId);
  }

  /**
   * Called for every request with a verified access token: the account must still exist and be
   * active, and a person's session still open. `undefined`: the token no longer counts.
   */
  async principalForToken(claims: AccessTokenClaims): Promise<Principal | undefined> {
    if (claims.kind === 'user' && claims.sid !== undefined) {
      const user = await this.repository.findActiveUserInSession(claims.sub, claims.sid);
      return user
        ? {
            actor: userActor(user),
            sessionId: claims.sid,
            passwordChangeRequired: user.passwordChangeRequired,
          }
        : undefined;
    }
    if (claims.kind === 'partner') {
      const client = await this.repository.findApiClientById(claims.sub);
      return client && !client.revoked
        ? { actor: partnerActor(client), passwordChangeRequired: false }
        : undefined;
    }
    return undefined;
  }

  async identity(actor: Actor): Promise<SignedInIdentity> {
    if (actor.kind === 'user') {
      const user = await this.repository.findUserById(actor.id);
      return {
        actor,
        email: user?.email ?? null,
        displayName: user?.displayName ?? null,
        partnerName: null,
        passwordSetByAdminAt: user?.passwordSetByAdminAt ?? null,
      };
    }
    const client = await this.repository.findApiClientById(actor.id);
    return {
      actor,
      email: null,
      displayName: null,
      partnerName: client?.partnerName ?? null,
      passwordSetByAdminAt: null,
    };
  }

  private grant(actor: Actor, session?: { sessionId: string; refreshToken: string }): TokenGrant {
    return {
      access_token: this.tokens.issueAccessToken(actor, session?.sessionId),
      token_type: 'Bearer',
      expires_in: this.tokens.accessTokenTtlSeconds,
      ...(session ? { refresh_token: session.refreshToken } : {}),
    };
  }

  /**
   * Counts this attempt before the secret is checked (check-then-act would let parallel attempts
   * through): beyond SIGN_IN_MAX_FAILURES for the account or client, or
   * SIGN_IN_MAX_FAILURES_PER_ADDRESS for the address, the attempt is refused unchecked — also with
   * the right secret — and its claims are given back, so that only real guesses count (a locked
   * account retried from an office's shared address does not lock out the whole office).
   */
  private async claimAttempt(
    keys: AttemptKeys,
    refuse: (retryAfterSeconds: number) => never = (retryAfter) => {
      throw new OAuthError('slow_down', 'Too many failed sign-ins. Try again later.', 429, {
        'retry-after': String(retryAfter),
      });
    },
  ): Promise<void> {
    const { signInMaxFailures, signInMaxFailuresPerAddress, signInFailureWindowSeconds } = this.config.auth;
    const claimed = await this.repository.claimAttempt(
      [keys.subject, keys.address],
      signInFailureWindowSeconds,
    );
    const over = (key: string, limit: number): ClaimedAttempt | undefined =>
      claimed.find((attempt) => attempt.key === key && attempt.failures > limit);
    const exceeded = over(keys.subject, signInMaxFailures) ?? over(keys.address, signInMaxFailuresPerAddress);
    if (exceeded) {
      await this.repository.releaseAttempts(
        { giveBack: [keys.subject, keys.address] },
        signInFailureWindowSeconds,
      );
      refuse(exceeded.retryAfterSeconds);
    }
  }

  /** After a success: the account or client starts again, the address gets its claim back. */
  private releaseAttempt(keys: AttemptKeys): Promise<void> {
    return this.repository.releaseAttempts(
      { clear: keys.subject, giveBack: [keys.address] },
      this.config.auth.signInFailureWindowSeconds,
    );
  }

  /** The attempt was already counted by `claimAttempt`; the failure is audited. */
  private async recordFailure(
    resourceType: string,
    resourceId: string | null,
    context: RequestContext,
    actor: Actor | null = null,
    action = 'auth.sign-in',
  ): Promise<void> {
    await this.audit.record({
      actor,
      action,
      resourceType,
      resourceId,
      requestId: context.requestId,
      outcome: 'FAILURE',
    });
  }
}
