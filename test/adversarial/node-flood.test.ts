// Hostile peers against one storage node, each a real libp2p host on loopback (issue 19, node
// part): stalled frames on every node protocol, idle and dribbling streams, stream floods from
// many fresh peer ids, forged retain filters from a peer that is not the satellite. While each
// attack runs an honest client uploads and downloads pieces, every one of which must succeed, and
// the node's buffered bytes (its own BufferBudget accounting) and the process's RSS stay under
// the bounds stated below.
//
// The hostile peers dial the node's IPv4 loopback address, the honest client its IPv6 one: to
// the node they are different IPs, as an attacker and a client would be (the per-IP cap applies
// to the attackers only).
//
// Every test starts from a node holding nothing (no stream, no slot, no budget) and leaves it so,
// whatever ran before it and in any order (afterEach stops what a failed test left running); the
// hostile peers connect a few at a time, so a loaded machine sees a stream flood, not a handshake
// flood the test is not about.
import type { Libp2p, Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StorageNode } from '../../src/node/index.js';
import {
  AuditResponse,
  BloomFilter,
  DeleteResponse,
  DownloadRequest,
  DownloadResponse,
  FramedStream,
  MAX_REQUEST_BYTES,
  PROTOCOL_AUDIT,
  PROTOCOL_DELETE,
  PROTOCOL_DOWNLOAD,
  PROTOCOL_RETAIN,
  PROTOCOL_UPLOAD,
  PieceAction,
  RetainRequest,
  RetainResponse,
  UploadRequest,
  UploadResponse,
  auditPiece,
  downloadPiece,
  encodeFrame,
  signRetain,
  uploadPiece,
  type MessageCodec
} from '../../src/protocol/index.js';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { TestSatellite, downloadRequestOf, newPieceId, startClient, startNode } from '../node/fixtures/network.js';
import { collect, pieceBytes } from '../node/fixtures/pieces.js';

const MiB = 1024 * 1024;
/** The settings under test, shortened so the attacks end within seconds. */
const GUARD = {
  // These floods test the caps, deadlines and budget themselves: blocking their IP (abuse.ts,
  // test/adversarial/abuse-block.test.ts) would end them early.
  abuseThreshold: 0,
  firstMessageTimeoutMs: 1500,
  // Two seconds, not one: on a loaded machine this process (node, honest client and attackers in
  // one event loop) was seen to stall for a whole second, and an honest download was cut as
  // having moved nothing in it.
  rateWindowMs: 2000,
  minTransferRate: 64 * 1024,
  maxTransferMs: 60_000,
  maxStreamsPerPeer: 32,
  maxStreamsPerIp: 128,
  maxBufferedBytes: 64 * MiB,
  maxUnverifiedBufferedBytes: 4 * MiB,
  idleTimeoutMs: 30_000
};

let satellite: TestSatellite;
let node: StorageNode;
let honest: Libp2p;
let honestAddr: string;
let hostileAddr: string;
const hosts: Libp2p[] = [];

beforeAll(async () => {
  satellite = await TestSatellite.create();
  node = await startNode(tempDir('stowage-flood-'), [satellite], { ...GUARD, listen: ['/ip4/127.0.0.1/tcp/0', '/ip6/::1/tcp/0'] });
  honestAddr = node.multiaddrs().find((a) => a.startsWith('/ip6/'))!;
  hostileAddr = node.multiaddrs().find((a) => a.startsWith('/ip4/'))!;
  honest = await startClient();
});

afterAll(async () => {
  for (const h of hosts.splice(0)) await h.stop();
  await honest?.stop();
  await satellite?.stop();
  await node?.stop();
  removeTempDirs();
});

/**
 * A fresh peer id, connected. (Streams opened by the dozen in the first instants of a new
 * connection were reset in libp2p's negotiation, before the node's handler saw them: the
 * connection is given half a second first.)
 */
async function hostile(address = hostileAddr): Promise<Libp2p> {
  return (await hostiles(1, address))[0]!;
}

/** `count` fresh peer ids, connected four at a time (a handshake flood is not what is tested), each given half a second. */
async function hostiles(count: number, address = hostileAddr): Promise<Libp2p[]> {
  const out: Libp2p[] = [];
  let next = 0;
  const connect = async (): Promise<void> => {
    while (next < count) {
      next++;
      const h = await startClient();
      hosts.push(h);
      await h.dial(multiaddr(address), { signal: AbortSignal.timeout(30_000) });
      out.push(h);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, count) }, connect));
  await new Promise((r) => setTimeout(r, 500));
  return out;
}

async function stopHostiles(): Promise<void> {
  for (const h of hosts.splice(0)) await h.stop();
}

/** A stream the node has accepted (negotiated in full: libp2p's dialers otherwise wait for the first write). */
async function open(peer: Libp2p, protocol: string, address = hostileAddr): Promise<Stream> {
  return peer.dialProtocol(multiaddr(address), protocol, { negotiateFully: true });
}

/**
 * An answer libp2p lost: when the node's refusal and its close come in with the protocol echo, the
 * dialer's protocol selection throws handing the refusal back to the closed stream ("Cannot push
 * data onto a stream that is closed") instead of returning it. The node refused that stream at once
 * all the same: the tests count these beside the refusals they read, and check the sum against the
 * node's own count.
 */
const LOST = 'lost';

/** open(), or LOST when libp2p lost the node's immediate answer (above). */
async function openOrLost(peer: Libp2p, protocol: string, address = hostileAddr): Promise<Stream | typeof LOST> {
  try {
    return await open(peer, protocol, address);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('Cannot push data onto a stream that is clos')) return LOST;
    throw err;
  }
}

/** Refusals `n` counted under `action` and `code` (its metrics count every one, read by the peer or not). */
async function refusalsCounted(n: StorageNode, action: string, code: string): Promise<number> {
  const { values } = await n.metrics.errors.get();
  return values.find((v) => v.labels.action === action && v.labels.code === code)?.value ?? 0;
}

/** Sends a length prefix claiming `claimed` bytes and then `sent` bytes of body, and stalls (waits for drain between chunks; stops when the node resets). */
async function stall(stream: Stream, claimed: number, sent: number): Promise<void> {
  const prefix: number[] = [];
  for (let n = claimed; ; n = Math.floor(n / 128)) {
    if (n < 0x80) {
      prefix.push(n);
      break;
    }
    prefix.push((n & 0x7f) | 0x80);
  }
  try {
    if (!stream.send(Uint8Array.from(prefix))) await drained(stream);
    const chunk = new Uint8Array(64 * 1024).fill(7);
    for (let off = 0; off < sent && stream.status === 'open'; off += chunk.length) {
      if (!stream.send(chunk.subarray(0, Math.min(chunk.length, sent - off)))) await drained(stream);
    }
  } catch {
    // reset by the node: what the test wants
  }
}

function drained(stream: Stream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.removeEventListener('drain', done);
      stream.removeEventListener('close', done);
      resolve();
    };
    stream.addEventListener('drain', done);
    stream.addEventListener('close', done);
  });
}

/** The error code the node answers on a hostile stream, or 'closed' when it only closes it. */
async function answerOf<T extends { error?: { code: string } }>(stream: Stream, codec: MessageCodec<T>): Promise<string> {
  try {
    const res = await new FramedStream(stream, { idleTimeoutMs: 20_000, maxMessageBytes: 64 * 1024 }).read(codec);
    return res?.error?.code ?? (res ? 'answered' : 'closed');
  } catch (err) {
    return (err as { code?: string }).code === 'PROTOCOL_STREAM_CLOSED' ? 'closed' : String((err as { code?: string }).code ?? err);
  }
}

/** Honest traffic not yet stopped (a test that failed before stopping its own leaves it to afterEach). */
const traffics = new Set<() => Promise<unknown>>();

/** The honest client: uploads and downloads pieces one after another until `stop`, each checked; throws on the first failure. */
function honestTraffic(): { stop: () => Promise<{ rounds: number; slowestMs: number }> } {
  let running = true;
  let rounds = 0;
  let slowestMs = 0;
  const loop = (async () => {
    const addr = multiaddr(honestAddr);
    while (running || rounds < 2) {
      const t0 = performance.now();
      const bytes = pieceBytes(rounds + 100, 300_000);
      const pieceId = newPieceId();
      const put = await satellite.order(node.peerId, PieceAction.PUT, pieceId, { byteLimit: BigInt(bytes.length) });
      await uploadPiece(await honest.dialProtocol(addr, PROTOCOL_UPLOAD), put, bytes.length, [bytes], { uplinkKey: satellite.uplink });
      const get = await satellite.order(node.peerId, PieceAction.GET, pieceId);
      const back = await collect(downloadPiece(await honest.dialProtocol(addr, PROTOCOL_DOWNLOAD), get));
      if (!Buffer.from(back).equals(Buffer.from(bytes))) throw new Error('the honest download came back different');
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      rounds++;
    }
  })();
  loop.catch(() => undefined);
  const stop = async (): Promise<{ rounds: number; slowestMs: number }> => {
    traffics.delete(stop);
    running = false;
    await loop;
    return { rounds, slowestMs };
  };
  traffics.add(stop);
  return { stop };
}

const rssMiB = (): number => process.memoryUsage().rss / MiB;

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      const state = { streams: node.guard.streams.open, budget: node.guard.budget.stats(), uploads: node.context.activeUploads.count, reads: node.context.activeReads.count };
      throw new Error(`condition not met in ${ms} ms: ${check.toString()} (node: ${JSON.stringify(state)})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Nothing held by the node: no stream, no budget, no upload or read slot. */
const nothingHeld = (): boolean => node.guard.streams.open === 0 && node.guard.budget.stats().used === 0 && node.context.activeUploads.count === 0 && node.context.activeReads.count === 0;

/** Waits for the node to let go of every hostile stream, then checks nothing is held. */
async function settled(): Promise<void> {
  await stopHostiles();
  await until(nothingHeld, 30_000);
}

// Each test starts on a node that holds nothing, whatever the test before it did or left.
beforeEach(async () => {
  await until(nothingHeld, 30_000);
});

// A test that failed midway leaves its honest traffic and hostile peers to be stopped here.
afterEach(async () => {
  for (const stop of [...traffics]) await stop().catch(() => undefined);
  await stopHostiles();
});

describe('a storage node under hostile peers', () => {
  it('stalled frames on every protocol: satellite-only ones refused unread, request frames capped, the rest cut at the first-message deadline', async () => {
    // A piece for the download/audit/delete streams to name.
    node.guard.budget.resetPeak();
    const rss0 = rssMiB();
    const counted0 = { retain: await refusalsCounted(node, 'retain', 'NODE_SATELLITE_ONLY'), audit: await refusalsCounted(node, 'audit', 'NODE_SATELLITE_ONLY'), delete: await refusalsCounted(node, 'delete', 'NODE_SATELLITE_ONLY') };
    const traffic = honestTraffic();
    const peers = await hostiles(10);
    const attacks: Promise<string>[] = [];
    const t0 = Date.now();
    /** Longest a stalled request stream was held. */
    let held = 0;
    for (const [i, peer] of peers.entries()) {
      // The attack: 20 stalled 15 MiB retain frames from 10 peer ids (131 -> 514 MiB RSS before).
      for (let j = 0; j < 2; j++) {
        const s = await openOrLost(peer, PROTOCOL_RETAIN);
        if (s === LOST) {
          attacks.push(Promise.resolve(`retain:${LOST}`));
          continue;
        }
        void stall(s, 15 * MiB + 100, 15 * MiB);
        attacks.push(answerOf(s, RetainResponse).then((c) => `retain:${c}`));
      }
      for (const [protocol, codec] of [
        [PROTOCOL_AUDIT, AuditResponse],
        [PROTOCOL_DELETE, DeleteResponse]
      ] as const) {
        const s = await openOrLost(peer, protocol);
        if (s === LOST) {
          attacks.push(Promise.resolve(`${protocol}:${LOST}`));
          continue;
        }
        void stall(s, 200_000, 150_000);
        attacks.push(answerOf(s, codec as MessageCodec<{ error?: { code: string } }>).then((c) => `${protocol}:${c}`));
      }
      for (const [protocol, codec] of [
        [PROTOCOL_UPLOAD, UploadResponse],
        [PROTOCOL_DOWNLOAD, DownloadResponse]
      ] as const) {
        // A transfer-sized frame before any order: refused from its length prefix.
        const big = await open(peer, protocol);
        void stall(big, 266_000, 200_000);
        attacks.push(answerOf(big, codec as MessageCodec<{ error?: { code: string } }>).then((c) => `${protocol}:big:${c}`));
        // A request-sized frame, stalled: held until the first-message deadline.
        const small = await open(peer, protocol);
        const opened = Date.now();
        void stall(small, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES - 10 - i);
        attacks.push(
          answerOf(small, codec as MessageCodec<{ error?: { code: string } }>).then((c) => {
            held = Math.max(held, Date.now() - opened);
            return `${protocol}:small:${c}`;
          })
        );
      }
    }
    const answers = await Promise.all(attacks);
    const elapsed = Date.now() - t0;
    const { rounds } = await traffic.stop();
    const stats = node.guard.budget.stats();
    const rssGrowth = rssMiB() - rss0;
    const count = (prefix: string, code: string): number => answers.filter((a) => a.startsWith(prefix) && a.endsWith(`:${code}`)).length;
    // Every satellite-only stream refused: answered so, or refused so with libp2p losing the
    // answer (LOST), and the node counted exactly as many such refusals.
    expect(count('retain', 'NODE_SATELLITE_ONLY') + count('retain', LOST)).toBe(20);
    expect(count(PROTOCOL_AUDIT, 'NODE_SATELLITE_ONLY') + count(PROTOCOL_AUDIT, LOST)).toBe(10);
    expect(count(PROTOCOL_DELETE, 'NODE_SATELLITE_ONLY') + count(PROTOCOL_DELETE, LOST)).toBe(10);
    expect((await refusalsCounted(node, 'retain', 'NODE_SATELLITE_ONLY')) - counted0.retain).toBe(20);
    expect((await refusalsCounted(node, 'audit', 'NODE_SATELLITE_ONLY')) - counted0.audit).toBe(10);
    expect((await refusalsCounted(node, 'delete', 'NODE_SATELLITE_ONLY')) - counted0.delete).toBe(10);
    expect(count(`${PROTOCOL_UPLOAD}:big`, 'PROTOCOL_OVERSIZED')).toBe(10);
    expect(count(`${PROTOCOL_DOWNLOAD}:big`, 'PROTOCOL_OVERSIZED')).toBe(10);
    expect(count(`${PROTOCOL_UPLOAD}:small`, 'PROTOCOL_TIMEOUT')).toBe(10);
    expect(count(`${PROTOCOL_DOWNLOAD}:small`, 'PROTOCOL_TIMEOUT')).toBe(10);
    // The stalled requests were cut at the deadline, not at the 30 s idle timeout.
    expect(held).toBeGreaterThanOrEqual(GUARD.firstMessageTimeoutMs - 100);
    expect(held).toBeLessThan(GUARD.firstMessageTimeoutMs + 3000);
    // Bound: nothing of the satellite-only streams, at most a request frame per other stream
    // (20 small + 20 oversized ones whose first chunks arrived before the prefix was judged).
    expect(stats.peakUnverified).toBeLessThanOrEqual(GUARD.maxUnverifiedBufferedBytes);
    expect(stats.peakUnverified).toBeLessThanOrEqual(40 * (MAX_REQUEST_BYTES + 64 * 1024));
    // 300 MiB of retain frames were offered (read before the trust check, they alone took RSS
    // 131 -> 514 MiB); this process holds the node, the honest client's traffic and the
    // attackers' send buffers besides, and its heap grows with them (80-120 MiB seen): bound 200.
    expect(rssGrowth).toBeLessThan(200);
    expect(rounds).toBeGreaterThanOrEqual(2);
    console.log(`stalled frames: ${answers.length} hostile streams, all answered ${elapsed} ms after the first opened, stalled requests held at most ${held} ms; honest round trips ${rounds}; budget peak ${(stats.peak / 1024).toFixed(0)} KiB (unverified ${(stats.peakUnverified / 1024).toFixed(0)} KiB); RSS ${rss0.toFixed(0)} -> ${(rss0 + rssGrowth).toFixed(0)} MiB`);
    await settled();
  });

  it('idle upload streams do not take upload slots (64 idle streams used to make every real upload NODE_BUSY)', async () => {
    const traffic = honestTraffic();
    const peers = await hostiles(3);
    const idle: Promise<string>[] = [];
    for (const peer of peers) for (let i = 0; i < 30; i++) idle.push(open(peer, PROTOCOL_UPLOAD).then((s) => answerOf(s, UploadResponse)));
    await until(() => node.guard.streams.open >= 90, 30_000);
    // 90 idle streams are open: no slot is taken by any of them.
    expect(node.context.activeUploads.count).toBeLessThanOrEqual(1);
    const codes = await Promise.all(idle);
    expect(codes.every((c) => c === 'PROTOCOL_TIMEOUT')).toBe(true);
    const { rounds } = await traffic.stop();
    expect(rounds).toBeGreaterThanOrEqual(2);
    await settled();
  });

  it('a request dribbled a byte at a time is cut at the first-message deadline', async () => {
    const peer = await hostile();
    const s = await open(peer, PROTOCOL_UPLOAD);
    const answer = answerOf(s, UploadResponse);
    const t0 = Date.now();
    // A 1000-byte frame, one byte every 200 ms: the idle timeout (30 s) never fires.
    s.send(Uint8Array.from([0xe8, 0x07]));
    const timer = setInterval(() => {
      try {
        s.send(Uint8Array.from([1]));
      } catch {
        clearInterval(timer);
      }
    }, 200);
    try {
      expect(await answer).toBe('PROTOCOL_TIMEOUT');
    } finally {
      clearInterval(timer);
    }
    expect(Date.now() - t0).toBeLessThan(GUARD.firstMessageTimeoutMs + 2000);
    await settled();
  });

  it('an upload with a valid order dribbled below the minimum rate loses its slot (PROTOCOL_TOO_SLOW)', async () => {
    const peer = await hostile();
    const s = await open(peer, PROTOCOL_UPLOAD);
    const framed = new FramedStream(s);
    const pieceId = newPieceId();
    await framed.write(UploadRequest, { order: await satellite.order(node.peerId, PieceAction.PUT, pieceId), size: 1_000_000n });
    const answer = framed.read(UploadResponse).then(
      (r) => r?.error?.code ?? 'none',
      (err: { code?: string }) => err.code ?? 'error'
    );
    await until(() => node.context.activeUploads.count === 1, 30_000);
    const t0 = Date.now();
    // One 100-byte chunk every 900 ms: under the idle timeout, far under the minimum rate.
    const timer = setInterval(() => void framed.write(UploadRequest, { chunk: new Uint8Array(100) }).catch(() => clearInterval(timer)), 900);
    try {
      expect(await answer).toBe('PROTOCOL_TOO_SLOW');
    } finally {
      clearInterval(timer);
    }
    expect(Date.now() - t0).toBeLessThan(2 * GUARD.rateWindowMs + 2000);
    await until(() => node.context.activeUploads.count === 0, 30_000);
    expect(await node.store.has(pieceId)).toBe(false);
    await settled();
  });

  it('a download whose reader stops reading loses its read slot', async () => {
    const bytes = pieceBytes(41, 8 * MiB);
    const pieceId = newPieceId();
    await uploadPiece(await honest.dialProtocol(multiaddr(honestAddr), PROTOCOL_UPLOAD), await satellite.order(node.peerId, PieceAction.PUT, pieceId), bytes.length, [bytes], { uplinkKey: satellite.uplink });
    const peer = await hostile();
    const s = await open(peer, PROTOCOL_DOWNLOAD);
    // Pausing stops yamux's window updates (a libp2p v3 stream with no reader otherwise takes in
    // and drops every byte, and the download would simply complete): the node's writes stall on
    // flow control after the first window.
    s.pause();
    let received = 0;
    s.addEventListener('message', (evt) => (received += evt.data.byteLength));
    const t0 = Date.now();
    // It signs for the whole piece: the node is held by flow control, not by a missing allowance.
    s.send(encodeFrame(DownloadRequest, await downloadRequestOf(await satellite.order(node.peerId, PieceAction.GET, pieceId), bytes.length)));
    await until(() => node.context.activeReads.count === 1, 30_000);
    await until(() => node.context.activeReads.count === 0, 3 * GUARD.rateWindowMs + 5000);
    // Cut by the rate rule (at least one whole window with nothing moved), not by completing.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(GUARD.rateWindowMs);
    await until(() => s.status !== 'open', 30_000);
    if (s.readStatus === 'paused') s.resume();
    expect(received).toBeLessThan(bytes.length);
    await settled();
  });

  it('stream floods from many fresh peer ids stop at the per-IP cap; one peer stops at the per-peer cap', async () => {
    node.guard.budget.resetPeak();
    const refused0 = node.guard.streams.refused;
    const traffic = honestTraffic();
    const peers = await hostiles(40);
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, node.guard.streams.open)), 10);
    const answers = await Promise.all(
      peers.flatMap((peer) =>
        Array.from({ length: 5 }, async () => {
          const s = await openOrLost(peer, PROTOCOL_UPLOAD);
          if (s === LOST) return LOST;
          void stall(s, 1000, 500);
          return answerOf(s, UploadResponse);
        })
      )
    );
    clearInterval(sampler);
    const codes = answers;
    const { rounds } = await traffic.stop();
    // 200 streams from one IP: at most 128 held (to the deadline), the rest refused on arrival
    // (a few more get in as the first ones are cut, when opening 200 takes longer than the deadline).
    // Refused on arrival: answered NODE_TOO_MANY_STREAMS, or with libp2p losing the answer (LOST).
    const refused = codes.filter((c) => c === 'NODE_TOO_MANY_STREAMS' || c === LOST).length;
    expect(refused).toBeGreaterThan(0);
    expect(refused + codes.filter((c) => c === 'PROTOCOL_TIMEOUT').length).toBe(200);
    expect(node.guard.streams.refused - refused0).toBe(refused);
    // The honest client (another IP) has at most one stream open at a time.
    expect(most).toBeLessThanOrEqual(GUARD.maxStreamsPerIp + 1);
    // 1000 bytes per hostile stream held, plus the honest upload's data sent right behind its
    // request (up to a yamux window, 256 KiB) that counts as unverified until its order is checked.
    expect(node.guard.budget.stats().peakUnverified).toBeLessThanOrEqual(GUARD.maxStreamsPerIp * 1000 + 256 * 1024 + 64 * 1024);
    expect(rounds).toBeGreaterThanOrEqual(2);
    await settled();

    const one = await hostile();
    const oneRefused0 = node.guard.streams.refused;
    const own = await Promise.all(Array.from({ length: 40 }, () => openOrLost(one, PROTOCOL_DOWNLOAD).then((s) => (s === LOST ? LOST : answerOf(s, DownloadResponse)))));
    expect(own.filter((c) => c === 'NODE_TOO_MANY_STREAMS' || c === LOST).length).toBe(40 - GUARD.maxStreamsPerPeer);
    expect(own.filter((c) => c === 'PROTOCOL_TIMEOUT').length).toBe(GUARD.maxStreamsPerPeer);
    expect(node.guard.streams.refused - oneRefused0).toBe(40 - GUARD.maxStreamsPerPeer);
    console.log(`stream flood: 200 streams from 40 fresh peer ids on one IP, ${refused} refused (${codes.filter((c) => c === LOST).length} answers lost by libp2p), at most ${most} open at once; one peer's 40 streams: ${40 - GUARD.maxStreamsPerPeer} refused; honest round trips ${rounds}`);
    await settled();
  });

  it('forged retain filters from a peer that is not the satellite trash nothing', async () => {
    const bytes = pieceBytes(42, 100_000);
    const pieceId = newPieceId();
    await uploadPiece(await honest.dialProtocol(multiaddr(honestAddr), PROTOCOL_UPLOAD), await satellite.order(node.peerId, PieceAction.PUT, pieceId), bytes.length, [bytes], { uplinkKey: satellite.uplink });
    const used = node.store.usedSpace();
    const empty = BloomFilter.forCount(1, 0.1, new Uint8Array(16));
    const forger = await generateKeyPair('Ed25519');
    const request = {
      satelliteId: satellite.id,
      nodeId: node.peerId,
      // Far in the future of every piece: an empty filter would trash them all.
      createdBefore: BigInt(Date.now() + 10 * 24 * 3600 * 1000),
      filter: empty.bits as Uint8Array<ArrayBuffer>,
      hashCount: empty.hashCount,
      seed: empty.seed as Uint8Array<ArrayBuffer>,
      created: BigInt(Date.now())
    };
    const forged = await signRetain(forger, request);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const framed = new FramedStream(await open(await hostile(), PROTOCOL_RETAIN));
      await framed.write(RetainRequest, forged).catch(() => undefined);
      codes.push((await framed.read(RetainResponse).catch(() => undefined))?.error?.code ?? 'closed');
    }
    expect(codes).toEqual(Array(5).fill('NODE_SATELLITE_ONLY'));
    expect(node.store.usedSpace()).toBe(used);
    expect(node.store.trashSpace()).toBe(0);
    expect(await node.store.has(pieceId)).toBe(true);
    // The satellite itself is still heard (its filter holds the piece: nothing trashed).
    const filter = BloomFilter.forCount(100, 0.01, new Uint8Array(16));
    for await (const rec of node.store.list(satellite.id)) filter.add(Buffer.from(rec.pieceId, 'hex'));
    const real = await signRetain(satellite.key, { ...request, createdBefore: BigInt(Date.now()), filter: filter.bits as Uint8Array<ArrayBuffer>, hashCount: filter.hashCount, seed: filter.seed as Uint8Array<ArrayBuffer> });
    const framed = new FramedStream(await (await satellite.host()).dialProtocol(multiaddr(hostileAddr), PROTOCOL_RETAIN));
    await framed.write(RetainRequest, real);
    const res = await framed.expect(RetainResponse, 'answer');
    expect(res.error).toBeUndefined();
    expect(Number(res.trashed)).toBe(0);
    await settled();
  });

  it('the unverified-bytes budget refuses streams past it, and honest requests still pass', async () => {
    // A first-message deadline of 10 s: the stalled requests still fill the pool when the audit
    // below has been answered, however slowly a loaded machine gets there.
    const deadlineMs = 10_000;
    const small = await startNode(tempDir('stowage-flood-'), [satellite], { ...GUARD, firstMessageTimeoutMs: deadlineMs, maxUnverifiedBufferedBytes: 256 * 1024, listen: ['/ip4/127.0.0.1/tcp/0', '/ip6/::1/tcp/0'] });
    try {
      const addr4 = small.multiaddrs().find((a) => a.startsWith('/ip4/'))!;
      const addr6 = multiaddr(small.multiaddrs().find((a) => a.startsWith('/ip6/')));
      // A piece for the satellite to audit while the pool is full.
      const audited = newPieceId();
      const auditedBytes = pieceBytes(44, 40_000);
      await uploadPiece(await honest.dialProtocol(addr6, PROTOCOL_UPLOAD), await satellite.order(small.peerId, PieceAction.PUT, audited), auditedBytes.length, [auditedBytes], { uplinkKey: satellite.uplink });
      const peers = await hostiles(4, addr4);
      const answers: Promise<string>[] = [];
      for (const peer of peers) {
        for (let i = 0; i < 10; i++) {
          const s = await open(peer, PROTOCOL_UPLOAD, addr4);
          void stall(s, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES - 100);
          answers.push(answerOf(s, UploadResponse));
        }
      }
      await until(() => small.guard.budget.stats().refused > 0, 30_000);
      // The satellite's audit, asked once while the pool is full: its streams are verified by who
      // opened them and never wait on the pool (a reset audit counts as a failure after 3 re-asks).
      const refusedBefore = small.guard.budget.stats().refused;
      const answer = await auditPiece(await (await satellite.host()).dialProtocol(multiaddr(addr4), PROTOCOL_AUDIT), await satellite.order(small.peerId, PieceAction.AUDIT, audited), [0]);
      expect(answer.leaves).toHaveLength(1);
      expect(small.guard.budget.stats().used).toBeGreaterThan(200 * 1024);
      expect(small.guard.budget.stats().refused).toBeGreaterThanOrEqual(refusedBefore);
      // The honest upload's request fits in what is left once the deadline frees the budget; it may
      // have to try again meanwhile (NODE_BUSY or a reset), as a client tries another node.
      const bytes = pieceBytes(43, 50_000);
      let stored = false;
      for (const end = Date.now() + 3 * deadlineMs; !stored && Date.now() < end; ) {
        try {
          const pieceId = newPieceId();
          await uploadPiece(await honest.dialProtocol(addr6, PROTOCOL_UPLOAD), await satellite.order(small.peerId, PieceAction.PUT, pieceId), bytes.length, [bytes], { uplinkKey: satellite.uplink });
          stored = true;
        } catch {
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      expect(stored).toBe(true);
      const codes = await Promise.all(answers);
      const stats = small.guard.budget.stats();
      // 40 x 16 KiB stalled = 640 KiB offered; never more than 256 KiB held.
      expect(stats.peakUnverified).toBeLessThanOrEqual(256 * 1024);
      expect(stats.refused).toBeGreaterThan(0);
      expect(codes.filter((c) => c === 'closed').length).toBeGreaterThan(0);
      await stopHostiles();
      await until(() => small.guard.budget.stats().used === 0, 30_000);
    } finally {
      await small.stop();
    }
  });
  it('audits need no read slot: clients holding every one with stalled downloads do not make them NODE_BUSY', async () => {
    // A rate window of 10 s: the stalled downloads keep both slots while the test asks, however
    // slowly a loaded machine gets there.
    const small = await startNode(tempDir('stowage-flood-'), [satellite], { ...GUARD, maxConcurrentReads: 2, rateWindowMs: 10_000 });
    try {
      const addr = multiaddr(small.multiaddrs()[0]);
      const bytes = pieceBytes(45, 4 * MiB);
      const pieceId = newPieceId();
      await uploadPiece(await honest.dialProtocol(addr, PROTOCOL_UPLOAD), await satellite.order(small.peerId, PieceAction.PUT, pieceId), bytes.length, [bytes], { uplinkKey: satellite.uplink });
      const peer = await hostile(small.multiaddrs()[0]);
      for (let i = 0; i < 2; i++) {
        const s = await open(peer, PROTOCOL_DOWNLOAD, small.multiaddrs()[0]);
        s.pause();
        s.send(encodeFrame(DownloadRequest, await downloadRequestOf(await satellite.order(small.peerId, PieceAction.GET, pieceId), bytes.length)));
      }
      await until(() => small.context.activeReads.count === 2, 30_000);
      // A third client download is refused: the slots are taken ...
      await expect(collect(downloadPiece(await honest.dialProtocol(addr, PROTOCOL_DOWNLOAD), await satellite.order(small.peerId, PieceAction.GET, pieceId)))).rejects.toMatchObject({ code: 'NODE_BUSY' });
      // ... and the satellite's audit is answered all the same.
      const answer = await auditPiece(await (await satellite.host()).dialProtocol(addr, PROTOCOL_AUDIT), await satellite.order(small.peerId, PieceAction.AUDIT, pieceId), [0, 5]);
      expect(answer.leaves).toHaveLength(2);
      expect(small.context.activeReads.count).toBe(2);
      await stopHostiles();
    } finally {
      await small.stop();
    }
  });
});

