// The chaos plan is a pure function of its seed and keeps the rules the run depends on.
import { describe, expect, it } from 'vitest';
import { planChaos, type ChaosOptions } from './schedule.js';

const MIB = 1024 * 1024;
const base: ChaosOptions = { seed: 1, durationMs: 210_000, nodes: 12, removals: 9, objectBytes: 700 * MIB, maxObjectBytes: 150 * MIB, smallCapacity: 40e6, maxDisrupted: 2, replacements: 3, diskFullNodes: 2, clockOffsetsMs: [40_000, -40_000], liar: true };

describe('planChaos', () => {
  it('gives the same plan for the same seed and another for another seed', () => {
    expect(planChaos(base)).toEqual(planChaos({ ...base }));
    expect(planChaos({ ...base, seed: 2 })).not.toEqual(planChaos(base));
  });

  it.each([1, 2, 3, 42, 1234, 99999])('keeps the rules with seed %i', (seed) => {
    const plan = planChaos({ ...base, seed });
    const bad = new Set([...plan.roles.corrupt, plan.roles.deletes]);
    expect(bad.size).toBe(3);
    expect(bad.has(plan.roles.full)).toBe(false);
    expect(plan.nodes.find((n) => n.name === plan.roles.full)!.capacity).toBe(40e6);
    // The disk-full and skewed nodes are honest ones, each with one role.
    const special = [...bad, plan.roles.full, ...plan.roles.diskFull, ...plan.roles.skewed.map((r) => r.node), plan.roles.liar];
    expect(new Set(special).size).toBe(3 + 1 + 2 + 2 + 1);
    expect(plan.events.some((e) => e.kind === 'remove' && e.node === plan.roles.liar)).toBe(false);
    expect(plan.roles.skewed.map((r) => r.offsetMs)).toEqual([40_000, -40_000]);
    const diskFull = plan.events.filter((e) => e.kind === 'disk-full');
    expect(diskFull).toHaveLength(1);
    expect(diskFull[0]!.kind === 'disk-full' && [...diskFull[0]!.nodes].sort()).toEqual([...plan.roles.diskFull].sort());
    // The satellite is killed a few seconds after a removal (while it repairs).
    const restart = plan.events.find((e) => e.kind === 'satellite-restart')!;
    expect(plan.events.some((e) => e.kind === 'remove' && restart.at - e.at >= 3000 && restart.at - e.at <= 10_000)).toBe(true);

    const removes = plan.events.filter((e) => e.kind === 'remove');
    const adds = plan.events.filter((e) => e.kind === 'add');
    // More than n - k removed over the run; each followed by a fresh node; the bad ones replaced too.
    expect(removes.length).toBeGreaterThan(12 - 4);
    expect(adds.length).toBeGreaterThanOrEqual(removes.length + 1 + 3);
    // The small disks stay to the end.
    for (const e of removes) expect(plan.roles.diskFull).not.toContain(e.node);
    const removedAt = new Map(removes.map((e) => [e.node, e.at]));
    // A fresh node has had time to start before anything happens to it.
    const addedAt = new Map(adds.map((e) => [e.node, e.at]));
    for (const e of plan.events) if ('node' in e && e.kind !== 'add' && addedAt.has(e.node)) expect(e.at).toBeGreaterThanOrEqual(addedAt.get(e.node)! + 15_000);
    expect(removedAt.size).toBe(removes.length);
    for (const e of plan.events) {
      if ('node' in e && e.kind !== 'remove') expect(removedAt.get(e.node) ?? Infinity).toBeGreaterThan(e.at);
      if (e.kind === 'remove' || e.kind === 'kill' || e.kind === 'stall') expect(bad.has(e.node)).toBe(false);
      expect(e.at).toBeLessThan(base.durationMs);
    }
    // A removed node's absence overlaps no more than one other removal's at a time (one at a
    // time), and honest nodes down at once never exceed maxDisrupted.
    const temporary = plan.events.flatMap((e) => (e.kind === 'kill' ? [{ from: e.at, to: e.at + e.downMs }] : e.kind === 'stall' ? [{ from: e.at, to: e.at + e.forMs }] : []));
    for (const t of temporary) expect(temporary.filter((u) => u.from <= t.from && t.from < u.to).length).toBeLessThanOrEqual(2);
    expect(plan.events.filter((e) => e.kind === 'satellite-restart')).toHaveLength(1);
    expect(plan.events.map((e) => e.at)).toEqual([...plan.events.map((e) => e.at)].sort((a, b) => a - b));

    // Objects from 0 bytes to the largest, within the budget.
    const sizes = plan.objects.map((o) => o.size);
    expect(Math.min(...sizes)).toBe(0);
    expect(Math.max(...sizes)).toBe(150 * MIB);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(700 * MIB);
    expect(new Set(plan.objects.map((o) => o.key)).size).toBe(plan.objects.length);
    // Some objects are overwritten and some deleted once written.
    expect(plan.objects.filter((o) => o.then?.kind === 'overwrite').length).toBeGreaterThan(0);
    expect(plan.objects.filter((o) => o.then?.kind === 'delete').length).toBeGreaterThan(0);
  });
});
