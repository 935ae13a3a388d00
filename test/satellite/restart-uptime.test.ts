// A satellite restarted over its data dir finds every node's last contact as old as its downtime:
// a repair check before the nodes are pinged again queues nearly every segment at once (53 of 56
// in a chaos run). With uptime checks scheduled, the satellite runs an uptime round as it starts,
// and the repair checker and repairer wait for it (at most min(onlineWithinMs, 60 s)); start()
// and the client API do not.
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StorageNode } from '../../src/node/index.js';
import type { CheckResult, Satellite, SatelliteConfig } from '../../src/satellite/index.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';
import { adminFetch } from './admin-fetch.js';

const ONLINE_WITHIN_MS = 60_000;
/** The restarted satellite's clock runs this far ahead: every node's last contact looks older than the online window, as after a long downtime. */
const DOWNTIME_MS = 10 * ONLINE_WITHIN_MS;
/** A registered node that accepts TCP and never answers holds the first uptime round this long. */
const DIAL_TIMEOUT_MS = 4000;
const profile = { minimum: 2, repair: 3, success: 4, total: 6 };

let dataDir: string;
let nodes: StorageNode[] = [];
let segments = 0;
let satellite: Satellite | undefined;
let stalled: Server;
const sockets = new Set<Socket>();

const later = (): number => Date.now() + DOWNTIME_MS;

function restart(overrides: Partial<SatelliteConfig>): Promise<Satellite> {
  return startSatellite({ dataDir, profile, onlineWithinMs: ONLINE_WITHIN_MS, dialTimeoutMs: DIAL_TIMEOUT_MS, ...overrides }, { now: later });
}

beforeAll(async () => {
  stalled = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  const first = await startSatellite({ profile, onlineWithinMs: ONLINE_WITHIN_MS });
  dataDir = first.config.dataDir;
  ({ nodes } = await startNodes(first, 6));
  const client = await connectClient(first, { segmentSize: 64 * 1024 });
  await client.createBucket('restart');
  for (let i = 0; i < 3; i++) await client.upload('restart', `o-${i}`, new Uint8Array(randomBytes(20_000)));
  await client.close();
  const check = await first.checkRepair();
  expect(check.queued).toBe(0);
  segments = check.segments;
  expect(segments).toBe(3);
  // A node that stalls every dial: the first uptime round after the restart lasts DIAL_TIMEOUT_MS.
  const key = await generateKeyPair('Ed25519');
  const port = (stalled.address() as AddressInfo).port;
  await first.registry.checkIn(peerIdFromPrivateKey(key).toString(), { addresses: [`/ip4/127.0.0.1/tcp/${port}`], capacity: 1e9, freeSpace: 1e9, version: 'test', wallet: '', email: '' }, true, Date.now());
  await first.stop();
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => stalled.close(r));
  await stopAll({ nodes, satellite });
});

it('queues every segment when it checks before any uptime round (uptime checks off)', async () => {
  // The premise: without a first round, the stale registry makes every piece unhealthy.
  satellite = await restart({ uptimeCheckIntervalMs: 0 });
  const check = await satellite.checkRepair();
  expect(check.segments).toBe(segments);
  expect(check.queued + check.lost).toBeGreaterThan(0);
  expect(check.queued).toBe(segments);
  await satellite.stop();
  satellite = undefined;
}, 30_000);

it('queues nothing healthy after a restart: the repair check waits for the first uptime round, start() and clients do not', async () => {
  const began = Date.now();
  satellite = await restart({ uptimeCheckIntervalMs: 3600_000 });
  // start() does not wait for the round (the stalled node holds it for DIAL_TIMEOUT_MS).
  expect(Date.now() - began).toBeLessThan(DIAL_TIMEOUT_MS);
  // The client API answers at once (a new key: a project of its own, no buckets yet).
  const client = await connectClient(satellite);
  await client.createBucket('after-restart');
  expect((await client.listBuckets()).map((b) => b.name)).toEqual(['after-restart']);
  await client.close();
  expect(Date.now() - began).toBeLessThan(DIAL_TIMEOUT_MS);
  // The admin API's check, asked at once, waits for the round, then finds every segment healthy
  // (and takes the control test's entries off the queue).
  const res = await adminFetch(satellite, '/api/repair/check', { method: 'POST' });
  expect(res.status).toBe(200);
  const check = (await res.json()) as CheckResult;
  expect(Date.now() - began).toBeGreaterThanOrEqual(DIAL_TIMEOUT_MS - 500);
  expect(check).toMatchObject({ segments, queued: 0, lost: 0 });
  expect(await satellite.repair.queueLength()).toBe(0);
  expect(await satellite.runRepair()).toEqual([]);
  // The live nodes were reached by that round, the stalled one was not.
  const reachable = [];
  for await (const rec of satellite.registry.list()) if (rec.reachable) reachable.push(rec.id);
  expect(reachable.sort()).toEqual(nodes.map((n) => n.peerId).sort());
}, 30_000);

it('does not hold repair off longer than onlineWithinMs when the first uptime round hangs', async () => {
  await satellite?.stop();
  const began = Date.now();
  // The stalled node holds the round for DIAL_TIMEOUT_MS; the wait ends at onlineWithinMs.
  satellite = await restart({ uptimeCheckIntervalMs: 3600_000, onlineWithinMs: 1500 });
  await satellite.checkRepair();
  const waited = Date.now() - began;
  expect(waited).toBeGreaterThanOrEqual(1400);
  expect(waited).toBeLessThan(DIAL_TIMEOUT_MS - 500);
}, 30_000);
