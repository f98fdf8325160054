import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Which addresses an outbound call may reach when the operator has not allowed private ones
 * (GATEHOUSE_ALLOW_INTERNAL_PROVIDERS=false, the production default): public unicast only.
 * Everything else is refused — loopback, RFC 1918, link-local (cloud metadata), CGNAT,
 * "this network", benchmarking, documentation, multicast and reserved ranges, and every IPv6
 * form that carries one of those IPv4 addresses (IPv4-compatible, IPv4-mapped, SIIT, NAT64,
 * 6to4) or is not global unicast (unique-local fc00::/7, link-local fe80::/10, ::, ::1, …).
 */
const blockedV4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network" (RFC 791); 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (RFC 3927)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments (RFC 6890)
  ['192.0.2.0', 24], // TEST-NET-1 (RFC 5737)
  ['192.88.99.0', 24], // 6to4 relay anycast (RFC 7526)
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking (RFC 2544)
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  blockedV4.addSubnet(net, prefix, 'ipv4');
}

/** Global unicast IPv6 (2000::/3) ranges that still must not be reached. */
const blockedV6 = new BlockList();
for (const [net, prefix] of [
  ['2001::', 23], // IETF protocol assignments, Teredo 2001::/32 (RFC 6890, RFC 4380)
  ['2001:db8::', 32], // documentation (RFC 3849)
  ['3fff::', 20], // documentation (RFC 9637)
] as const) {
  blockedV6.addSubnet(net, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (already known valid), or undefined. */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.replace(/%.*$/, ''); // zone id (fe80::1%eth0)
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string | undefined) => (s ? s.split(':').map((h) => Number.parseInt(h, 16)) : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const groups =
    halves.length === 2 ? [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail] : head;
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
}

const v4From = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/** The IPv4 address an IPv6 address stands for, where it embeds one in a routable way. */
function embeddedV4(g: number[]): string | undefined {
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  // ::a.b.c.d (IPv4-compatible, also :: and ::1) and ::ffff:a.b.c.d (IPv4-mapped, RFC 4291 §2.5.5)
  if (zero(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return v4From(g[6]!, g[7]!);
  // ::ffff:0:a.b.c.d (SIIT IPv4-translated, RFC 7915)
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return v4From(g[6]!, g[7]!);
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix, RFC 6052)
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return v4From(g[6]!, g[7]!);
  // 2002:aabb:ccdd::/48 (6to4, RFC 3056)
  if (g[0] === 0x2002) return v4From(g[1]!, g[2]!);
  return undefined;
}

/** True for every address but public unicast ones; also for strings that are not IP addresses at all. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return blockedV4.check(bare, 'ipv4');
  if (family !== 6) return true;
  const groups = ipv6Groups(bare);
  if (!groups) return true;
  const v4 = embeddedV4(groups);
  if (v4 !== undefined) return blockedV4.check(v4, 'ipv4');
  if (groups[0]! >> 13 !== 0b001) return true; // outside 2000::/3 (global unicast, RFC 4291 §2.4)
  if (groups[0] === 0x64 && groups[1] === 0xff9b) return true; // 64:ff9b:1::/48 local-use NAT64
  return blockedV6.check(bare.replace(/%.*$/, ''), 'ipv6');
}

/** Names that resolve to the local host by definition (RFC 6761 §6.3) or by the usual /etc/hosts. */
export function isLocalHostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === 'localhost.localdomain' ||
    name === 'ip6-localhost' ||
    name === 'ip6-loopback'
  );
}

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor(host: string) {
    super(`refusing to connect to ${host}: private, loopback or reserved address`);
  }
}

export type LookupFunction = typeof dnsLookup;

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `dns.lookup` replacement that fails instead of resolving to a blocked address. Every answer
 * must be public: the connection then goes to one of exactly these answers, so a name cannot
 * resolve to a public address when checked and a private one when connected (DNS rebinding).
 */
export function guardLookup(lookup: LookupFunction = dnsLookup) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (bad || list.length === 0) return callback(new BlockedAddressError(hostname), []);
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}

export const guardedLookup = guardLookup();

/** IP-literal hosts skip DNS, so they are checked before any connection is attempted. */
export function hostIsBlockedLiteral(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) !== 0 && isPrivateAddress(host);
}

/**
 * Input-time check of a URL a project gave (or a template rendered from its settings): refused if
 * its host is a private IP literal or a local name. Early feedback only — names resolve at call
 * time, where the outbound dispatcher checks every answer.
 */
export function urlTargetsPrivateAddress(url: URL): boolean {
  return hostIsBlockedLiteral(url) || isLocalHostName(url.hostname);
}
