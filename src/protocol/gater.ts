// Inbound connections still in their handshake (TCP accepted, Noise and the muxer not yet
// negotiated) are capped per IP (IPv4 address, IPv6 /64). libp2p keeps at most
// `maxIncomingPendingConnections` (100) of them for everyone, each up to `inboundUpgradeTimeout`:
// one address that opened 100 sockets and said nothing refused every honest peer's connection
// for as long as it kept doing so (hostile review F2). A peer past its share is refused at once;
// its finished connections do not count (those are the stream limiters' business).
import type { ConnectionGater, MultiaddrConnection, PeerId } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { rateLimitKey, siteKey, SITE_SHARE } from '../common/rate-limit.js';

/**
 * Handshakes one IP may have in flight: a 32nd of libp2p's `maxIncomingPendingConnections`
 * (muxer.ts), so it takes 32 addresses (8 IPv6 /48s) holding silent sockets to fill them, not 5
 * (hostile review 11). A node in Docker behind a userland proxy sees every peer through the
 * bridge's one address; a handshake takes milliseconds, so 16 at once still serve them.
 */
export const MAX_PENDING_INBOUND_PER_IP = 16;
/**
 * Inbound connections one IP may hold once their handshake is done (trusted peers not counted): a
 * 31st of libp2p's `maxConnections` (2000), which refuses everyone past it and closes no idle
 * connection: one address finishing handshakes 24 at a time filled them all (hostile review of
 * session 10), and 256 per IP still let 8 addresses do it (review 11). An honest host needs one
 * connection per peer it talks to.
 */
export const MAX_INBOUND_CONNECTIONS_PER_IP = 64;

/** The counts a connection from `remote` goes under: its IP (IPv6: /64) and, for IPv6, its /48 with SITE_SHARE times the cap. */
function countKeys(remote: Multiaddr, cap: number): Array<[string, number]> {
  const site = siteKey(remote);
  return site === undefined ? [[rateLimitKey(remote), cap]] : [[rateLimitKey(remote), cap], [site, cap * SITE_SHARE]];
}

function release(map: Map<string, number>, keys: ReadonlyArray<[string, number]>): void {
  for (const [key] of keys) {
    const n = (map.get(key) ?? 1) - 1;
    if (n <= 0) map.delete(key);
    else map.set(key, n);
  }
}

/** Counts `keys` in `map` unless one is at its cap (true: deny). */
function tryCount(map: Map<string, number>, keys: ReadonlyArray<[string, number]>): boolean {
  if (keys.some(([key, cap]) => (map.get(key) ?? 0) >= cap)) return true;
  for (const [key] of keys) map.set(key, (map.get(key) ?? 0) + 1);
  return false;
}

export class PendingInboundLimiter {
  private readonly pending = new Map<string, number>();
  private readonly counted = new WeakMap<MultiaddrConnection, Array<[string, number]>>();
  private readonly established = new Map<string, number>();

  constructor(
    readonly maxPerIp: number = MAX_PENDING_INBOUND_PER_IP,
    readonly maxEstablishedPerIp: number = MAX_INBOUND_CONNECTIONS_PER_IP
  ) {}

  /** True (deny) when the connection's IP (or IPv6 /48) holds its share of connections; else counts it until it closes. */
  admitEstablished(maConn: MultiaddrConnection): boolean {
    const keys = countKeys(maConn.remoteAddr, this.maxEstablishedPerIp);
    if (tryCount(this.established, keys)) return true;
    maConn.addEventListener('close', () => release(this.established, keys), { once: true });
    return false;
  }

  /** Connections established from the IP of `remote` and still open. */
  establishedFrom(remote: Multiaddr | string): number {
    return this.established.get(rateLimitKey(remote)) ?? 0;
  }

  /** True (deny) when the connection's IP (or IPv6 /48) has its share in flight; else counts it until done. */
  admit(maConn: MultiaddrConnection): boolean {
    const keys = countKeys(maConn.remoteAddr, this.maxPerIp);
    if (tryCount(this.pending, keys)) return true;
    this.counted.set(maConn, keys);
    // A handshake that fails or times out closes the socket: its count goes back then.
    maConn.addEventListener('close', () => this.done(maConn), { once: true });
    return false;
  }

  /** The handshake finished (or the connection closed): the IP's count goes back, once. */
  done(maConn: MultiaddrConnection): void {
    const keys = this.counted.get(maConn);
    if (keys === undefined) return;
    this.counted.delete(maConn);
    release(this.pending, keys);
  }

  /** Handshakes in flight from the IP of `remote` (tests, metrics). */
  inFlight(maConn: MultiaddrConnection): number {
    return this.pending.get(rateLimitKey(maConn.remoteAddr)) ?? 0;
  }

  /** Every IP's count together. */
  get total(): number {
    let n = 0;
    for (const [key, v] of this.pending) if (!key.endsWith('/48')) n += v;
    return n;
  }
}

/**
 * The gater every Stowage host runs: `denyAddress` (a node's blocked IPs that no trusted satellite
 * uses: refused before the handshake, so a blocked attacker redialling costs a TCP accept, not a
 * Noise handshake), the pending-handshake cap above, and `denyPeer` (the rest of a node's blocked
 * IPs) once the handshake has named the peer.
 */
export function pendingInboundGater(
  limiter = new PendingInboundLimiter(),
  denyPeer?: (peerId: string, remote: Multiaddr) => boolean,
  /** Peers never counted against their IP's connections (a node's trusted satellites). */
  trusted?: (peerId: string) => boolean,
  denyAddress?: (remote: Multiaddr) => boolean
): ConnectionGater {
  return {
    denyInboundConnection: (maConn) => (denyAddress?.(maConn.remoteAddr) ?? false) || limiter.admit(maConn),
    ...(denyPeer ? { denyInboundEncryptedConnection: (peerId: PeerId, maConn: MultiaddrConnection) => denyPeer(peerId.toString(), maConn.remoteAddr) } : {}),
    denyInboundUpgradedConnection: (peer, maConn) => {
      limiter.done(maConn);
      if (trusted?.(peer.toString())) return false;
      return limiter.admitEstablished(maConn);
    }
  };
}
