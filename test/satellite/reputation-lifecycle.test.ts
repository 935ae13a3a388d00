// A node's suspension, from start to end, against a real satellite (on the test's clock: no real
// time windows) and three real nodes: a node offline in uptime checks falls below the online
// threshold (0.6) and is suspended at the next audit round; back online it stays suspended (and
// gets no new pieces) until its online score is back at 0.6, either because enough checks
// succeeded or because its failed checks left the scoring period; then it is lifted and gets new
// pieces again. With `disqualifyAfterGrace`, a node still suspended `suspensionGraceMs` after its
// suspension began is disqualified, to the millisecond; without it, it is not; a node lifted
// before the grace ends is not, and a later suspension starts a grace of its own.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { NodeConfig, StorageNode } from '../../src/node/index.js';
import { REPUTATION_DEFAULTS, type Satellite, type SatelliteConfig } from '../../src/satellite/index.js';
import { connectClient, startNode, startNodes, startSatellite, stopAll } from './fixtures.js';

/** The README's 7 days. */
const GRACE_MS = 7 * 24 * 60 * 60 * 1000;

interface Network {
  satellite: Satellite;
  nodes: StorageNode[];
  configs: NodeConfig[];
  client?: Stowage;
  /** The satellite's clock: stands still unless the test moves it. */
  clock: { t: number };
}

let running: Network | undefined;

afterEach(async () => {
  const n = running;
  running = undefined;
  if (n) await stopAll({ client: n.client, nodes: n.nodes, satellite: n.satellite });
});

/** A satellite on a clock the test moves, three nodes (each checked in once: one successful check), 3-of-3 uploads. */
async function network(overrides: Partial<SatelliteConfig> = {}, start = Date.now()): Promise<Network> {
  const clock = { t: start };
  const satellite = await startSatellite({ profile: { minimum: 2, repair: 2, success: 3, total: 3 }, ...overrides }, { now: () => clock.t });
  running = { satellite, nodes: [], configs: [], clock };
  const { nodes, configs } = await startNodes(satellite, 3);
  running.nodes = nodes;
  running.configs = configs;
  return running;
}

async function flags(n: Network, i: number): Promise<{ suspended: number | null; disqualified: number | null }> {
  const rec = (await n.satellite.registry.get(n.nodes[i]!.peerId))!;
  return { suspended: rec.flags.suspended, disqualified: rec.flags.disqualified };
}

const score = (n: Network, i: number): Promise<number> => n.satellite.registry.onlineScore(n.nodes[i]!.peerId, n.clock.t);

/** Restarts node i from its data directory (same identity); its check-in is one successful check. */
async function restart(n: Network, i: number): Promise<void> {
  n.nodes[i] = await startNode(n.satellite, n.configs[i]!);
}

/**
 * Node 2 goes offline and fails two uptime checks (1 success of 3: 1/3 < 0.6); the audit round
 * (which evaluates the online scores) suspends it at the clock's time, returned.
 */
async function suspendNode2(n: Network): Promise<number> {
  expect(await score(n, 2)).toBe(1);
  await n.nodes[2]!.stop();
  n.clock.t += 1000;
  expect(await n.satellite.checkUptime()).toEqual({ checked: 3, reached: 2 });
  expect(await n.satellite.checkUptime()).toEqual({ checked: 3, reached: 2 });
  expect(await score(n, 2)).toBe(1 / 3);
  const at = n.clock.t;
  await n.satellite.runAudits();
  expect(await flags(n, 2)).toEqual({ suspended: at, disqualified: null });
  for (const i of [0, 1]) expect(await flags(n, i)).toEqual({ suspended: null, disqualified: null });
  return at;
}

/** Uploads one object (3-of-3: a piece on every eligible node, or refused); the node ids holding its pieces. */
async function uploadAndHolders(n: Network, name: string): Promise<string[]> {
  n.client ??= await connectClient(n.satellite, { segmentSize: 256 * 1024 });
  await n.client.createBucket(name);
  await n.client.upload(name, 'o', new Uint8Array(randomBytes(64 * 1024)));
  const holders: string[] = [];
  for await (const { segment } of n.satellite.metadata.remoteSegments()) holders.push(...segment.pieces.map((p) => p.nodeId));
  return holders.sort();
}

describe('suspension lifted', () => {
  it('keeps a node suspended below 0.6 even once it is back online (no new pieces), and lifts it at exactly 0.6: it gets pieces again', async () => {
    const n = await network();
    const since = await suspendNode2(n);

    // Back online: its check-in is a successful check, 2 of 4 = 0.5, still below 0.6.
    n.clock.t += 1000;
    await restart(n, 2);
    expect(await score(n, 2)).toBe(0.5);
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: since, disqualified: null });
    // Reachable and recently reached, but suspended: 3 nodes needed, 2 eligible.
    n.client = await connectClient(n.satellite, { segmentSize: 256 * 1024 });
    await n.client.createBucket('refused');
    await expect(n.client.upload('refused', 'o', new Uint8Array(randomBytes(64 * 1024)))).rejects.toMatchObject({ code: 'SATELLITE_NOT_ENOUGH_NODES' });

    // One more successful check: 3 of 5 = 0.6, not below the threshold: lifted at the next evaluation.
    n.clock.t += 1000;
    expect(await n.satellite.checkUptime()).toEqual({ checked: 3, reached: 3 });
    expect(await score(n, 2)).toBe(0.6);
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: null, disqualified: null });
    const described = (await n.satellite.reputation.describe(n.nodes[2]!.peerId, n.clock.t))!;
    expect(described).toMatchObject({ onlineScore: 0.6, suspended: null, disqualified: null, auditScore: 1 });

    // Selected again: the 3-of-3 upload puts a piece on every node, node 2 included.
    expect(await uploadAndHolders(n, 'accepted')).toEqual(n.nodes.map((x) => x.peerId).sort());
    expect(n.nodes[2]!.store.usedSpace(n.satellite.id)).toBeGreaterThan(0);
  }, 90_000);

  it("lifts a suspension when the failed checks leave the scoring period (uptimePeriodMs, counted in uptimeWindowMs windows), not a millisecond before", async () => {
    // 1 s windows over a 10 s period; the clock starts at a window's start, a few seconds behind
    // the nodes' (orders signed on it stay within their clock-skew allowance).
    const start = Math.floor(Date.now() / 1000) * 1000 - 5000;
    const n = await network({ uptimeWindowMs: 1000, uptimePeriodMs: 10_000 }, start);
    // The check-ins at `start` (window [start, start+1s)); the two failed checks in window start+1s.
    const since = await suspendNode2(n);
    expect(since).toBe(start + 1000);
    // Back online in window start+2s: 2 successes of 4.
    n.clock.t = start + 2000;
    await restart(n, 2);
    expect(await score(n, 2)).toBe(0.5);

    // The period reaches back to the window holding now - 10 s. At start + 11,999 ms that is the
    // window of the failed checks (still 1 success of 3: the check-in's window has left); at
    // start + 12,000 ms it is the window of the restart's check-in alone: 1 of 1.
    n.clock.t = start + 11_999;
    expect(await score(n, 2)).toBe(1 / 3);
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: since, disqualified: null });
    n.clock.t = start + 12_000;
    expect(await score(n, 2)).toBe(1);
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: null, disqualified: null });
    expect(await uploadAndHolders(n, 'after')).toEqual(n.nodes.map((x) => x.peerId).sort());
  }, 90_000);
});

describe('disqualification after the suspension grace', () => {
  it(`disqualifies a node still suspended suspensionGraceMs (${GRACE_MS} ms) after its suspension began, not a millisecond earlier, with disqualifyAfterGrace`, async () => {
    expect(REPUTATION_DEFAULTS.suspensionGraceMs).toBe(GRACE_MS);
    const n = await network({ reputation: { ...REPUTATION_DEFAULTS, disqualifyAfterGrace: true } });
    const since = await suspendNode2(n);

    n.clock.t = since + GRACE_MS - 1;
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: since, disqualified: null });
    n.clock.t = since + GRACE_MS;
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: since, disqualified: since + GRACE_MS });
    // The others, online throughout, are neither suspended nor disqualified.
    for (const i of [0, 1]) expect(await flags(n, i)).toEqual({ suspended: null, disqualified: null });
    // Disqualification is final: a later round does not move it.
    n.clock.t += 1000;
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: since, disqualified: since + GRACE_MS });
  }, 90_000);

  it('leaves a node suspended past the grace undisqualified when disqualifyAfterGrace is off (the default)', async () => {
    expect(REPUTATION_DEFAULTS.disqualifyAfterGrace).toBe(false);
    const n = await network();
    const since = await suspendNode2(n);
    // Up to three graces on: still within the 30-day scoring period, so still 1/3 and suspended.
    for (const at of [since + GRACE_MS, since + 3 * GRACE_MS]) {
      n.clock.t = at;
      expect(await score(n, 2)).toBe(1 / 3);
      await n.satellite.runAudits();
      expect([at, await flags(n, 2)]).toEqual([at, { suspended: since, disqualified: null }]);
    }
    expect(n.clock.t).toBe(since + 3 * GRACE_MS);
  }, 90_000);

  it('does not disqualify a node lifted before the grace ended; a later suspension has a grace of its own', async () => {
    const n = await network({ reputation: { ...REPUTATION_DEFAULTS, disqualifyAfterGrace: true } });
    const since = await suspendNode2(n);

    // Back online and lifted a millisecond before the grace ends: check-in 2/4, one check 3/5.
    n.clock.t = since + GRACE_MS - 1;
    await restart(n, 2);
    expect(await n.satellite.checkUptime()).toEqual({ checked: 3, reached: 3 });
    expect(await score(n, 2)).toBe(0.6);
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: null, disqualified: null });
    for (const at of [since + GRACE_MS, since + GRACE_MS + 1]) {
      n.clock.t = at;
      await n.satellite.runAudits();
      expect([at, await flags(n, 2)]).toEqual([at, { suspended: null, disqualified: null }]);
    }

    // Offline again: 3 of 6 = 0.5, suspended anew from now, and its grace counts from now.
    await n.nodes[2]!.stop();
    n.clock.t += 1000;
    expect(await n.satellite.checkUptime()).toEqual({ checked: 3, reached: 2 });
    expect(await score(n, 2)).toBe(0.5);
    const again = n.clock.t;
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: again, disqualified: null });
    n.clock.t = again + GRACE_MS - 1;
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: again, disqualified: null });
    n.clock.t = again + GRACE_MS;
    await n.satellite.runAudits();
    expect(await flags(n, 2)).toEqual({ suspended: again, disqualified: again + GRACE_MS });
  }, 90_000);
});
