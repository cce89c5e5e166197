import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may be sent. Partner endpoints are on the public internet; everything else —
 * this machine, the data centre's private networks, the cloud metadata service — is refused, so a
 * subscription cannot be used to reach internal services (SSRF). Pure: no DNS here.
 */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'multicast'
  | 'reserved'
  | 'invalid';

interface Range {
  network: string;
  prefix: number;
  kind: Exclude<AddressClass, 'public' | 'invalid'>;
}

const IPV4_RANGES: readonly Range[] = [
  { network: '0.0.0.0', prefix: 8, kind: 'unspecified' },
  { network: '10.0.0.0', prefix: 8, kind: 'private' },
  { network: '100.64.0.0', prefix: 10, kind: 'shared' }, // CGNAT, RFC 6598
  { network: '127.0.0.0', prefix: 8, kind: 'loopback' },
  { network: '169.254.0.0', prefix: 16, kind: 'link-local' }, // incl. 169.254.169.254 (metadata)
  { network: '172.16.0.0', prefix: 12, kind: 'private' },
  { network: '192.0.0.0', prefix: 24, kind: 'reserved' }, // IETF protocol assignments
  { network: '192.0.2.0', prefix: 24, kind: 'reserved' }, // TEST-NET-1
  { network: '192.88.99.0', prefix: 24, kind: 'reserved' }, // 6to4 relay anycast
  { network: '192.168.0.0', prefix: 16, kind: 'private' },
  { network: '198.18.0.0', prefix: 15, kind: 'reserved' }, // benchmarking
  { network: '198.51.100.0', prefix: 24, kind: 'reserved' }, // TEST-NET-2
  { network: '203.0.113.0', prefix: 24, kind: 'reserved' }, // TEST-NET-3
  { network: '224.0.0.0', prefix: 4, kind: 'multicast' },
  { network: '240.0.0.0', prefix: 4, kind: 'reserved' }, // incl. 255.255.255.255
];

const IPV6_RANGES: readonly Range[] = [
  { network: '::', prefix: 128, kind: 'unspecified' },
  { network: '::1', prefix: 128, kind: 'loopback' },
  { network: '100::', prefix: 64, kind: 'reserved' }, // discard
  { network: '2001:db8::', prefix: 32, kind: 'reserved' }, // documentation
  { network: 'fc00::', prefix: 7, kind: 'private' }, // unique local
  { network: 'fe80::', prefix: 10, kind: 'link-local' },
  { network: 'fec0::', prefix: 10, kind: 'private' }, // site-local (deprecated)
  { network: 'ff00::', prefix: 8, kind: 'multicast' },
];

function blockLists(ranges: readonly Range[], family: 'ipv4' | 'ipv6') {
  return ranges.map((range) => {
    const list = new BlockList();
    list.addSubnet(range.network, range.prefix, family);
    return { list, kind: range.kind };
  });
}

const IPV4_LISTS = blockLists(IPV4_RANGES, 'ipv4');
const IPV6_LISTS = blockLists(IPV6_RANGES, 'ipv6');

/** The 8 groups of an IPv6 address (an embedded dotted IPv4 tail counts as two), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const octets = dotted[1].split('.').map(Number);
    text =
      text.slice(0, dotted.index) +
      `${((octets[0] << 8) | octets[1]).toString(16)}:${((octets[2] << 8) | octets[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) {
    return undefined;
  }
  return [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
}

/** The IPv4 address an IPv6 address carries (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64). */
function embeddedIpv4(groups: number[]): string | undefined {
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const mapped = zeros(0, 5) && groups[5] === 0xffff;
  const compatible = zeros(0, 6) && (groups[6] !== 0 || groups[7] > 1);
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !compatible && !nat64) {
    return undefined;
  }
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
}

/** Which kind of address this is (an IPv6 zone `%eth0` is ignored). */
export function classifyAddress(address: string): AddressClass {
  const plain = address.replace(/%.*$/, '').replace(/^\[(.*)\]$/, '$1');
  const family = isIP(plain);
  if (family === 4) {
    return IPV4_LISTS.find(({ list }) => list.check(plain, 'ipv4'))?.kind ?? 'public';
  }
  if (family === 6) {
    const groups = ipv6Groups(plain);
    const ipv4 = groups ? embeddedIpv4(groups) : undefined;
    if (ipv4 !== undefined) {
      return classifyAddress(ipv4);
    }
    return IPV6_LISTS.find(({ list }) => list.check(plain, 'ipv6'))?.kind ?? 'public';
  }
  return 'invalid';
}

/** Whether a webhook may connect to this address. */
export function isDeliverableAddress(address: string, allowPrivate: boolean): boolean {
  const kind = classifyAddress(address);
  return kind === 'public' || (allowPrivate && kind !== 'invalid');
}

export const MAX_WEBHOOK_URL_LENGTH = 2_048;

/**
 * Checks a webhook URL when it is subscribed: what is wrong with it, or undefined. Host names are
 * resolved (and checked again) at every delivery; an IP literal is checked here already.
 */
export function webhookUrlProblem(value: string, allowPrivate: boolean): string | undefined {
  if (value.length > MAX_WEBHOOK_URL_LENGTH) {
    return `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL like https://partner.example.org/anker/webhooks';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    return allowPrivate ? 'must be an https:// or http:// URL' : 'must be an https:// URL';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain credentials (user:password@)';
  }
  if (url.hash !== '') {
    return 'must not contain a fragment (#…)';
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') {
    return 'must name a host';
  }
  if (isIP(host) !== 0 && !isDeliverableAddress(host, allowPrivate)) {
    return `must not point to a ${classifyAddress(host)} address`;
  }
  return undefined;
}
