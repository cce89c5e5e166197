import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { ProblemError } from '../common/errors/problem.error';
import { ClientRepository, type ClientRow } from './client.repository';

/**
 * The one place that decides whether the caller may touch a client: only a client of the caller's
 * own office exists for them (404 otherwise, never 403, so foreign ids reveal nothing). Modules
 * that store data about a client (qualifications, consultations, recognition cases …) call this
 * before every read and change.
 */
@Injectable()
export class ClientScope {
  constructor(
    private readonly clients: ClientRepository,
    private readonly audit: AuditService,
  ) {}

  /** The client, if it belongs to the caller's office; 404 otherwise. */
  async readable(clientId: string, actor: Actor): Promise<ClientRow> {
    const client = actor.officeId ? await this.clients.findInOffice(clientId, actor.officeId) : undefined;
    if (!client) {
      throw await this.refused(clientId, actor);
    }
    return client;
  }

  /**
   * Locks the client of the caller's office for a change within the current transaction, so that
   * changes to one client (and rules spanning its records, like the first consultation) are serial.
   * 404 outside the office; 409 `client-erased` once its personal data is erased.
   */
  async lockForChange(clientId: string, actor: Actor): Promise<ClientRow> {
    const client = actor.officeId ? await this.clients.lockInOffice(clientId, actor.officeId) : undefined;
    if (!client) {
      throw await this.refused(clientId, actor);
    }
    if (client.erasedAt !== null) {
      throw new ProblemError('clientErased', `The client's personal data was erased on ${client.erasedAt}.`);
    }
    return client;
  }

  private async refused(clientId: string, actor: Actor): Promise<ProblemError> {
    await this.audit.recordAccessDenied({ actor }, 'client', clientId, clientId);
    return clientNotFound();
  }
}

export function clientNotFound(): ProblemError {
  return new ProblemError('notFound', 'No client with this id in your office.');
}
