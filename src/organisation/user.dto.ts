import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  MinLength,
} from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '../auth/password';
import { USER_ROLES, type UserRole } from '../auth/roles';
import { PageQuery } from '../common/http/pagination';
import type { UserRow } from './user.repository';
import { BooleanQuery, OptionalNotNull, Trim } from '../common/http/transforms';

const MAX_PASSWORD_LENGTH = 1024;

const SCOPE_DESCRIPTION =
  'An ADVISER belongs to one office (`officeId`, required), a COORDINATOR to one network (`networkId`, ' +
  'required); an ADMIN to neither. A member the role does not use is refused.';

export class CreateUserRequest {
  @ApiProperty({
    format: 'email',
    example: 'berater@example.org',
    maxLength: 254,
    description: 'The sign-in name; stored in lower case, unique.',
  })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Aylin Demir', minLength: 1, maxLength: 200 })
  @Trim()
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES, example: 'ADVISER', description: SCOPE_DESCRIPTION })
  @IsIn(USER_ROLES)
  role!: UserRole;

  @ApiPropertyOptional({
    format: 'uuid',
    example: 'a7d9e2f4-1c3b-4e5a-8f6d-9b0c2e4a6d81',
    description: 'The adviser’s office (required for ADVISER, refused otherwise); must exist.',
  })
  @IsOptional()
  @IsUUID('all')
  officeId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    example: 'c5e8a1b3-7d2f-4a6c-9e0b-3f1d5a7c9e24',
    description: 'The coordinator’s network (required for COORDINATOR, refused otherwise); must exist.',
  })
  @IsOptional()
  @IsUUID('all')
  networkId?: string;

  @ApiProperty({
    format: 'password',
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
    example: 'correct horse battery staple',
    description: 'Stored only as an argon2id hash; never returned.',
  })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}

/**
 * Members left out stay as they are. The e-mail address does not change. Changing the role moves the
 * user out of an office or network the new role does not use.
 */
export class UpdateUserRequest {
  @ApiPropertyOptional({ example: 'Aylin Demir-Schulz', minLength: 1, maxLength: 200 })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @ApiPropertyOptional({ enum: USER_ROLES, example: 'COORDINATOR', description: SCOPE_DESCRIPTION })
  @OptionalNotNull()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({
    format: 'uuid',
    example: 'a7d9e2f4-1c3b-4e5a-8f6d-9b0c2e4a6d81',
    description: 'Moves an adviser to another office (or gives a user who becomes ADVISER one).',
  })
  @OptionalNotNull()
  @IsUUID('all')
  officeId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    example: 'c5e8a1b3-7d2f-4a6c-9e0b-3f1d5a7c9e24',
    description: 'Moves a coordinator to another network (or gives a user who becomes COORDINATOR one).',
  })
  @OptionalNotNull()
  @IsUUID('all')
  networkId?: string;

  @ApiPropertyOptional({
    example: false,
    description:
      '`false` deactivates the user (they can no longer sign in, their tokens stop working at once; the ' +
      'user and their history are kept); `true` reactivates.',
  })
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    format: 'password',
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
    description: 'Sets a new password (stored only as an argon2id hash).',
  })
  @OptionalNotNull()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password?: string;
}

export class UserListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only advisers of this office.' })
  @IsOptional()
  @IsUUID('all')
  officeId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only users of this network: its coordinators and the advisers of its offices.',
  })
  @IsOptional()
  @IsUUID('all')
  networkId?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description: '`true`: only active users; `false`: only deactivated.',
  })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  active?: boolean;
}

/** A person who signs in. Never carries the password or its hash. */
export class UserResponse {
  @ApiProperty({ format: 'uuid', example: '3f1c2a9e-5b7d-4e8a-9c6f-2d4b8a1e7c3d' })
  id!: string;

  @ApiProperty({ format: 'email', example: 'berater@example.org' })
  email!: string;

  @ApiProperty({ example: 'Aylin Demir' })
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES, example: 'ADVISER' })
  role!: UserRole;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: 'a7d9e2f4-1c3b-4e5a-8f6d-9b0c2e4a6d81',
    description: 'The adviser’s office; `null` for other roles.',
  })
  officeId!: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: 'c5e8a1b3-7d2f-4a6c-9e0b-3f1d5a7c9e24',
    description: 'The coordinator’s network, or the network of the adviser’s office; `null` for ADMIN.',
  })
  networkId!: string | null;

  @ApiProperty({ example: true, description: '`false`: deactivated; cannot sign in.' })
  active!: boolean;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  deactivatedAt!: string | null;

  @ApiProperty({ example: 1, description: 'Incremented by every change; also sent as `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:30:00.123456Z' })
  updatedAt!: string;
}

/** Lists the fields a response may carry; the password hash is not even selected from the database. */
export function toUserResponse(row: UserRow): UserResponse {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    officeId: row.officeId,
    networkId: row.networkId,
    active: row.active,
    deactivatedAt: row.deactivatedAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
