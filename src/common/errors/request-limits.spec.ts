import { exceedsJsonDepth, originForm } from './request-limits';

describe('exceedsJsonDepth', () => {
  it('counts nested objects and arrays, not brackets inside strings', () => {
    expect(exceedsJsonDepth('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(exceedsJsonDepth('{"a":[{"b":1}]}', 2)).toBe(true);
    expect(exceedsJsonDepth(`{"a":"${'['.repeat(100)}","b":"\\"{{{"}`, 1)).toBe(false);
    expect(exceedsJsonDepth(Buffer.from('[[1],[2],[3]]'), 2)).toBe(false);
  });

  it('stops at the first level too deep, whatever follows', () => {
    expect(exceedsJsonDepth(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`, 32)).toBe(true);
    expect(exceedsJsonDepth('['.repeat(33), 32)).toBe(true);
    expect(exceedsJsonDepth('['.repeat(32), 32)).toBe(false);
  });

  it('reads multi-byte UTF-8 without mistaking its bytes for brackets', () => {
    expect(exceedsJsonDepth(Buffer.from('{"name":"Ümit 🌍 [{"}', 'utf8'), 1)).toBe(false);
  });
});

describe('originForm', () => {
  it.each([
    ['http://evil.example/api/v1/clients/1?x=1', '/api/v1/clients/1?x=1'],
    ['HTTPS://evil.example:8443/api', '/api'],
    ['http://evil.example', '/'],
    ['http://evil.example?x=1', '/?x=1'],
    ['/api/v1/clients', '/api/v1/clients'],
    ['//evil.example/x', '//evil.example/x'],
    ['*', '*'],
  ])('%s → %s', (target, expected) => {
    expect(originForm(target)).toBe(expected);
  });
});
