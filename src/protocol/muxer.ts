// The stream muxer every Stowage host uses. yamux's defaults let a stream's receive window grow to
// 16 MiB while a stream aborts once 4 MiB sit unread: a reader that pauses (our flow control) then
// gets its stream reset by the window it granted. Here the window stops at 4 MiB and a stream may
// hold 8 MiB, so pausing is real backpressure and bounds memory per stream.
import { yamux } from '@chainsafe/libp2p-yamux';

export const STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
export const STREAM_READ_BUFFER_BYTES = 8 * 1024 * 1024;

export function stowageMuxer(): ReturnType<typeof yamux> {
  return yamux({
    streamOptions: {
      maxStreamWindowSize: STREAM_WINDOW_BYTES,
      maxReadBufferLength: STREAM_READ_BUFFER_BYTES
    }
  });
}

/**
 * Connection limits for Stowage hosts. libp2p's defaults (5 inbound connections per second from
 * one host, 10 pending) refuse a satellite's sixth node on one machine (a devnet, a test) and
 * clients that open many connections at once; a network's hosts need more.
 */
export const CONNECTION_LIMITS = {
  inboundConnectionThreshold: 200,
  // 32 IPs' shares of handshakes in flight (gater.ts): a pending socket costs a descriptor and
  // a timer, nothing more, until its peer speaks.
  maxIncomingPendingConnections: 512,
  maxConnections: 2000
} as const;
