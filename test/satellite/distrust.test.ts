// A node that keeps zeros instead of its pieces, against a real satellite and real nodes: after two
// failed audits (long before the ~41 that disqualify it) its pieces stop counting as healthy, it is
// audited several times a round, and repair moves its pieces to other nodes while it is still
// qualified; every object still downloads byte-identical.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { hasRecentFailures, type Satellite } from '../../src/satellite/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';

const ONLINE_WITHIN_MS = 60_000;
let satellite: Satellite;
let nodes: StorageNode[] = [];
let dirs: string[] = [];
let client: Stowage;
const objects = new Map<string, Uint8Array>();

beforeAll(async () => {
  satellite = await startSatellite({
    onlineWithinMs: ONLINE_WITHIN_MS,
    profile: { minimum: 2, repair: 5, success: 6, total: 6 },
    audit: { leaves: 8, timeoutMs: 5000, maxReverifies: 2, reservoirSize: 3, concurrency: 4, auditsAfterFailure: 3 }
  });
  let configs;
  ({ nodes, configs } = await startNodes(satellite, 8));
  dirs = configs.map((c) => c.dataDir);
  client = await connectClient(satellite, { segmentSize: 128 * 1024 });
  await client.createBucket('kept');
  await satellite.checkUptime();
  // Whole 128 KiB segments: every piece is a file (64 KiB and up), so every piece can be zeroed.
  for (const size of [256 * 1024, 384 * 1024, 512 * 1024]) {
    const bytes = new Uint8Array(randomBytes(size));
    await client.upload('kept', `o-${size}`, bytes);
    objects.set(`o-${size}`, bytes);
  }
}, 60_000);

afterAll(() => stopAll({ client, nodes, satellite }));

it('stops counting a failing node\u2019s pieces as healthy, audits it faster, and repairs away from it before it is disqualified', async () => {
  // The node holding the most pieces zeroes them all (piece files; these pieces are all files).
  const counts = new Map<string, number>();
  for await (const { segment } of satellite.metadata.remoteSegments()) for (const p of segment.pieces) counts.set(p.nodeId, (counts.get(p.nodeId) ?? 0) + 1);
  const victim = nodes.findIndex((n) => n.peerId === [...counts].sort((a, b) => b[1] - a[1])[0]![0]);
  const bad = nodes[victim]!.peerId;
  const blobs = join(dirs[victim]!, 'pieces', 'blobs');
  let zeroed = 0;
  for (const f of readdirSync(blobs, { recursive: true }).map((f) => join(blobs, String(f))).filter((f) => statSync(f).isFile())) {
    const fd = openSync(f, 'r+');
    writeSync(fd, new Uint8Array(statSync(f).size), 0, statSync(f).size, 0);
    closeSync(fd);
    zeroed++;
  }
  expect(zeroed).toBe(counts.get(bad));
  const before = await satellite.checkRepair();
  expect(before.queued).toBe(0);

  // Round 1: one fresh audit (it fails). Round 2: still one: a single failure is not enough.
  const r1 = (await satellite.audits.runRound()).filter((r) => r.nodeId === bad);
  expect(r1.map((r) => r.outcome)).toEqual(['failure']);
  const r2 = (await satellite.audits.runRound()).filter((r) => r.nodeId === bad);
  expect(r2.map((r) => r.outcome)).toEqual(['failure']);
  expect(hasRecentFailures(await satellite.reputation.get(bad))).toBe(true);
  // From now on: three fresh audits a round, all failing; still not disqualified.
  const r3 = (await satellite.audits.runRound()).filter((r) => r.nodeId === bad);
  expect(r3.map((r) => r.outcome)).toEqual(['failure', 'failure', 'failure']);
  expect((await satellite.reputation.describe(bad, Date.now()))?.disqualified).toBeNull();

  // Its pieces no longer count: every segment it holds is queued and repaired elsewhere.
  const check = await satellite.checkRepair();
  expect(check.queued).toBe(counts.get(bad));
  const results = await satellite.runRepair();
  expect(results.filter((r) => r.outcome === 'repaired')).toHaveLength(counts.get(bad)!);
  for await (const { segment } of satellite.metadata.remoteSegments()) expect(segment.pieces.map((p) => p.nodeId)).not.toContain(bad);
  // Honest nodes keep their trust.
  for (const n of nodes) if (n.peerId !== bad) expect(hasRecentFailures(await satellite.reputation.get(n.peerId))).toBe(false);
  for (const [key, bytes] of objects) expect(Buffer.from(await collect(client.download('kept', key))).equals(Buffer.from(bytes))).toBe(true);
}, 120_000);
