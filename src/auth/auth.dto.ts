import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateString } from '../common/http/validate.decorators';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password';
import type { SignedInIdentity, TokenGrant } from './auth.service';
import { ACTOR_ROLES, type ActorRole } from './roles';
import { MAX_FIELD_LENGTH } from './token-request';

/** Documentation of the token request; the endpoint validates it itself to answer OAuth errors. */
export class TokenRequestDto {
  @ApiProperty({ enum: ['password', 'client_credentials', 'refresh_token'], example: 'password' })
  grant_type!: string;

  @ApiPropertyOptional({
    description: 'E-mail address (password grant).',
    example: 'berater@example.org',
    maxLength: MAX_FIELD_LENGTH,
  })
  username?: string;

  @ApiPropertyOptional({
    description: 'Password (password grant).',
    example: 'correct horse battery staple',
    maxLength: MAX_FIELD_LENGTH,
  })
  password?: string;

  @ApiPropertyOptional({
    description: 'API client id (client_credentials; or use HTTP Basic authentication).',
    example: 'pc_0a1B2c3D4e5F6g7H8i9J0k',
    maxLength: MAX_FIELD_LENGTH,
  })
  client_id?: string;

  @ApiPropertyOptional({
    description: 'API client secret (client_credentials).',
    maxLength: MAX_FIELD_LENGTH,
  })
  client_secret?: string;

  @ApiPropertyOptional({ description: 'Refresh token (refresh_token grant).', maxLength: MAX_FIELD_LENGTH })
  refresh_token?: string;
}

export class TokenResponse implements TokenGrant {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type!: 'Bearer';

  @ApiProperty({ example: 900, description: 'Lifetime of the access token in seconds.' })
  expires_in!: number;

  @ApiPropertyOptional({
    description: 'Rotating refresh token (password and refresh_token grants). Each is valid once.',
  })
  refresh_token?: string;
}

export class OAuthErrorResponse {
  @ApiProperty({
    enum: ['invalid_request', 'invalid_client', 'invalid_grant', 'unsupported_grant_type', 'slow_down'],
    example: 'invalid_grant',
  })
  error!: string;

  @ApiProperty({ example: 'The username or password is not correct, or the account is deactivated.' })
  error_description!: string;
}

export class RevokeRequest {
  @ValidateString({ min: 1, max: 512, description: 'The refresh token to revoke (with its whole family).' })
  token!: string;
}

export class ChangePasswordRequest {
  @ValidateString({
    format: 'password',
    min: 1,
    max: MAX_PASSWORD_LENGTH,
    description: 'The password you signed in with.',
  })
  currentPassword!: string;

  @ValidateString({
    format: 'password',
    min: MIN_PASSWORD_LENGTH,
    max: MAX_PASSWORD_LENGTH,
    example: 'correct horse battery staple',
    description: 'Your new password; must differ from the current one. Stored only as an argon2id hash.',
  })
  newPassword!: string;
}

export class MeResponse {
  @ApiProperty({ enum: ['user', 'partner'] })
  kind!: 'user' | 'partner';

  @ApiProperty({ format: 'uuid', description: 'User id, or the API client id of a partner system.' })
  id!: string;

  @ApiProperty({ enum: ACTOR_ROLES })
  role!: ActorRole;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  officeId!: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  networkId!: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  partnerId!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The `client_id` of a partner system.' })
  clientId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'berater@example.org' })
  email!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Aylin Demir' })
  displayName!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Jobcenter Berlin Mitte' })
  partnerName!: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-11-22T09:30:00.123456Z',
    description:
      'When an administrator last set your password (creating your account or resetting it); `null` if ' +
      'never. If you did not expect it, tell your office: whoever set it could have signed in as you.',
  })
  passwordSetByAdministratorAt!: string | null;
}

export function toMeResponse(identity: SignedInIdentity): MeResponse {
  const { actor } = identity;
  return {
    kind: actor.kind,
    id: actor.id,
    role: actor.role,
    officeId: actor.officeId,
    networkId: actor.networkId,
    partnerId: actor.partnerId,
    clientId: actor.apiClientId,
    email: identity.email,
    displayName: identity.displayName,
    partnerName: identity.partnerName,
    passwordSetByAdministratorAt: identity.passwordSetByAdminAt,
  };
}
