// The hostile side of `npm run bench:attacks`: PEERS fresh libp2p peer ids keeping STREAMS streams
// open on one storage node at all times, each stream reopened as soon as the node cuts it. The mix:
// stalled request frames on upload and download (held by the node until its first-message
// deadline), bytes dribbled into a request, and stalled 15 MiB retain frames (refused unread:
// not the satellite).
//   node --import tsx benchmarks/attacks-peer.ts NODE_MULTIADDR STREAMS PEERS
// Prints {"open": n} once STREAMS streams have been opened, then runs until SIGTERM.
import '../src/shims/promise-with-resolvers.js';
import { noise } from '@chainsafe/libp2p-noise';
import type { Libp2p, Stream } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { PROTOCOL_DOWNLOAD, PROTOCOL_RETAIN, PROTOCOL_UPLOAD, encodeVarint as varint, stowageMuxer } from '../src/protocol/index.js';

const [address, streamsArg, peersArg] = process.argv.slice(2);
const STREAMS = Number(streamsArg ?? 200);
const PEERS = Number(peersArg ?? 20);
const addr = multiaddr(address);
/** Which attacks the slots cycle through (BENCH_ATTACKS, e.g. "0,3"; default all four). */
const KINDS = (process.env.BENCH_ATTACKS ?? '0,1,2,3').split(',').map(Number);

function closed(stream: Stream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.status !== 'open') return resolve();
    stream.addEventListener('close', () => resolve(), { once: true });
  });
}

/** One attack on a new stream; resolves when the node has cut it. */
async function attack(peer: Libp2p, kind: number): Promise<void> {
  const protocol = kind === 3 ? PROTOCOL_RETAIN : kind % 2 === 0 ? PROTOCOL_UPLOAD : PROTOCOL_DOWNLOAD;
  const stream = await peer.dialProtocol(addr, protocol, { negotiateFully: true });
  const done = closed(stream);
  try {
    switch (kind) {
      case 0:
      case 1:
        // A request-sized frame, most of it, then nothing.
        stream.send(varint(16 * 1024));
        stream.send(new Uint8Array(15 * 1024));
        break;
      case 2: {
        // A request dribbled a byte every 100 ms.
        stream.send(varint(1000));
        const timer = setInterval(() => {
          try {
            stream.send(new Uint8Array(1));
          } catch {
            clearInterval(timer);
          }
        }, 100);
        void done.then(() => clearInterval(timer));
        break;
      }
      default:
        // A retain filter of 15 MiB announced, 256 KiB sent (what a first window lets through).
        stream.send(varint(15 * 1024 * 1024));
        stream.send(new Uint8Array(256 * 1024));
    }
  } catch {
    // cut already
  }
  await done;
}

// A node that blocked this IP (abuse.ts) refuses the dial: the attack goes on trying, as a real
// one would, and the slots below keep failing fast (and retrying each second).
let connected = 0;
const peers = await Promise.all(
  Array.from({ length: PEERS }, async () => {
    const peer = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [stowageMuxer()] });
    try {
      await peer.dial(addr);
      connected++;
      if (process.env.BENCH_DEBUG) console.error('attacker connected');
    } catch {
      if (process.env.BENCH_DEBUG) console.error('attacker refused');
    }
    return peer;
  })
);
if (process.env.BENCH_DEBUG) console.error(`attackers connected: ${connected} of ${PEERS}`);
await new Promise((r) => setTimeout(r, 500));
let stopping = false;
let opened = 0;
let announced = false;
/** One slot of the attack: a stream of its kind, reopened whenever the node cuts it. */
async function slot(i: number): Promise<void> {
  // Consecutive slots per peer, kinds cycling within a peer: at most 2 retain streams per
  // connection (libp2p's own limit for that protocol, which refuses more before the node sees them).
  const perPeer = Math.ceil(STREAMS / PEERS);
  const peer = peers[Math.floor(i / perPeer)]!;
  const kind = KINDS[(i % perPeer) % KINDS.length]!;
  while (!stopping) {
    const attempt = attack(peer, kind);
    opened++;
    if (!announced && opened >= STREAMS) {
      announced = true;
      process.stdout.write(JSON.stringify({ open: STREAMS }) + '\n');
    }
    // A stream libp2p refused to open: try again a second later, not in a tight loop.
    await attempt.catch(() => new Promise((r) => setTimeout(r, 1000)));
  }
}
const slots = Array.from({ length: STREAMS }, (_, i) => slot(i));
process.on('SIGTERM', () => {
  stopping = true;
  void Promise.allSettled(peers.map(async (p) => p.stop())).then(() => process.exit(0));
});
await Promise.allSettled(slots);
