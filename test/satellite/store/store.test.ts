// The store contract on the LevelDB backend (each run on a fresh directory; reopen closes and
// opens the same directory again).
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, describe, expect, it } from 'vitest';
import { openLevelSatelliteDB } from '../../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../../node/fixtures/dirs.js';
import { describeSatelliteDB } from './contract.js';

const paths = new WeakMap<object, string>();

describeSatelliteDB('LevelDB', async (options, reopen) => {
  let path = reopen ? paths.get(reopen) : undefined;
  if (reopen) await reopen.close();
  path ??= join(tempDir(), 'db');
  const db = await openLevelSatelliteDB(path, options);
  paths.set(db, path);
  return db;
});

afterAll(() => removeTempDirs());

describe('LevelDB: usage of a database from before usage was kept', () => {
  it('is counted from the objects and uploads the first time, then kept', async () => {
    const path = join(tempDir(), 'db');
    const options = { now: () => 1_000_000, pendingTtlMs: 60_000, uptime: { windowMs: 1000, periodMs: 10_000 } };
    let db = await openLevelSatelliteDB(path, options);
    await db.metadata.createBucket('p', 'bucket');
    const o = await db.metadata.beginObject('p', 'bucket', 'old');
    await db.metadata.commitInlineSegment(o.streamId, 0, 1, new Uint8Array(40), 4096);
    await db.metadata.commitObject(o.streamId);
    const pending = await db.metadata.beginObject('p', 'bucket', 'uploading');
    await db.metadata.commitInlineSegment(pending.streamId, 0, 1, new Uint8Array(25), 4096);
    const expected = await db.metadata.usage('p');
    expect(expected).toMatchObject({ storedBytes: 65, segments: 2 });
    await db.close();
    // The records an older satellite would not have written.
    const raw = new Level<string, unknown>(path, { valueEncoding: 'json' });
    await raw.sublevel('usage').clear();
    expect(await raw.sublevel<string, unknown>('usage', { valueEncoding: 'json' }).keys().all()).toEqual([]);
    await raw.close();
    db = await openLevelSatelliteDB(path, options);
    expect(await db.metadata.usage('p')).toEqual(expected);
    // Changed from there as usual.
    await db.metadata.deleteObject('p', 'bucket', 'old');
    expect(await db.metadata.usage('p')).toMatchObject({ storedBytes: 25, segments: 1 });
    await db.close();
  });
});

describe('LevelDB: settled orders and project egress share the sublevel name "egress"', () => {
  it('reads and prunes settled orders only, never a project egress counter (a project id sorting below a settlement time)', async () => {
    const now = Date.now();
    const db = await openLevelSatelliteDB(join(tempDir(), 'db'), { now: () => now, pendingTtlMs: 60_000, uptime: { windowMs: 1000, periodMs: 10_000 } });
    const limits = { maxStoredBytes: 1e12, maxSegments: 1e6, maxEgressBytesPerMonth: 1e12, maxReplacementNodes: 10 };
    await db.metadata.addEgress('000000', 700, limits);
    expect(await db.settlements.settle({ serial: 'aa', nodeId: 'node-1', action: 'GET', amount: 100, created: now }, now + 60_000)).toBe(true);
    expect(await db.settlements.egress(0, Number.MAX_SAFE_INTEGER)).toEqual([{ nodeId: 'node-1', action: 'GET', bytes: 100, orders: 1 }]);
    expect(await db.settlements.pruneEgress(Number.MAX_SAFE_INTEGER)).toBe(1);
    expect((await db.metadata.usage('000000')).egressBytes).toBe(700);
    await db.close();
  });
});
