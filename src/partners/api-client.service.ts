import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { ProblemError } from '../common/errors/problem.error';
import { toPage, type Page, type PageQuery, instantCursor } from '../common/http/pagination';
import { hashSecret } from '../auth/password';
import { auditEvent, type WriteContext } from '../audit/write-context';
import {
  toApiClientResponse,
  toCreatedApiClientResponse,
  type ApiClientResponse,
  type CreateApiClientRequest,
  type CreatedApiClientResponse,
} from './api-client.dto';
import { ApiClientRepository } from './api-client.repository';
import { PartnerRepository } from './partner.repository';
import { partnerNotFound } from './partner.service';

/** Public client id: `pc_` and 16 random bytes (base64url). */
function newClientId(): string {
  return `pc_${randomBytes(16).toString('base64url')}`;
}

/** Client secret: 32 random bytes (base64url, 43 characters). */
function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

@Injectable()
export class ApiClientService {
  constructor(
    private readonly repository: ApiClientRepository,
    private readonly partners: PartnerRepository,
    private readonly audit: AuditService,
  ) {}

  /** Creates machine credentials; the secret is in this answer only, the database keeps its argon2id hash. */
  async create(
    partnerId: string,
    request: CreateApiClientRequest,
    context: WriteContext,
  ): Promise<CreatedApiClientResponse> {
    const clientSecret = newClientSecret();
    const secretHash = await hashSecret(clientSecret);
    const row = await this.insert(
      partnerId,
      { clientId: newClientId(), secretHash, name: request.name },
      context,
    );
    return toCreatedApiClientResponse(row, clientSecret);
  }

  /** The transaction of a create, after the (slow) secret hash. */
  @Transactional()
  private async insert(
    partnerId: string,
    client: { clientId: string; secretHash: string; name: string },
    context: WriteContext,
  ) {
    if (!(await this.partners.exists(partnerId))) {
      throw partnerNotFound();
    }
    const row = await this.repository.insert({ partnerId, ...client });
    await this.audit.record(auditEvent(context, 'api-client.create', 'api-client', row.id));
    return row;
  }

  async list(partnerId: string, query: PageQuery): Promise<Page<ApiClientResponse>> {
    const after = instantCursor(query.cursor);
    if (!(await this.partners.exists(partnerId))) {
      throw partnerNotFound();
    }
    const rows = await this.repository.list(partnerId, after, query.limit);
    return toPage(rows, query.limit, (row) => ({ sortKey: row.createdAt, id: row.id }), toApiClientResponse);
  }

  /**
   * Revokes at once (tokens of the client stop working on their next request). Revoking a revoked client
   * changes nothing and records nothing.
   */
  @Transactional()
  async revoke(partnerId: string, clientId: string, context: WriteContext): Promise<void> {
    if (!(await this.partners.exists(partnerId))) {
      throw partnerNotFound();
    }
    const client = await this.repository.findForUpdate(partnerId, clientId);
    if (!client) {
      throw new ProblemError('notFound', 'No API client with this id for this partner.');
    }
    if (client.revokedAt !== null) {
      return;
    }
    await this.repository.revoke(client.id);
    await this.audit.record(auditEvent(context, 'api-client.revoke', 'api-client', client.id));
  }
}
