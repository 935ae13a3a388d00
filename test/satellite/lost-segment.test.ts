// A segment with fewer than k pieces left on reachable nodes is recorded lost (README, Repair):
// the check counts it, the admin API names it, and the repairer repairs nothing (nothing to
// rebuild from). Real satellite and nodes, the satellite on the test's clock so "unreachable" is
// the clock's doing, not timing.
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { adminFetch } from './admin-fetch.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';

const ONLINE_WITHIN_MS = 4000;
let clock = Date.now();
let satellite: Satellite;
let nodes: StorageNode[] = [];
let client: Stowage;

beforeAll(async () => {
  satellite = await startSatellite(
    { onlineWithinMs: ONLINE_WITHIN_MS, profile: { minimum: 2, repair: 3, success: 4, total: 4 } },
    { now: () => clock, logger: pino({ level: 'silent' }) }
  );
  ({ nodes } = await startNodes(satellite, 4));
  client = await connectClient(satellite);
  await client.createBucket('fragile');
  await satellite.checkUptime();
  await client.upload('fragile', 'one', new Uint8Array(randomBytes(50_000)));
}, 60_000);

afterAll(() => stopAll({ client, nodes, satellite }));

it('records a segment lost when fewer than k of its nodes are within reach', async () => {
  const health = async () => (await (await adminFetch(satellite, '/api/segments/health')).json()) as { lostSegments: string[] };
  expect((await satellite.checkRepair()).lost).toBe(0);
  // Three of its four nodes out of reach: 1 piece left, k = 2.
  clock += ONLINE_WITHIN_MS + 100;
  await satellite.checkUptime();
  for (const n of nodes.slice(0, 3)) await n.stop();
  clock += ONLINE_WITHIN_MS + 100;
  await satellite.checkUptime();
  const check = await satellite.checkRepair();
  expect(check.lost).toBe(1);
  const [segment] = (await health()).lostSegments;
  expect(segment).toBeDefined();
  // Nothing to rebuild it from: the repairer takes nothing for it.
  const results = await satellite.runRepair();
  expect(results.filter((r) => r.outcome === 'repaired')).toEqual([]);
  expect((await health()).lostSegments).toEqual([segment]);
}, 60_000);
