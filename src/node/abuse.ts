// Peers that keep doing what no honest client does get their IP (IPv6: /64) shut out for a while:
// opening a protocol only satellites use, or going past the stream caps. (Streams that end
// without a request are not counted: an honest client aborts those when an upload's long tail is
// cancelled or a download has its pieces, and a node's own refusals end streams so too.) Each refusal alone is cheap; a stream of them is not (every one is
// a negotiation, a few encrypted writes, a linger), and peer ids cost nothing, so the bound is
// per IP. A blocked IP's connections are closed and its new ones refused after the handshake
// (trusted satellites are never blocked, whatever IP they share). Honest clients on a shared
// NAT address would need `threshold` such streams within the window to be caught.
import { rateLimitKey } from '../common/rate-limit.js';
import type { Multiaddr } from '@multiformats/multiaddr';

export interface AbuseLimits {
  /** Abusive streams from one IP within `windowMs` that block it; 0 turns blocking off. */
  abuseThreshold: number;
  /** The window they are counted over. */
  abuseWindowMs: number;
  /** How long a blocked IP stays blocked. */
  abuseBlockMs: number;
}

/** IPs counted at most (the oldest entries go first): the tracker's memory is bounded too. */
const MAX_TRACKED = 100_000;

export class AbuseTracker {
  private readonly counts = new Map<string, { n: number; since: number }>();
  private readonly blocked = new Map<string, number>();
  private blocks = 0;

  constructor(
    readonly limits: AbuseLimits,
    private readonly now: () => number = Date.now
  ) {}

  /** One abusive stream from `remote`; true when this one blocks its IP (then close its connections). */
  note(remote: Multiaddr | string): boolean {
    if (!(this.limits.abuseThreshold > 0)) return false;
    const ip = rateLimitKey(remote);
    const t = this.now();
    if (this.isBlockedKey(ip, t)) return false;
    let c = this.counts.get(ip);
    if (!c || t - c.since > this.limits.abuseWindowMs) {
      c = { n: 0, since: t };
      this.counts.delete(ip);
      this.counts.set(ip, c);
      if (this.counts.size > MAX_TRACKED) this.counts.delete(this.counts.keys().next().value!);
    }
    c.n++;
    if (c.n < this.limits.abuseThreshold) return false;
    this.counts.delete(ip);
    this.blocked.set(ip, t + this.limits.abuseBlockMs);
    if (this.blocked.size > MAX_TRACKED) this.blocked.delete(this.blocked.keys().next().value!);
    this.blocks++;
    return true;
  }

  /** True while `remote`'s IP is blocked. */
  isBlocked(remote: Multiaddr | string): boolean {
    return this.isBlockedKey(rateLimitKey(remote), this.now());
  }

  /** IPs blocked since the start (metrics, tests). */
  get blockedCount(): number {
    return this.blocks;
  }

  private isBlockedKey(ip: string, t: number): boolean {
    const until = this.blocked.get(ip);
    if (until === undefined) return false;
    if (t < until) return true;
    this.blocked.delete(ip);
    return false;
  }
}
