import type { IncomingMessage } from 'node:http';
import { problemInstance, requestIdFor } from './request-id';

function rawRequest(header?: string): IncomingMessage {
  return { headers: header === undefined ? {} : { 'x-request-id': header } } as IncomingMessage;
}

describe('requestIdFor', () => {
  it('accepts a caller UUID (normalised to lower case) and keeps it on the raw request', () => {
    const request = rawRequest('5D1C4B0E-2F55-4A5E-9D0E-8B1A3F2C7E61');
    expect(requestIdFor(request)).toBe('5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61');
    expect(request.id).toBe('5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61');
  });

  it.each([undefined, '', 'abc', '"><script>', '5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61\nfake=1'])(
    'generates a fresh UUID instead of %p',
    (header) => {
      const id = requestIdFor(rawRequest(header));
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(id).not.toBe(header);
    },
  );

  it('uses the id as a URN for the problem instance', () => {
    expect(problemInstance('5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61')).toBe(
      'urn:uuid:5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61',
    );
  });
});
