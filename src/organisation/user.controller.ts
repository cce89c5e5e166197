import type { WriteContext } from '../audit/write-context';
import { Caller } from '../common/http/caller.decorator';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import { ApiIdParam, CreatedResource, VersionedResource } from '../common/http/resource-headers';
import { CreateUserRequest, UpdateUserRequest, UserListQuery, UserResponse } from './user.dto';
import { UserService } from './user.service';

/** Users are personal data: every response carries `Cache-Control: no-store`. */
@ApiTags('Administration')
@Controller('users')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Post()
  @Idempotent('user')
  @Allow(Permission.UserWrite)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'createUser',
    summary: 'Create a user (administrator, coordinator or adviser)',
    description:
      'An ADVISER needs `officeId`, a COORDINATOR `networkId`; an office or network that does not exist ' +
      'answers 422. The password is stored only as an argon2id hash and never returned.',
  })
  @CreatedResource(UserResponse)
  @ApiProblemResponses(400, 409, 422)
  create(@Body() body: CreateUserRequest, @Caller() caller: WriteContext): Promise<UserResponse> {
    return this.users.create(body, caller);
  }

  @Get()
  @Allow(Permission.UserRead)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'listUsers',
    summary: 'List users',
    description: 'Oldest first; filters combine with AND. Follow `nextCursor` until it is `null`.',
  })
  @ApiPageResponse(UserResponse)
  @ApiProblemResponses(400)
  list(@Query() query: UserListQuery): Promise<Page<UserResponse>> {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiIdParam('user')
  @Allow(Permission.UserRead)
  @Header('cache-control', 'no-store')
  @ApiOperation({ operationId: 'getUser', summary: 'Get a user' })
  @VersionedResource(UserResponse)
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('user')
  @Allow(Permission.UserWrite)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'updateUser',
    summary: 'Change, deactivate or reactivate a user, or set a new password',
    description:
      'Members left out stay as they are; the version is incremented. `active: false` deactivates (users ' +
      'are never deleted). A role change moves the user out of an office or network the new role does not ' +
      'use; the new role’s `officeId`/`networkId` is required unless the user already has one. ' +
      'Administrators cannot deactivate themselves or change their own role (422).',
  })
  @VersionedResource(UserResponse)
  @ApiProblemResponses(400, 404, 422)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<UserResponse> {
    return this.users.update(id, body, expectedVersion, caller);
  }
}
