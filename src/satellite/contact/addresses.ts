// Which IPs the satellite dials nodes at (hostile review F15). A node names its own addresses at
// check-in, and the satellite dials them back, then pings them every uptime round and connects to
// them for audits, repair, GC and deletes: a "node" announcing 10.0.0.5:22, 127.0.0.1:6379 or a
// DNS name that resolves there would make a public satellite connect into its own network (a port
// scanner, or SSRF). So a satellite that faces the internet refuses to dial private, loopback,
// link-local and every other special-purpose address (the IANA special-purpose registries' "not
// globally reachable" ranges, multicast, and IPv6 outside global unicast), after DNS resolution,
// before every dial. `allowPrivateAddresses` says whether it may: true, false, or 'auto' (the
// default): allowed when every address the satellite listens on and announces is loopback, as
// on a devnet or in the tests, refused otherwise. Link-local addresses (cloud metadata services)
// are refused whatever the setting.
import { isIPv4, isIPv6 } from 'node:net';
import { multiaddr } from '@multiformats/multiaddr';
import { ConfigError } from '../../common/index.js';

/** The setting: dial special-purpose addresses (true), never (false), or decide from the satellite's own addresses ('auto'). */
export type AllowPrivateAddresses = boolean | 'auto';

/** A range an IP falls in that is not globally reachable. */
export interface SpecialRange {
  /** What the range is, in words ("loopback", "private", "IPv4-mapped private", ...). */
  name: string;
  /** The range in CIDR notation. */
  range: string;
  /**
   * A network of one's own (loopback, private, shared CGN space, link-local, unique local): a
   * satellite whose every address is such is not on the public internet ('auto' allows then).
   */
  internal: boolean;
}

type Bytes = number[];

interface Entry {
  bytes: Bytes;
  bits: number;
  name: string;
  range: string;
  internal: boolean;
}

function parseV4(ip: string): Bytes | undefined {
  if (!isIPv4(ip)) return undefined;
  return ip.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address (a zone after % dropped; a trailing dotted quad allowed). */
function parseV6(text: string): Bytes | undefined {
  const ip = text.split('%')[0]!;
  if (!isIPv6(ip)) return undefined;
  const words = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const v4 = parseV4(g)!;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

function entry(prefix: string, bits: number, name: string, internal = false): Entry {
  const bytes = prefix.includes(':') ? parseV6(prefix)! : parseV4(prefix)!;
  return { bytes, bits, name, range: `${prefix}/${bits}`, internal };
}

function within(ip: Bytes, e: Entry): boolean {
  if (ip.length !== e.bytes.length) return false;
  for (let bit = 0; bit < e.bits; bit += 8) {
    const take = Math.min(8, e.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((ip[bit / 8]! & mask) !== (e.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

/** IPv4 ranges not globally reachable (IANA IPv4 special-purpose registry; multicast; reserved). */
const V4: Entry[] = [
  entry('0.0.0.0', 8, '"this network" (0.0.0.0 dials the host itself)'),
  entry('10.0.0.0', 8, 'private', true),
  entry('100.64.0.0', 10, 'shared address space (carrier-grade NAT)', true),
  entry('127.0.0.0', 8, 'loopback', true),
  entry('169.254.0.0', 16, 'link-local', true),
  entry('172.16.0.0', 12, 'private', true),
  entry('192.0.0.0', 24, 'IETF protocol assignments'),
  entry('192.0.2.0', 24, 'documentation (TEST-NET-1)'),
  entry('192.88.99.0', 24, '6to4 relay anycast (deprecated)'),
  entry('192.168.0.0', 16, 'private', true),
  entry('198.18.0.0', 15, 'benchmarking'),
  entry('198.51.100.0', 24, 'documentation (TEST-NET-2)'),
  entry('203.0.113.0', 24, 'documentation (TEST-NET-3)'),
  entry('224.0.0.0', 4, 'multicast'),
  entry('240.0.0.0', 4, 'reserved (and broadcast)')
];

/** IPv6 ranges that carry an IPv4 address: judged by that address. */
const V6_EMBEDDING: { entry: Entry; v4At: number; label: string }[] = [
  { entry: entry('::ffff:0:0', 96, 'IPv4-mapped'), v4At: 12, label: 'IPv4-mapped' },
  { entry: entry('64:ff9b::', 96, 'NAT64'), v4At: 12, label: 'NAT64' },
  { entry: entry('2002::', 16, '6to4'), v4At: 2, label: '6to4' }
];

/** IPv6 ranges not globally reachable (IANA IPv6 special-purpose registry; multicast; deprecated). */
const V6: Entry[] = [
  entry('::', 128, 'unspecified (dials the host itself)'),
  entry('::1', 128, 'loopback', true),
  entry('64:ff9b:1::', 48, 'local-use IPv4/IPv6 translation'),
  entry('::', 8, 'reserved (IPv4-compatible and other deprecated forms)'),
  entry('100::', 64, 'discard-only'),
  entry('2001::', 23, 'IETF protocol assignments (Teredo, benchmarking, ORCHID, ...)'),
  entry('2001:db8::', 32, 'documentation'),
  entry('3fff::', 20, 'documentation'),
  entry('5f00::', 16, 'segment routing (SRv6)'),
  entry('fc00::', 7, 'unique local (private)', true),
  entry('fe80::', 10, 'link-local', true),
  entry('fec0::', 10, 'site-local (deprecated)', true),
  entry('ff00::', 8, 'multicast')
];

/** Global unicast: every public IPv6 address lies here (the rest is unassigned or special). */
const V6_GLOBAL = entry('2000::', 3, 'global unicast');

function v4Range(b: Bytes): SpecialRange | undefined {
  const e = V4.find((r) => within(b, r));
  return e && { name: e.name, range: e.range, internal: e.internal };
}

/**
 * The special-purpose range `ip` falls in, or undefined for an address that is globally
 * reachable. An IPv6 address carrying an IPv4 one (IPv4-mapped ::ffff:a.b.c.d, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) is judged by that IPv4 address. Anything that is not an IP address
 * is refused too.
 */
export function specialRange(ip: string): SpecialRange | undefined {
  const v4 = parseV4(ip);
  if (v4) return v4Range(v4);
  const v6 = parseV6(ip);
  if (!v6) return { name: 'not an IP address', range: '-', internal: false };
  for (const { entry: e, v4At, label } of V6_EMBEDDING) {
    if (!within(v6, e)) continue;
    const inner = v4Range(v6.slice(v4At, v4At + 4));
    return inner && { name: `${label} ${inner.name}`, range: `${e.range} of ${inner.range}`, internal: inner.internal };
  }
  const e = V6.find((r) => within(v6, r));
  if (e) return { name: e.name, range: e.range, internal: e.internal };
  if (!within(v6, V6_GLOBAL)) return { name: 'outside IPv6 global unicast', range: 'not 2000::/3', internal: false };
  return undefined;
}

/** Whether a multiaddr the satellite listens on or announces is loopback (or a `localhost` name). */
export function isLoopbackAddress(address: string): boolean {
  try {
    const [host] = multiaddr(address).getComponents();
    if (!host?.value) return false;
    if (host.name === 'ip4' || host.name === 'ip6') return specialRange(host.value)?.name === 'loopback';
    if (host.name.startsWith('dns')) {
      const name = host.value.toLowerCase().replace(/\.$/, '');
      return name === 'localhost' || name.endsWith('.localhost');
    }
    return false;
  } catch {
    return false;
  }
}

/** Whether the satellite dials special-purpose addresses, and the setting's words for the answers it gives. */
export class DialPolicy {
  constructor(
    /** True: every address may be dialled. */
    readonly allowPrivate: boolean,
    /** The setting as it stands, for messages: "allowPrivateAddresses is false", ... */
    readonly setting: string
  ) {}

  /**
   * Why `ip` may not be dialled (its range), or undefined when it may. Link-local addresses are
   * refused even where private ones are allowed: a cloud VM's metadata service (169.254.169.254,
   * its credentials) lives there, and no storage node does (hostile review 11).
   */
  refuses(ip: string): SpecialRange | undefined {
    const range = specialRange(ip);
    if (!this.allowPrivate) return range;
    return range && range.name.endsWith('link-local') ? range : undefined;
  }
}

/** Every address allowed (a bare libp2p host's dials, the tests of dial.ts). */
export const ALLOW_ALL_ADDRESSES = new DialPolicy(true, 'allowPrivateAddresses is true');

/**
 * The policy of a satellite with this setting that listens on and announces `own` (its
 * configured multiaddrs, not the interface addresses libp2p expands 0.0.0.0 into).
 */
export function dialPolicy(setting: AllowPrivateAddresses, own: readonly string[]): DialPolicy {
  if (setting === true) return new DialPolicy(true, 'allowPrivateAddresses is true');
  if (setting === false) return new DialPolicy(false, 'allowPrivateAddresses is false');
  // Loopback only: a cloud VM listens on a private interface address behind a public one, so
  // "every address private" does not mean "not on the internet" (hostile review 11).
  const loopback = own.length > 0 && own.every(isLoopbackAddress);
  return loopback
    ? new DialPolicy(true, 'allowPrivateAddresses is auto, and this satellite listens on loopback addresses only')
    : new DialPolicy(false, 'allowPrivateAddresses is auto, which refuses them on a satellite listening on anything but loopback');
}

/** The setting from text (flag, environment, file): true, false or auto; undefined when absent. */
export function parseAllowPrivateAddresses(value: unknown, source: string): AllowPrivateAddresses | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'auto') return 'auto';
  throw new ConfigError(`${source} must be true, false or auto, got ${JSON.stringify(value)}`);
}
