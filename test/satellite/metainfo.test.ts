// The whole metainfo flow against a real satellite and six real nodes on loopback, with pieces
// uploaded by hand through the node protocol. Each test works in a project (API key) of its own,
// so its buckets and objects are its own whatever ran before; the restart test restarts a
// satellite of its own.
import { randomBytes } from 'node:crypto';
import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pieceRoot } from '../../src/merkle/index.js';
import { NODE_DEFAULTS, StorageNode } from '../../src/node/index.js';
import {
  FramedStream,
  MetainfoRequest,
  MetainfoResponse,
  OrderLimit,
  PROTOCOL_DOWNLOAD,
  PROTOCOL_METAINFO,
  PROTOCOL_UPLOAD,
  downloadPiece,
  signPieceHash,
  uploadPiece,
  type AddressedOrder,
  type UploadedPiece
} from '../../src/protocol/index.js';
import { SATELLITE_DEFAULTS, Satellite } from '../../src/satellite/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { startClient } from '../node/fixtures/network.js';
import { until } from '../node/fixtures/until.js';

let satellite: Satellite;
const nodes: StorageNode[] = [];
let client: Libp2p;
/** Satellites started by a test (the restart test's), stopped in afterAll if the test did not. */
const ownSatellites = new Set<Satellite>();

async function startSatellite(dataDir: string): Promise<Satellite> {
  return Satellite.start(
    {
      ...SATELLITE_DEFAULTS,
      dataDir,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      admin: '',
      uptimeCheckIntervalMs: 0,
      profile: { minimum: 2, repair: 3, success: 4, total: 6 },
      distinctSubnets: false,
      downloadMargin: 1
    },
    { logger: pino({ level: 'silent' }) }
  );
}

async function send(sat: Satellite, req: Partial<MetainfoRequest>): Promise<MetainfoResponse> {
  const stream = await client.dialProtocol(multiaddr(sat.multiaddrs()[0]), PROTOCOL_METAINFO);
  const framed = new FramedStream(stream);
  await framed.write(MetainfoRequest, req);
  const res = await framed.expect(MetainfoResponse, 'answer');
  await framed.closeWrite();
  return res;
}

interface Project {
  /** The project's API key. */
  key: string;
  /** A request with the project's key (a request naming another apiKey sends that one). */
  call: (req: Partial<MetainfoRequest>) => Promise<MetainfoResponse>;
  /** call() that throws on an error answer. */
  ok: (req: Partial<MetainfoRequest>) => Promise<MetainfoResponse>;
}

/** A new project (API key) on `sat`: no buckets, no objects. */
async function project(name: string, sat: () => Satellite = () => satellite): Promise<Project> {
  const key = (await sat().apiKeys.create(name)).key;
  const call = (req: Partial<MetainfoRequest>): Promise<MetainfoResponse> => send(sat(), { apiKey: key, ...req });
  const ok = async (req: Partial<MetainfoRequest>): Promise<MetainfoResponse> => {
    const res = await call(req);
    if (res.error) throw new Error(`${res.error.code}: ${res.error.message}`);
    return res;
  };
  return { key, call, ok };
}

async function put(order: AddressedOrder, bytes: Uint8Array, piecePrivateKey: Uint8Array | undefined): Promise<UploadedPiece> {
  const ma = multiaddr(order.addresses[0]).encapsulate(`/p2p/${order.nodeId}`);
  const uplinkKey = privateKeyFromRaw(piecePrivateKey!);
  return uploadPiece(await client.dialProtocol(ma, PROTOCOL_UPLOAD), { limit: order.order!.limit, signature: order.order!.signature }, bytes.length, [bytes], { uplinkKey });
}

beforeAll(async () => {
  satellite = await startSatellite(tempDir());
  for (let i = 0; i < 6; i++) {
    nodes.push(
      await StorageNode.start(
        {
          ...NODE_DEFAULTS,
          dashboard: '',
          dataDir: tempDir(),
          listen: ['/ip4/127.0.0.1/tcp/0'],
          capacity: 1e9,
          satellites: [{ peerId: satellite.id, address: satellite.multiaddrs()[0]!.replace(/\/p2p\/.*$/, '') }],
          checkInIntervalMs: 0
        },
        { logger: pino({ level: 'silent' }) }
      )
    );
  }
  for (const n of nodes) {
    await until(() => n.contact.last.get(satellite.id)?.reachable === true, `node ${n.peerId} reached by the satellite`);
  }
  client = await startClient();
});

afterAll(async () => {
  await client?.stop();
  await Promise.all(nodes.map((n) => n.stop()));
  await satellite?.stop();
  await Promise.all([...ownSatellites].map((s) => s.stop()));
  removeTempDirs();
});

describe('metainfo', () => {
  const shares = Array.from({ length: 6 }, () => new Uint8Array(randomBytes(1000)));

  /** Uploads `key` into `bucket` as one segment of 1500 bytes: 4 pieces of 1000 bytes on the nodes. */
  async function uploadSegment({ ok }: Project, bucket: string, key: string): Promise<void> {
    const streamId = (await ok({ beginObject: { bucket, key, metadata: new Uint8Array(0), encryption: 'none', expires: 0n } })).beginObject!.streamId;
    const seg = (await ok({ beginSegment: { streamId, index: 0, pieceSize: 1000n } })).beginSegment!;
    const sent = await Promise.all(seg.orders.slice(0, 4).map((o) => put(o, shares[o.pieceNumber]!, seg.piecePrivateKey)));
    await ok({ commitSegment: { streamId, index: 0, plainSize: 1500n, receipts: sent.map((u) => u.receipt), pieceHashes: sent.map((u) => u.pieceHash) } });
    await ok({ commitObject: { streamId } });
  }

  it('creates and lists buckets; refuses bad keys', async () => {
    const { call, ok } = await project('lists');
    await ok({ createBucket: { name: 'files' } });
    expect((await ok({ listBuckets: {} })).listBuckets?.buckets.map((b) => b.name)).toEqual(['files']);
    expect((await call({ createBucket: { name: 'files' } })).error?.code).toBe('BUCKET_EXISTS');
    expect((await call({ apiKey: 'stk_wrong', listBuckets: {} })).error?.code).toBe('API_KEY_INVALID');
    expect((await call({})).error?.code).toBe('METAINFO_NO_OPERATION');
  });

  it('uploads a segment through the nodes, commits it with receipts, and downloads it back', async () => {
    const { call, ok } = await project('uploads');
    await ok({ createBucket: { name: 'files' } });
    const streamId = (await ok({ beginObject: { bucket: 'files', key: 'doc.bin', metadata: new Uint8Array([1, 2]), encryption: 'none', expires: 0n } })).beginObject!.streamId;
    const seg = (await ok({ beginSegment: { streamId, index: 0, pieceSize: 1000n } })).beginSegment!;
    expect(seg.orders).toHaveLength(6);
    expect(new Set(seg.orders.map((o) => o.nodeId)).size).toBe(6);
    // Shares 0..3 go up; 4 and 5 "fail" and get replacement nodes... of which there are none left.
    const sent = await Promise.all(seg.orders.slice(0, 4).map((o) => put(o, shares[o.pieceNumber]!, seg.piecePrivateKey)));
    const receipts = sent.map((u) => u.receipt);
    const pieceHashes = sent.map((u) => u.pieceHash);
    expect((await call({ replacementOrders: { streamId, index: 0, pieceNumbers: [4] } })).error?.code).toBe('SATELLITE_NOT_ENOUGH_NODES');
    // A receipt whose signature was tampered with is refused.
    const forged = { ...receipts[0]!, signature: receipts[0]!.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    expect((await call({ commitSegment: { streamId, index: 0, plainSize: 1500n, receipts: [forged, ...receipts.slice(1)], pieceHashes } })).error?.code).toBe('ORDER_BAD_SIGNATURE');
    expect((await call({ commitSegment: { streamId, index: 0, plainSize: 1500n, receipts: receipts.slice(0, 3), pieceHashes } })).error?.code).toBe('SEGMENT_TOO_FEW_PIECES');
    // Receipts without the client's signed roots commit nothing: the node alone cannot vouch.
    expect((await call({ commitSegment: { streamId, index: 0, plainSize: 1500n, receipts, pieceHashes: [] } })).error?.code).toBe('SEGMENT_TOO_FEW_PIECES');
    // A client root that disagrees with a receipt leaves that piece out (4 - 1 < success).
    const other = await signPieceHash(privateKeyFromRaw(seg.piecePrivateKey!), { ...sent[0]!.receiptContent, root: new Uint8Array(32), timestamp: 1n });
    expect((await call({ commitSegment: { streamId, index: 0, plainSize: 1500n, receipts, pieceHashes: [other, ...pieceHashes.slice(1)] } })).error?.code).toBe('SEGMENT_TOO_FEW_PIECES');
    // Piece hashes signed by any other key are refused outright.
    const stranger = await signPieceHash(privateKeyFromRaw((await ok({ beginSegment: { streamId, index: 1, pieceSize: 1000n } })).beginSegment!.piecePrivateKey!), { ...sent[0]!.receiptContent, timestamp: 1n });
    expect((await call({ commitSegment: { streamId, index: 0, plainSize: 1500n, receipts, pieceHashes: [stranger, ...pieceHashes.slice(1)] } })).error?.code).toBe('PIECE_HASH_INVALID');
    await ok({ commitSegment: { streamId, index: 0, plainSize: 1500n, receipts, pieceHashes } });
    expect((await call({ getObject: { bucket: 'files', key: 'doc.bin' } })).error?.code).toBe('OBJECT_NOT_FOUND');
    expect((await ok({ commitObject: { streamId } })).commitObject?.size).toBe(1500n);

    const got = (await ok({ getObject: { bucket: 'files', key: 'doc.bin' } })).getObject!;
    expect(got.object).toMatchObject({ key: 'doc.bin', size: 1500n, segmentCount: 1, encryption: 'none' });
    const pieces = got.segments[0]!.pieces;
    expect(pieces).toHaveLength(3); // k = 2 plus a margin of 1
    // The GET limits name a key for bandwidth orders; its private half comes with the segment.
    const orderKey = privateKeyFromRaw(got.segments[0]!.orderPrivateKey!);
    for (const p of pieces) {
      expect(Buffer.from(OrderLimit.decode(p.order!.order!.limit).uplinkPublicKey).equals(Buffer.from(orderKey.publicKey.raw))).toBe(true);
      const ma = multiaddr(p.order!.addresses[0]).encapsulate(`/p2p/${p.order!.nodeId}`);
      const bytes = await collect(downloadPiece(await client.dialProtocol(ma, PROTOCOL_DOWNLOAD), { limit: p.order!.order!.limit, signature: p.order!.order!.signature, orderKey }));
      expect(Buffer.from(bytes).equals(Buffer.from(shares[p.order!.pieceNumber]!))).toBe(true);
      expect(Buffer.from(p.root).equals(Buffer.from(pieceRoot(bytes)))).toBe(true);
    }
  });

  it('refuses a receipt for a piece of another segment', async () => {
    const { call, ok } = await project('receipts');
    await ok({ createBucket: { name: 'files' } });
    const streamId = (await ok({ beginObject: { bucket: 'files', key: 'other.bin', metadata: new Uint8Array(0), encryption: '', expires: 0n } })).beginObject!.streamId;
    const a = (await ok({ beginSegment: { streamId, index: 0, pieceSize: 1000n } })).beginSegment!;
    const b = (await ok({ beginSegment: { streamId, index: 1, pieceSize: 1000n } })).beginSegment!;
    const fromB = await Promise.all(b.orders.slice(0, 4).map((o) => put(o, shares[0]!, b.piecePrivateKey)));
    // Even with the client's roots re-signed under segment 0's key, the pieces are not segment 0's.
    const resigned = await Promise.all(fromB.map((u) => signPieceHash(privateKeyFromRaw(a.piecePrivateKey!), { ...u.receiptContent, timestamp: 1n })));
    expect((await call({ commitSegment: { streamId, index: 0, plainSize: 10n, receipts: fromB.map((u) => u.receipt), pieceHashes: resigned } })).error?.code).toBe('RECEIPT_INVALID');
  });

  it('stores small objects inline, lists with a delimiter, and deletes pieces from the nodes', async () => {
    const p = await project('inline');
    const { call, ok } = p;
    await ok({ createBucket: { name: 'files' } });
    await uploadSegment(p, 'files', 'doc.bin');
    const streamId = (await ok({ beginObject: { bucket: 'files', key: 'notes/a.txt', metadata: new Uint8Array(0), encryption: '', expires: 0n } })).beginObject!.streamId;
    await ok({ commitInlineSegment: { streamId, index: 0, plainSize: 5n, data: new Uint8Array(33) } });
    await ok({ commitObject: { streamId } });
    const inline = (await ok({ getObject: { bucket: 'files', key: 'notes/a.txt' } })).getObject!;
    expect(inline.segments[0]!.inline.length).toBe(33);
    const big = new Uint8Array(5000);
    const s2 = (await ok({ beginObject: { bucket: 'files', key: 'too-big', metadata: new Uint8Array(0), encryption: '', expires: 0n } })).beginObject!.streamId;
    expect((await call({ commitInlineSegment: { streamId: s2, index: 0, plainSize: 5000n, data: big } })).error?.code).toBe('SEGMENT_TOO_LARGE_INLINE');

    const list = (await ok({ listObjects: { bucket: 'files', prefix: '', delimiter: '/', cursor: '', limit: 0 } })).listObjects!;
    expect(list.objects.map((o) => o.key)).toEqual(['doc.bin']);
    expect(list.prefixes).toEqual(['notes/']);

    const used = nodes.reduce((n, node) => n + node.store.usedSpace(), 0);
    expect(used).toBeGreaterThanOrEqual(4000);
    await ok({ deleteObject: { bucket: 'files', key: 'doc.bin' } });
    await Promise.allSettled([...satellite.metainfo.pendingDeletes]);
    const after = nodes.reduce((n, node) => n + node.store.usedSpace(), 0);
    expect(used - after).toBe(4000);
    expect((await call({ getObject: { bucket: 'files', key: 'doc.bin' } })).error?.code).toBe('OBJECT_NOT_FOUND');
    expect((await call({ deleteBucket: { name: 'files' } })).error?.code).toBe('BUCKET_NOT_EMPTY');
  });

  it('answers malformed requests with typed errors', async () => {
    const { call, ok } = await project('malformed');
    // The bucket exists: what is refused below is the request, not a missing bucket.
    await ok({ createBucket: { name: 'files' } });
    const stream = await client.dialProtocol(multiaddr(satellite.multiaddrs()[0]), PROTOCOL_METAINFO);
    stream.send(new Uint8Array([4, 0xff, 0xff, 0xff, 0xff]));
    expect((await new FramedStream(stream).expect(MetainfoResponse, 'answer')).error?.code).toBe('PROTOCOL_MALFORMED');
    const big = (await call({ beginObject: { bucket: 'files', key: 'k', metadata: new Uint8Array(9000), encryption: '', expires: 0n } })).error;
    expect(big?.code).toBe('OBJECT_METADATA_TOO_LARGE');
    expect((await call({ beginSegment: { streamId: 'nope', index: 0, pieceSize: 1000n } })).error?.code).toBe('OBJECT_NOT_PENDING');
    const streamId = (await ok({ beginObject: { bucket: 'files', key: 'k', metadata: new Uint8Array(0), encryption: '', expires: 0n } })).beginObject!.streamId;
    expect((await call({ beginSegment: { streamId, index: 0, pieceSize: 0n } })).error?.code).toBe('SEGMENT_PIECE_SIZE_INVALID');
    expect((await call({ beginSegment: { streamId, index: 0, pieceSize: BigInt(65 * 1024 * 1024) } })).error?.code).toBe('SEGMENT_PIECE_SIZE_INVALID');
    expect((await call({ listObjects: { bucket: 'files', prefix: '', delimiter: '', cursor: '', limit: 5000 } })).error?.code).toBe('LIST_LIMIT_INVALID');
    expect((await call({ listObjects: { bucket: 'nope', prefix: '', delimiter: '', cursor: '', limit: 0 } })).error?.code).toBe('BUCKET_NOT_FOUND');
  });

  it('lets only the project that began an upload go on with it; checks inline segments; never commits into a deleted bucket', async () => {
    const { call, ok } = await project('owner');
    await ok({ createBucket: { name: 'owned' } });
    const streamId = (await ok({ beginObject: { bucket: 'owned', key: 'mine', metadata: new Uint8Array(0), encryption: '', expires: 0n } })).beginObject!.streamId;
    // Another project's key, holding the stream id (leaked in a log, say), is told there is no
    // such upload, exactly as for a stream id never begun: every operation on it.
    const other = (await project('other')).call;
    const asOther = (req: Partial<MetainfoRequest>): Promise<string | undefined> => other(req).then((r) => r.error?.code);
    expect(await asOther({ beginSegment: { streamId, index: 0, pieceSize: 1000n } })).toBe('OBJECT_NOT_PENDING');
    expect(await asOther({ replacementOrders: { streamId, index: 0, pieceNumbers: [1] } })).toBe('OBJECT_NOT_PENDING');
    expect(await asOther({ commitSegment: { streamId, index: 0, plainSize: 1n, receipts: [], pieceHashes: [] } })).toBe('OBJECT_NOT_PENDING');
    expect(await asOther({ commitInlineSegment: { streamId, index: 0, plainSize: 1n, data: new Uint8Array(20) } })).toBe('OBJECT_NOT_PENDING');
    expect(await asOther({ commitObject: { streamId } })).toBe('OBJECT_NOT_PENDING');
    // Inline segments: the index is bounded and the size is what the sealed bytes can hold.
    expect((await call({ commitInlineSegment: { streamId, index: 2 ** 31, plainSize: 1n, data: new Uint8Array(20) } })).error?.code).toBe('SEGMENT_INDEX_INVALID');
    expect((await call({ commitInlineSegment: { streamId, index: 0, plainSize: 2n ** 63n, data: new Uint8Array(20) } })).error?.code).toBe('SEGMENT_SIZE_INVALID');
    expect((await call({ commitInlineSegment: { streamId, index: 0, plainSize: 21n, data: new Uint8Array(20) } })).error?.code).toBe('SEGMENT_SIZE_INVALID');
    // Nothing of the other project's attempts or the refused segments landed: the owner commits.
    await ok({ commitInlineSegment: { streamId, index: 0, plainSize: 4n, data: new Uint8Array(20) } });
    // The bucket deleted while the upload was in progress (it was empty): the commit is refused.
    await ok({ deleteBucket: { name: 'owned' } });
    expect((await call({ commitObject: { streamId } })).error?.code).toBe('BUCKET_NOT_FOUND');
    await ok({ createBucket: { name: 'owned' } });
    const listed = (await ok({ listObjects: { bucket: 'owned', prefix: '', delimiter: '', cursor: '', limit: 0 } })).listObjects!;
    expect(listed.objects).toEqual([]);
  });

  it('keeps projects apart: another API key sees none of a project\'s buckets or objects, and may use the same names', async () => {
    const { ok } = await project('apart');
    await ok({ createBucket: { name: 'same-name' } });
    const streamId = (await ok({ beginObject: { bucket: 'same-name', key: 'secret', metadata: new Uint8Array(0), encryption: '', expires: 0n } })).beginObject!.streamId;
    await ok({ commitInlineSegment: { streamId, index: 0, plainSize: 4n, data: new Uint8Array(20) } });
    await ok({ commitObject: { streamId } });
    const asOther = (await project('neighbour')).call;
    expect((await asOther({ listBuckets: {} })).listBuckets?.buckets ?? []).toEqual([]);
    expect((await asOther({ getObject: { bucket: 'same-name', key: 'secret' } })).error?.code).toBe('BUCKET_NOT_FOUND');
    expect((await asOther({ deleteObject: { bucket: 'same-name', key: 'secret' } })).error?.code).toBe('BUCKET_NOT_FOUND');
    // Its own bucket of the same name is another bucket: empty, and the object is not in it.
    expect((await asOther({ createBucket: { name: 'same-name' } })).error).toBeUndefined();
    expect((await asOther({ listObjects: { bucket: 'same-name', prefix: '', delimiter: '', cursor: '', limit: 0 } })).listObjects?.objects).toEqual([]);
    expect((await asOther({ getObject: { bucket: 'same-name', key: 'secret' } })).error?.code).toBe('OBJECT_NOT_FOUND');
    expect((await asOther({ deleteObject: { bucket: 'same-name', key: 'secret' } })).error?.code).toBe('OBJECT_NOT_FOUND');
    expect((await asOther({ deleteBucket: { name: 'same-name' } })).error).toBeUndefined();
    // The owner's object is untouched.
    expect((await ok({ getObject: { bucket: 'same-name', key: 'secret' } })).getObject!.object!.size).toBe(4n);
  });

  it('keeps metadata across a satellite restart', async () => {
    // A satellite of its own: the one the other tests use is never restarted under them.
    const dir = tempDir();
    let own = await startSatellite(dir);
    ownSatellites.add(own);
    const { ok } = await project('restart', () => own);
    await ok({ createBucket: { name: 'files' } });
    const streamId = (await ok({ beginObject: { bucket: 'files', key: 'notes/a.txt', metadata: new Uint8Array(0), encryption: '', expires: 0n } })).beginObject!.streamId;
    await ok({ commitInlineSegment: { streamId, index: 0, plainSize: 5n, data: new Uint8Array(33) } });
    await ok({ commitObject: { streamId } });
    const id = own.id;
    await own.stop();
    ownSatellites.delete(own);
    own = await startSatellite(dir);
    ownSatellites.add(own);
    expect(own.id).toBe(id);
    expect((await ok({ getObject: { bucket: 'files', key: 'notes/a.txt' } })).getObject?.object?.size).toBe(5n);
  });
});
