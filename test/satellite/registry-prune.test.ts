// Registry pruning (hostile review F10): a real satellite on its own LevelDB, with the test's
// clock. Records no check-in or uptime check has reached for pruneUnreachedAfterMs, holding no
// piece, are deleted with their uptime windows and reputation; nodes seen recently, holding
// committed pieces or pieces of an upload in progress, disqualified or distrusted stay. One log
// line per round with the counts.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterAll, expect, it } from 'vitest';
import type { CheckInInfo } from '../../src/protocol/index.js';
import { derivePieceId, SATELLITE_DEFAULTS, type PendingSegment, type Satellite } from '../../src/satellite/index.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { startSatellite } from './fixtures.js';

const DAY = 24 * 60 * 60 * 1000;
const satellites: Satellite[] = [];

afterAll(async () => {
  await Promise.all(satellites.map((s) => s.stop()));
  removeTempDirs();
});

const info: CheckInInfo = { addresses: ['/ip4/198.51.100.7/tcp/1'], capacity: 1e12, freeSpace: 1e12, version: '0.1.0', wallet: '0xabc', email: 'op@example.com' };
const reached = { address: '/ip4/198.51.100.7/tcp/1', subnet: '198.51.100.0/24' };

/** A log that keeps its lines. */
function capture(): { lines: Record<string, unknown>[]; logger: Logger } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    }
  });
  return { lines, logger: pino({ level: 'info' }, sink) };
}

/** A one-node segment plan on `nodeId`. */
function plan(nodeId: string, seed: number): PendingSegment {
  return { rootPieceId: Buffer.alloc(32, seed).toString('hex'), pieceSize: 1000, profile: { minimum: 1, repair: 1, success: 1, total: 1 }, nodes: [{ nodeId, number: 0 }] };
}

it('forgets nodes unreached past the threshold that hold nothing; keeps recent, piece-holding, uploading, disqualified and distrusted ones', async () => {
  const t0 = 1_800_000_000_000;
  let clock = t0;
  const { lines, logger } = capture();
  const satellite = await startSatellite({ pruneUnreachedAfterMs: 7 * DAY }, { now: () => clock, logger });
  satellites.push(satellite);
  expect(SATELLITE_DEFAULTS.pruneUnreachedAfterMs).toBe(7 * DAY);
  const reg = satellite.registry;

  for (const id of ['gone', 'holding', 'uploading', 'disqualified', 'distrusted', 'recent']) await reg.checkIn(id, info, true, t0, reached);
  // Recorded once, never reached (a known node's failed dial-back): counted from its first contact.
  await reg.checkIn('never-reached', info, false, t0);
  // Reached exactly at the threshold: not past it.
  await reg.checkIn('edge', info, true, t0 + 60_000, reached);
  // Uptime windows and a reputation, deleted with the record.
  await reg.recordCheck('gone', false, t0 + DAY);
  await satellite.reputation.record('gone', 'success', t0);
  // A committed piece on 'holding', a piece of an upload in progress on 'uploading'.
  await satellite.metadata.createBucket('p', 'bucket');
  const o = await satellite.metadata.beginObject('p', 'bucket', 'kept');
  const held = plan('holding', 1);
  await satellite.metadata.beginSegment(o.streamId, 0, held);
  await satellite.metadata.commitSegment(o.streamId, 0, 10, [{ nodeId: 'holding', pieceId: derivePieceId(Buffer.alloc(32, 1), 'holding', 0), size: 1000, root: new Uint8Array(32).fill(1) }]);
  await satellite.metadata.commitObject(o.streamId);
  const pending = await satellite.metadata.beginObject('p', 'bucket', 'uploading');
  await satellite.metadata.beginSegment(pending.streamId, 0, plan('uploading', 2));
  await reg.update('disqualified', (r) => ({ ...r, flags: { ...r.flags, disqualified: t0 } }));
  // Two failed audits: recent failures not yet outweighed.
  await satellite.reputation.record('distrusted', 'failure', t0);
  await satellite.reputation.record('distrusted', 'failure', t0);
  expect((await satellite.reputation.get('distrusted')).beta).toBeGreaterThanOrEqual(1.5);
  // Seen by an uptime check a day before the round.
  await reg.recordCheck('recent', true, t0 + 6 * DAY);

  // Nothing is due yet.
  clock = t0 + 6 * DAY;
  expect(await satellite.pruneRegistry()).toEqual({ nodes: 8, unreached: 0, kept: 0, pruned: 0 });

  expect((await reg.candidates()).map((n) => n.id)).toContain('gone');
  clock = t0 + 60_000 + 7 * DAY;
  expect(await satellite.pruneRegistry()).toEqual({ nodes: 8, unreached: 5, kept: 3, pruned: 2 });
  for (const id of ['gone', 'never-reached']) expect(await reg.get(id), id).toBeUndefined();
  for (const id of ['holding', 'uploading', 'disqualified', 'distrusted', 'recent', 'edge']) expect(await reg.get(id), id).toBeDefined();
  // Selection's cache forgets it at once; its windows and reputation are gone with it.
  expect((await reg.candidates()).map((n) => n.id)).not.toContain('gone');
  expect(await reg.onlineScore('gone', clock)).toBe(1);
  expect((await satellite.reputation.get('gone')).successes).toBe(0);
  expect(await satellite.reputation.describe('gone', clock)).toBeUndefined();

  // A day on, 'edge' is past the threshold too; a second round finds nothing else.
  clock += DAY;
  expect(await satellite.pruneRegistry()).toMatchObject({ nodes: 6, pruned: 1 });
  expect(await reg.get('edge')).toBeUndefined();
  expect(await satellite.pruneRegistry()).toMatchObject({ nodes: 5, unreached: 3, kept: 3, pruned: 0 });

  const rounds = lines.filter((l) => l.msg === 'registry pruned');
  expect(rounds.map((l) => l.pruned)).toEqual([0, 2, 1, 0]);
  expect(rounds[1]).toMatchObject({ nodes: 8, unreached: 5, kept: 3, pruned: 2, afterMs: 7 * DAY });
});

it('prunes nothing with pruneUnreachedAfterMs 0', async () => {
  let clock = 1_800_000_000_000;
  const satellite = await startSatellite({ pruneUnreachedAfterMs: 0 }, { now: () => clock });
  satellites.push(satellite);
  await satellite.registry.checkIn('old', info, true, clock, reached);
  clock += 365 * DAY;
  expect(await satellite.pruneRegistry()).toEqual({ nodes: 0, unreached: 0, kept: 0, pruned: 0 });
  expect(await satellite.registry.get('old')).toBeDefined();
});
