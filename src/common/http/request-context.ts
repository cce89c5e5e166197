/** The key under which the request's context (nestjs-cls) holds the request id. */
export const REQUEST_ID = 'requestId';
