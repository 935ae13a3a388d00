// Repair with a lying node among the sources: one node keeps zeros but repeated the client's root
// in its receipts, so its pieces are committed and counted healthy until audits catch it. Honest
// nodes are taken away until segments need repair; every rebuilt piece must have the root the
// client signed for its number (shares are deterministic), the bytes on the new nodes must hash to
// it, and every object must still download byte-identical.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import { pieceRoot } from '../../src/merkle/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { derivePieceId, type Satellite } from '../../src/satellite/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { connectClient, startNodes, startSatellite, stopAll } from '../satellite/fixtures.js';
import { makeCheater } from './cheaters.js';

const ONLINE_WITHIN_MS = 4000;
let satellite: Satellite;
let nodes: StorageNode[] = [];
let liar: StorageNode;
let client: Stowage;
const objects = new Map<string, Uint8Array>();

beforeAll(async () => {
  satellite = await startSatellite({ onlineWithinMs: ONLINE_WITHIN_MS, profile: { minimum: 2, repair: 3, success: 4, total: 6 } });
  ({ nodes } = await startNodes(satellite, 9));
  liar = nodes[8]!;
  await makeCheater(liar, { keep: 'zeros', receipt: 'client-root' });
  client = await connectClient(satellite, { segmentSize: 128 * 1024 });
  await client.createBucket('kept');
  await satellite.checkUptime();
  for (const size of [5000, 300 * 1024, 512 * 1024, 700 * 1024]) {
    const bytes = new Uint8Array(randomBytes(size));
    // Nodes count as online for 1.5 s after they were last reached.
    await satellite.checkUptime();
    await client.upload('kept', `o-${size}`, bytes);
    objects.set(`o-${size}`, bytes);
  }
}, 60_000);

afterAll(() => stopAll({ client, nodes, satellite }));

it('rebuilds only pieces whose roots are the client\u2019s, whatever a lying source sent', async () => {
  const originalRoots = new Map<string, string>();
  const originalHolders = new Map<string, string>();
  const liarHolds = new Set<string>();
  for await (const { key, segment } of satellite.metadata.remoteSegments()) {
    for (const p of segment.pieces) {
      originalRoots.set(`${key}/${p.number}`, p.root);
      originalHolders.set(`${key}/${p.number}`, p.nodeId);
      if (p.nodeId === liar.peerId) liarHolds.add(key);
    }
  }
  expect(liarHolds.size).toBeGreaterThan(0);
  const sourcedFromLiar = new Set<string>();
  let repaired = 0;
  // Take away the honest nodes holding the most pieces of segments the liar also holds.
  const victims = nodes.slice(0, 8).sort((a, b) => b.store.usedSpace() - a.store.usedSpace()).slice(0, 3);
  for (const victim of victims) {
    await victim.stop();
    await new Promise((r) => setTimeout(r, ONLINE_WITHIN_MS + 100));
    await satellite.checkUptime();
    await satellite.checkRepair();
    const results = await satellite.runRepair();
    for (const r of results) if (r.outcome === 'repaired' && liarHolds.has(r.segmentKey)) sourcedFromLiar.add(r.segmentKey);
    repaired += results.filter((r) => r.outcome === 'repaired').length;
  }
  expect(repaired).toBeGreaterThan(0);
  // Some repaired segments had the liar among their sources (its piece counted healthy).
  expect(sourcedFromLiar.size).toBeGreaterThan(0);
  const gone = new Set(victims.map((v) => v.peerId));
  const byId = new Map(nodes.map((n) => [n.peerId, n]));
  let checkedOnDisk = 0;
  for await (const { key, segment } of satellite.metadata.remoteSegments()) {
    for (const p of segment.pieces) {
      const original = originalRoots.get(`${key}/${p.number}`);
      if (original !== undefined) expect(p.root).toBe(original);
      // A piece put there by repair, on an honest node: its bytes hash to the recorded root.
      const holder = byId.get(p.nodeId)!;
      const rebuilt = originalHolders.get(`${key}/${p.number}`) !== p.nodeId;
      if (rebuilt && !gone.has(p.nodeId) && holder !== liar) {
        const bytes = await collect(await holder.store.get(derivePieceId(Buffer.from(segment.rootPieceId, 'hex'), p.nodeId, p.number)));
        expect(Buffer.from(pieceRoot(bytes)).toString('hex')).toBe(p.root);
        checkedOnDisk++;
      }
    }
  }
  expect(checkedOnDisk).toBeGreaterThan(0);
  await satellite.checkUptime();
  for (const [key, bytes] of objects) expect(Buffer.from(await collect(client.download('kept', key))).equals(Buffer.from(bytes))).toBe(true);
}, 120_000);
