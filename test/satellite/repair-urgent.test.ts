// Urgent repair workers: `repair.urgentConcurrency` extra workers take only segments close to loss
// (k to k + urgentMargin healthy pieces), so those are repaired with more parallelism while
// ordinary ones keep the `repair.concurrency` bound. The decision is a plain function (mayTake);
// one run against a real satellite and nodes counts the repairs in flight.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { SATELLITE_DEFAULTS, type Satellite } from '../../src/satellite/index.js';
import { loadSatelliteConfig } from '../../src/satellite/load-config.js';
import { REPAIR_DEFAULTS } from '../../src/satellite/repair/config.js';
import type { QueuedSegment } from '../../src/satellite/repair/db.js';
import { Repairer, mayTake, type RepairResult } from '../../src/satellite/repair/repairer.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { until } from '../node/fixtures/until.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';

afterAll(() => removeTempDirs());

describe('mayTake', () => {
  it('has defaults of 2 urgent workers for segments at most 1 piece above k', () => {
    expect(REPAIR_DEFAULTS.urgentConcurrency).toBe(2);
    expect(REPAIR_DEFAULTS.urgentMargin).toBe(1);
    expect(REPAIR_DEFAULTS.concurrency).toBe(2);
  });

  it('takes both settings from the config file, the other repair settings kept', () => {
    const file = join(tempDir(), 'satellite.json');
    writeFileSync(file, JSON.stringify({ repair: { urgentConcurrency: 4, urgentMargin: 3 } }));
    const config = loadSatelliteConfig(['--config', file], {});
    expect(config.repair).toEqual({ ...REPAIR_DEFAULTS, urgentConcurrency: 4, urgentMargin: 3 });
    expect(loadSatelliteConfig([], {}).repair).toEqual(REPAIR_DEFAULTS);
  });

  it('refuses repair settings it would otherwise floor or ignore, naming the setting', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ urgentConcurrency: '4' }, /repair\.urgentConcurrency must be a non-negative number, got "4"/],
      [{ urgentConcurrency: -1 }, /repair\.urgentConcurrency must be a non-negative number/],
      [{ concurrency: 0.5 }, /repair\.concurrency must be a whole number, got 0\.5/],
      [{ concurrency: 0 }, /repair\.concurrency must be at least 1/],
      [{ urgentMargin: 1.5 }, /repair\.urgentMargin must be a whole number/],
      [{ pieceTimeoutMs: 0 }, /repair\.pieceTimeoutMs must be more than 0/],
      [{ backoffMs: null }, /repair\.backoffMs must be a non-negative number, got null/]
    ];
    for (const [repair, message] of bad) {
      const file = join(tempDir(), 'satellite.json');
      writeFileSync(file, JSON.stringify({ repair }));
      expect(() => loadSatelliteConfig(['--config', file], {})).toThrow(message);
    }
    // Zero urgent workers is a setting (off), not an error.
    const off = join(tempDir(), 'satellite.json');
    writeFileSync(off, JSON.stringify({ repair: { urgentConcurrency: 0 } }));
    expect(loadSatelliteConfig(['--config', off], {}).repair.urgentConcurrency).toBe(0);
  });

  it('lets an ordinary worker take any segment', () => {
    for (const healthy of [0, 1, 4, 5, 6, 35]) expect(mayTake('ordinary', healthy, 4, 1)).toBe(true);
  });

  it('lets an urgent worker take only segments with k to k + margin healthy pieces', () => {
    // k = 4, margin 1: 4 and 5 are close to loss; 6 (the repair threshold of 4/6/9/12) is not.
    expect([3, 4, 5, 6, 7].map((h) => mayTake('urgent', h, 4, 1))).toEqual([false, true, true, false, false]);
    // 29/35/80/110 with a margin of 2: 29 to 31.
    expect([28, 29, 31, 32, 35].map((h) => mayTake('urgent', h, 29, 2))).toEqual([false, true, true, false, false]);
    // Margin 0: exactly k.
    expect([1, 2, 3].map((h) => mayTake('urgent', h, 2, 0))).toEqual([false, true, false]);
  });

  it('never lets an urgent worker take a segment below k (lost as far as the checker knows)', () => {
    for (const margin of [0, 1, 5]) for (const healthy of [0, 1, 3]) expect(mayTake('urgent', healthy, 4, margin)).toBe(false);
  });
});

describe('a repair run with concurrency 1 and 2 urgent workers', () => {
  // k = 2, repair threshold 4: 2 and 3 healthy pieces are close to loss (margin 1), 4 is not.
  const profile = { minimum: 2, repair: 4, success: 5, total: 6 };
  let satellite: Satellite;
  let nodes: StorageNode[] = [];
  let client: Stowage | undefined;

  // Each test damages and repairs segments of its own network (issue 20): six healthy objects of
  // one segment each, on twelve nodes.
  beforeEach(async () => {
    satellite = await startSatellite({
      profile,
      repair: { ...SATELLITE_DEFAULTS.repair, checkIntervalMs: 0, repairIntervalMs: 0, pieceTimeoutMs: 5000, concurrency: 1, urgentConcurrency: 2, urgentMargin: 1 }
    });
    ({ nodes } = await startNodes(satellite, 12));
    client = await connectClient(satellite, { segmentSize: 64 * 1024 });
    await client.createBucket('urgent');
    for (let i = 0; i < 6; i++) await client.upload('urgent', `o-${i}`, new Uint8Array(randomBytes(20_000)));
  }, 60_000);

  afterEach(async () => {
    await stopAll({ client, nodes, satellite });
    client = undefined;
    nodes = [];
  });

  it('repairs the three segments close to loss at once, and ordinary ones one at a time', async () => {
    // Exact healthy counts: pieces dropped from the metadata (their nodes keep stray copies).
    const near = new Set<string>();
    const ordinary = new Set<string>();
    const targets = [2, 3, 3, 4, 4, 4];
    const segments: { key: string }[] = [];
    for await (const { key } of satellite.metadata.remoteSegments()) segments.push({ key });
    expect(segments).toHaveLength(6);
    for (const [i, { key }] of segments.entries()) {
      const seg = (await satellite.metadata.segmentByKey(key))!;
      const keep = targets[i]!;
      await satellite.metadata.removePieces(key, seg, seg.pieces.slice(keep).map((p) => p.number));
      (keep <= profile.minimum + 1 ? near : ordinary).add(key);
    }

    const check = await satellite.checkRepair();
    expect(check.queued).toBe(6);
    expect(check.lost).toBe(0);
    // The queue records each segment's k for the urgent workers.
    expect((await satellite.repair.queued()).map((q) => q.minimum)).toEqual([2, 2, 2, 2, 2, 2]);

    const inFlight = { near: 0, ordinary: 0 };
    const peak = { near: 0, ordinary: 0 };
    const started: string[] = [];
    type RepairOne = (qk: string, q: QueuedSegment) => Promise<RepairResult>;
    const proto = Repairer.prototype as unknown as { repairOne: RepairOne };
    const original = proto.repairOne;
    const spy = vi.spyOn(proto, 'repairOne').mockImplementation(async function (this: Repairer, qk, q) {
      const kind = near.has(q.segmentKey) ? 'near' : 'ordinary';
      started.push(q.segmentKey);
      inFlight[kind]++;
      peak[kind] = Math.max(peak[kind], inFlight[kind]);
      try {
        // Held until as many as could be in flight are (or a while): one repair after another
        // would otherwise be indistinguishable from parallel ones that happened not to overlap.
        // The near ones wait up to 30 s for the third (a loaded machine starts workers late).
        const want = kind === 'near' ? 3 : 2;
        for (let t = 0; t < (kind === 'near' ? 600 : 10) && inFlight[kind] < want; t++) await new Promise((r) => setTimeout(r, 50));
        return await original.call(this, qk, q);
      } finally {
        inFlight[kind]--;
      }
    });
    try {
      const results = await satellite.runRepair();
      expect(results.map((r) => r.outcome)).toEqual(['repaired', 'repaired', 'repaired', 'repaired', 'repaired', 'repaired']);
      // The closest first: the three near-k segments are taken before any ordinary one. (Taken, not
      // finished: the ordinary worker may finish its near one first and then an ordinary one before
      // an urgent worker's repair ends on a loaded machine.)
      expect(started).toHaveLength(6);
      expect(started.slice(0, 3).every((k) => near.has(k))).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(peak).toEqual({ near: 3, ordinary: 1 });
    expect(await satellite.repair.queueLength()).toBe(0);
  }, 60_000);

  it('gives a segment that comes close to loss mid-run to an urgent worker while an ordinary repair is still going', async () => {
    const keys: string[] = [];
    for await (const { key } of satellite.metadata.remoteSegments()) keys.push(key);
    const [slow, later] = keys as [string, string];
    // One ordinary segment queued; the other healthy for now.
    const slowSeg = (await satellite.metadata.segmentByKey(slow))!;
    await satellite.metadata.removePieces(slow, slowSeg, slowSeg.pieces.slice(4).map((p) => p.number));
    expect((await satellite.checkRepair()).queued).toBe(1);

    type RepairOne = (qk: string, q: QueuedSegment) => Promise<RepairResult>;
    const proto = Repairer.prototype as unknown as { repairOne: RepairOne };
    const original = proto.repairOne;
    const started: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const spy = vi.spyOn(proto, 'repairOne').mockImplementation(async function (this: Repairer, qk, q) {
      started.push(q.segmentKey);
      // The ordinary repair is held until the test lets it go.
      if (q.segmentKey === slow) await held;
      return original.call(this, qk, q);
    });
    try {
      const run = satellite.runRepair();
      await until(() => started.includes(slow), 'the ordinary repair started');
      expect(started).toEqual([slow]);
      // Mid-run, the other segment falls to k and is queued.
      const laterSeg = (await satellite.metadata.segmentByKey(later))!;
      await satellite.metadata.removePieces(later, laterSeg, laterSeg.pieces.slice(profile.minimum).map((p) => p.number));
      expect((await satellite.checkRepair()).queued).toBeGreaterThanOrEqual(1);
      // An urgent worker (looking again every second) takes it; the ordinary one is still held.
      await until(() => started.includes(later), 'the segment close to loss taken by an urgent worker');
      expect(started).toEqual([slow, later]);
      release();
      const results = await run;
      expect(results.filter((r) => r.outcome === 'repaired').map((r) => r.segmentKey).sort()).toEqual([slow, later].sort());
    } finally {
      release();
      spy.mockRestore();
    }
    expect(await satellite.repair.queueLength()).toBe(0);
  }, 60_000);
});
