// Repair against a real satellite and ten real nodes: nodes are taken away one by one (five in
// all, more than n-k = 4); after each, the checker queues the segments that fell to the repair
// threshold, the repairer rebuilds their pieces on other nodes, and every object still downloads
// byte-identical. One node's pieces are corrupted on disk, so repairs meet bad pieces.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';
import { adminFetch } from './admin-fetch.js';

const ONLINE_WITHIN_MS = 4000;
// The satellite's clock is the test's: a victim ages out of the online window when the test moves
// the clock (5 victims: 20.5 s ahead at most, inside the nodes' 60 s clock-skew allowance for
// orders), never because a loaded machine was slow between an uptime round and the checker.
let clock = Date.now();
let satellite: Satellite;
let nodes: StorageNode[] = [];
const dirs: string[] = [];
let client: Stowage;
const objects = new Map<string, Uint8Array>();

beforeAll(async () => {
  satellite = await startSatellite(
    { onlineWithinMs: ONLINE_WITHIN_MS, profile: { minimum: 2, repair: 3, success: 4, total: 6 } },
    { now: () => clock, logger: pino({ level: process.env.DEBUG_REPAIR ? 'warn' : 'silent' }) }
  );
  let configs;
  ({ nodes, configs } = await startNodes(satellite, 10));
  dirs.push(...configs.map((c) => c.dataDir));
  client = await connectClient(satellite, { segmentSize: 256 * 1024 });
  await client.createBucket('kept');
  await satellite.checkUptime();
  for (const size of [1, 5000, 300 * 1024, 512 * 1024, 700 * 1024]) {
    const bytes = new Uint8Array(randomBytes(size));
    await satellite.checkUptime();
    await client.upload('kept', `o-${size}`, bytes);
    objects.set(`o-${size}`, bytes);
  }
}, 60_000);

afterAll(() => stopAll({ client, nodes, satellite }));

async function allDownload(): Promise<void> {
  await satellite.checkUptime();
  for (const [key, bytes] of objects) expect(Buffer.from(await collect(client.download('kept', key))).equals(Buffer.from(bytes))).toBe(true);
}

it('restores segments to the target count on other nodes as nodes go, past n-k in total', async () => {
  /**
   * One node that stays (5..9) gets its piece files corrupted on disk, chosen once a check has
   * queued a segment it holds a full-size piece of (smaller pieces live inline in its database):
   * repairs that download its pieces must notice and use others.
   */
  let bad: number | undefined;
  let badAtStart = new Set<string>();
  const corrupt = (i: number): void => {
    const blobs = join(dirs[i]!, 'pieces', 'blobs');
    for (const f of readdirSync(blobs, { recursive: true }).map((f) => join(blobs, String(f))).filter((f) => statSync(f).isFile())) {
      const fd = openSync(f, 'r+');
      writeSync(fd, Buffer.from(randomBytes(32)), 0, 32, 100);
      closeSync(fd);
    }
  };
  // Shares are deterministic: a rebuilt piece must have the root its number had at upload.
  const originalRoots = new Map<string, string>();
  for await (const { key, segment } of satellite.metadata.remoteSegments()) for (const p of segment.pieces) originalRoots.set(`${key}/${p.number}`, p.root);
  /** What each removed node held when it went (`key/number`): nothing may be added to it after. */
  const heldWhenRemoved = new Map<string, Set<string>>();
  const piecesOn = async (nodeId: string): Promise<Set<string>> => {
    const held = new Set<string>();
    for await (const { key, segment } of satellite.metadata.remoteSegments()) for (const p of segment.pieces) if (p.nodeId === nodeId) held.add(`${key}/${p.number}`);
    return held;
  };
  let repaired = 0;
  let queuedOnVictims = 0;
  for (let victim = 0; victim < 5; victim++) {
    heldWhenRemoved.set(nodes[victim]!.peerId, await piecesOn(nodes[victim]!.peerId));
    await nodes[victim]!.stop();
    // The victim's last contact ages out of the online window; the others are reached again.
    clock += ONLINE_WITHIN_MS + 100;
    await satellite.checkUptime();
    const check = await satellite.checkRepair();
    expect(check.lost).toBe(0);
    // The operator's question "may another node go?": queued segments with a piece on the victim.
    const onVictim = async (): Promise<number> =>
      ((await (await adminFetch(satellite, `/api/segments/health?node=${nodes[victim]!.peerId}`)).json()) as { queuedOnNode: number }).queuedOnNode;
    const before = await onVictim();
    // Counted here from the segments themselves: queued ones with a piece on the victim.
    const queuedKeys = new Set((await satellite.repair.queued()).map((q) => q.segmentKey));
    let expected = 0;
    for await (const { key, segment } of satellite.metadata.remoteSegments()) {
      if (queuedKeys.has(key) && segment.pieces.some((p) => p.nodeId === nodes[victim]!.peerId)) expected++;
    }
    expect(before).toBe(expected);
    queuedOnVictims += before;
    // "May these nodes be gone at once?" (?without=): the victims so far, recounted here from the
    // records; and with every node gone, no segment keeps a piece.
    type AtOnce = { without: number; segments: number; fewestLeft: number | null; belowMinimum: number };
    const atOnce = async (ids: string[]): Promise<AtOnce> => (await (await adminFetch(satellite, `/api/segments/health?without=${ids.join(',')}`)).json()) as AtOnce;
    const gone = nodes.slice(0, victim + 1).map((n) => n.peerId);
    let fewest = Infinity;
    let below = 0;
    let count = 0;
    for await (const { segment } of satellite.metadata.remoteSegments()) {
      count++;
      const left = new Set(segment.pieces.filter((p) => !gone.includes(p.nodeId)).map((p) => p.number)).size;
      fewest = Math.min(fewest, left);
      if (left < segment.profile.minimum) below++;
    }
    expect(await atOnce(gone)).toEqual({ without: gone.length, segments: count, fewestLeft: fewest, belowMinimum: below });
    expect(await atOnce(nodes.map((n) => n.peerId))).toEqual({ without: nodes.length, segments: count, fewestLeft: 0, belowMinimum: count });
    // A repair that downloads one of node 9's pieces records a failed audit for it; after two
    // it is distrusted and its other pieces stop counting: the next check queues their segments
    // and the next run repairs them (a few passes at most).
    if (bad === undefined) {
      const queued = new Set((await satellite.repair.queued()).map((q) => q.segmentKey));
      for await (const { key, segment } of satellite.metadata.remoteSegments()) {
        if (!queued.has(key) || segment.pieceSize < 64 * 1024) continue;
        const holder = nodes.findIndex((n, i) => i >= 5 && segment.pieces.some((p) => p.nodeId === n.peerId));
        if (holder >= 0) {
          bad = holder;
          break;
        }
      }
      if (bad !== undefined) {
        badAtStart = await piecesOn(nodes[bad]!.peerId);
        corrupt(bad);
      }
    }
    // The corrupted node checks in last: sources are the most recently reached first, so a repair
    // of a segment it holds a piece of downloads that (bad) piece first.
    if (bad !== undefined) {
      clock += 1;
      await nodes[bad]!.contact.checkInAll();
    }
    let after = check;
    for (let pass = 0; pass < 4 && (pass === 0 || after.queued > 0); pass++) {
      const results = await satellite.runRepair();
      // A repair may place fewer pieces than it wanted when a target is slow to take its piece
      // (seen once with the whole suite running beside it): it stays queued and the next pass
      // finishes it. Any other failure is a bug.
      expect(results.filter((r) => r.outcome === 'failed' && !/healthy pieces after repair/.test(r.reason ?? ''))).toEqual([]);
      repaired += results.filter((r) => r.outcome === 'repaired').length;
      after = await satellite.checkRepair();
      expect(after.lost).toBe(0);
    }
    // Every segment is back above the threshold; nothing is left queued.
    expect(Object.keys(after.histogram).map(Number).every((healthy) => healthy > 3)).toBe(true);
    expect(await satellite.repair.queueLength()).toBe(0);
    expect(await onVictim()).toBe(0);
    // No repair so far placed a piece on a node already removed.
    for (const [nodeId, held] of heldWhenRemoved) for (const piece of await piecesOn(nodeId)) expect(held.has(piece), `${piece} on removed node ${nodeId}`).toBe(true);
    await allDownload();
  }
  expect(repaired).toBeGreaterThan(0);
  expect(queuedOnVictims).toBeGreaterThan(0);
  // No repaired piece sits on a node that was taken away.
  const gone = new Set(nodes.slice(0, 5).map((n) => n.peerId));
  let compared = 0;
  for await (const { key, segment } of satellite.metadata.remoteSegments()) {
    for (const p of segment.pieces) {
      const original = originalRoots.get(`${key}/${p.number}`);
      if (original !== undefined) {
        expect(p.root).toBe(original);
        compared++;
      }
    }
    const live = segment.pieces.filter((p) => !gone.has(p.nodeId));
    expect(live.length).toBeGreaterThanOrEqual(4);
    expect(new Set(segment.pieces.map((p) => p.nodeId)).size).toBe(segment.pieces.length);
  }
  expect(compared).toBeGreaterThan(originalRoots.size / 2);
  // Repairs met the corrupted node's bad pieces: each one a repair downloaded failed its root
  // check and was dropped from its segment (and reported as an audit suspect).
  expect(bad, 'a queued segment with a full-size piece on a node that stays').toBeDefined();
  const badNow = await piecesOn(nodes[bad!]!.peerId);
  console.log(`node ${bad} (corrupted): ${badAtStart.size} pieces when corrupted, ${badNow.size} left after repair dropped the bad ones it met`);
  expect(badNow.size).toBeLessThan(badAtStart.size);
  for (const piece of badNow) expect(badAtStart.has(piece)).toBe(true);
  const health = (await (await adminFetch(satellite, '/api/segments/health')).json()) as { histogram: Record<string, number>; queue: unknown[]; lostSegments: string[] };
  expect(health.queue).toEqual([]);
  expect(health.lostSegments).toEqual([]);
  const metrics = await (await fetch(`${satellite.adminUrl}/metrics`)).text();
  expect(metrics).toMatch(new RegExp(`stowage_satellite_repairs_total\\{outcome="repaired"\\} ${repaired}`));
}, 120_000);
