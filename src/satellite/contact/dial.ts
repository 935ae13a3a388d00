// Dialling nodes: a connection for audits, repair and GC (connectNode), and the dial-back that
// proves a node reachable: a fresh connection to an address it announced, and a ping. The
// dial-back resolves DNS names itself and dials the IP, so it knows the address it reached: the
// node's subnet is taken from that, never from what the node wrote in its check-in. What it tells
// the node is one of a few fixed messages: socket errors would make the satellite a port scanner
// of its own network for anyone who checks in. Every IP is checked against the host's dial policy
// (addresses.ts, allowPrivateAddresses) after DNS resolution and before the dial: a satellite on
// the internet never connects to private, loopback or other special-purpose addresses a node names.
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Connection, Libp2p } from '@libp2p/interface';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { StowageError } from '../../common/index.js';
import { pingOver } from '../../protocol/index.js';
import { subnetOfIp } from '../overlay/index.js';
import { ALLOW_ALL_ADDRESSES, type DialPolicy, type SpecialRange } from './addresses.js';

/** Where a dial-back got through: the IP multiaddr it dialled (no /p2p), the IP, its subnet. */
export interface ReachedAddress {
  address: string;
  ip: string;
  subnet: string;
}

/** An announced address the dial policy refused (it was not dialled), and why in words. */
export interface RefusedAddress {
  address: string;
  reason: string;
}

export interface DialBackResult {
  reachable: boolean;
  /** One of DIAL_BACK_MESSAGES (the address filled in on success). */
  message: string;
  /** Set when reachable. */
  reached?: ReachedAddress;
  /** Announced addresses the dial policy refused, never dialled (absent or empty: none). */
  refused?: RefusedAddress[];
  /** True when the policy refused some address and none of the others could be dialled either (none is IP or DNS over TCP). */
  noneAllowed?: boolean;
}

/** Longest stretch of a node's address repeated in an answer. */
const MAX_QUOTED = 100;
const quote = (address: string): string => (address.length > MAX_QUOTED ? `${address.slice(0, MAX_QUOTED)}...` : address);

/**
 * Everything a dial-back may tell a node (raw errors stay in the satellite's log). Refusals name
 * the address, its range and the setting: they come from what the node wrote and the satellite's
 * configuration, never from a socket (a DNS name's refusal names the kind of address it resolved
 * to, not the IP).
 */
export const DIAL_BACK_MESSAGES = {
  reached: (address: string): string => `reached at ${address}`,
  noAddress: 'no address announced',
  notReached: 'could not dial back and ping the node at any announced address',
  refused: (refused: readonly RefusedAddress[], setting: string): string =>
    `refused ${refused.map((r) => `${quote(r.address)} (${r.reason})`).join(', ')}: this satellite does not dial private, loopback, link-local or other special-purpose addresses (${setting})`,
  noneAllowed: (refused: readonly RefusedAddress[], setting: string): string => `no announced address this satellite may dial: ${DIAL_BACK_MESSAGES.refused(refused, setting)}`
} as const;

/** Why one address failed, in the satellite's log and in tests only. */
export type DialFailure = 'unsupported' | 'not-resolved' | 'refused' | 'not-reached' | 'no-ping';

/**
 * Each satellite host's dial policy (restrictDials). Held beside the host rather than passed by
 * every caller: connectNode and dialBack look it up for the libp2p they are given, so no dial of a
 * node (check-in, uptime, audit, repair, GC, deletes) can leave it out. A host with none dials anything.
 */
const policies = new WeakMap<Libp2p, DialPolicy>();

/** Sets the policy every dial of a node through `libp2p` follows from now on. */
export function restrictDials(libp2p: Libp2p, policy: DialPolicy): void {
  policies.set(libp2p, policy);
}

/** The dial policy of `libp2p` (ALLOW_ALL_ADDRESSES unless restrictDials set one). */
export function dialPolicyOf(libp2p: Libp2p): DialPolicy {
  return policies.get(libp2p) ?? ALLOW_ALL_ADDRESSES;
}

/** Why an announced address was refused: its IP's range, or for a name the ranges it resolved to. */
function refusalReason(address: string, ips: string[], ranges: SpecialRange[]): string {
  const host = multiaddr(address).getComponents()[0];
  if (host && (host.name === 'ip4' || host.name === 'ip6')) return `${ips[0]} is ${ranges[0]!.name}, ${ranges[0]!.range}`;
  const kinds = [...new Set(ranges.map((r) => r.name))].join(', ');
  return `${quote(host?.value ?? address)} resolves only to addresses that are ${kinds}`;
}

/** Splits resolved targets into those `policy` lets be dialled and the ranges of those it refuses. */
function screen<T extends { ip: string }>(policy: DialPolicy, targets: T[]): { allowed: T[]; refused: { target: T; range: SpecialRange }[] } {
  const allowed: T[] = [];
  const refused: { target: T; range: SpecialRange }[] = [];
  for (const target of targets) {
    const range = policy.refuses(target.ip);
    if (range) refused.push({ target, range });
    else allowed.push(target);
  }
  return { allowed, refused };
}

/** The multiaddr protocol names a node may be dialled at: IP or DNS, then TCP. */
const HOSTS = new Set(['ip4', 'ip6', 'dns', 'dns4', 'dns6']);
/** Resolved IPs of one DNS name tried at most. */
const MAX_RESOLVED = 4;

/** True for an address the satellite dials: /ip4, /ip6, /dns, /dns4 or /dns6 followed by /tcp. */
export function isDialable(address: string): boolean {
  try {
    const [host, transport] = multiaddr(address).getComponents();
    return host !== undefined && HOSTS.has(host.name) && transport?.name === 'tcp' && !address.includes('/p2p');
  } catch {
    return false;
  }
}

/** A connection to `nodeId` (an open one if there is one), trying its announced addresses in turn. */
export async function connectNode(libp2p: Libp2p, nodeId: string, addresses: string[], signal: AbortSignal): Promise<Connection> {
  const policy = dialPolicyOf(libp2p);
  const failures: string[] = [];
  for (const address of addresses) {
    if (!isDialable(address)) {
      failures.push(`${address}: not an IP or DNS address over TCP`);
      continue;
    }
    try {
      // DNS names resolved here (resolveName: never on the threadpool), the IPs dialled.
      const resolved = await resolve(multiaddr(address), signal);
      if (resolved.length === 0) failures.push(`${address}: not resolved`);
      // Checked after resolution, every time: a name may resolve elsewhere than at check-in.
      const { allowed: targets, refused } = screen(policy, resolved);
      for (const r of refused) failures.push(`${r.target.ma.toString()}: not dialled, ${r.target.ip} is ${r.range.name} (${r.range.range}; ${policy.setting})`);
      for (const t of targets) {
        try {
          return await libp2p.dial(t.ma.encapsulate(`/p2p/${nodeId}`), { signal });
        } catch (err) {
          failures.push(`${t.ma.toString()}: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      failures.push(`${address}: ${(err as Error).message}`);
    }
  }
  throw new StowageError('NODE_UNREACHABLE', addresses.length === 0 ? 'no address announced' : `could not reach the node: ${failures.join('; ')}`);
}

/**
 * DNS for dial-backs through c-ares (dns.Resolver), never getaddrinfo: getaddrinfo runs on
 * libuv's threadpool (4 threads), which LevelDB and file I/O share, and cannot be cancelled, so
 * a node announcing names whose DNS server never answers held every thread for its full timeout
 * and the satellite's database stalled with it (hostile review F7). /etc/hosts is not read;
 * `localhost` and `*.localhost` are loopback (RFC 6761).
 */
export const DIAL_BACK_RESOLVER = { timeoutMs: 2000, tries: 1 } as const;
let sharedResolver: Resolver | undefined;

/** The IPs of `name` for `family` (0: both), loopback for localhost names; at most MAX_RESOLVED. */
export async function resolveName(name: string, family: 0 | 4 | 6, resolver: Resolver = (sharedResolver ??= new Resolver({ timeout: DIAL_BACK_RESOLVER.timeoutMs, tries: DIAL_BACK_RESOLVER.tries }))): Promise<{ address: string; family: 4 | 6 }[]> {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower === 'localhost' || lower.endsWith('.localhost')) {
    return [...(family !== 6 ? [{ address: '127.0.0.1', family: 4 as const }] : []), ...(family !== 4 ? [{ address: '::1', family: 6 as const }] : [])];
  }
  const [v4, v6] = await Promise.all([
    family !== 6 ? resolver.resolve4(name).catch(() => [] as string[]) : Promise.resolve([] as string[]),
    family !== 4 ? resolver.resolve6(name).catch(() => [] as string[]) : Promise.resolve([] as string[])
  ]);
  return [...v4.map((address) => ({ address, family: 4 as const })), ...v6.map((address) => ({ address, family: 6 as const }))].slice(0, MAX_RESOLVED);
}

/** The IPs a dialable address stands for: itself for /ip4 and /ip6, else what DNS answers (resolveName). */
async function resolve(ma: Multiaddr, signal: AbortSignal): Promise<{ ip: string; ma: Multiaddr }[]> {
  const [host, ...rest] = ma.getComponents();
  if (!host?.value) return [];
  if (host.name === 'ip4' || host.name === 'ip6') return [{ ip: host.value, ma }];
  const family = host.name === 'dns4' ? 4 : host.name === 'dns6' ? 6 : 0;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('resolution timed out'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const answers = await Promise.race([resolveName(host.value, family), aborted]);
    const tail = rest.map((c) => `/${c.name}${c.value !== undefined ? `/${c.value}` : ''}`).join('');
    return answers
      .filter((a) => isIP(a.address) !== 0)
      .map((a) => ({ ip: a.address, ma: multiaddr(`/${a.family === 6 ? 'ip6' : 'ip4'}/${a.address}${tail}`) }));
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

/** The IP a connection's remote address names, if it names one. */
function remoteIp(connection: Connection): string | undefined {
  const parts = connection.remoteAddr.getComponents();
  return parts.find((p) => p.name === 'ip4' || p.name === 'ip6')?.value;
}

export interface DialBackOptions {
  /** One address's dial and ping may take this long. */
  timeoutMs: number;
  /** All addresses together (default twice `timeoutMs`): a node announcing 8 black holes costs this, not 8 timeouts. */
  budgetMs?: number;
  /** Told why each address failed (the satellite logs it; tests read it). */
  onFailure?: (address: string, why: DialFailure, err?: unknown) => void;
}

/**
 * Dials `nodeId` at each announced address in turn on a fresh connection (DNS names resolved
 * here, the IP dialled) and pings it; reachable at the first that answers, with the address that
 * did. Addresses that are not IP or DNS over TCP are skipped (no /unix, no relays); IPs the host's
 * dial policy refuses are never dialled, and the answer names them (`refused`).
 */
export async function dialBack(libp2p: Libp2p, nodeId: string, addresses: string[], timeout: number | DialBackOptions): Promise<DialBackResult> {
  const o: DialBackOptions = typeof timeout === 'number' ? { timeoutMs: timeout } : timeout;
  if (addresses.length === 0) return { reachable: false, message: DIAL_BACK_MESSAGES.noAddress };
  const policy = dialPolicyOf(libp2p);
  // IP addresses are judged first, all of them (whatever is reached or the budget spent): the
  // answer names each one refused. Names are judged once resolved, below.
  const refused: RefusedAddress[] = [];
  for (const address of addresses) {
    const ip = isDialable(address) ? literalIp(address) : undefined;
    const range = ip === undefined ? undefined : policy.refuses(ip);
    if (ip !== undefined && range) {
      refused.push({ address, reason: refusalReason(address, [ip], [range]) });
      o.onFailure?.(address, 'refused');
    }
  }
  const budget = AbortSignal.timeout(o.budgetMs ?? 2 * o.timeoutMs);
  for (const address of addresses) {
    if (refused.some((r) => r.address === address)) continue;
    if (budget.aborted) {
      o.onFailure?.(address, 'not-reached', new Error('dial-back budget spent'));
      continue;
    }
    if (!isDialable(address)) {
      o.onFailure?.(address, 'unsupported');
      continue;
    }
    const signal = AbortSignal.any([budget, AbortSignal.timeout(o.timeoutMs)]);
    let resolved;
    try {
      resolved = await resolve(multiaddr(address), signal);
    } catch (err) {
      o.onFailure?.(address, 'not-resolved', err);
      continue;
    }
    if (resolved.length === 0) o.onFailure?.(address, 'not-resolved');
    const { allowed: targets, refused: refusedIps } = screen(policy, resolved);
    if (refusedIps.length > 0) {
      o.onFailure?.(address, 'refused');
      if (targets.length === 0) refused.push({ address, reason: refusalReason(address, refusedIps.map((r) => r.target.ip), refusedIps.map((r) => r.range)) });
    }
    for (const target of targets) {
      if (signal.aborted) break;
      let connection: Connection;
      try {
        connection = await libp2p.dial(target.ma.encapsulate(`/p2p/${nodeId}`), { force: true, signal });
      } catch (err) {
        o.onFailure?.(address, 'not-reached', err);
        continue;
      }
      try {
        await pingOver(connection, signal);
        const ip = remoteIp(connection) ?? target.ip;
        return {
          reachable: true,
          message: DIAL_BACK_MESSAGES.reached(address) + (refused.length > 0 ? `; ${DIAL_BACK_MESSAGES.refused(refused, policy.setting)}` : ''),
          reached: { address: target.ma.toString(), ip, subnet: subnetOfIp(ip) },
          ...(refused.length > 0 ? { refused } : {})
        };
      } catch (err) {
        o.onFailure?.(address, 'no-ping', err);
      } finally {
        // libp2p hands this connection to other dials of the node (audits, repair, GC): closing
        // it under their streams cut transfers short (found by the chaos run). Left open when in use.
        if (connection.streams.length === 0) await connection.close().catch(() => undefined);
      }
    }
  }
  if (refused.length === 0) return { reachable: false, message: DIAL_BACK_MESSAGES.notReached };
  const noneLeft = addresses.every((a) => !isDialable(a) || refused.some((r) => r.address === a));
  return {
    reachable: false,
    message: noneLeft ? DIAL_BACK_MESSAGES.noneAllowed(refused, policy.setting) : `${DIAL_BACK_MESSAGES.notReached}; ${DIAL_BACK_MESSAGES.refused(refused, policy.setting)}`,
    refused,
    ...(noneLeft ? { noneAllowed: true } : {})
  };
}

/** The IP of an /ip4 or /ip6 address (undefined for a name). */
function literalIp(address: string): string | undefined {
  const host = multiaddr(address).getComponents()[0];
  return host && (host.name === 'ip4' || host.name === 'ip6') ? host.value : undefined;
}
