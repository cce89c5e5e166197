/**
 * Errors of the token endpoints, answered in the OAuth 2.0 format (RFC 6749 §5.2) rather than as
 * problem+json, because OAuth client libraries expect `{ error, error_description }`.
 */
export type OAuthErrorCode =
  'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'slow_down';

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status: 400 | 401 | 429 = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}
