// Check-in retries (issue 20): the README says "failed check-ins are retried after 1, 4 and 16 s".
// A real node (in this process, its log lines captured) names a satellite by a fixed loopback
// port where nothing listens yet; the satellite (a real one, its identity made beforehand in its
// data directory) is started on that port only after the node's first check-in failed. The node
// must retry on that schedule and end up in the satellite's registry. A second test leaves the
// satellite away: exactly one check-in and three retries, spaced 1, 4 and 16 s, then no more.
// (A satellite answering SATELLITE_BUSY and the retry after it are in
// test/adversarial/uptime-stall.test.ts.) Timing is asserted by lower bounds the schedule implies
// (a retry can come late on a loaded machine, never early) and upper bounds that only tell the
// delays apart.
import { createServer } from 'node:net';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadOrCreateIdentity } from '../../src/common/index.js';
import { NODE_DEFAULTS, StorageNode } from '../../src/node/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { startSatellite } from '../satellite/fixtures.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';
import { until } from './fixtures/until.js';

const DELAYS_MS = [1_000, 4_000, 16_000];
/** Date.now() and the timers' monotonic clock may disagree by a millisecond or two. */
const CLOCK_SLACK_MS = 50;

interface Line {
  time: number;
  msg: string;
  code?: string;
  satellite?: string;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  removeTempDirs();
});

/** A loopback port nothing listens on (taken from the kernel, then let go). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A satellite's data directory holding its identity, and its peer id: nodes can name it before it runs. */
async function satelliteIdentity(): Promise<{ dataDir: string; id: string }> {
  const dataDir = tempDir('stowage-retry-sat-');
  return { dataDir, id: peerIdFromPrivateKey(await loadOrCreateIdentity(dataDir)).toString() };
}

/** A node (no periodic check-ins: only the one at start and its retries) whose log lines land in `lines`. */
async function startLoggedNode(satelliteId: string, port: number): Promise<{ node: StorageNode; lines: Line[] }> {
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Line) });
  const node = await StorageNode.start(
    {
      ...NODE_DEFAULTS,
      dataDir: tempDir('stowage-retry-node-'),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      capacity: 1e9,
      dashboard: '',
      historyIntervalMs: 0,
      checkInIntervalMs: 0,
      satellites: [{ peerId: satelliteId, address: `/ip4/127.0.0.1/tcp/${port}` }]
    },
    { logger }
  );
  cleanups.push(() => node.stop());
  return { node, lines };
}

const failures = (lines: Line[]): Line[] => lines.filter((l) => l.msg === 'check-in failed');
const checkedIn = (lines: Line[]): Line[] => lines.filter((l) => l.msg === 'checked in');
const gapsOf = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

describe('check-in retries', () => {
  it('a node whose first check-in finds no satellite retries after 1 s and 4 s (16 s) and is checked in once the satellite listens there', async () => {
    const sat = await satelliteIdentity();
    const port = await freePort();
    const { node, lines } = await startLoggedNode(sat.id, port);
    // The check-in at start and the retry 1 s later both find nothing listening.
    await until(() => failures(lines).length >= 2, 'the check-in at start and the first retry failed');
    const satellite: Satellite = await startSatellite({ dataDir: sat.dataDir, listen: [`/ip4/127.0.0.1/tcp/${port}`] });
    cleanups.push(() => satellite.stop());
    expect(satellite.id).toBe(sat.id);
    // The retry 4 s after the second failure finds it, or on a slow machine the third retry (1 + 4 + 16 s after the first try) finds it.
    await until(() => checkedIn(lines).length === 1, 'a retry checked in', 60_000);

    const failed = failures(lines);
    // The satellite came after the second failure: two or three failed tries (the one at start
    // and the retries before the satellite listened), all refused connections, then the success.
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.length).toBeLessThanOrEqual(3);
    expect(new Set(failed.map((l) => `${l.satellite} ${l.code}`))).toEqual(new Set([`${sat.id} ECONNREFUSED`]));
    // Each try came no earlier than its delay after the one before (the check-in ends with its log line).
    const attempts = [...failed.map((l) => l.time), checkedIn(lines)[0]!.time];
    const gaps = gapsOf(attempts);
    expect(gaps.length).toBe(failed.length);
    expect(gaps.map((g, i) => g >= DELAYS_MS[i]! - CLOCK_SLACK_MS)).toEqual(gaps.map(() => true));
    // A failure's next try came before the delay after it would have (1 s, not 4; 4 s, not 16).
    const failedGaps = gapsOf(failed.map((l) => l.time));
    expect(failedGaps.map((g, i) => g < DELAYS_MS[i + 1]!)).toEqual(failedGaps.map(() => true));

    // The satellite has the node, reached by its dial-back; the node keeps the answer.
    const rec = await satellite.registry.get(node.peerId);
    expect(rec?.reachable).toBe(true);
    expect(node.contact.last.get(sat.id)?.reachable).toBe(true);
    expect(node.contact.last.get(sat.id)?.error).toBeUndefined();
    // No retry after the success.
    const before = lines.length;
    await new Promise((r) => setTimeout(r, 2000));
    expect(failures(lines).length).toBe(failed.length);
    expect(checkedIn(lines).length).toBe(1);
    expect(lines.slice(before).filter((l) => l.msg.includes('check')).length).toBe(0);
  }, 90_000);

  it('with no satellite at all: one check-in and exactly three retries, after 1, 4 and 16 s, then no more', async () => {
    const sat = await satelliteIdentity();
    const port = await freePort();
    const { node, lines } = await startLoggedNode(sat.id, port);
    await until(() => failures(lines).length >= 4, 'four check-ins failed', 90_000);
    const lastTry = failures(lines)[3]!.time;
    // A fourth retry on a 64 s schedule would not be seen here; one sooner than 10 s would.
    await until(() => Date.now() - lastTry >= 10_000, '10 s after the last retry', 60_000);

    const failed = failures(lines);
    expect(failed.length).toBe(4);
    expect(checkedIn(lines).length).toBe(0);
    expect(failed.map((l) => l.code)).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
    const gaps = gapsOf(failed.map((l) => l.time));
    expect(gaps.length).toBe(3);
    // No earlier than the schedule, and each told apart from the next delay (a retry late by
    // seconds on a loaded machine still passes).
    expect(gaps.map((g, i) => g >= DELAYS_MS[i]! - CLOCK_SLACK_MS)).toEqual([true, true, true]);
    expect(gaps[0]).toBeLessThan(4_000);
    expect(gaps[1]).toBeLessThan(16_000);
    expect(gaps[2]).toBeLessThan(30_000);
    expect(node.contact.last.get(sat.id)?.error?.code).toBe('ECONNREFUSED');
  }, 120_000);
});
