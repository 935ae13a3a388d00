// What the satellite's endpoints hold against hostile peers, per inbound stream: libp2p's cap is
// per connection and protocol, and peer ids and connections cost nothing, so before this any peer
// could open streams by the thousand, each buffering up to two 260 KiB frames (hostile review F3),
// and keep each open as long as it sent a byte every 29 s.
import type { Stream } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { rateLimitKey, siteKey, SITE_SHARE } from '../common/rate-limit.js';
import { BufferBudget, BudgetShares, FramedStream, ProtocolError, ProtocolErrorCode, StreamLimiter } from '../protocol/index.js';

/**
 * - Streams open at once per peer id and per IP (IPv6: /64; a /48 gets SITE_SHARE times an
 *   IP's share); more are reset at once.
 * - Every endpoint stream's unread bytes come from one pool (`bufferBytes`), of which one IP may
 *   hold `bufferBytesPerIp` (a /48 SITE_SHARE times that): a stream whose bytes would pass either
 *   is reset (its peer gets a reset stream, the satellite keeps its memory). Eight IPs are needed
 *   to fill the pool, not two.
 * - The one request of a stream must have arrived whole `requestTimeoutMs` after the stream
 *   opened (the idle timeout restarts on every byte: a byte every 29 s held a stream forever),
 *   and the stream is reset `streamTimeoutMs` after it opened whatever it is doing (a peer that
 *   does not read the answer holds no write for longer); after its answer a stream gets
 *   `lingerMs` for the peer to close its side, then it is reset.
 */
export const ENDPOINT_LIMITS = {
  maxStreamsPerPeer: 64,
  maxStreamsPerIp: 128,
  bufferBytes: 128 * 1024 * 1024,
  bufferBytesPerIp: 16 * 1024 * 1024,
  requestTimeoutMs: 10_000,
  streamTimeoutMs: 60_000,
  lingerMs: 5_000
} as const;

export type EndpointLimits = { [K in keyof typeof ENDPOINT_LIMITS]: number };

/** One admitted endpoint stream: read and answer on `framed`, then call `done()` once. */
export interface GuardedStream {
  framed: FramedStream;
  done(): void;
}

export class EndpointGuard {
  readonly streams: StreamLimiter;
  /** The pool all endpoint streams' unread bytes come from. */
  readonly budget: BufferBudget;
  private readonly shares = new BudgetShares();

  constructor(readonly limits: EndpointLimits = ENDPOINT_LIMITS) {
    this.streams = new StreamLimiter({ maxStreamsPerPeer: limits.maxStreamsPerPeer, maxStreamsPerIp: limits.maxStreamsPerIp });
    this.budget = new BufferBudget(limits.bufferBytes);
  }

  /** IPs and /48s holding a share of the pool now. */
  get sharesHeld(): number {
    return this.shares.size;
  }

  /** Admits a new stream of `peer` from `remote` or throws (NODE_TOO_MANY_STREAMS); the caller resets the stream then. */
  admit(stream: Stream, peer: string, remote: Multiaddr): GuardedStream {
    const ticket = this.streams.admit(peer, remote);
    const site = siteKey(remote);
    const siteShare = site === undefined ? undefined : this.shares.acquire(site, this.limits.bufferBytesPerIp * SITE_SHARE, this.budget);
    const ipShare = this.shares.acquire(rateLimitKey(remote), this.limits.bufferBytesPerIp, siteShare?.budget ?? this.budget);
    const request = new AbortController();
    const requestTimer = setTimeout(
      () => request.abort(new ProtocolError(ProtocolErrorCode.Timeout, `no whole request within ${this.limits.requestTimeoutMs} ms of the stream's start`)),
      this.limits.requestTimeoutMs
    );
    const streamTimer = setTimeout(
      () => stream.abort(new ProtocolError(ProtocolErrorCode.Timeout, `stream still open ${this.limits.streamTimeoutMs} ms after its start`)),
      this.limits.streamTimeoutMs
    );
    requestTimer.unref();
    streamTimer.unref();
    const framed = new FramedStream(stream, { budget: ipShare.budget, readSignal: request.signal });
    let finished = false;
    return {
      framed,
      done: () => {
        if (finished) return;
        finished = true;
        clearTimeout(requestTimer);
        clearTimeout(streamTimer);
        framed.release();
        ipShare.release();
        siteShare?.release();
        // The peer gets a few seconds to close its side after the answer, then the stream is
        // reset; it counts against the caps until it is closed (as on the node), so answers the
        // peer never closes cannot pile up uncounted (review 11).
        if (stream.status === 'open' || stream.status === 'closing') {
          const linger = setTimeout(() => stream.abort(new Error('the peer kept the stream open after the answer')), this.limits.lingerMs);
          linger.unref();
          stream.addEventListener(
            'close',
            () => {
              clearTimeout(linger);
              ticket.release();
            },
            { once: true }
          );
        } else {
          ticket.release();
        }
      }
    };
  }
}
