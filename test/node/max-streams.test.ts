// maxStreamsPerPeer on a real node (issue 20): the README promises that a peer id has at most
// `maxStreamsPerPeer` streams open at once on the node's protocols (more get
// NODE_TOO_MANY_STREAMS), that trusted satellites are not counted, and that a stream gives its
// room back once it is closed. test/adversarial/node-flood.test.ts counts one peer's 40 concurrent
// download streams against the default 32; here a small limit (4) is checked stream by stream,
// across the upload and download protocols together, against a satellite holding more than the
// limit, and as streams close. Every stream here is a real libp2p stream on loopback, and every
// admitted one is then used for a real transfer, so "admitted" is proven, not inferred.
import type { Libp2p, Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import type { StorageNode } from '../../src/node/index.js';
import {
  DownloadRequest,
  DownloadResponse,
  FramedStream,
  PROTOCOL_DOWNLOAD,
  PROTOCOL_UPLOAD,
  PieceAction,
  UploadResponse,
  downloadPiece,
  uploadPiece,
  OrderLimit,
  type DownloadOrder
} from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';
import { TestSatellite, downloadRequestOf, newPieceId, startClient, startNode } from './fixtures/network.js';
import { collect, pieceBytes } from './fixtures/pieces.js';
import { until } from './fixtures/until.js';

const LIMIT = 4;
/** Held streams must not be cut by the first-message deadline while a test looks at them. */
const SETTINGS = { maxStreamsPerPeer: LIMIT, maxStreamsPerIp: 128, firstMessageTimeoutMs: 120_000, abuseThreshold: 0 };

interface Setup {
  satellite: TestSatellite;
  node: StorageNode;
  address: string;
  /** A piece the node holds, for the transfers that prove a stream was admitted. */
  pieceId: Uint8Array;
  bytes: Uint8Array;
}

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  removeTempDirs();
});

async function host(): Promise<Libp2p> {
  const h = await startClient();
  cleanups.push(async () => h.stop());
  return h;
}

async function setup(): Promise<Setup> {
  const satellite = await TestSatellite.create();
  cleanups.push(() => satellite.stop());
  const node = await startNode(tempDir('stowage-max-streams-'), [satellite], SETTINGS);
  cleanups.push(() => node.stop());
  const address = node.multiaddrs()[0]!;
  const uploader = await host();
  const pieceId = newPieceId();
  const bytes = pieceBytes(7, 300_000);
  const put = await satellite.order(node.peerId, PieceAction.PUT, pieceId);
  await uploadPiece(await uploader.dialProtocol(multiaddr(address), PROTOCOL_UPLOAD), put, bytes.length, [bytes], { uplinkKey: satellite.uplink });
  await uploader.stop();
  // The uploader's stream gives its room back once both sides closed it.
  await until(() => node.guard.streams.open === 0, 'the uploader\'s stream released');
  return { satellite, node, address, pieceId, bytes };
}

/** A peer with an open connection to the node (the streams below all go over it). */
async function connected(s: Setup, peer?: Libp2p): Promise<Libp2p> {
  const h = peer ?? (await host());
  const connection = await h.dial(multiaddr(s.address));
  await until(() => connection.status === 'open', 'the connection to the node open');
  return h;
}

/** A stream on `protocol` the node's handler has been given (negotiated in full), with its first answer read in the background. */
interface Held {
  stream: Stream;
  framed: FramedStream;
  /** The node's first message, as its error code, 'answered' or 'closed'; unsettled while the node waits for a request. */
  answer: Promise<string>;
  settled: () => boolean;
}

async function openHeld(peer: Libp2p, s: Setup, protocol: typeof PROTOCOL_DOWNLOAD | typeof PROTOCOL_UPLOAD): Promise<Held> {
  const stream = await peer.dialProtocol(multiaddr(s.address), protocol, { negotiateFully: true });
  const framed = new FramedStream(stream, { idleTimeoutMs: 180_000 });
  let done = false;
  const codec = protocol === PROTOCOL_DOWNLOAD ? DownloadResponse : UploadResponse;
  const answer = framed.read(codec).then(
    (res) => res?.error?.code ?? (res ? 'answered' : 'closed'),
    (err: { code?: string; message?: string }) => `threw ${err.code ?? err.message ?? 'an error'}`
  );
  void answer.finally(() => (done = true));
  return { stream, framed, answer, settled: () => done };
}

/** Uses a held download stream for a real download of the setup's piece: the bytes it returns. */
async function downloadOn(held: Held, order: DownloadOrder): Promise<Uint8Array> {
  // Signed for the whole piece up front (the test reads it all).
  await held.framed.write(DownloadRequest, await downloadRequestOf(order, Number(OrderLimit.decode(order.limit).byteLimit)));
  const head = await held.answer;
  if (head !== 'answered') throw new Error(`the node answered the download with ${head}`);
  const parts: Uint8Array[] = [];
  for (;;) {
    const msg = await held.framed.read(DownloadResponse);
    if (!msg) break;
    if (msg.error) throw new Error(`download failed: ${msg.error.code}`);
    parts.push(msg.chunk);
  }
  await held.framed.closeWrite();
  return new Uint8Array(Buffer.concat(parts));
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe(`maxStreamsPerPeer (${LIMIT}) on a real node`, () => {
  it('admits exactly the limit across the upload and download protocols; the next ones get NODE_TOO_MANY_STREAMS and the admitted ones still work', async () => {
    const s = await setup();
    const peer = await connected(s);
    const refused0 = s.node.guard.streams.refused;
    // Two upload and two download streams, one at a time, each seen by the node before the next.
    const protocols = [PROTOCOL_UPLOAD, PROTOCOL_DOWNLOAD, PROTOCOL_UPLOAD, PROTOCOL_DOWNLOAD] as const;
    const admitted: Held[] = [];
    for (const p of protocols) {
      admitted.push(await openHeld(peer, s, p));
      await until(() => s.node.guard.streams.open === admitted.length, `stream ${admitted.length} counted by the node`);
    }
    expect(s.node.guard.streams.open).toBe(LIMIT);
    // One more on each protocol: refused on arrival with the exact code.
    const extraDownload = await openHeld(peer, s, PROTOCOL_DOWNLOAD);
    const extraUpload = await openHeld(peer, s, PROTOCOL_UPLOAD);
    expect(await extraDownload.answer).toBe('NODE_TOO_MANY_STREAMS');
    expect(await extraUpload.answer).toBe('NODE_TOO_MANY_STREAMS');
    expect(s.node.guard.streams.refused - refused0).toBe(2);
    expect(s.node.guard.streams.open).toBe(LIMIT);
    // The admitted streams were held, not answered: the node is still waiting for their requests.
    expect(admitted.map((h) => h.settled())).toEqual([false, false, false, false]);
    // And they work: both held download streams fetch the piece whole.
    const got = await Promise.all([admitted[1]!, admitted[3]!].map(async (h) => downloadOn(h, await s.satellite.order(s.node.peerId, PieceAction.GET, s.pieceId))));
    expect(got.map((b) => same(b, s.bytes))).toEqual([true, true]);
    expect(s.node.guard.streams.refused - refused0).toBe(2);
  });

  it('opened all at once: exactly the limit are admitted, the rest refused NODE_TOO_MANY_STREAMS', async () => {
    const s = await setup();
    const peer = await connected(s);
    const refused0 = s.node.guard.streams.refused;
    const all = await Promise.all(Array.from({ length: LIMIT + 3 }, () => openHeld(peer, s, PROTOCOL_DOWNLOAD)));
    await until(() => s.node.guard.streams.refused - refused0 === 3 && all.filter((h) => h.settled()).length === 3, 'three streams refused and answered');
    expect(s.node.guard.streams.open).toBe(LIMIT);
    const refused = all.filter((h) => h.settled());
    const held = all.filter((h) => !h.settled());
    expect(await Promise.all(refused.map((h) => h.answer))).toEqual(['NODE_TOO_MANY_STREAMS', 'NODE_TOO_MANY_STREAMS', 'NODE_TOO_MANY_STREAMS']);
    expect(held.length).toBe(LIMIT);
    const got = await Promise.all(held.map(async (h) => downloadOn(h, await s.satellite.order(s.node.peerId, PieceAction.GET, s.pieceId))));
    expect(got.filter((b) => same(b, s.bytes)).length).toBe(LIMIT);
    expect(s.node.guard.streams.refused - refused0).toBe(3);
  });

  it('a trusted satellite is not counted: it holds more than the limit, none refused, and a peer still gets its full limit meanwhile', async () => {
    const s = await setup();
    const sat = await connected(s, await s.satellite.host());
    const refused0 = s.node.guard.streams.refused;
    const satStreams: Held[] = [];
    for (let i = 0; i < LIMIT + 3; i++) satStreams.push(await openHeld(sat, s, PROTOCOL_DOWNLOAD));
    // The node has every one (its handlers wait for their requests) and counts none.
    const peer = await connected(s);
    const peerStreams: Held[] = [];
    for (let i = 0; i < LIMIT; i++) {
      peerStreams.push(await openHeld(peer, s, PROTOCOL_DOWNLOAD));
      await until(() => s.node.guard.streams.open === peerStreams.length, `the peer's stream ${peerStreams.length} counted`);
    }
    const extra = await openHeld(peer, s, PROTOCOL_DOWNLOAD);
    expect(await extra.answer).toBe('NODE_TOO_MANY_STREAMS');
    expect(s.node.guard.streams.open).toBe(LIMIT);
    expect(s.node.guard.streams.refused - refused0).toBe(1);
    expect(satStreams.filter((h) => h.settled()).length).toBe(0);
    // Every one of the satellite's streams was admitted: each downloads the piece whole.
    const got = await Promise.all(satStreams.map(async (h) => downloadOn(h, await s.satellite.order(s.node.peerId, PieceAction.GET, s.pieceId))));
    expect(got.filter((b) => same(b, s.bytes)).length).toBe(LIMIT + 3);
    expect(s.node.guard.streams.refused - refused0).toBe(1);
  });

  it('room is made when streams close: a closed stream and a finished download each let one more in', async () => {
    const s = await setup();
    const peer = await connected(s);
    const refused0 = s.node.guard.streams.refused;
    const held: Held[] = [];
    for (let i = 0; i < LIMIT; i++) {
      held.push(await openHeld(peer, s, PROTOCOL_DOWNLOAD));
      await until(() => s.node.guard.streams.open === held.length, `stream ${held.length} counted`);
    }
    expect(await (await openHeld(peer, s, PROTOCOL_DOWNLOAD)).answer).toBe('NODE_TOO_MANY_STREAMS');
    expect(s.node.guard.streams.refused - refused0).toBe(1);

    // The peer closes one held stream without a request: its room comes back.
    await held[0]!.stream.close();
    await until(() => s.node.guard.streams.open === LIMIT - 1, 'the closed stream released');
    const fifth = await openHeld(peer, s, PROTOCOL_DOWNLOAD);
    await until(() => s.node.guard.streams.open === LIMIT, 'the new stream counted');
    expect(fifth.settled()).toBe(false);
    expect(s.node.guard.streams.refused - refused0).toBe(1);

    // A download finished on another held stream: its room comes back too, and the new stream works.
    const order = await s.satellite.order(s.node.peerId, PieceAction.GET, s.pieceId);
    expect(same(await downloadOn(held[1]!, order), s.bytes)).toBe(true);
    await until(() => s.node.guard.streams.open === LIMIT - 1, 'the finished download\'s stream released');
    const got = await collect(downloadPiece(await peer.dialProtocol(multiaddr(s.address), PROTOCOL_DOWNLOAD), await s.satellite.order(s.node.peerId, PieceAction.GET, s.pieceId)));
    expect(same(got, s.bytes)).toBe(true);
    expect(same(await downloadOn(fifth, await s.satellite.order(s.node.peerId, PieceAction.GET, s.pieceId)), s.bytes)).toBe(true);
    // Nothing was refused after room was made.
    expect(s.node.guard.streams.refused - refused0).toBe(1);
  });
});
