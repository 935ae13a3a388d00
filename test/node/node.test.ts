import type { Libp2p } from '@libp2p/interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pieceRoot, verifyMultiLeafProof, sampleLeaves, leafCountOf } from '../../src/merkle/index.js';
import type { StorageNode } from '../../src/node/index.js';
import {
  PROTOCOL_AUDIT,
  PROTOCOL_DELETE,
  PROTOCOL_DOWNLOAD,
  PROTOCOL_UPLOAD,
  PieceAction,
  auditPiece,
  deletePiece,
  downloadPiece,
  SignedOrderLimit,
  uploadPiece,
  verifyOrderLimit,
  verifyPieceReceipt
} from '../../src/protocol/index.js';
import { collect, pieceBytes } from './fixtures/pieces.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';
import { TestSatellite, newPieceId, open, startClient, startNode } from './fixtures/network.js';


let satellite: TestSatellite;
let node: StorageNode;
let client: Libp2p;

beforeAll(async () => {
  satellite = await TestSatellite.create();
  node = await startNode(tempDir(), [satellite]);
  client = await startClient();
});

afterAll(async () => {
  await client?.stop();
  await satellite?.stop();
  await node?.stop();
  removeTempDirs();
});

async function upload(bytes: Uint8Array, pieceId = newPieceId()) {
  const order = await satellite.order(node.peerId, PieceAction.PUT, pieceId, { byteLimit: BigInt(bytes.length) });
  const sent = await uploadPiece(await open(client, node, PROTOCOL_UPLOAD), order, bytes.length, [bytes], { uplinkKey: satellite.uplink });
  return { pieceId, receipt: await verifyPieceReceipt(sent.receipt) };
}

async function download(pieceId: Uint8Array, range: { offset?: number; length?: number } = {}, byteLimit = 64 << 20) {
  const order = await satellite.order(node.peerId, PieceAction.GET, pieceId, { byteLimit: BigInt(byteLimit) });
  return collect(downloadPiece(await open(client, node, PROTOCOL_DOWNLOAD), order, range));
}

describe('storage node on loopback', () => {
  it('round-trips pieces from 0 bytes to 8 MiB with signed receipts', async () => {
    for (const size of [0, 1, 4095, 100_000, 8 * 1024 * 1024]) {
      const bytes = pieceBytes(size + 7, size);
      const { pieceId, receipt } = await upload(bytes);
      expect(receipt.nodeId).toBe(node.peerId);
      expect(Number(receipt.size)).toBe(size);
      expect(Buffer.from(receipt.root).equals(Buffer.from(pieceRoot(bytes)))).toBe(true);
      expect(Buffer.from(await download(pieceId)).equals(Buffer.from(bytes))).toBe(true);
      // The node keeps the signed order that authorised the piece.
      const kept = SignedOrderLimit.decode((await node.store.stat(pieceId)).orderLimit);
      expect((await verifyOrderLimit(kept)).action).toBe(PieceAction.PUT);
    }
  });

  it('serves ranges', async () => {
    const bytes = pieceBytes(9, 1_000_000);
    const { pieceId } = await upload(bytes);
    for (const [offset, length] of [
      [0, 1],
      [999_999, 1],
      [300_000, 400_000],
      [262_143, 262_146]
    ] as const) {
      expect(Buffer.from(await download(pieceId, { offset, length })).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);
    }
    await expect(download(pieceId, { offset: 999_999, length: 2 })).rejects.toMatchObject({ code: 'PIECE_RANGE_INVALID' });
    await expect(download(pieceId, { length: 1000 }, 999)).rejects.toMatchObject({ code: 'ORDER_BYTE_LIMIT_EXCEEDED' });
  });

  it('answers audits with proofs that verify against the receipt root', async () => {
    const bytes = pieceBytes(11, 2 * 1024 * 1024 + 5);
    const { pieceId, receipt } = await upload(bytes);
    const leafCount = leafCountOf(bytes.length);
    const indices = sampleLeaves(new Uint8Array(32).fill(3), leafCount, 16);
    const order = await satellite.order(node.peerId, PieceAction.AUDIT, pieceId);
    const answer = await auditPiece(await open(await satellite.host(), node, PROTOCOL_AUDIT), order, indices);
    expect(answer.leafCount).toBe(leafCount);
    expect(verifyMultiLeafProof(receipt.root, leafCount, indices, answer.leaves, answer.proof)).toBe(true);
  });

  it('deletes on a DELETE order and frees the space', async () => {
    const bytes = pieceBytes(12, 70_000);
    const { pieceId } = await upload(bytes);
    const used = node.store.usedSpace();
    const order = await satellite.order(node.peerId, PieceAction.DELETE, pieceId);
    await deletePiece(await open(await satellite.host(), node, PROTOCOL_DELETE), order);
    expect(node.store.usedSpace()).toBe(used - bytes.length);
    await expect(download(pieceId)).rejects.toMatchObject({ code: 'PIECE_NOT_FOUND' });
  });
});
