// The durability simulation (benchmarks/durability): its queues order what they hold, its copy of
// the checker's rule is the real RepairChecker's, its incremental counts agree with the
// satellite's healthyPieces, and its results behave: nothing moves without churn, churn beyond
// the repair capacity loses segments, a higher repair threshold does not lose more, a seed
// repeats a run.
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, defaultConfig, poissonInterval, type SimConfig } from '../../benchmarks/durability/model.js';
import { EventQueue, RepairHeap } from '../../benchmarks/durability/queue.js';
import { checkerDecision, simulate, type SimResult } from '../../benchmarks/durability/sim.js';
import type { SegmentRecord } from '../../src/satellite/metainfo/index.js';
import type { NodeRecord } from '../../src/satellite/overlay/index.js';
import { RepairChecker } from '../../src/satellite/repair/checker.js';
import type { SegmentHealth } from '../../src/satellite/repair/db.js';
import type { RepairDeps } from '../../src/satellite/repair/deps.js';
import { healthyPieces } from '../../src/satellite/repair/health.js';
import { Prng } from '../chaos/prng.js';

const small = (overrides: Partial<SimConfig>): SimConfig =>
  defaultConfig({ nodes: 300, segments: 300, years: 0.1, seed: 7, profile: { minimum: 4, repair: 5, success: 8, total: 10 }, ...overrides });

const withoutWallTime = (r: SimResult): Omit<SimResult, 'wallMs'> => {
  const { wallMs: _, ...rest } = r;
  return rest;
};

describe('the event queue', () => {
  it('gives events in time order, ties in the order they were scheduled', () => {
    const rng = new Prng(3);
    const q = new EventQueue();
    const want: [number, number, number][] = [];
    for (let i = 0; i < 5000; i++) {
      const time = rng.int(0, 200);
      q.schedule(time, i % 13, i, 7 - i);
      want.push([time, i, 7 - i]);
    }
    q.schedule(Infinity, 1, 1);
    want.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const got: [number, number, number][] = [];
    while (q.pop()) {
      expect(q.kind).toBe(q.a % 13);
      got.push([q.time, q.a, q.b]);
    }
    expect(got).toEqual(want);
  });

  it('puts the repair queue in the satellite order: fewest healthy first, then by segment', () => {
    const h = new RepairHeap();
    const entries: [number, number][] = [
      [7, 35],
      [3, 31],
      [9, 31],
      [1, 40],
      [2, 29]
    ];
    entries.forEach(([segment, healthy], v) => h.push(segment, healthy, v));
    const got: [number, number][] = [];
    while (h.pop()) got.push([h.segment, h.healthy]);
    expect(got).toEqual([
      [2, 29],
      [3, 31],
      [9, 31],
      [7, 35],
      [1, 40]
    ]);
  });
});

describe("the simulation's copy of the checker rule", () => {
  it('decides as the real RepairChecker on the same segments and registry', async () => {
    const rng = new Prng(11);
    const now = 10 * DAY;
    const W = 4 * HOUR;
    const profile = { minimum: 4, repair: 6, success: 8, total: 10 };
    const nodes: NodeRecord[] = Array.from({ length: 40 }, (_, i) => ({
      id: `n${i}`,
      addresses: [],
      capacity: 1e12,
      freeSpace: 1e12,
      version: 'sim',
      wallet: '',
      email: '',
      firstContact: 0,
      lastContact: now,
      reachable: true,
      // Some reached long ago, some disqualified: their pieces do not count.
      lastReached: rng.next() < 0.3 ? now - 5 * HOUR : now - HOUR,
      vetted: true,
      flags: { disqualified: rng.next() < 0.1 ? now : null, suspended: null, exited: null }
    }));
    const distrusted = new Set(['n1', 'n2']);
    const segments = new Map<string, SegmentRecord>();
    for (let s = 0; s < 300; s++) {
      const holders = rng.shuffle(nodes).slice(0, rng.int(2, 10));
      const pieces = holders.map((n, number) => ({ number, nodeId: n.id, size: 1, root: '' }));
      segments.set(`seg${s}`, { index: 0, plainSize: 4, pieceSize: 1, rootPieceId: '', profile, pieces, inline: null, createdAt: 0 });
    }
    const recorded = new Map<string, SegmentHealth>();
    const deps = {
      now: () => now,
      onlineWithinMs: W,
      registry: {
        async *list() {
          yield* nodes;
        }
      },
      metadata: {
        async *remoteSegments() {
          for (const [key, segment] of segments) yield { key, segment };
        }
      },
      queue: {
        async recordCheck(key: string, health: SegmentHealth) {
          recorded.set(key, health);
        }
      },
      distrusted: async () => distrusted,
      log: { error: () => undefined, info: () => undefined, warn: () => undefined, debug: () => undefined }
    } as unknown as RepairDeps;
    const result = await new RepairChecker(deps).check();
    expect(result.segments).toBe(300);
    const view = { nodes: new Map(nodes.map((n) => [n.id, n])), distrusted };
    const kinds = new Set<string>();
    for (const [key, segment] of segments) {
      const healthy = healthyPieces(segment, view, now, W).length;
      const mine = checkerDecision(healthy, profile);
      const real = recorded.get(key)!;
      expect({ healthy, ...mine }).toEqual({ healthy: real.healthy, needsRepair: real.needsRepair, lost: real.lost });
      kinds.add(`${mine.needsRepair}/${mine.lost}`);
    }
    // Healthy, queued and lost segments were all among them.
    expect(kinds).toEqual(new Set(['false/false', 'true/false', 'true/true']));
  });
});

describe('the durability simulation', () => {
  it("keeps its healthy counts equal to the satellite's healthyPieces and its intact counts to a recount", () => {
    // verify: every checker step and every hour of simulated time compares every segment.
    const r = simulate(small({ years: 0.05, segments: 150, profile: { minimum: 4, repair: 6, success: 8, total: 10 }, meanLifetimeMs: 10 * DAY, corruptShare: 0.2, verify: true }));
    expect(r.repairs.repaired).toBeGreaterThan(100);
    expect(r.nodeCounts.disqualified).toBeGreaterThan(0);
  });

  it('loses nothing and moves no byte without churn', () => {
    const r = simulate(small({ meanLifetimeMs: Infinity, outageEveryMs: Infinity, corruptShare: 0, years: 0.5 }));
    expect(r.lost).toBe(0);
    expect(r.repairBytes).toEqual({ download: 0, upload: 0 });
    expect(r.repairs).toEqual({ repaired: 0, partial: 0, failed: 0, alreadyHealthy: 0 });
    expect(r.peakQueue).toBe(0);
    expect(r.lossNote).toBe('0 of 150 segment-years: < 0.020 per segment-year at 95 %');
  });

  it('loses segments when churn is far above the repair capacity', () => {
    const churn = { meanLifetimeMs: 5 * DAY };
    const starved = simulate(small({ ...churn, repairBytesPerSecond: 1e4 }));
    const fed = simulate(small(churn));
    expect(starved.lost).toBeGreaterThan(starved.segments / 2);
    expect(starved.peakQueue).toBeGreaterThan(100);
    expect(fed.lost).toBeLessThan(starved.lost / 4);
  });

  it('does not lose more with a higher repair threshold on the same seed', () => {
    const churn = { meanLifetimeMs: 10 * DAY };
    const lost = [4, 5, 7].map((repair) => simulate(small({ ...churn, profile: { minimum: 4, repair, success: 8, total: 10 } })));
    expect(lost[0]!.lost).toBeGreaterThan(10);
    expect(lost[1]!.lost).toBeLessThanOrEqual(lost[0]!.lost);
    expect(lost[2]!.lost).toBeLessThanOrEqual(lost[1]!.lost);
    // The price: more repair traffic.
    expect(lost[2]!.repairPerStoredBytePerYear).toBeGreaterThan(lost[1]!.repairPerStoredBytePerYear);
    // The same nodes came and went in all three.
    expect(new Set(lost.map((r) => `${r.nodeCounts.joined}/${r.nodeCounts.left}/${r.nodeCounts.corrupting}`)).size).toBe(1);
  });

  it('runs the urgent workers as the repairer does: with repair starved, they keep segments near k from loss', () => {
    // 60 nodes living 5 days on average, 100 kB/s per repair worker: the ordinary workers fall
    // behind and the queue fills; urgent workers take only its head when it is k to k + 1.
    const starved = (urgentConcurrency: number) =>
      simulate(defaultConfig({ nodes: 60, segments: 150, years: 0.25, seed: 7, profile: { minimum: 4, repair: 6, success: 8, total: 10 }, meanLifetimeMs: 5 * DAY, repairBytesPerSecond: 1e5, urgentConcurrency }));
    const none = starved(0);
    const two = starved(2);
    expect(none.lost).toBeGreaterThan(50);
    expect(two.lost).toBeLessThan(none.lost / 2);
    expect(two.repairs.repaired).toBeGreaterThan(none.repairs.repaired);
  });

  it('repeats a run exactly from its seed, and another seed gives another run', () => {
    const config = small({ meanLifetimeMs: 20 * DAY, profile: { minimum: 29, repair: 35, success: 80, total: 110 }, segments: 100, years: 0.1 });
    const a = simulate(config);
    const b = simulate(config);
    expect(a.repairs.repaired).toBeGreaterThan(0);
    expect(withoutWallTime(b)).toEqual(withoutWallTime(a));
    expect(withoutWallTime(simulate({ ...config, seed: 8 }))).not.toEqual(withoutWallTime(a));
  });

  it('bounds a zero count by the rule of three and gives exact Poisson intervals', () => {
    expect(poissonInterval(0).upperOneSided).toBeCloseTo(2.996, 2);
    const ten = poissonInterval(10);
    expect(ten.lower).toBeCloseTo(4.795, 2);
    expect(ten.upper).toBeCloseTo(18.39, 1);
  });
});
