import { classifyAddress, isDeliverableAddress, webhookUrlProblem } from './webhook-address';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['192.169.0.1', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:100.64.0.1', 'shared'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['::ffff:8.8.8.8', 'public'],
    ['[::1]', 'loopback'],
  ])('IPv6 carrying an IPv4 address: %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(['localhost', 'example.org', '', '999.1.1.1', '1.2.3', ':::1'])('%s is not an address', (value) => {
    expect(classifyAddress(value)).toBe('invalid');
  });
});

describe('isDeliverableAddress', () => {
  it('allows public addresses only, unless private ones are allowed', () => {
    expect(isDeliverableAddress('8.8.8.8', false)).toBe(true);
    expect(isDeliverableAddress('127.0.0.1', false)).toBe(false);
    expect(isDeliverableAddress('::ffff:127.0.0.1', false)).toBe(false);
    expect(isDeliverableAddress('169.254.169.254', false)).toBe(false);
    expect(isDeliverableAddress('127.0.0.1', true)).toBe(true);
    expect(isDeliverableAddress('not-an-address', true)).toBe(false);
  });
});

describe('webhookUrlProblem', () => {
  it('accepts an https URL with a host name, port, path and query', () => {
    expect(webhookUrlProblem('https://partner.example.org:8443/anker/hooks?x=1', false)).toBeUndefined();
    expect(webhookUrlProblem('https://8.8.8.8/hooks', false)).toBeUndefined();
  });

  it.each([
    ['http://partner.example.org/hooks', 'must be an https:// URL'],
    ['ftp://partner.example.org/hooks', 'must be an https:// URL'],
    ['https://user:secret@partner.example.org/hooks', 'must not contain credentials (user:password@)'],
    ['https://user@partner.example.org/hooks', 'must not contain credentials (user:password@)'],
    ['https://partner.example.org/hooks#x', 'must not contain a fragment (#…)'],
    ['partner.example.org/hooks', 'must be an absolute URL like https://partner.example.org/anker/webhooks'],
    ['https://127.0.0.1/hooks', 'must not point to a loopback address'],
    ['https://[::ffff:169.254.169.254]/', 'must not point to a link-local address'],
    ['https://10.0.0.8/', 'must not point to a private address'],
    ['https://0x7f000001/', 'must not point to a loopback address'],
    [`https://partner.example.org/${'a'.repeat(2_048)}`, 'must be at most 2048 characters'],
  ])('%s: %s', (url, problem) => {
    expect(webhookUrlProblem(url, false)).toBe(problem);
  });

  it('allows http and private addresses with WEBHOOK_ALLOW_PRIVATE_URLS', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8080/hooks', true)).toBeUndefined();
    expect(webhookUrlProblem('https://user:pw@127.0.0.1/hooks', true)).toBe(
      'must not contain credentials (user:password@)',
    );
    expect(webhookUrlProblem('ftp://127.0.0.1/hooks', true)).toBe('must be an https:// or http:// URL');
  });
});
