// Deleting objects asks their nodes to delete the pieces in the background. A client deleting
// thousands at once used to start all of them together: every piece's DELETE order signed and its
// node dialled at once, which filled libp2p's dial queue ("Dial queue is full") so audits, repair
// and uptime checks failed meanwhile (hostile review 11). Now BACKGROUND_DELETES.running objects
// are worked on at a time, the rest wait in a bounded queue, and every piece still goes.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { BACKGROUND_DELETES } from '../../src/satellite/metainfo/index.js';
import { connectClient, startNodes, startSatellite, stopAll } from '../satellite/fixtures.js';
import { until } from '../node/fixtures/until.js';

const OBJECTS = 30;
let satellite: Satellite;
let nodes: StorageNode[] = [];
let client: Stowage;

beforeAll(async () => {
  satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 4, total: 4 } });
  ({ nodes } = await startNodes(satellite, 4));
  client = await connectClient(satellite, { segmentSize: 64 * 1024 });
  await client.createBucket('many');
}, 60_000);

afterAll(() => stopAll({ client, nodes, satellite }));

it(`${OBJECTS} objects deleted at once: at most ${BACKGROUND_DELETES.running} are deleted from nodes at a time, and every piece goes`, async () => {
  const before = nodes.reduce((n, node) => n + node.store.usedSpace(), 0);
  for (let i = 0; i < OBJECTS; i++) await client.upload('many', `o-${i}`, new Uint8Array(randomBytes(20_000)));
  expect(nodes.reduce((n, node) => n + node.store.usedSpace(), 0)).toBeGreaterThan(before);
  let most = 0;
  const sampler = setInterval(() => (most = Math.max(most, satellite.metainfo.deletesInFlight)), 1);
  try {
    await Promise.all(Array.from({ length: OBJECTS }, (_, i) => client.delete('many', `o-${i}`)));
    await until(() => satellite.metainfo.pendingDeletes.size === 0, 'every background delete done', 30_000);
  } finally {
    clearInterval(sampler);
  }
  console.log(`${OBJECTS} deletes: at most ${most} objects' node deletes at once`);
  expect(most).toBeGreaterThan(0);
  expect(most).toBeLessThanOrEqual(BACKGROUND_DELETES.running);
  expect(satellite.metainfo.deletesInFlight).toBe(0);
  expect(satellite.metainfo.deletesLeftToGc).toBe(0);
  // Every piece left the nodes (deleted, not trashed: used space is back where it was).
  await until(() => nodes.reduce((n, node) => n + node.store.usedSpace(), 0) === before, 'every piece deleted from the nodes', 10_000);
}, 90_000);
