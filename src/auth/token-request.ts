import type { TokenRequest } from './auth.service';
import { OAuthError } from './oauth.error';

export const MAX_FIELD_LENGTH = 1024;

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string' || value.length > MAX_FIELD_LENGTH) {
    throw new OAuthError(
      'invalid_request',
      `${name} must be a string of at most ${MAX_FIELD_LENGTH} characters.`,
    );
  }
  return value;
}

function required(body: Record<string, unknown>, name: string): string {
  const value = field(body, name);
  if (value === undefined) {
    throw new OAuthError('invalid_request', `${name} is required for this grant_type.`);
  }
  return value;
}

/** RFC 6749 §2.3.1: client credentials in an HTTP Basic header, form-encoded. */
function basicCredentials(
  authorization: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  const match = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)$/i);
  if (!match) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) {
    throw new OAuthError('invalid_request', 'The Basic authorization header is malformed.');
  }
  return {
    clientId: formDecoded(decoded.slice(0, separator)),
    clientSecret: formDecoded(decoded.slice(separator + 1)),
  };
}

/** `%zz` or a lone `%` is the caller's mistake (400), not an error of the server. */
function formDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new OAuthError(
      'invalid_request',
      'The Basic authorization header is not correctly percent-encoded.',
    );
  }
}

/** Reads a token request (JSON or form body) into a typed grant, or answers with an OAuth error. */
export function parseTokenRequest(body: unknown, authorization: string | undefined): TokenRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError('invalid_request', 'Send the token request as a JSON object or as form data.');
  }
  const fields = body as Record<string, unknown>;
  const grantType = required(fields, 'grant_type');
  switch (grantType) {
    case 'password':
      return { grantType, username: required(fields, 'username'), password: required(fields, 'password') };
    case 'client_credentials': {
      const basic = basicCredentials(authorization);
      if (basic) {
        return { grantType, ...basic, viaBasicAuth: true };
      }
      return {
        grantType,
        clientId: required(fields, 'client_id'),
        clientSecret: required(fields, 'client_secret'),
        viaBasicAuth: false,
      };
    }
    case 'refresh_token':
      return { grantType, refreshToken: required(fields, 'refresh_token') };
    default:
      throw new OAuthError(
        'unsupported_grant_type',
        'grant_type must be password, client_credentials or refresh_token.',
      );
  }
}
