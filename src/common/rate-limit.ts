// Per-key token buckets (the satellite keys them by the caller's IP: check-ins and metainfo
// requests). A bucket holds up to `burst` tokens, refills at `perSecond`, and each request takes
// one; a request finding the bucket empty is refused with RATE_LIMITED. The buckets live in one
// Map in insertion order, bounded: past `maxKeys` the least recently used go (a forgotten key
// starts full again, so an attacker cycling through more addresses than that gains one burst each).
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { StowageError } from './errors.js';

export interface RateLimitConfig {
  /** Tokens added per second; 0 turns the limit off. */
  perSecond: number;
  /** Largest number of tokens a bucket holds (requests allowed at once after a quiet spell). */
  burst: number;
}

/** A request refused because its caller is over its rate. */
export class RateLimitedError extends StowageError {
  constructor(
    readonly key: string,
    readonly retryAfterMs: number
  ) {
    super('RATE_LIMITED', `too many requests from ${key}: try again in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Keys remembered at most (each costs a few dozen bytes). */
export const RATE_LIMIT_MAX_KEYS = 100_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly config: RateLimitConfig,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = RATE_LIMIT_MAX_KEYS
  ) {}

  get enabled(): boolean {
    return this.config.perSecond > 0;
  }

  /** Takes a token for `key`; false when its bucket is empty (nothing is taken then). */
  tryTake(key: string): boolean {
    return this.take([[key, 1]], 1) === 0;
  }

  /** Takes `cost` tokens for `key` or throws RateLimitedError. */
  check(key: string, cost = 1): void {
    const wait = this.take([[key, 1]], cost);
    if (wait > 0) throw new RateLimitedError(key, wait);
  }

  /**
   * Takes `cost` tokens for the caller at `remote`: from its address's bucket (rateLimitKey) and,
   * for IPv6, from its /48's, which holds SITE_SHARE times as much (one site's many /64s together
   * get a few addresses' worth, not 65,536 of them; hostile review F12). Both or neither.
   */
  checkRemote(remote: Multiaddr | string, cost = 1): void {
    const key = rateLimitKey(remote);
    const site = siteKey(remote);
    const wait = this.take(site === undefined ? [[key, 1]] : [[key, 1], [site, SITE_SHARE]], cost);
    if (wait > 0) throw new RateLimitedError(key, wait);
  }

  /**
   * Takes `cost` tokens from `remote`'s buckets after the fact (work a request turned out to
   * make), whether or not they hold them: a bucket may go into debt, down to minus its burst,
   * and the caller's next requests wait until it is paid.
   */
  debitRemote(remote: Multiaddr | string, cost: number): void {
    if (!this.enabled || !(cost > 0)) return;
    const site = siteKey(remote);
    const now = this.now();
    const { perSecond, burst } = this.config;
    for (const [key, scale] of site === undefined ? [[rateLimitKey(remote), 1] as const] : [[rateLimitKey(remote), 1] as const, [site, SITE_SHARE] as const]) {
      const old = this.buckets.get(key);
      const full = burst * scale;
      const tokens = old ? Math.min(full, old.tokens + ((now - old.at) / 1000) * perSecond * scale) : full;
      this.buckets.delete(key);
      this.buckets.set(key, { tokens: Math.max(-full, tokens - cost), at: now });
    }
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
  }

  /** Keys with a bucket now. */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * 0 when `cost` tokens were taken from every bucket named (each `[key, scale]`: a bucket of
   * `scale` times the configured rate and burst), else the ms until all will have them (nothing
   * taken). A cost above a bucket's burst is charged as its burst, so it can always pass.
   */
  private take(keys: Array<[string, number]>, cost: number): number {
    if (!this.enabled) return 0;
    const now = this.now();
    const { perSecond, burst } = this.config;
    let wait = 0;
    const refilled: Array<[string, number, number]> = [];
    for (const [key, scale] of keys) {
      const old = this.buckets.get(key);
      const full = burst * scale;
      const rate = perSecond * scale;
      const need = Math.min(cost, full);
      const tokens = old ? Math.min(full, old.tokens + ((now - old.at) / 1000) * rate) : full;
      if (tokens < need) wait = Math.max(wait, 1, Math.ceil(((need - tokens) / rate) * 1000));
      refilled.push([key, tokens, need]);
    }
    for (const [key, tokens, need] of refilled) {
      // Re-inserted so the Map's order is least recently used first; a refused request takes nothing.
      this.buckets.delete(key);
      this.buckets.set(key, { tokens: wait > 0 ? tokens : tokens - need, at: now });
    }
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return wait;
  }
}

/** Times one address's share that one IPv6 /48 gets in all (rate limits, stream and connection caps). */
export const SITE_SHARE = 4;

/** The /48 of an IPv6 caller (a site's allocation), undefined for IPv4 and IPv4-mapped ones. */
export function siteKey(remote: Multiaddr | string): string | undefined {
  try {
    const parts = (typeof remote === 'string' ? multiaddr(remote) : remote).getComponents();
    if (parts.some((p) => p.name === 'ip4')) return undefined;
    const ip6 = parts.find((p) => p.name === 'ip6')?.value;
    if (ip6 === undefined || mappedIPv4(ip6) !== undefined || nat64IPv4(ip6) !== undefined) return undefined;
    return `${expandIPv6(ip6).slice(0, 3).join(':')}::/48`;
  } catch {
    return undefined;
  }
}

/**
 * The key a caller is limited by: its IPv4 address, or the /64 of its IPv6 one (one subscriber
 * gets a whole /64), from the remote address of its connection; the whole address otherwise.
 */
export function rateLimitKey(remote: Multiaddr | string): string {
  try {
    const parts = (typeof remote === 'string' ? multiaddr(remote) : remote).getComponents();
    const ip4 = parts.find((p) => p.name === 'ip4')?.value;
    if (ip4) return ip4;
    const ip6 = parts.find((p) => p.name === 'ip6')?.value;
    // An IPv4 client of a dual-stack listener arrives as ::ffff:a.b.c.d, and through a NAT64
    // gateway as 64:ff9b::a.b.c.d: its own IPv4 address, not the one /64 that every such client
    // would share.
    const mapped = ip6 ? (mappedIPv4(ip6) ?? nat64IPv4(ip6)) : undefined;
    if (mapped) return mapped;
    if (ip6) return `${expandIPv6(ip6).slice(0, 4).join(':')}::/64`;
  } catch {
    // falls through to the whole address
  }
  return remote.toString();
}

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d, in either notation) stands for. */
export function mappedIPv4(ip6: string): string | undefined {
  const g = expandIPv6(ip6);
  if (g.length !== 8 || g.slice(0, 5).some((x) => x !== '0000') || g[5] !== 'ffff') return undefined;
  const hi = parseInt(g[6]!, 16);
  const lo = parseInt(g[7]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** The IPv4 address a NAT64 address of the well-known prefix (64:ff9b::/96, RFC 6052) carries. */
export function nat64IPv4(ip6: string): string | undefined {
  const g = expandIPv6(ip6);
  if (g.length !== 8 || g[0] !== '0064' || g[1] !== 'ff9b' || g.slice(2, 6).some((x) => x !== '0000')) return undefined;
  const hi = parseInt(g[6]!, 16);
  const lo = parseInt(g[7]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** The eight 4-digit groups of an IPv6 address (a trailing dotted IPv4 part counts as two). */
export function expandIPv6(ip: string): string[] {
  let text = ip.toLowerCase().split('%')[0]!;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail !== undefined ? Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => g.padStart(4, '0'));
}
