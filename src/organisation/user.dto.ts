import { ApiProperty } from '@nestjs/swagger';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/password';
import { USER_ROLES, type UserRole } from '../auth/roles';
import { PageQuery } from '../common/http/pagination';
import {
  ValidateBoolean,
  ValidateEmail,
  ValidateEnum,
  ValidateString,
  ValidateUUID,
} from '../common/http/validate.decorators';
import type { UserRow } from './user.repository';

const SCOPE_DESCRIPTION =
  'An ADVISER belongs to one office (`officeId`, required), a COORDINATOR to one network (`networkId`, ' +
  'required); an ADMIN to neither. A member the role does not use is refused.';

export class CreateUserRequest {
  @ValidateEmail({
    max: 254,
    example: 'berater@example.org',
    description: 'The sign-in name; stored in lower case, unique.',
  })
  email!: string;

  @ValidateString({ trim: true, min: 1, max: 200, example: 'Aylin Demir' })
  displayName!: string;

  @ValidateEnum({ values: USER_ROLES, example: 'ADVISER', description: SCOPE_DESCRIPTION })
  role!: UserRole;

  @ValidateUUID({
    optional: true,
    example: 'a7d9e2f4-1c3b-4e5a-8f6d-9b0c2e4a6d81',
    description: 'The adviser’s office (required for ADVISER, refused otherwise); must exist.',
  })
  officeId?: string;

  @ValidateUUID({
    optional: true,
    example: 'c5e8a1b3-7d2f-4a6c-9e0b-3f1d5a7c9e24',
    description: 'The coordinator’s network (required for COORDINATOR, refused otherwise); must exist.',
  })
  networkId?: string;

  @ValidateString({
    format: 'password',
    min: MIN_PASSWORD_LENGTH,
    max: MAX_PASSWORD_LENGTH,
    example: 'correct horse battery staple',
    description: 'Stored only as an argon2id hash; never returned.',
  })
  password!: string;
}

/**
 * Members left out stay as they are. The e-mail address does not change. Changing the role moves the
 * user out of an office or network the new role does not use.
 */
export class UpdateUserRequest {
  @ValidateString({ optional: true, trim: true, min: 1, max: 200, example: 'Aylin Demir-Schulz' })
  displayName?: string;

  @ValidateEnum({
    optional: true,
    values: USER_ROLES,
    example: 'COORDINATOR',
    description: SCOPE_DESCRIPTION,
  })
  role?: UserRole;

  @ValidateUUID({
    optional: true,
    example: 'a7d9e2f4-1c3b-4e5a-8f6d-9b0c2e4a6d81',
    description: 'Moves an adviser to another office (or gives a user who becomes ADVISER one).',
  })
  officeId?: string;

  @ValidateUUID({
    optional: true,
    example: 'c5e8a1b3-7d2f-4a6c-9e0b-3f1d5a7c9e24',
    description: 'Moves a coordinator to another network (or gives a user who becomes COORDINATOR one).',
  })
  networkId?: string;

  @ValidateBoolean({
    optional: true,
    example: false,
    description:
      '`false` deactivates the user (they can no longer sign in, their tokens stop working at once; the ' +
      'user and their history are kept); `true` reactivates.',
  })
  active?: boolean;

  @ValidateString({
    optional: true,
    format: 'password',
    min: MIN_PASSWORD_LENGTH,
    max: MAX_PASSWORD_LENGTH,
    description: 'Sets a new password (stored only as an argon2id hash).',
  })
  password?: string;
}

export class UserListQuery extends PageQuery {
  @ValidateEnum({ optional: true, values: USER_ROLES })
  role?: UserRole;

  @ValidateUUID({ optional: true, description: 'Only advisers of this office.' })
  officeId?: string;

  @ValidateUUID({
    optional: true,
    description: 'Only users of this network: its coordinators and the advisers of its offices.',
  })
  networkId?: string;

  @ValidateBoolean({
    optional: true,
    query: true,
    description: '`true`: only active users; `false`: only deactivated.',
  })
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
