// The libp2p host every Stowage program runs: TCP, Noise, Yamux with stowageMuxer's windows, the
// connection limits a network needs; servers (nodes, satellites) add identify and ping.
import { noise } from '@chainsafe/libp2p-noise';
import { identify } from '@libp2p/identify';
import type { Libp2p, PeerId, PrivateKey } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { createLibp2p } from 'libp2p';
import { pendingInboundGater, type PendingInboundLimiter } from './gater.js';
import { CONNECTION_LIMITS, stowageMuxer } from './muxer.js';

export interface HostOptions {
  /** The program's identity; a client may leave it out (a new key per run). */
  privateKey?: PrivateKey;
  listen?: string[];
  announce?: string[];
  /** Counts inbound handshakes per IP (gater.ts); a test passes its own to look at the counts. */
  pendingInbound?: PendingInboundLimiter;
  /** Refuses a peer's inbound connection once its handshake named it (a node's blocked IPs). */
  denyInboundPeer?: (peerId: string, remote: Multiaddr) => boolean;
  /** Peers whose connections never count against their IP's share (a node's trusted satellites). */
  trustedPeer?: (peerId: string) => boolean;
  /** Refuses an inbound connection before its handshake, by its address (a node's blocked IPs). */
  denyInboundAddress?: (remote: Multiaddr) => boolean;
  /**
   * IP multiaddrs whose inbound connections libp2p takes even when its global caps (handshakes in
   * flight, connections) are full: a node's trusted satellites, so strangers filling them cannot
   * make it look offline. The per-IP caps (gater.ts) still apply to their IPs.
   */
  allowInbound?: string[];
  /**
   * Keep a connection whose peer stops answering libp2p's keep-alive pings (libp2p aborts it by
   * default). The satellite sets it: a node that stalls keeps its connection, so an audit of it is
   * contained and fails on its last re-ask, instead of turning "offline" (audit score untouched)
   * once a ping failed; found when test:stress made the audit rounds slower than a ping's timeout.
   */
  keepStalledConnections?: boolean;
}

/**
 * The least time libp2p's keep-alive ping (every 10 s on every connection) waits for its answer
 * before it aborts the connection with every stream on it (libp2p: 5 s). A pong queues behind the
 * piece data already in flight on its connection (up to 4 MiB per stream, stowageMuxer), and
 * behind a peer's busy event loop: with 8 downloads at once on 2 cores it took over 5 s, and the
 * aborted connections failed the downloads ("The operation was aborted due to timeout", issue 23).
 * Transfers have their own idle timeouts; this only finds connections whose peer is gone.
 */
export const PING_TIMEOUT_MIN_MS = 30_000;

export async function createHost(options: HostOptions = {}): Promise<Libp2p> {
  const server = (options.listen?.length ?? 0) > 0;
  const libp2p = await createLibp2p({
    ...(options.privateKey ? { privateKey: options.privateKey } : {}),
    addresses: { listen: options.listen ?? [], announce: options.announce ?? [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [stowageMuxer()],
    connectionManager: { ...CONNECTION_LIMITS, allow: options.allowInbound ?? [] },
    connectionGater: pendingInboundGater(options.pendingInbound, options.denyInboundPeer, options.trustedPeer, options.denyInboundAddress),
    connectionMonitor: options.keepStalledConnections ? { abortConnectionOnPingFailure: false } : { pingTimeout: { minTimeout: PING_TIMEOUT_MIN_MS } },
    ...(server ? { services: { identify: identify(), ping: ping() } } : {})
  });
  if (server) {
    // A server forgets a peer once it has no connection left: it dials nodes and satellites at
    // addresses it was given, never from the peer store, and peer ids cost nothing, so every fresh
    // id that ever connected stayed in memory (libp2p evicts only when an entry is read, after 6 h;
    // hostile review F14).
    const forget = (peer: PeerId): void => {
      if (libp2p.getConnections(peer).length === 0) void libp2p.peerStore.delete(peer).catch(() => undefined);
    };
    libp2p.addEventListener('peer:disconnect', (evt) => forget(evt.detail));
    // Identify may write its answer after the peer left (it awaits between its writes).
    libp2p.addEventListener('peer:identify', (evt) => forget(evt.detail.peerId));
  }
  return libp2p;
}
