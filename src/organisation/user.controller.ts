import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import {
  Body,
  Controller,
  Get,
  Header,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor';
import { Allow, CurrentActor } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import {
  ApiCreatedResourceResponse,
  ApiIdParam,
  ApiResourceResponse,
  setCreated,
  setEtag,
} from '../common/http/resource-headers';
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
  @ApiCreatedResourceResponse(UserResponse)
  @ApiProblemResponses(400, 409, 422)
  async create(
    @Body() body: CreateUserRequest,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserResponse> {
    const user = await this.users.create(body, { actor, requestId: request.id });
    setCreated(request, reply, user);
    return user;
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
  @ApiResourceResponse(UserResponse)
  @ApiProblemResponses(400, 404)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserResponse> {
    const user = await this.users.get(id);
    setEtag(reply, user);
    return user;
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
  @ApiResourceResponse(UserResponse)
  @ApiProblemResponses(400, 404, 422)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserRequest,
    @IfMatch() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserResponse> {
    const user = await this.users.update(id, body, expectedVersion, { actor, requestId: request.id });
    setEtag(reply, user);
    return user;
  }
}
