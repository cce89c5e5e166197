import { findLeak } from './leaks';

describe('findLeak', () => {
  it('finds stack traces, source paths, SQL and PostgreSQL or driver messages', () => {
    expect(
      findLeak('TypeError: x\n    at isNumber (/app/node_modules/class-validator/IsNumber.js:22:59)'),
    ).toMatch(/^stack trace/);
    expect(findLeak('{"detail":"see /srv/anker/dist/src/clients/client.service.js"}')).toMatch(
      /^source path/,
    );
    expect(findLeak('{"detail":"SELECT id FROM clients WHERE id = $1"}')).toMatch(/^SQL/);
    expect(findLeak('{"detail":"UPDATE "clients" SET "city" = $1"}')).toMatch(/^SQL/);
    expect(findLeak('{"detail":"duplicate key value violates unique constraint \\"uq\\""}')).toMatch(
      /^PostgreSQL message/,
    );
    expect(findLeak('{"detail":"connect ECONNREFUSED 127.0.0.1:5432"}')).toMatch(/^driver message/);
    expect(findLeak('{"detail":"Unexpected token } in JSON at position 5"}')).toMatch(/^parser message/);
  });

  it('passes the service’s own problem texts and values the request itself sent', () => {
    expect(
      findLeak(
        '{"type":"urn:anker:problem:validation-error","detail":"notes: must be at most 2000 characters"}',
      ),
    ).toBeUndefined();
    expect(findLeak('{"notes":"SELECT a FROM b"}', '{"notes":"SELECT a FROM b"}')).toBeUndefined();
  });
});
