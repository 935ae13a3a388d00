// The node's defenses one by one, each with a test that fails without it (issue 19; the attacks
// as a whole are test/adversarial/node-flood.test.ts): the buffer budget in FramedStream (an
// unverified stream past its share is refused, a verified one is paused and loses nothing), the
// whole-transfer deadline, NODE_BUSY leaving the order's serial unused, and the settings.
import type { Libp2p, Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodeConfig, NODE_DEFAULTS, StreamLimiter, TransferMeter, satelliteAddrs } from '../../src/node/index.js';
import { BufferBudget, FramedStream, PROTOCOL_UPLOAD, PieceAction, STREAM_WINDOW_BYTES, UploadRequest, UploadResponse, createHost, uploadPiece } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';
import { TestSatellite, newPieceId, pieceHashOf, startClient, startNode } from './fixtures/network.js';

const PROTOCOL = '/stowage-test/budget/1.0.0';
let server: Libp2p;
let client: Libp2p;
let satellite: TestSatellite;

beforeAll(async () => {
  server = await createHost({ listen: ['/ip4/127.0.0.1/tcp/0'] });
  client = await startClient();
  satellite = await TestSatellite.create();
});

afterAll(async () => {
  await client?.stop();
  await server?.stop();
  removeTempDirs();
});

/** Serves PROTOCOL with `reader` over a FramedStream on `budget`; resolves with what the reader returns. */
async function serveOnce<T>(budget: BufferBudget, reader: (framed: FramedStream) => Promise<T>): Promise<{ outcome: Promise<T> }> {
  const result = Promise.withResolvers<T>();
  await server.unhandle(PROTOCOL);
  await server.handle(PROTOCOL, (stream: Stream) => {
    const framed = new FramedStream(stream, { idleTimeoutMs: 10_000, maxMessageBytes: 16 * 1024, budget });
    reader(framed).then(result.resolve, result.reject).finally(() => framed.release());
  });
  return { outcome: result.promise };
}

describe('the buffer budget', () => {
  it('refuses an unverified stream whose bytes would pass its share, and gives every byte back', async () => {
    const budget = new BufferBudget(1024 * 1024, 32 * 1024);
    const { outcome } = await serveOnce(budget, async (framed) => {
      // Never verified (no order arrives): the reader waits for a 16 KiB frame that never completes.
      await new Promise((r) => setTimeout(r, 300));
      return framed.read(UploadRequest).then(
        () => 'read',
        (err: { code?: string }) => err.code
      );
    });
    const stream = await client.dialProtocol(server.getMultiaddrs()[0]!, PROTOCOL);
    // 100 KiB of raw bytes: frames of a size the reader would refuse anyway do not matter here.
    for (let i = 0; i < 10; i++) stream.send(new Uint8Array(10 * 1024).fill(1));
    expect(await outcome).toBe('NODE_BUSY');
    const stats = budget.stats();
    expect(stats.refused).toBe(1);
    expect(stats.peakUnverified).toBeLessThanOrEqual(32 * 1024);
    expect(stats.used).toBe(0);
  });

  it('pauses a verified stream past the limit and delivers every byte in order once room is made', async () => {
    const budget = new BufferBudget(300 * 1024, 300 * 1024);
    const CHUNK = 200 * 1024;
    const COUNT = 24;
    const { outcome } = await serveOnce(budget, async (framed) => {
      framed.verify({ maxMessageBytes: 256 * 1024 + 4096 });
      let n = 0;
      for (;;) {
        const msg = await framed.read(UploadRequest);
        if (!msg) return n;
        if (msg.chunk[0] !== n % 256 || msg.chunk.length !== CHUNK) throw new Error(`frame ${n} is wrong`);
        n++;
        // A slow consumer: the sender fills the budget meanwhile.
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    const framed = new FramedStream(await client.dialProtocol(server.getMultiaddrs()[0]!, PROTOCOL));
    const chunk = new Uint8Array(CHUNK);
    for (let i = 0; i < COUNT; i++) {
      chunk.fill(i % 256);
      await framed.write(UploadRequest, { chunk });
    }
    await framed.closeWrite();
    expect(await outcome).toBe(COUNT);
    const stats = budget.stats();
    expect(stats.paused).toBeGreaterThan(0);
    // A pause stops what the muxer delivers next, not what its window already let the sender
    // put on the wire: that comes on resume. Over the limit by at most one stream window then.
    expect(stats.peak).toBeLessThanOrEqual(300 * 1024 + STREAM_WINDOW_BYTES + 256 * 1024);
    console.log(`verified stream on a 300 KiB budget: peak ${(stats.peak / 1024).toFixed(0)} KiB, paused ${stats.paused} times`);
    expect(stats.used).toBe(0);
  });
});

describe('a storage node', () => {
  it('ends an upload that outlasts the whole-transfer deadline however steadily it sends (PROTOCOL_TIMEOUT)', async () => {
    const node = await startNode(tempDir(), [satellite], { maxTransferMs: 1500, minTransferRate: 0 });
    try {
      const framed = new FramedStream(await client.dialProtocol(multiaddr(node.multiaddrs()[0]), PROTOCOL_UPLOAD));
      const pieceId = newPieceId();
      await framed.write(UploadRequest, { order: await satellite.order(node.peerId, PieceAction.PUT, pieceId), size: 10_000_000n });
      const answer = framed.read(UploadResponse).then(
        (r) => r?.error?.code ?? 'none',
        (err: { code?: string }) => err.code ?? 'error'
      );
      const t0 = Date.now();
      // 50 KB every 100 ms: 500 KB/s, never idle, never under a minimum rate; 10 MB would take 20 s.
      const timer = setInterval(() => void framed.write(UploadRequest, { chunk: new Uint8Array(50_000) }).catch(() => clearInterval(timer)), 100);
      try {
        expect(await answer).toBe('PROTOCOL_TIMEOUT');
      } finally {
        clearInterval(timer);
      }
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(node.context.activeUploads.count).toBe(0);
      expect(await node.store.has(pieceId)).toBe(false);
    } finally {
      await node.stop();
    }
  });

  it('answers NODE_BUSY without using the order: the same order is taken once a slot is free', async () => {
    const node = await startNode(tempDir(), [satellite], { maxConcurrentUploads: 1 });
    try {
      const addr = multiaddr(node.multiaddrs()[0]);
      const held = new FramedStream(await client.dialProtocol(addr, PROTOCOL_UPLOAD));
      const heldId = newPieceId();
      await held.write(UploadRequest, { order: await satellite.order(node.peerId, PieceAction.PUT, heldId), size: 10n });
      for (let i = 0; i < 50 && node.context.activeUploads.count === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const pieceId = newPieceId();
      const order = await satellite.order(node.peerId, PieceAction.PUT, pieceId);
      const bytes = new Uint8Array(10).fill(3);
      await expect(uploadPiece(await client.dialProtocol(addr, PROTOCOL_UPLOAD), order, 10, [bytes], { uplinkKey: satellite.uplink })).rejects.toMatchObject({ code: 'NODE_BUSY' });
      await held.write(UploadRequest, { chunk: new Uint8Array(10), done: true, pieceHash: await pieceHashOf(satellite.uplink, heldId, new Uint8Array(10)) });
      expect((await held.expect(UploadResponse, 'receipt')).receipt).toBeDefined();
      await held.closeWrite();
      for (let i = 0; i < 50 && node.context.activeUploads.count > 0; i++) await new Promise((r) => setTimeout(r, 20));
      await uploadPiece(await client.dialProtocol(addr, PROTOCOL_UPLOAD), order, 10, [bytes], { uplinkKey: satellite.uplink });
      expect(await node.store.has(pieceId)).toBe(true);
    } finally {
      await node.stop();
    }
  });
});

describe('stream limits and transfer meters', () => {
  it('count streams per peer id and per IP (IPv6 by /64), and give them back', () => {
    const limiter = new StreamLimiter({ maxStreamsPerPeer: 2, maxStreamsPerIp: 3 });
    const a1 = limiter.admit('A', '/ip4/203.0.113.7/tcp/1000');
    limiter.admit('A', '/ip4/203.0.113.7/tcp/1001');
    expect(() => limiter.admit('A', '/ip4/198.51.100.1/tcp/1')).toThrow(expect.objectContaining({ code: 'NODE_TOO_MANY_STREAMS' }) as Error);
    limiter.admit('B', '/ip4/203.0.113.7/tcp/1002');
    // A fourth stream from that IP, whatever the peer id.
    expect(() => limiter.admit('C', '/ip4/203.0.113.7/tcp/1003')).toThrow(expect.objectContaining({ code: 'NODE_TOO_MANY_STREAMS' }) as Error);
    a1.release();
    a1.release();
    limiter.admit('C', '/ip4/203.0.113.7/tcp/1004');
    // One /64 is one subscriber.
    for (const host of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3']) limiter.admit(host, `/ip6/${host}/tcp/1`);
    expect(() => limiter.admit('D', '/ip6/2001:db8:1:2::9/tcp/1')).toThrow(expect.objectContaining({ code: 'NODE_TOO_MANY_STREAMS' }) as Error);
    limiter.admit('D', '/ip6/2001:db8:1:3::9/tcp/1');
    expect(limiter.open).toBe(7);
    expect(limiter.refused).toBe(3);
  });

  it('abort a transfer under the minimum rate, and not once the peer is done', async () => {
    const slow = new TransferMeter({ maxTransferMs: 0, minTransferRate: 10_000, rateWindowMs: 100 }, 'upload');
    slow.add(500);
    // The first window that ends on time judges it (a window the process stalled through is not).
    for (let i = 0; i < 100 && !slow.signal.aborted; i++) await new Promise((r) => setTimeout(r, 50));
    expect(slow.signal.aborted).toBe(true);
    expect(slow.signal.reason).toMatchObject({ code: 'PROTOCOL_TOO_SLOW' });
    slow.close();
    const done = new TransferMeter({ maxTransferMs: 0, minTransferRate: 10_000, rateWindowMs: 100 }, 'upload');
    done.add(5000);
    done.stopRate();
    await new Promise((r) => setTimeout(r, 250));
    expect(done.signal.aborted).toBe(false);
    done.close();
  });

  it('do not judge a window the process stalled through (its bytes may not have been read yet)', async () => {
    const meter = new TransferMeter({ maxTransferMs: 0, minTransferRate: 10_000, rateWindowMs: 100 }, 'download');
    // The event loop blocked for three windows: no byte could be counted meanwhile.
    const until = performance.now() + 300;
    while (performance.now() < until) {
      // busy
    }
    // The late tick runs first (due before this timer), then the peer's bytes are counted.
    await new Promise((r) => setTimeout(r, 0));
    meter.add(5000);
    expect(meter.signal.aborted).toBe(false);
    meter.stopRate();
    meter.close();
    // Without a stall the same silence is judged: aborted within the next windows.
    const control = new TransferMeter({ maxTransferMs: 0, minTransferRate: 10_000, rateWindowMs: 100 }, 'download');
    for (let i = 0; i < 100 && !control.signal.aborted; i++) await new Promise((r) => setTimeout(r, 50));
    expect(control.signal.reason).toMatchObject({ code: 'PROTOCOL_TOO_SLOW' });
    control.close();
  });
});

describe('node settings against hostile peers', () => {
  const base = ['--satellite', '12D3KooWGRUVh6ZgDkcb2WmcTnzAZkkA4XHFWmwbbRqnqBq8zwZP@/ip4/127.0.0.1/tcp/7777'];

  it('have written-down defaults', () => {
    const config = loadNodeConfig(base, {});
    expect(config).toMatchObject({
      firstMessageTimeoutMs: 5000,
      maxTransferMs: 3_600_000,
      minTransferRate: 1024,
      rateWindowMs: 15_000,
      maxStreamsPerPeer: 32,
      maxStreamsPerIp: 128,
      maxBufferedBytes: 64 * 1024 * 1024,
      maxUnverifiedBufferedBytes: 16 * 1024 * 1024
    });
    expect(NODE_DEFAULTS.firstMessageTimeoutMs).toBe(5000);
  });

  it('come from the environment and the file', () => {
    const config = loadNodeConfig(base, {
      STOWAGE_NODE_FIRST_MESSAGE_TIMEOUT_MS: '2000',
      STOWAGE_NODE_MAX_TRANSFER_MS: '0',
      STOWAGE_NODE_MIN_TRANSFER_RATE: '4096',
      STOWAGE_NODE_RATE_WINDOW_MS: '10000',
      STOWAGE_NODE_MAX_STREAMS_PER_PEER: '8',
      STOWAGE_NODE_MAX_STREAMS_PER_IP: '64',
      STOWAGE_NODE_MAX_BUFFERED_BYTES: '32MiB',
      STOWAGE_NODE_MAX_UNVERIFIED_BUFFERED_BYTES: '4MiB'
    });
    expect(config).toMatchObject({
      firstMessageTimeoutMs: 2000,
      maxTransferMs: 0,
      minTransferRate: 4096,
      rateWindowMs: 10_000,
      maxStreamsPerPeer: 8,
      maxStreamsPerIp: 64,
      maxBufferedBytes: 32 * 1024 * 1024,
      maxUnverifiedBufferedBytes: 4 * 1024 * 1024
    });
    expect(() => loadNodeConfig(base, { STOWAGE_NODE_MAX_STREAMS_PER_IP: '0' })).toThrow(/maxStreamsPerIp/);
  });

  it('settle egress every hour within a 48 h window by default; a window the interval does not fit in is refused', () => {
    expect(loadNodeConfig(base, {})).toMatchObject({ settleIntervalMs: 3_600_000, settlementWindowMs: 48 * 3_600_000 });
    expect(loadNodeConfig(base, { STOWAGE_NODE_SETTLE_INTERVAL_MS: '60000', STOWAGE_NODE_SETTLEMENT_WINDOW_MS: '120000' })).toMatchObject({ settleIntervalMs: 60_000, settlementWindowMs: 120_000 });
    expect(loadNodeConfig(base, { STOWAGE_NODE_SETTLE_INTERVAL_MS: '0' }).settleIntervalMs).toBe(0);
    expect(() => loadNodeConfig(base, { STOWAGE_NODE_SETTLE_INTERVAL_MS: '7200000', STOWAGE_NODE_SETTLEMENT_WINDOW_MS: '3600000' })).toThrow(/settleIntervalMs \(7200000\) must be shorter than settlementWindowMs/);
    expect(() => loadNodeConfig(base, { STOWAGE_NODE_SETTLEMENT_WINDOW_MS: '0' })).toThrow(/settlementWindowMs must be a positive number/);
  });
});

describe('several addresses of one satellite (issue 24)', () => {
  const id = '12D3KooWGRUVh6ZgDkcb2WmcTnzAZkkA4XHFWmwbbRqnqBq8zwZP';
  const other = '12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp';

  it('merges --satellite entries of one id into one satellite with its addresses in order, from flags and from the environment', () => {
    const flags = loadNodeConfig(['--satellite', `${id}@/ip4/127.0.0.1/tcp/7777`, '--satellite', `${other}@/ip4/127.0.0.1/tcp/9999`, '--satellite', `${id}@/ip4/127.0.0.1/tcp/7787`], {});
    expect(flags.satellites).toEqual([
      { peerId: id, address: '/ip4/127.0.0.1/tcp/7777', addresses: ['/ip4/127.0.0.1/tcp/7777', '/ip4/127.0.0.1/tcp/7787'] },
      { peerId: other, address: '/ip4/127.0.0.1/tcp/9999' }
    ]);
    const env = loadNodeConfig([], { STOWAGE_NODE_SATELLITES: `${id}@/ip4/10.0.0.1/tcp/7777,${id}@/ip4/10.0.0.2/tcp/7777,${id}@/ip4/10.0.0.1/tcp/7777` });
    expect(env.satellites).toEqual([{ peerId: id, address: '/ip4/10.0.0.1/tcp/7777', addresses: ['/ip4/10.0.0.1/tcp/7777', '/ip4/10.0.0.2/tcp/7777'] }]);
    expect(satelliteAddrs(env.satellites[0]!).map(String)).toEqual([`/ip4/10.0.0.1/tcp/7777/p2p/${id}`, `/ip4/10.0.0.2/tcp/7777/p2p/${id}`]);
  });
});
