// The audit leaf limit the README promises (1 to 1024 leaf indices a request, strictly
// ascending): a real node answers 1024 leaves of a piece that has them, refuses none or 1025 with
// PROTOCOL_MALFORMED and indices out of order, repeated or past the end with
// MERKLE_INVALID_INDEX, each with a fresh order.
import type { Libp2p } from '@libp2p/interface';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StorageNode } from '../../src/node/index.js';
import { DEFAULT_LEAF_SIZE } from '../../src/merkle/index.js';
import { PROTOCOL_AUDIT, PROTOCOL_UPLOAD, PieceAction, auditPiece, uploadPiece } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';
import { TestSatellite, newPieceId, startClient, startNode } from './fixtures/network.js';

let satellite: TestSatellite;
let node: StorageNode;
let client: Libp2p;
let sat: Libp2p;
const pieceId = newPieceId();
let leaves = 0;

beforeAll(async () => {
  satellite = await TestSatellite.create();
  node = await startNode(tempDir('stowage-audit-leaves-'), [satellite]);
  client = await startClient();
  sat = await satellite.host();
  // A piece of more than 1024 leaves.
  const size = 1100 * DEFAULT_LEAF_SIZE;
  const bytes = new Uint8Array(size).fill(3);
  const order = await satellite.order(node.peerId, PieceAction.PUT, pieceId);
  await uploadPiece(await client.dialProtocol(node.libp2p.getMultiaddrs()[0]!, PROTOCOL_UPLOAD), order, size, [bytes], { uplinkKey: satellite.uplink });
  leaves = Math.ceil(size / DEFAULT_LEAF_SIZE);
}, 60_000);

afterAll(async () => {
  await client?.stop();
  await satellite?.stop();
  await node?.stop();
  removeTempDirs();
});

async function audit(indices: number[]): Promise<string> {
  const order = await satellite.order(node.peerId, PieceAction.AUDIT, pieceId, { byteLimit: 0n });
  // Room for the answer: 1024 leaves of 4 KiB and their proof (the satellite sizes it so too).
  return auditPiece(await sat.dialProtocol(node.libp2p.getMultiaddrs()[0]!, PROTOCOL_AUDIT), order, indices, { maxMessageBytes: 8 * 1024 * 1024 }).then(
    (a) => `ok ${a.leaves.length}`,
    (e: { code?: string }) => e.code ?? 'no code'
  );
}

it('answers 1 to 1024 ascending leaves and refuses none, 1025, or out of order', async () => {
  expect(leaves).toBeGreaterThan(1024);
  expect(await audit([0])).toBe('ok 1');
  expect(await audit(Array.from({ length: 1024 }, (_, i) => i))).toBe('ok 1024');
  expect(await audit([])).toBe('PROTOCOL_MALFORMED');
  expect(await audit(Array.from({ length: 1025 }, (_, i) => i))).toBe('PROTOCOL_MALFORMED');
  // Indices out of order, repeated or past the piece's last leaf: the Merkle code's own refusal.
  expect(await audit([5, 3])).toBe('MERKLE_INVALID_INDEX');
  expect(await audit([3, 3])).toBe('MERKLE_INVALID_INDEX');
  expect(await audit([leaves])).toBe('MERKLE_INVALID_INDEX');
  expect(await audit([leaves - 1])).toBe('ok 1');
});
