import type { IncomingMessage } from 'node:http';
import { problemInstance, requestIdFor } from './request-id';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function rawRequest(header?: string): IncomingMessage {
  return { headers: header === undefined ? {} : { 'x-request-id': header } } as IncomingMessage;
}

describe('requestIdFor', () => {
  it('always makes its own id; a caller id is kept apart, never used as the request id', () => {
    const offered = '5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61';
    const request = rawRequest(offered);
    const id = requestIdFor(request);
    expect(id).toMatch(UUID_V4);
    expect(id).not.toBe(offered);
    expect(request.id).toBe(id);
    expect(request.callerRequestId).toBe(offered);
    expect(requestIdFor(rawRequest('Root=1-67891233-abcdef012345678912345678'))).toMatch(UUID_V4);
  });

  it.each([undefined, '', '"><script>', 'id\nfake=1', 'x'.repeat(201)])(
    'ignores the caller id %p',
    (header) => {
      const request = rawRequest(header);
      expect(requestIdFor(request)).toMatch(UUID_V4);
      expect(request.callerRequestId).toBeUndefined();
    },
  );

  it('uses the id as a URN for the problem instance', () => {
    expect(problemInstance('5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61')).toBe(
      'urn:uuid:5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61',
    );
  });
});
