// A satellite restarted over its data dir finds every node's last contact as old as its downtime:
// a repair check before the nodes are pinged again queues nearly every segment at once (53 of 56
// in a chaos run). With uptime checks scheduled, the satellite runs an uptime round as it starts,
// and the repair checker and repairer wait for it (at most min(onlineWithinMs, 60 s)); start()
// and the client API do not. Each test restarts over a copy of the data dir as the first
// satellite left it (issue 20): a restart records what its uptime round reached, which would make
// the next one's registry fresh.
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { randomBytes } from 'node:crypto';
import { cpSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { StorageNode } from '../../src/node/index.js';
import type { CheckResult, Satellite, SatelliteConfig } from '../../src/satellite/index.js';
import { tempDir } from '../node/fixtures/dirs.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';
import { adminFetch } from './admin-fetch.js';

const ONLINE_WITHIN_MS = 60_000;
/** The restarted satellite's clock runs this far ahead: every node's last contact looks older than the online window, as after a long downtime. */
const DOWNTIME_MS = 10 * ONLINE_WITHIN_MS;
/** One address's dial-back may take this long (libp2p gives up an address at 6 s whatever it is told). */
const DIAL_TIMEOUT_MS = 5000;
/**
 * A registered node that accepts TCP on two addresses and never answers holds the first uptime
 * round this long (each address dialled in turn for DIAL_TIMEOUT_MS): long enough that a restart,
 * a client's calls and a check on a loaded machine fit well inside it.
 */
const HOLD_MS = 2 * DIAL_TIMEOUT_MS;
const profile = { minimum: 2, repair: 3, success: 4, total: 6 };

let dataDir: string;
let nodes: StorageNode[] = [];
let segments = 0;
let satellite: Satellite | undefined;
let stalled: Server[] = [];
const sockets = new Set<Socket>();

const later = (): number => Date.now() + DOWNTIME_MS;

/** A satellite over a fresh copy of the first one's data dir. */
function restart(overrides: Partial<SatelliteConfig>): Promise<Satellite> {
  const copy = tempDir();
  cpSync(dataDir, copy, { recursive: true });
  return startSatellite({ dataDir: copy, profile, onlineWithinMs: ONLINE_WITHIN_MS, dialTimeoutMs: DIAL_TIMEOUT_MS, ...overrides }, { now: later });
}

beforeAll(async () => {
  stalled = [0, 1].map(() =>
    createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    })
  );
  for (const server of stalled) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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
  // A node that stalls every dial at both its addresses: the first uptime round after the restart lasts HOLD_MS.
  const key = await generateKeyPair('Ed25519');
  const addresses = stalled.map((server) => `/ip4/127.0.0.1/tcp/${(server.address() as AddressInfo).port}`);
  await first.registry.checkIn(peerIdFromPrivateKey(key).toString(), { addresses, capacity: 1e9, freeSpace: 1e9, version: 'test', wallet: '', email: '' }, true, Date.now());
  await first.stop();
}, 60_000);

afterEach(async () => {
  await satellite?.stop();
  satellite = undefined;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const server of stalled) await new Promise((r) => server.close(r));
  await stopAll({ nodes, satellite });
});

it('queues every segment when it checks before any uptime round (uptime checks off)', async () => {
  // The premise: without a first round, the stale registry makes every piece unhealthy.
  satellite = await restart({ uptimeCheckIntervalMs: 0 });
  const check = await satellite.checkRepair();
  expect(check.segments).toBe(segments);
  expect(check.queued + check.lost).toBeGreaterThan(0);
  expect(check.queued).toBe(segments);
}, 30_000);

it('queues nothing healthy after a restart: the repair check waits for the first uptime round, start() and clients do not', async () => {
  const began = Date.now();
  satellite = await restart({ uptimeCheckIntervalMs: 3600_000 });
  // start() does not wait for the round (the stalled node holds it for HOLD_MS).
  expect(Date.now() - began).toBeLessThan(HOLD_MS);
  // The client API answers at once (a new key: a project of its own, no buckets yet).
  const client = await connectClient(satellite);
  await client.createBucket('after-restart');
  expect((await client.listBuckets()).map((b) => b.name)).toEqual(['after-restart']);
  await client.close();
  expect(Date.now() - began).toBeLessThan(HOLD_MS);
  // The admin API's check, asked at once, waits for the round, then finds every segment healthy.
  const res = await adminFetch(satellite, '/api/repair/check', { method: 'POST' });
  expect(res.status).toBe(200);
  const check = (await res.json()) as CheckResult;
  expect(Date.now() - began).toBeGreaterThanOrEqual(HOLD_MS - 500);
  expect(check).toMatchObject({ segments, queued: 0, lost: 0 });
  expect(await satellite.repair.queueLength()).toBe(0);
  expect(await satellite.runRepair()).toEqual([]);
  // The live nodes were reached by that round, the stalled one was not.
  const reachable = [];
  for await (const rec of satellite.registry.list()) if (rec.reachable) reachable.push(rec.id);
  expect(reachable.sort()).toEqual(nodes.map((n) => n.peerId).sort());
}, 30_000);

it('does not hold repair off longer than onlineWithinMs when the first uptime round hangs', async () => {
  const began = Date.now();
  // The stalled node holds the round for HOLD_MS; the wait ends at onlineWithinMs.
  satellite = await restart({ uptimeCheckIntervalMs: 3600_000, onlineWithinMs: 1500 });
  await satellite.checkRepair();
  const waited = Date.now() - began;
  expect(waited).toBeGreaterThanOrEqual(1400);
  expect(waited).toBeLessThan(HOLD_MS - 500);
}, 30_000);
