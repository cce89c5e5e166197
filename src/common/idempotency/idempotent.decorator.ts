import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblemResponses } from '../http/api-problem-responses.decorator';
import { IdempotencyInterceptor } from './idempotency.interceptor';

export const IDEMPOTENT_RESOURCE = 'anker:idempotent-resource';
export const IDEMPOTENT_WITHHELD = 'anker:idempotent-withheld';

export interface IdempotentOptions {
  /**
   * Members of the response that are shown once and never stored (a signing secret): the stored
   * response leaves them out, so a replay answers without them.
   */
  withheld?: readonly string[];
}

/**
 * A creating POST that honours `Idempotency-Key`; `resourceType` names what it creates, so that a
 * replay (which hands the stored response out again) is audited as a read of it. Members shown only
 * once (secrets) are named in `withheld`: they are not stored, and a replay answers without them.
 */
export function Idempotent(resourceType: string, options: IdempotentOptions = {}) {
  return applyDecorators(
    SetMetadata(IDEMPOTENT_RESOURCE, resourceType),
    SetMetadata(IDEMPOTENT_WITHHELD, options.withheld ?? []),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retry safe: a repeat with the same key and body (within 24 hours) answers the first response ' +
        'again (with `Idempotent-Replayed: true`) instead of creating twice. The same key with another body: 422.',
      schema: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        pattern: '^[\\x21-\\x7E]{1,255}$',
        example: '3f1c9a8e-7b2d-4e5f-8a9b-0c1d2e3f4a5b',
      },
    }),
    ApiProblemResponses(409, 422),
  );
}
