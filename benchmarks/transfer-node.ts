// The node side of `npm run bench:transfer`: a StorageNode plus two bare protocols on the same
// libp2p host, moving the same bytes without the piece protocol (the baseline).
//   node --import tsx benchmarks/transfer-node.ts DATA_DIR SATELLITE_PEER_ID
import '../src/shims/promise-with-resolvers.js';
import type { Stream } from '@libp2p/interface';
import { pino } from 'pino';
import { NODE_DEFAULTS, StorageNode } from '../src/node/index.js';
import { FramedStream, MAX_MESSAGE_BYTES, UploadRequest } from '../src/protocol/index.js';

export const BARE_SINK = '/stowage-bench/sink/1.0.0';
export const BARE_SOURCE = '/stowage-bench/source/1.0.0';
export const FRAMED_SINK = '/stowage-bench/framed-sink/1.0.0';

async function send(stream: Stream, data: Uint8Array): Promise<void> {
  if (!stream.send(data)) await new Promise((resolve) => stream.addEventListener('drain', resolve, { once: true }));
}

const [dataDir, satellite] = process.argv.slice(2);
const node = await StorageNode.start(
  // BENCH_LISTEN (comma-separated): bench:attacks listens on IPv6 loopback too, for its honest client.
  { ...NODE_DEFAULTS, dashboard: '', dataDir: dataDir!, listen: (process.env.BENCH_LISTEN ?? '/ip4/127.0.0.1/tcp/0').split(','), capacity: 2 ** 40, satellites: [{ peerId: satellite!, address: process.env.BENCH_SATELLITE_ADDRESS ?? '/ip4/127.0.0.1/tcp/1' }],
    // BENCH_ABUSE_THRESHOLD=0: bench:attacks with the node's IP blocking off (the other defenses alone).
    abuseThreshold: Number(process.env.BENCH_ABUSE_THRESHOLD ?? NODE_DEFAULTS.abuseThreshold) },
  { logger: pino({ level: process.env.BENCH_DEBUG ? 'debug' : 'silent' }, pino.destination(2)) }
);
// Sink: reads everything the peer sends, then answers one byte.
await node.libp2p.handle(BARE_SINK, async (stream) => {
  for await (const chunk of stream) void chunk;
  await send(stream, new Uint8Array(1));
  await stream.close();
});
// Framed sink: reads upload messages as the node's handler does (framing, decoding), stores
// nothing: what the piece protocol costs before the store.
await node.libp2p.handle(FRAMED_SINK, async (stream) => {
  const framed = new FramedStream(stream, { maxMessageBytes: MAX_MESSAGE_BYTES });
  for (;;) {
    const msg = await framed.read(UploadRequest);
    if (!msg || msg.done) break;
  }
  await send(stream, new Uint8Array(1));
  await stream.close();
});
// Source: sends as many bytes as the 4-byte request says, in 256 KiB chunks. The request is read
// from the first message event (breaking out of a for-await would end the stream's reading side).
await node.libp2p.handle(BARE_SOURCE, async (stream) => {
  const first = await new Promise<Uint8Array>((resolve) =>
    stream.addEventListener('message', (evt) => resolve(evt.data instanceof Uint8Array ? evt.data : evt.data.subarray()), { once: true })
  );
  const want = new DataView(first.buffer, first.byteOffset, 4).getUint32(0);
  const block = new Uint8Array(256 * 1024);
  for (let sent = 0; sent < want; sent += block.length) await send(stream, block.subarray(0, Math.min(block.length, want - sent)));
  await stream.close();
});
process.stdout.write(JSON.stringify({ nodeId: node.peerId, address: node.multiaddrs()[0], addresses: node.multiaddrs() }) + '\n');
process.on('SIGTERM', () => void node.stop().then(() => process.exit(0)));
process.on('uncaughtException', (err) => {
  console.error('node process: uncaught', err);
  process.exit(1);
});
