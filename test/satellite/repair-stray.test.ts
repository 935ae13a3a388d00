// Repair whose targets already hold a stray piece: an upload's cancelled long tail can leave a
// node holding the piece of a number the segment does not record, and piece ids are per node and
// number, so repair asking that node for that number gets "already stored" (PIECE_EXISTS). The
// devnet test met it 1 run in 3: the only free node held such a copy, every repair run asked it
// for the same number and the segment never left the queue. Here every free node holds a stray of
// the number repair would pick first; repair must place other numbers on them.
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p } from '@libp2p/interface';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { PROTOCOL_UPLOAD, PieceAction, uploadPiece } from '../../src/protocol/index.js';
import type { OrderIssuer, Satellite } from '../../src/satellite/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { open, startClient } from '../node/fixtures/network.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';

const ONLINE_WITHIN_MS = 4000;
// The satellite's clock is the test's: a stopped node ages out of the online window when the test
// moves the clock, not after a real wait (a loaded machine's uptime round must not age out the rest).
let clock = Date.now();
let satellite: Satellite;
let nodes: StorageNode[] = [];
let client: Stowage;
let peer: Libp2p;

beforeAll(async () => {
  satellite = await startSatellite({ onlineWithinMs: ONLINE_WITHIN_MS, profile: { minimum: 2, repair: 3, success: 4, total: 6 } }, { now: () => clock, logger: pino({ level: process.env.DEBUG_REPAIR ? 'info' : 'silent' }) });
  ({ nodes } = await startNodes(satellite, 9));
  client = await connectClient(satellite, { segmentSize: 256 * 1024 });
  peer = await startClient();
  await client.createBucket('strays');
  await satellite.checkUptime();
}, 60_000);

afterAll(async () => {
  await peer?.stop();
  await stopAll({ client, nodes, satellite });
});

it('a repair target that holds a stray piece of its number takes another number, and the segment leaves the queue', async () => {
  const bytes = new Uint8Array(randomBytes(200 * 1024));
  await client.upload('strays', 'x', bytes);
  const segments = [];
  for await (const s of satellite.metadata.remoteSegments()) segments.push(s);
  expect(segments).toHaveLength(1);
  const { key, segment } = segments[0]!;
  const byId = new Map(nodes.map((n) => [n.peerId, n]));
  const holders = segment.pieces.map((p) => byId.get(p.nodeId)!);
  expect(holders.length).toBeGreaterThanOrEqual(4);

  // Two pieces stay; the others' nodes stop. Free numbers: 6 - 2 = 4; repair needs 2 (to success).
  const kept = segment.pieces.slice(0, 2);
  for (const p of segment.pieces.slice(2)) await byId.get(p.nodeId)!.stop();
  const keptNumbers = new Set(kept.map((p) => p.number));
  const free = [0, 1, 2, 3, 4, 5].filter((n) => !keptNumbers.has(n));
  const firstChoices = free.slice(0, 1);
  // Every node that holds no piece of the segment gets a stray piece of repair's first choice,
  // stored with a real PUT order from the satellite (what a cancelled upload leaves: one number a
  // node). Before the fix every target of that number answered "already stored", round after
  // round, and the segment stayed queued.
  const issuer = (satellite.audits as unknown as { d: { issuer: OrderIssuer } }).d.issuer;
  const rootPieceId = new Uint8Array(Buffer.from(segment.rootPieceId, 'hex'));
  const holderIds = new Set(segment.pieces.map((p) => p.nodeId));
  const others = nodes.filter((n) => !holderIds.has(n.peerId));
  expect(others.length).toBeGreaterThanOrEqual(3);
  for (const node of others) {
    for (const number of firstChoices) {
      const uplink = await generateKeyPair('Ed25519');
      const [order] = await issuer.issue(PieceAction.PUT, rootPieceId, [{ nodeId: node.peerId, number }], segment.pieceSize, null, uplink.publicKey.raw);
      const stray = new Uint8Array(randomBytes(segment.pieceSize));
      // PIECE_EXISTS: the upload's own long tail left this very stray there already.
      await uploadPiece(await open(peer, node, PROTOCOL_UPLOAD), order!, stray.length, [stray], { idleTimeoutMs: 5000, uplinkKey: uplink }).catch((err: { code?: string }) => {
        if (err.code !== 'PIECE_EXISTS') throw err;
      });
    }
  }

  clock += ONLINE_WITHIN_MS + 100;
  await satellite.checkUptime();
  const check = await satellite.checkRepair();
  expect(check.queued).toBe(1);
  const results = await satellite.runRepair();
  expect(results).toEqual([expect.objectContaining({ segmentKey: key, outcome: 'repaired', before: 2, after: 4 })]);
  expect(await satellite.repair.queueLength()).toBe(0);

  // The new pieces carry numbers their nodes did not hold, and the client's roots where known.
  const after = (await satellite.metadata.segmentByKey(key))!;
  const added = after.pieces.filter((p) => !holderIds.has(p.nodeId));
  expect(added).toHaveLength(2);
  for (const p of added) expect(firstChoices).not.toContain(p.number);
  for (const p of after.pieces) {
    const original = segment.pieces.find((o) => o.number === p.number);
    if (original) expect(p.root).toBe(original.root);
  }
  await satellite.checkUptime();
  expect(Buffer.from(await collect(client.download('strays', 'x'))).equals(Buffer.from(bytes))).toBe(true);
}, 90_000);
