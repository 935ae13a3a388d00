// Streams open at once per peer id and per remote IP (IPv4 address, IPv6 /64), for any host that
// serves hostile peers: a storage node's protocols (node/guard.ts) and the satellite's endpoints.
// Peer ids cost nothing, so the per-IP count is what bounds one attacker; an IPv6 /48 (one site,
// 65,536 /64s) gets SITE_SHARE times one address's streams in all.
import type { Multiaddr } from '@multiformats/multiaddr';
import { rateLimitKey, siteKey, SITE_SHARE } from '../common/rate-limit.js';
import { ProtocolError, ProtocolErrorCode } from './errors.js';

export interface StreamLimits {
  /** Streams one peer id may have open at once, over all its connections and the node's protocols. */
  maxStreamsPerPeer: number;
  /** Streams all peers behind one IP (IPv4 address, IPv6 /64) may have open at once. */
  maxStreamsPerIp: number;
}

/** A stream counted by a StreamLimiter: release it once, when the stream is done. */
export interface StreamTicket {
  release(): void;
}

/**
 * Refused because the caller's IPv6 /48 holds its share, not because of anything the caller did:
 * a neighbour in the /48 may have filled it, so this refusal is never held against the caller
 * (a node's abuse count; hostile review 11).
 */
export class SiteStreamsError extends ProtocolError {
  constructor(
    readonly site: string,
    count: number
  ) {
    super(ProtocolErrorCode.TooManyStreams, `${site} has ${count} streams open here, the most one IPv6 /48 may`);
  }
}

export class StreamLimiter {
  private readonly perPeer = new Map<string, number>();
  private readonly perIp = new Map<string, number>();
  private readonly perSite = new Map<string, number>();
  private refusedCount = 0;

  constructor(readonly limits: StreamLimits) {}

  /** Counts a new stream of `peer` from `remote`, or throws NODE_TOO_MANY_STREAMS. */
  admit(peer: string, remote: Multiaddr | string): StreamTicket {
    const ip = rateLimitKey(remote);
    const peerCount = this.perPeer.get(peer) ?? 0;
    const ipCount = this.perIp.get(ip) ?? 0;
    const site = siteKey(remote);
    const siteCount = site === undefined ? 0 : (this.perSite.get(site) ?? 0);
    if (peerCount >= this.limits.maxStreamsPerPeer) {
      this.refusedCount++;
      throw new ProtocolError(ProtocolErrorCode.TooManyStreams, `peer ${peer} has ${peerCount} streams open here, the most one peer may`);
    }
    if (ipCount >= this.limits.maxStreamsPerIp) {
      this.refusedCount++;
      throw new ProtocolError(ProtocolErrorCode.TooManyStreams, `${ip} has ${ipCount} streams open here, the most one address may`);
    }
    if (site !== undefined && siteCount >= this.limits.maxStreamsPerIp * SITE_SHARE) {
      this.refusedCount++;
      throw new SiteStreamsError(site, siteCount);
    }
    if (site !== undefined) this.perSite.set(site, siteCount + 1);
    this.perPeer.set(peer, peerCount + 1);
    this.perIp.set(ip, ipCount + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        decrement(this.perPeer, peer);
        decrement(this.perIp, ip);
        if (site !== undefined) decrement(this.perSite, site);
      }
    };
  }

  /** Streams counted now, in all. */
  get open(): number {
    let n = 0;
    for (const c of this.perPeer.values()) n += c;
    return n;
  }

  /** Streams refused since the start. */
  get refused(): number {
    return this.refusedCount;
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
