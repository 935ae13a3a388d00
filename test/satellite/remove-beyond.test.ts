// Durability past n - k (issue 18, Tests): a real satellite and eleven real nodes in this process.
// Objects of several sizes (0 bytes, inline, one segment, several, a size that is a multiple of
// nothing) are uploaded with profile 2/3/4/5, then nodes are removed for good one at a time, five
// in all (n - k = 3). The removals go after one segment the seed picks: while a node holding one
// of its pieces from the upload is left, such a node goes (so that segment loses every original
// piece, 4 or 5 > n - k, and lives only through repair); among candidates, the node holding pieces
// of the most segments at the lowest count, then the most pieces. The node is stopped and its data
// dir deleted (gone for good), the satellite notices it in an uptime
// round, and the checker and the repairer run until the queue is empty. After each removal:
// no segment lost at any check; the checker counts as healthy exactly the pieces on nodes not
// removed (so nothing on a removed node counts); every segment is back above the repair
// threshold, which with this profile is `success`, the count the repairer rebuilds to; no piece
// that entered the metadata lives on a removed node, and each rebuilt piece has the root its
// number had before; every object reads back byte-identical.
//
// Time: the satellite runs on a clock of the test's (`now`). A removed node is noticed by the
// satellite's own uptime round after the clock moves past the online window, so no wall-clock
// window has to hold on a loaded machine and nothing sleeps. The nodes accept orders from a
// satellite clock up to a day ahead (clockSkewMs).
//
// Seeds: 1, 2 and 3 by default (about 4 s each on a 2-core machine, plus start-up);
// STOWAGE_TEST_SEED=7 or STOWAGE_TEST_SEED=7,8,9 runs others. A seed picks the object sizes and
// bytes, the target segment and the tie-breaks between removal candidates; where the satellite
// places pieces (its node selection is random) differs between runs of one seed.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { SATELLITE_DEFAULTS, type Satellite } from '../../src/satellite/index.js';
import type { SegmentRecord } from '../../src/satellite/metainfo/index.js';
import { seededRandom } from '../fixtures/random.js';
import { collect } from '../node/fixtures/pieces.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';

const PROFILE = { minimum: 2, repair: 3, success: 4, total: 5 };
const REMOVALS = 5;
// Room for every rebuilt piece after the last removal: total nodes and one more remain.
const NODES = PROFILE.total + REMOVALS + 1;
const SEGMENT_SIZE = 64 * 1024;
// Only the test's clock moves nodes out of this window: a slow machine never ages a live node out.
const ONLINE_WITHIN_MS = 10 * 60_000;
// Check + repair passes per removal before the queue must be empty.
const MAX_PASSES = 5;
// Uptime rounds per removal before every live node must have been reached.
const MAX_UPTIME_ROUNDS = 3;

const SEEDS = (process.env.STOWAGE_TEST_SEED ?? '1,2,3')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((s) => Number.isInteger(s));
if (SEEDS.length === 0) throw new Error(`STOWAGE_TEST_SEED must be an integer or a comma-separated list of them, not "${process.env.STOWAGE_TEST_SEED}"`);

/** Object sizes for a seed: empty, inline, just over inline, segment multiples, and odd ones. */
function sizesFor(rand: () => number): number[] {
  const between = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  return [
    0,
    between(1, 4000),
    between(4097, SEGMENT_SIZE - 1),
    SEGMENT_SIZE * between(2, 3),
    // Several segments and a tail of an odd length: a multiple of nothing the pipeline uses.
    SEGMENT_SIZE * between(3, 5) + 2 * between(1, 20_000) + 1,
    between(SEGMENT_SIZE + 1, 2 * SEGMENT_SIZE) | 1
  ];
}

function bytesFor(rand: () => number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 4) {
    const v = Math.floor(rand() * 2 ** 32);
    for (let j = 0; j < 4 && i + j < size; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
  }
  return out;
}

async function segments(satellite: Satellite): Promise<Map<string, SegmentRecord>> {
  const out = new Map<string, SegmentRecord>();
  for await (const { key, segment } of satellite.metadata.remoteSegments()) out.set(key, segment);
  return out;
}

describe.each(SEEDS)('seed %i', (seed) => {
  const rand = seededRandom(seed);
  let skew = 0;
  const now = (): number => Date.now() + skew;
  let satellite: Satellite;
  let nodes: StorageNode[] = [];
  const dataDirs = new Map<string, string>();
  let client: Stowage;
  const objects = new Map<string, Uint8Array>();

  beforeAll(async () => {
    satellite = await startSatellite(
      {
        onlineWithinMs: ONLINE_WITHIN_MS,
        profile: PROFILE,
        // Generous transfer timeouts for a loaded machine: a transfer to a live node never times out.
        repair: { ...SATELLITE_DEFAULTS.repair, checkIntervalMs: 0, repairIntervalMs: 0, pieceTimeoutMs: 30_000 }
      },
      { now }
    );
    let configs;
    ({ nodes, configs } = await startNodes(satellite, NODES, () => ({ clockSkewMs: 24 * 3600_000 })));
    for (const [i, n] of nodes.entries()) dataDirs.set(n.peerId, configs[i]!.dataDir);
    client = await connectClient(satellite, { segmentSize: SEGMENT_SIZE, pieceTimeoutMs: 30_000 });
    await client.createBucket('kept');
    await satellite.checkUptime();
    for (const [i, size] of sizesFor(rand).entries()) {
      const bytes = bytesFor(rand, size);
      await client.upload('kept', `o-${i}-${size}`, bytes);
      objects.set(`o-${i}-${size}`, bytes);
    }
  }, 120_000);

  afterAll(() => stopAll({ client, nodes, satellite }));

  it(`removes ${REMOVALS} nodes one at a time (n - k = ${PROFILE.total - PROFILE.minimum}), repairs between, and every object reads back`, async () => {
    const removed = new Set<string>();
    const live = (): StorageNode[] => nodes.filter((n) => !removed.has(n.peerId));
    // The root each piece number of each segment had when first seen: Reed-Solomon is
    // deterministic, so a rebuilt piece must come out with it again.
    const roots = new Map<string, string>();
    const noteRoots = (segs: Map<string, SegmentRecord>, where: string): void => {
      for (const [key, seg] of segs) {
        for (const p of seg.pieces) {
          const id = `${key}/${p.number}`;
          const known = roots.get(id);
          if (known === undefined) roots.set(id, p.root);
          else expect(p.root, `${where}: piece ${id} changed its root`).toBe(known);
        }
      }
    };
    const initial = await segments(satellite);
    // Several objects of several segments each, all remote ones at `success` pieces or more.
    expect(initial.size).toBeGreaterThanOrEqual(8);
    for (const [key, seg] of initial) expect(seg.pieces.length, `segment ${key} after upload`).toBeGreaterThanOrEqual(PROFILE.success);
    noteRoots(initial, 'upload');
    let repairedTotal = 0;
    // The segment the removals go after, and the nodes that held its pieces at upload.
    const keys = [...initial.keys()].sort();
    const target = keys[Math.floor(rand() * keys.length)]!;
    const targetHolders = new Set(initial.get(target)!.pieces.map((p) => p.nodeId));

    for (let step = 1; step <= REMOVALS; step++) {
      const where = `seed ${seed}, removal ${step}`;
      const before = await segments(satellite);
      // The victim: a live node that held a piece of the target segment at upload while there is
      // one, then the node holding pieces of the most segments at the lowest live count (the
      // segments one more loss pushes furthest), then the most pieces, then the seed.
      const liveCount = (seg: SegmentRecord): number => seg.pieces.filter((p) => !removed.has(p.nodeId)).length;
      const lowest = Math.min(...[...before.values()].map(liveCount));
      const score = new Map(live().map((n) => [n.peerId, { target: targetHolders.has(n.peerId) ? 1 : 0, low: 0, pieces: 0, tie: rand() }]));
      for (const seg of before.values()) {
        for (const p of seg.pieces) {
          const s = score.get(p.nodeId);
          if (!s) continue;
          s.pieces++;
          if (liveCount(seg) === lowest) s.low++;
        }
      }
      const [victimId, victimScore] = [...score].sort(([, a], [, b]) => b.target - a.target || b.low - a.low || b.pieces - a.pieces || a.tie - b.tie)[0]!;
      expect(victimScore.pieces, `${where}: the victim holds pieces`).toBeGreaterThan(0);
      const victim = nodes.find((n) => n.peerId === victimId)!;
      await victim.stop();
      rmSync(dataDirs.get(victimId)!, { recursive: true, force: true });
      removed.add(victimId);

      // The satellite notices: its clock moves past the online window and an uptime round reaches
      // every live node again but not the removed one.
      skew += ONLINE_WITHIN_MS + 1000;
      let unreached: string[] = [];
      for (let round = 0; round < MAX_UPTIME_ROUNDS; round++) {
        await satellite.checkUptime();
        unreached = [];
        for (const n of live()) {
          const rec = await satellite.registry.get(n.peerId);
          if (!rec?.reachable || rec.lastReached === null || now() - rec.lastReached > ONLINE_WITHIN_MS) unreached.push(n.peerId);
        }
        if (unreached.length === 0) break;
      }
      expect(unreached, `${where}: live nodes the uptime rounds did not reach`).toEqual([]);
      const gone = await satellite.registry.get(victimId);
      expect(gone?.reachable, `${where}: the removed node looks reachable`).toBe(false);
      expect(now() - (gone?.lastReached ?? 0), `${where}: the removed node looks recently reached`).toBeGreaterThan(ONLINE_WITHIN_MS);

      // Check and repair until nothing is queued; no check may find a segment lost.
      let check = await satellite.checkRepair();
      // The checker counts exactly the pieces on nodes not removed, and queues every segment
      // that fell to the threshold.
      const fell = [...before.values()].filter((seg) => liveCount(seg) <= PROFILE.repair).length;
      expect(check.lost, `${where}: segments lost at the first check`).toBe(0);
      expect(check.queued, `${where}: segments queued at the first check`).toBe(fell);
      const failures: string[] = [];
      for (let pass = 1; check.queued > 0; pass++) {
        expect(pass, `${where}: the queue is not empty after ${MAX_PASSES} repair passes; failures: ${failures.join('; ')}`).toBeLessThanOrEqual(MAX_PASSES);
        const results = await satellite.runRepair();
        for (const r of results) {
          if (r.outcome === 'failed') failures.push(`${r.segmentKey}: ${r.reason}`);
          if (r.outcome === 'repaired') {
            repairedTotal++;
            // Enough nodes are left: the repairer rebuilds to `success`.
            expect(r.after, `${where}: segment ${r.segmentKey} repaired`).toBeGreaterThanOrEqual(PROFILE.success);
          }
        }
        check = await satellite.checkRepair();
        expect(check.lost, `${where}: segments lost at check ${pass + 1}`).toBe(0);
      }
      expect(await satellite.repair.queueLength(), `${where}: queue`).toBe(0);
      expect(await satellite.repair.lost(), `${where}: lost segments`).toEqual([]);

      const after = await segments(satellite);
      expect([...after.keys()].sort(), `${where}: the segments`).toEqual([...initial.keys()].sort());
      const histogram: Record<number, number> = {};
      for (const [key, seg] of after) {
        const n = liveCount(seg);
        histogram[n] = (histogram[n] ?? 0) + 1;
        expect(n, `${where}: segment ${key} pieces on nodes not removed`).toBeGreaterThanOrEqual(PROFILE.success);
        expect(new Set(seg.pieces.map((p) => p.nodeId)).size, `${where}: segment ${key} has two pieces on one node`).toBe(seg.pieces.length);
        // Every piece that entered the metadata in this step lives on a node that is still here.
        const had = new Set(before.get(key)!.pieces.map((p) => `${p.number}@${p.nodeId}`));
        for (const p of seg.pieces) {
          if (!had.has(`${p.number}@${p.nodeId}`)) expect(removed.has(p.nodeId), `${where}: segment ${key} piece ${p.number} was placed on a removed node`).toBe(false);
        }
      }
      expect(check.histogram, `${where}: healthy pieces per segment, satellite's count against pieces on nodes not removed`).toEqual(histogram);
      noteRoots(after, where);

      // Every object reads back byte for byte.
      for (const [key, bytes] of objects) {
        const got = Buffer.from(await collect(client.download('kept', key)));
        expect(got.length, `${where}: size of ${key}`).toBe(bytes.length);
        expect(got.equals(Buffer.from(bytes)), `${where}: bytes of ${key}`).toBe(true);
      }
    }
    // Past n - k: the target segment's every piece from the upload is on a removed node, more
    // than n - k of them, and it read back above through what repair rebuilt.
    expect([...targetHolders].filter((id) => removed.has(id))).toEqual([...targetHolders]);
    expect(targetHolders.size).toBeGreaterThan(PROFILE.total - PROFILE.minimum);
    expect(repairedTotal).toBeGreaterThan(0);
  }, 180_000);
});
