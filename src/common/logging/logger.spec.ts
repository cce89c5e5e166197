import { PassThrough } from 'node:stream';
import { createRootLogger, selectLogFormat } from './logger';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

describe('selectLogFormat', () => {
  it.each([
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['json', true, 'json'],
    ['json', false, 'json'],
    ['pretty', false, 'pretty'],
    ['pretty', true, 'pretty'],
  ] as const)('LOG_FORMAT=%s with a terminal: %s → %s', (setting, terminal, expected) => {
    expect(selectLogFormat(setting, terminal)).toBe(expected);
  });
});

describe('createRootLogger', () => {
  it('writes one JSON object per line by default', () => {
    const sink = capture();
    createRootLogger('info', sink.stream).info({ requestId: 'r-1' }, 'request completed');
    const line = JSON.parse(sink.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'info',
      service: 'anker',
      requestId: 'r-1',
      msg: 'request completed',
    });
  });

  it('writes human-readable lines in the pretty format, still without credentials', () => {
    const sink = capture();
    createRootLogger('info', sink.stream, 'pretty').warn(
      { requestId: 'r-2', body: { password: 'secret-value' } },
      'request completed',
    );
    const text = sink.text();
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN: request completed\n/);
    expect(text).toContain('requestId: "r-2"');
    expect(text).not.toContain('secret-value');
    expect(() => JSON.parse(text) as unknown).toThrow();
  });
});
