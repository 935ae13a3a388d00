// One test per rejection of the storage node: each asserts the error code the peer receives and
// that no piece and no used space was added; the node keeps serving others throughout.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Libp2p } from '@libp2p/interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageNode } from '../../src/node/index.js';
import { multiaddr } from '@multiformats/multiaddr';
import {
  FramedStream,
  ORDER_LIMIT_DOMAIN,
  PROTOCOL_DELETE,
  PROTOCOL_DOWNLOAD,
  PROTOCOL_UPLOAD,
  PieceAction,
  UploadRequest,
  UploadResponse,
  deletePiece,
  downloadPiece,
  uploadPiece,
  verifyPieceReceipt,
  type SignedOrderLimit
} from '../../src/protocol/index.js';
import { collect, pieceBytes } from './fixtures/pieces.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';
import { TestSatellite, newPieceId, open, pieceHashOf, startClient, startNode } from './fixtures/network.js';


let satellite: TestSatellite;
let stranger: TestSatellite;
let node: StorageNode;
let client: Libp2p;
let dataDir: string;

beforeAll(async () => {
  satellite = await TestSatellite.create();
  stranger = await TestSatellite.create();
  dataDir = tempDir();
  node = await startNode(dataDir, [satellite], { capacity: 4 * 1024 * 1024, idleTimeoutMs: 400 });
  client = await startClient();
});

afterAll(async () => {
  await client?.stop();
  await satellite?.stop();
  await node?.stop();
  removeTempDirs();
});

const BYTES = pieceBytes(5, 300_000);

/** Uploads with the given order and returns the error code the node answered (or 'ok'). */
async function uploadCode(order: SignedOrderLimit, bytes = BYTES, size = bytes.length): Promise<string> {
  try {
    await uploadPiece(await open(client, node, PROTOCOL_UPLOAD), order, size, [bytes], { uplinkKey: satellite.uplink });
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

async function assertNothingStored(pieceId: Uint8Array, used = 0): Promise<void> {
  expect(await node.store.has(pieceId)).toBe(false);
  expect(node.store.usedSpace()).toBe(used);
  expect(readdirSync(join(dataDir, 'pieces', 'tmp'))).toEqual([]);
}

async function stillServes(): Promise<void> {
  const pieceId = newPieceId();
  const order = await satellite.order(node.peerId, PieceAction.PUT, pieceId, { byteLimit: 1000n });
  expect(await uploadCode(order, BYTES.subarray(0, 1000))).toBe('ok');
  const get = await satellite.order(node.peerId, PieceAction.GET, pieceId);
  expect((await collect(downloadPiece(await open(client, node, PROTOCOL_DOWNLOAD), get))).length).toBe(1000);
  const del = await satellite.order(node.peerId, PieceAction.DELETE, pieceId);
  await deletePiece(await open(await satellite.host(), node, PROTOCOL_DELETE), del);
}

describe('the storage node refuses', () => {
  const cases: [string, string, (pieceId: Uint8Array) => Promise<SignedOrderLimit>][] = [
    ['an order from an untrusted satellite', 'ORDER_UNTRUSTED_SATELLITE', (p) => stranger.order(node.peerId, PieceAction.PUT, p)],
    [
      'an order whose signature does not verify',
      'ORDER_BAD_SIGNATURE',
      async (p) => {
        const o = await satellite.order(node.peerId, PieceAction.PUT, p);
        o.signature[5]! ^= 1;
        return o;
      }
    ],
    [
      'an order signed by a trusted satellite in its name but with another key',
      'ORDER_BAD_SIGNATURE',
      (p) => stranger.order(node.peerId, PieceAction.PUT, p, { satelliteId: satellite.id })
    ],
    ['an order for another node', 'ORDER_WRONG_NODE', (p) => satellite.order(stranger.id, PieceAction.PUT, p)],
    ['an order for another action', 'ORDER_WRONG_ACTION', (p) => satellite.order(node.peerId, PieceAction.GET, p)],
    ['an expired order', 'ORDER_EXPIRED', (p) => satellite.order(node.peerId, PieceAction.PUT, p, { orderExpiration: BigInt(Date.now() - 3_600_000) })],
    ['an order from the future', 'ORDER_FROM_THE_FUTURE', (p) => satellite.order(node.peerId, PieceAction.PUT, p, { orderCreation: BigInt(Date.now() + 3_600_000) })],
    [
      'an order whose bytes are not canonical',
      'ORDER_NOT_CANONICAL',
      async (p) => {
        const o = await satellite.order(node.peerId, PieceAction.PUT, p);
        // An unknown field (number 15, varint 1) appended, then signed properly over those bytes.
        const padded = new Uint8Array([...o.limit, 0x78, 0x01]);
        const sig = await satellite.key.sign(new Uint8Array([...ORDER_LIMIT_DOMAIN, ...padded]));
        return { limit: padded, signature: new Uint8Array(sig) };
      }
    ],
    ['a piece larger than the order allows', 'ORDER_BYTE_LIMIT_EXCEEDED', (p) => satellite.order(node.peerId, PieceAction.PUT, p, { byteLimit: BigInt(BYTES.length - 1) })],
    ['a piece larger than the free space', 'PIECE_STORE_FULL', (p) => satellite.order(node.peerId, PieceAction.PUT, p, { byteLimit: BigInt(5 * 1024 * 1024) })]
  ];
  for (const [what, code, makeOrder] of cases) {
    it(what, async () => {
      const pieceId = newPieceId();
      const order = await makeOrder(pieceId);
      const bytes = code === 'PIECE_STORE_FULL' ? pieceBytes(6, 5 * 1024 * 1024) : BYTES;
      expect(await uploadCode(order, bytes)).toBe(code);
      await assertNothingStored(pieceId);
      await stillServes();
    });
  }

  it('a replayed order, also after the piece was stored', async () => {
    const pieceId = newPieceId();
    const order = await satellite.order(node.peerId, PieceAction.PUT, pieceId);
    expect(await uploadCode(order)).toBe('ok');
    expect(await uploadCode(order)).toBe('ORDER_REPLAYED');
    const other = newPieceId();
    const get = await satellite.order(node.peerId, PieceAction.GET, pieceId);
    expect((await collect(downloadPiece(await open(client, node, PROTOCOL_DOWNLOAD), get))).length).toBe(BYTES.length);
    await expect(collect(downloadPiece(await open(client, node, PROTOCOL_DOWNLOAD), get))).rejects.toMatchObject({ code: 'ORDER_REPLAYED' });
    await assertNothingStored(other, BYTES.length);
    await deletePiece(await open(await satellite.host(), node, PROTOCOL_DELETE), await satellite.order(node.peerId, PieceAction.DELETE, pieceId));
  });

  it('the same order used twice at once: one passes, one is a replay', async () => {
    const pieceId = newPieceId();
    expect(await uploadCode(await satellite.order(node.peerId, PieceAction.PUT, pieceId))).toBe('ok');
    const get = await satellite.order(node.peerId, PieceAction.GET, pieceId);
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, async () => collect(downloadPiece(await open(client, node, PROTOCOL_DOWNLOAD), get)))
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ORDER_REPLAYED' });
    await deletePiece(await open(await satellite.host(), node, PROTOCOL_DELETE), await satellite.order(node.peerId, PieceAction.DELETE, pieceId));
  });

  it('more bytes than declared, and fewer', async () => {
    const more = newPieceId();
    expect(await uploadCode(await satellite.order(node.peerId, PieceAction.PUT, more), BYTES, BYTES.length - 10)).toBe('PIECE_TOO_LARGE');
    await assertNothingStored(more);
    const fewer = newPieceId();
    expect(await uploadCode(await satellite.order(node.peerId, PieceAction.PUT, fewer), BYTES, BYTES.length + 10)).toBe('PIECE_SIZE_MISMATCH');
    await assertNothingStored(fewer);
    await stillServes();
  });

  it('a malformed protobuf frame', async () => {
    const stream = await open(client, node, PROTOCOL_UPLOAD);
    stream.send(new Uint8Array([5, 0xff, 0xff, 0xff, 0xff, 0xff]));
    const answer = await new FramedStream(stream).expect(UploadResponse, 'answer');
    expect(answer.error?.code).toBe('PROTOCOL_MALFORMED');
    await stillServes();
  });

  it('an oversized frame, from its length prefix alone', async () => {
    const stream = await open(client, node, PROTOCOL_UPLOAD);
    stream.send(new Uint8Array([0x80, 0x80, 0x80, 0x05])); // 10 MiB announced
    const answer = await new FramedStream(stream).expect(UploadResponse, 'answer');
    expect(answer.error?.code).toBe('PROTOCOL_OVERSIZED');
    await stillServes();
  });

  it('a stream that stalls mid-upload', async () => {
    const pieceId = newPieceId();
    const stream = await open(client, node, PROTOCOL_UPLOAD);
    const framed = new FramedStream(stream, { idleTimeoutMs: 10_000 });
    await framed.write(UploadRequest, { order: await satellite.order(node.peerId, PieceAction.PUT, pieceId), size: BigInt(BYTES.length) });
    await framed.write(UploadRequest, { chunk: BYTES.slice(0, 100_000) });
    const answer = await framed.expect(UploadResponse, 'answer');
    expect(answer.error?.code).toBe('PROTOCOL_TIMEOUT');
    await assertNothingStored(pieceId);
    await stillServes();
  });

  it('a stream reset mid-upload', async () => {
    const pieceId = newPieceId();
    const stream = await open(client, node, PROTOCOL_UPLOAD);
    const framed = new FramedStream(stream);
    await framed.write(UploadRequest, { order: await satellite.order(node.peerId, PieceAction.PUT, pieceId), size: BigInt(BYTES.length) });
    await framed.write(UploadRequest, { chunk: BYTES.slice(0, 200_000) });
    await new Promise((r) => setTimeout(r, 50));
    stream.abort(new Error('client gave up'));
    // The node notices, aborts the put and removes its temporary file.
    for (let i = 0; i < 50 && readdirSync(join(dataDir, 'pieces', 'tmp')).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    await assertNothingStored(pieceId);
    await stillServes();
  });

  it('an uploader whose own source fails mid-piece: its error at once, the stream reset, nothing stored', async () => {
    const pieceId = newPieceId();
    const failure = new Error('the parity range could not be coded');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield BYTES.subarray(0, 100_000);
      throw failure;
    }
    const order = await satellite.order(node.peerId, PieceAction.PUT, pieceId);
    // The uploader's own error, not an answer from the node (the node would answer only at its
    // idle timeout, PROTOCOL_TIMEOUT, since it still waits for the rest of the piece).
    await expect(uploadPiece(await open(client, node, PROTOCOL_UPLOAD), order, BYTES.length, failing(), { uplinkKey: satellite.uplink })).rejects.toBe(failure);
    for (let i = 0; i < 50 && readdirSync(join(dataDir, 'pieces', 'tmp')).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    await assertNothingStored(pieceId);
    await stillServes();
  });
});

describe('node limits', () => {
  it('refuses uploads past its concurrency limit with NODE_BUSY', async () => {
    const busy = await startNode(tempDir(), [satellite], { maxConcurrentUploads: 1 });
    try {
      const addr = multiaddr(busy.multiaddrs()[0]);
      const held = new FramedStream(await client.dialProtocol(addr, PROTOCOL_UPLOAD));
      const heldId = newPieceId();
      await held.write(UploadRequest, { order: await satellite.order(busy.peerId, PieceAction.PUT, heldId), size: 10n });
      // The held upload has its slot once its order is verified: wait for that, not for a fixed time.
      for (let i = 0; i < 200 && busy.context.activeUploads.count < 1; i++) await new Promise((r) => setTimeout(r, 25));
      expect(busy.context.activeUploads.count).toBe(1);
      const second = await satellite.order(busy.peerId, PieceAction.PUT, newPieceId());
      await expect(uploadPiece(await client.dialProtocol(addr, PROTOCOL_UPLOAD), second, 10, [new Uint8Array(10)], { uplinkKey: satellite.uplink })).rejects.toMatchObject({ code: 'NODE_BUSY' });
      await held.write(UploadRequest, { chunk: new Uint8Array(10), done: true, pieceHash: await pieceHashOf(satellite.uplink, heldId, new Uint8Array(10)) });
      // The held upload completes: a receipt signed by the node for that piece and those 10 bytes.
      const receipt = await verifyPieceReceipt((await held.expect(UploadResponse, 'receipt')).receipt);
      expect(receipt).toMatchObject({ nodeId: busy.peerId, size: 10n });
      expect(Buffer.from(receipt.pieceId).equals(Buffer.from(heldId))).toBe(true);
      expect(busy.store.usedSpace()).toBe(10);
    } finally {
      await busy.stop();
    }
  });
});

describe('node read limit', () => {
  it('refuses downloads past its concurrency limit with NODE_BUSY', async () => {
    const busy = await startNode(tempDir(), [satellite], { maxConcurrentReads: 1 });
    try {
      const addr = multiaddr(busy.multiaddrs()[0]);
      const big = pieceBytes(30, 8 * 1024 * 1024);
      const pieceId = newPieceId();
      await uploadPiece(await client.dialProtocol(addr, PROTOCOL_UPLOAD), await satellite.order(busy.peerId, PieceAction.PUT, pieceId), big.length, [big], { uplinkKey: satellite.uplink });
      // A download whose reader does not read yet: the node waits on flow control, holding its slot.
      const slow = downloadPiece(await client.dialProtocol(addr, PROTOCOL_DOWNLOAD), await satellite.order(busy.peerId, PieceAction.GET, pieceId));
      const first = await slow.next();
      if (first.done) throw new Error('the download ended before its first chunk');
      await new Promise((r) => setTimeout(r, 100));
      const other = await satellite.order(busy.peerId, PieceAction.GET, pieceId);
      await expect(collect(downloadPiece(await client.dialProtocol(addr, PROTOCOL_DOWNLOAD), other))).rejects.toMatchObject({ code: 'NODE_BUSY' });
      let n = first.value.length;
      for await (const chunk of slow) n += chunk.length;
      expect(n).toBe(big.length);
    } finally {
      await busy.stop();
    }
  });
});

describe('a restarted node', () => {
  it('keeps its identity, pieces and used serials', async () => {
    const dir = tempDir();
    const first = await startNode(dir, [satellite]);
    const pieceId = newPieceId();
    const put = await satellite.order(first.peerId, PieceAction.PUT, pieceId);
    await uploadPiece(await client.dialProtocol(multiaddr(first.multiaddrs()[0]), PROTOCOL_UPLOAD), put, BYTES.length, [BYTES], { uplinkKey: satellite.uplink });
    const peerId = first.peerId;
    await first.stop();

    const second = await startNode(dir, [satellite]);
    try {
      expect(second.peerId).toBe(peerId);
      const addr = multiaddr(second.multiaddrs()[0]);
      const get = await satellite.order(second.peerId, PieceAction.GET, pieceId);
      expect(Buffer.from(await collect(downloadPiece(await client.dialProtocol(addr, PROTOCOL_DOWNLOAD), get))).equals(Buffer.from(BYTES))).toBe(true);
      await expect(uploadPiece(await client.dialProtocol(addr, PROTOCOL_UPLOAD), put, BYTES.length, [BYTES], { uplinkKey: satellite.uplink })).rejects.toMatchObject({ code: 'ORDER_REPLAYED' });
      expect(second.store.usedSpace()).toBe(BYTES.length);
    } finally {
      await second.stop();
    }
  });
});
