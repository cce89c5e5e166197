/**
 * The catalogue of problem kinds the API answers with (RFC 9457 `type`). The URIs are stable
 * identifiers, part of the public contract: partner systems switch on them. Add kinds here;
 * never rename one. The catalogue is published in the OpenAPI document and the README.
 */
export interface ProblemType {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly description: string;
}

const PROBLEM_BASE = 'urn:anker:problem:';

function problem(slug: string, status: number, title: string, description: string): ProblemType {
  return { type: `${PROBLEM_BASE}${slug}`, status, title, description };
}

export const ProblemTypes = {
  validation: problem(
    'validation-error',
    400,
    'The request is not valid',
    'One or more fields or parameters are missing, malformed or not allowed; `errors[]` names each with a JSON pointer.',
  ),
  malformedBody: problem(
    'malformed-body',
    400,
    'The request body could not be read',
    'The body is not well-formed JSON (or form data) for its Content-Type.',
  ),
  malformedRequest: problem(
    'malformed-request',
    400,
    'The request could not be read',
    'The request is not valid HTTP, or its URL is not (for example a bad percent-encoding).',
  ),
  unauthenticated: problem(
    'unauthenticated',
    401,
    'Authentication required',
    'No valid access token was presented.',
  ),
  forbidden: problem('forbidden', 403, 'Not allowed', 'Your role may not use this operation.'),
  passwordChangeRequired: problem(
    'password-change-required',
    403,
    'Password change required',
    'An administrator set your password; until you set your own with `POST /api/v1/auth/password`, nothing else is allowed.',
  ),
  notFound: problem('not-found', 404, 'Not found', 'No such route, or no such resource within your scope.'),
  methodNotAllowed: problem(
    'method-not-allowed',
    405,
    'Method not allowed',
    'The resource exists but does not support this HTTP method.',
  ),
  notAcceptable: problem(
    'not-acceptable',
    406,
    'Not acceptable',
    'None of the media types in `Accept` can be produced.',
  ),
  requestTimeout: problem(
    'request-timeout',
    408,
    'Request timeout',
    'The request did not arrive completely in time.',
  ),
  conflict: problem(
    'conflict',
    409,
    'Conflict with the current state',
    'The request conflicts with data that already exists, for example a value that must be unique.',
  ),
  concurrentUpdate: problem(
    'concurrent-update',
    409,
    'Concurrent update',
    'Another request changed the same data at the same time. Read the resource again and retry.',
  ),
  stillReferenced: problem(
    'still-referenced',
    409,
    'Still referenced',
    'The resource is still referenced by other data and cannot be removed.',
  ),
  duplicateClient: problem(
    'duplicate-client',
    409,
    'Likely duplicate client',
    'A client with a similar name and the same birth date exists in your office; `candidateIds` lists them. Check them, then either use one or repeat the request with `?allowDuplicate=true`.',
  ),
  clientErased: problem(
    'client-erased',
    409,
    'Client erased',
    "The client's personal data was erased (Art. 17 GDPR); it can no longer be changed or extended.",
  ),
  invalidTransition: problem(
    'invalid-transition',
    409,
    'Transition not allowed',
    'The resource cannot move from its current state to the requested one; `allowedTargets` lists the states it can move to now.',
  ),
  preconditionFailed: problem(
    'precondition-failed',
    412,
    'The resource has changed',
    'The `If-Match` version is not the current one: someone changed the resource since you read it. Read it again (the current `ETag` is in this response), then repeat your change.',
  ),
  payloadTooLarge: problem(
    'payload-too-large',
    413,
    'Request body too large',
    'The body exceeds the configured size limit (BODY_LIMIT_BYTES).',
  ),
  uriTooLong: problem(
    'uri-too-long',
    414,
    'URI too long',
    'The request target or one of its path segments is longer than the server accepts; send long values in a body.',
  ),
  unsupportedMediaType: problem(
    'unsupported-media-type',
    415,
    'Unsupported media type',
    'Send `application/json` (or `application/x-www-form-urlencoded` where documented).',
  ),
  unprocessable: problem(
    'unprocessable',
    422,
    'The request cannot be processed',
    'The request is well-formed but refers to data that does not exist or breaks a data rule.',
  ),
  consentMissing: problem(
    'consent-missing',
    422,
    'Consent missing',
    'No active WEITERGABE_PARTNER consent of the client covers the partner (or its type) and every shared data category; `uncoveredCategories` lists exactly the categories no usable consent covers.',
  ),
  preconditionRequired: problem(
    'precondition-required',
    428,
    'If-Match required',
    'Changes need `If-Match` with the `ETag` of the version you read, so that concurrent edits are detected.',
  ),
  tooManyRequests: problem(
    'too-many-requests',
    429,
    'Too many requests',
    'Rate limit exceeded; retry after the number of seconds in `Retry-After`.',
  ),
  headerFieldsTooLarge: problem(
    'header-fields-too-large',
    431,
    'Request header fields too large',
    'The request headers together are larger than the server accepts.',
  ),
  internal: problem(
    'internal-error',
    500,
    'Internal server error',
    'An unexpected error occurred. Quote the `instance` when you report it.',
  ),
  serviceUnavailable: problem(
    'service-unavailable',
    503,
    'Service temporarily unavailable',
    'The database is unreachable or overloaded, or a query took too long. Retry after `Retry-After` seconds.',
  ),
  notReady: problem(
    'not-ready',
    503,
    'Not ready',
    'The service cannot serve requests yet: the database is unreachable or migrations are pending.',
  ),
} as const satisfies Record<string, ProblemType>;

export type ProblemKind = keyof typeof ProblemTypes;
