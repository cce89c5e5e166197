import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { auditEvent, officeOfAdviser, type WriteContext } from '../audit/write-context';
import { ProblemError, RequestValidationError } from '../common/errors/problem.error';
import { notFoundOrStale } from '../common/http/concurrency';
import { instantCursor, toPage, type Page } from '../common/http/pagination';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { Clock } from '../common/time/clock';
import { profileErrors } from './client-profile';
import { clientNotFound, ClientScope } from './client-scope.service';
import {
  toClientResponse,
  type ClientListQuery,
  type ClientResponse,
  type ClientSearchHit,
  type ClientSearchRequest,
  type CreateClientRequest,
  type UpdateClientRequest,
} from './client.dto';
import { ClientRepository, type ClientValues } from './client.repository';
import { nameKey } from './name-key';

const DEFAULT_SEARCH_LIMIT = 20;

/** Clients of the caller's office: registration with duplicate detection, reads, changes, search. */
@Injectable()
export class ClientService {
  constructor(
    private readonly repository: ClientRepository,
    private readonly scope: ClientScope,
    private readonly audit: AuditService,
    private readonly changes: VersionedChanges,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async create(
    request: CreateClientRequest,
    allowDuplicate: boolean,
    context: WriteContext,
  ): Promise<ClientResponse> {
    const officeId = officeOfAdviser(context, 'clients');
    const values: ClientValues = {
      ...profileValues(request),
      firstName: request.firstName,
      lastName: request.lastName,
      nameKey: nameKey(request.firstName, request.lastName),
      gender: request.gender,
    };
    assertProfile(values, this.clock.today());
    values.birthYear = request.birthDate
      ? Number(request.birthDate.slice(0, 4))
      : (request.birthYear ?? null);
    if (values.birthDate && !allowDuplicate) {
      // Two advisers registering the same person at once must not both miss each other.
      await this.repository.lockBirthDate(officeId, values.birthDate);
      const candidates = await this.repository.findDuplicates(
        officeId,
        values.birthDate,
        values.nameKey ?? '',
        null,
      );
      if (candidates.length > 0) {
        throw new ProblemError(
          'duplicateClient',
          `${candidates.length} client(s) of your office have a similar name and the same birth date.`,
          { extensions: { candidateIds: candidates.map((candidate) => candidate.id) } },
        );
      }
    }
    const row = await this.repository.insert(officeId, context.actor.id, values);
    await this.audit.record(auditEvent(context, 'client.create', 'client', row.id, row.id));
    return toClientResponse(row);
  }

  /** Newest first; every client shown is recorded in its access log. */
  async list(query: ClientListQuery, context: WriteContext): Promise<Page<ClientResponse>> {
    const rows = await this.repository.list(
      officeOfAdviser(context, 'clients'),
      {
        nationality: query.nationality,
        residenceStatus: query.residenceStatus,
        gender: query.gender,
        createdAfter: query.createdAfter,
        createdBefore: query.createdBefore,
        erased: query.erased,
      },
      instantCursor(query.cursor),
      query.limit,
    );
    const page = toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.createdAt, id: row.id }),
      toClientResponse,
    );
    await this.recordShown(page.items, 'client.list', context);
    return page;
  }

  async get(id: string, context: WriteContext): Promise<ClientResponse> {
    const row = await this.scope.readable(id, context.actor);
    await this.audit.record(auditEvent(context, 'client.read', 'client', id, id));
    return toClientResponse(row);
  }

  @Transactional()
  async update(
    id: string,
    request: UpdateClientRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<ClientResponse> {
    const changes: ClientValues = {
      ...profileValues(request),
      firstName: request.firstName,
      lastName: request.lastName,
      gender: request.gender,
    };
    if (isEmptyChange(changes)) {
      throw emptyPatchError();
    }
    const row = await this.changes.apply({
      load: () => this.scope.lockForChange(id, context.actor),
      notFound: clientNotFound,
      expectedVersion,
      apply: async (current) => {
        if (changes.firstName !== undefined || changes.lastName !== undefined) {
          changes.nameKey = nameKey(
            changes.firstName ?? current.firstName ?? '',
            changes.lastName ?? current.lastName ?? '',
          );
        }
        if (changes.birthDate) {
          changes.birthYear = Number(changes.birthDate.slice(0, 4));
        }
        assertProfile(
          { ...current, ...withoutUndefined(changes) },
          this.clock.today(),
          request.birthYear !== undefined,
        );
        const updated = await this.repository.update(id, changes, expectedVersion);
        if (!updated) {
          throw notFoundOrStale(current, clientNotFound);
        }
        return updated;
      },
      audit: () => auditEvent(context, 'client.update', 'client', id, id),
    });
    return toClientResponse(row);
  }

  /** Tolerant name search in the caller's office, best match first. */
  async search(request: ClientSearchRequest, context: WriteContext): Promise<ClientSearchHit[]> {
    const key = nameKey(request.name);
    if (key.length < 2) {
      throw new RequestValidationError([{ pointer: '#/name', detail: 'must contain at least two letters' }]);
    }
    const rows = await this.repository.search(
      officeOfAdviser(context, 'clients'),
      key,
      request.birthDate ?? null,
      request.limit ?? DEFAULT_SEARCH_LIMIT,
    );
    const hits = rows.map((row) => ({ ...toClientResponse(row), score: row.score }));
    await this.recordShown(hits, 'client.search', context);
    return hits;
  }

  /** One access-log entry per client whose personal data a list or search answer shows. */
  private recordShown(clients: { id: string }[], action: string, context: WriteContext): Promise<void> {
    return this.audit.recordAll(
      clients.map((client) => auditEvent(context, action, 'client', client.id, client.id)),
    );
  }
}

/** The profile members of a request (names and gender are handled by the caller). */
function profileValues(request: CreateClientRequest | UpdateClientRequest): ClientValues {
  return {
    birthDate: request.birthDate,
    email: request.email,
    phone: request.phone,
    postalCode: request.postalCode,
    city: request.city,
    birthYear: request.birthYear,
    countryOfBirth: request.countryOfBirth,
    nationalities: request.nationalities,
    residenceBundesland: request.residenceBundesland,
    arrivalYear: request.arrivalYear,
    residenceStatus: request.residenceStatus,
    germanLevel: request.germanLevel,
    iscedLevel: request.iscedLevel,
    employmentStatus: request.employmentStatus,
    benefits: request.benefits,
    accessRoute: request.accessRoute,
  };
}

/**
 * `birthYearSent`: on PATCH a birth year that contradicts a kept birth date is an error only when
 * the request sent one.
 */
function assertProfile(
  values: Pick<ClientValues, 'birthDate' | 'birthYear' | 'arrivalYear' | 'benefits'>,
  today: string,
  birthYearSent = true,
): void {
  const errors = profileErrors(
    {
      birthDate: values.birthDate ?? null,
      birthYear: birthYearSent || !values.birthDate ? (values.birthYear ?? null) : null,
      arrivalYear: values.arrivalYear ?? null,
      benefits: values.benefits ?? [],
    },
    today,
  );
  if (errors.length > 0) {
    throw new RequestValidationError(errors);
  }
}

function withoutUndefined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
