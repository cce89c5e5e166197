import { Body, Controller, Get, Header, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WriteContext } from '../audit/write-context';
import { Caller } from '../common/http/caller.decorator';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import type { Actor } from './actor';
import {
  Allow,
  CurrentActor,
  OpenDuringPasswordChange,
  Public,
  type AuthenticatedRequest,
} from './auth.decorators';
import {
  ChangePasswordRequest,
  MeResponse,
  OAuthErrorResponse,
  RevokeRequest,
  TokenRequestDto,
  TokenResponse,
  toMeResponse,
} from './auth.dto';
import { AuthService } from './auth.service';
import { OAuthError } from './oauth.error';
import { Permission } from './permissions';
import { parseTokenRequest } from './token-request';

const oauthError = (status: number, description: string) =>
  ApiResponse({
    status,
    description,
    content: { 'application/json': { schema: { $ref: getSchemaPath(OAuthErrorResponse) } } },
  });

@ApiTags('Authentication')
@ApiExtraModels(OAuthErrorResponse)
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('token')
  @Public()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'issueToken',
    summary: 'Obtain an access token (OAuth 2.0 token endpoint)',
    description:
      'People use `grant_type=password`; partner systems `client_credentials` (in the body or as HTTP Basic); ' +
      '`refresh_token` rotates: each refresh token is valid once, and presenting a used one revokes its family. ' +
      'Errors follow RFC 6749 (`{ error, error_description }`), not problem+json. Repeated failed sign-ins answer 429.',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenResponse })
  @oauthError(400, '`invalid_request`, `invalid_grant` or `unsupported_grant_type`')
  @oauthError(401, '`invalid_client`: unknown or revoked API client, or a wrong secret')
  @oauthError(429, '`slow_down`: too many failed sign-ins for this account or address; see `Retry-After`')
  async token(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse | OAuthErrorResponse> {
    try {
      return await this.auth.token(parseTokenRequest(body, authorization), {
        address: request.ip,
        requestId: request.id,
      });
    } catch (error) {
      if (error instanceof OAuthError) {
        void reply.status(error.status).headers({ ...error.headers, pragma: 'no-cache' });
        return { error: error.code, error_description: error.description };
      }
      throw error;
    }
  }

  @Post('revoke')
  @Allow(Permission.Self)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'revokeToken',
    summary: 'Revoke a refresh token (RFC 7009) and every token rotated from it',
    description: 'Answers 200 whether or not the token was valid or the caller’s.',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'Revoked (or nothing to revoke).', schema: { type: 'object' } })
  @ApiProblemResponses(400)
  async revoke(@Body() body: RevokeRequest, @Caller() caller: WriteContext): Promise<Record<string, never>> {
    await this.auth.revoke(body.token, caller.actor, caller.requestId);
    return {};
  }

  @Post('password')
  @Allow(Permission.OwnPassword)
  @OpenDuringPasswordChange()
  @HttpCode(204)
  @ApiOperation({
    operationId: 'changeOwnPassword',
    summary: 'Set your own password',
    description:
      'How anyone changes their password, and the only operation an account may use after an ' +
      'administrator set its password (everything else answers 403 `password-change-required`). Every ' +
      'other session of the account ends; this one stays signed in. A wrong `currentPassword` answers ' +
      '400 and counts like a failed sign-in (429 after `SIGN_IN_MAX_FAILURES`).',
  })
  @ApiResponse({ status: 204, description: 'Your password is changed.' })
  @ApiProblemResponses(400)
  async changePassword(
    @Body() body: ChangePasswordRequest,
    @CurrentActor() actor: Actor,
    @Req() request: AuthenticatedRequest,
  ): Promise<void> {
    await this.auth.changeOwnPassword(body, actor, request.sessionId, {
      address: request.ip,
      requestId: request.id,
    });
  }

  @Get('me')
  @Allow(Permission.Self)
  @Header('cache-control', 'no-store')
  @ApiOperation({ operationId: 'getMe', summary: 'Who the access token belongs to' })
  @ApiOkResponse({ type: MeResponse })
  async me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    return toMeResponse(await this.auth.identity(actor));
  }
}
