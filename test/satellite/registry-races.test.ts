// The registry under concurrent writes: an uptime check, a check-in, an audit's disqualification
// and the online-score evaluation each read a node's record and write it back. Run at once they
// used to lose each other's changes: a check written over a disqualification it had read before
// put the flag back to null (the chaos run's zero-keeper was once never disqualified), and two
// checks in one window counted one. Real LevelDB; the interleavings are real (no hooks).
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeRegistry, REPUTATION_DEFAULTS, ReputationStore, type ReputationConfig } from '../../src/satellite/index.js';
import { LevelReputationDB } from '../../src/satellite/store/leveldb/index.js';
import type { CheckInInfo } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

const WINDOW_MS = 3_600_000;
const NOW = 1_800_000_000_000;
const info = (n: number): CheckInInfo => ({ addresses: [`/ip4/127.0.0.1/tcp/${10_000 + n}`], capacity: 1e9, freeSpace: 1e9, version: 'test', wallet: '', email: '' });

const dbs: Level<string, unknown>[] = [];
async function openRegistry(): Promise<{ db: Level<string, unknown>; registry: NodeRegistry }> {
  const db = new Level<string, unknown>(join(tempDir(), 'db'), { valueEncoding: 'json' });
  await db.open();
  dbs.push(db);
  return { db, registry: new NodeRegistry(db, { windowMs: WINDOW_MS, periodMs: 30 * 24 * WINDOW_MS }) };
}
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.close();
  removeTempDirs();
});

describe('the node registry under concurrent writes', () => {
  // The disqualification lands at the start, the middle and the end of a burst of checks.
  for (const at of [0, 17, 39]) {
    it(`40 uptime checks and a disqualification at check ${at}, all at once: every check counted, the flag kept`, async () => {
      const { registry } = await openRegistry();
      await registry.checkIn('node-a', info(1), true, NOW);
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 40; i++) {
        if (i === at) writes.push(registry.update('node-a', (n) => ({ ...n, flags: { ...n.flags, disqualified: NOW + 1 } })));
        writes.push(registry.recordCheck('node-a', i % 2 === 0, NOW + i));
      }
      await Promise.all(writes);
      const rec = await registry.get('node-a');
      expect(rec?.flags.disqualified).toBe(NOW + 1);
      // The check-in's check (a success) and 40 more, 20 of them successes: 21 / 41.
      expect(await registry.onlineScore('node-a', NOW + 100)).toBeCloseTo(21 / 41, 10);
      // The last check written was a failure or a success as the order of the calls says.
      expect(rec?.reachable).toBe(false);
    });
  }

  it('check-ins racing a disqualification keep the flag and the first contact', async () => {
    const { registry } = await openRegistry();
    await registry.checkIn('node-b', info(2), true, NOW);
    await Promise.all([
      registry.checkIn('node-b', info(3), true, NOW + 10),
      registry.update('node-b', (n) => ({ ...n, vetted: true, flags: { ...n.flags, disqualified: NOW + 11 } })),
      registry.checkIn('node-b', info(4), false, NOW + 12),
      registry.recordCheck('node-b', true, NOW + 13)
    ]);
    const rec = await registry.get('node-b');
    expect(rec?.flags.disqualified).toBe(NOW + 11);
    expect(rec?.vetted).toBe(true);
    expect(rec?.firstContact).toBe(NOW);
    expect(rec?.addresses).toEqual(info(4).addresses);
    expect(await registry.onlineScore('node-b', NOW + 100)).toBeCloseTo(3 / 4, 10);
  });

  it('forget with a check in flight deletes the node, and a later write does not recreate it', async () => {
    const { registry } = await openRegistry();
    await registry.checkIn('node-c', info(5), true, NOW);
    const [, forgotten] = await Promise.all([registry.recordCheck('node-c', true, NOW + 1), registry.forget('node-c', () => true)]);
    expect(forgotten).toBe(true);
    expect(await registry.get('node-c')).toBeUndefined();
    // A write after the forget finds no record to change (an unknown node is not recreated).
    await registry.update('node-c', (n) => ({ ...n, vetted: true }));
    expect(await registry.get('node-c')).toBeUndefined();
  });
});

describe('reputation under concurrent writes', () => {
  // One failure disqualifies (score 1/2 <= 0.6); a node with only failed uptime checks is suspended.
  const config: ReputationConfig = { ...REPUTATION_DEFAULTS, lambda: 1, alpha0: 1, beta0: 0, disqualifyAt: 0.6, suspendBelow: 0.6 };

  it('an audit disqualifying a node while the online scores are evaluated stands (30 nodes, the last one failed)', async () => {
    const { db, registry } = await openRegistry();
    const reputation = new ReputationStore(new LevelReputationDB(db), registry, config);
    const ids = Array.from({ length: 30 }, (_, i) => `node-${String(i).padStart(2, '0')}`);
    for (const [i, id] of ids.entries()) {
      // Checked in unreachable: online score 0, so the evaluation suspends (and writes) each one.
      await registry.checkIn(id, info(100 + i), false, NOW);
    }
    const last = ids.at(-1)!;
    // The evaluation reads every record first and writes them one by one; the failure lands
    // while it works through the first ones.
    await Promise.all([reputation.evaluateOnline(NOW + 1), reputation.record(last, 'failure', NOW + 2)]);
    const rec = await registry.get(last);
    expect(rec?.flags.disqualified).toBe(NOW + 2);
    for (const id of ids.slice(0, -1)) {
      const r = await registry.get(id);
      expect(r?.flags.suspended).toBe(NOW + 1);
      expect(r?.flags.disqualified).toBeNull();
    }
    // And the next evaluation leaves the disqualified node alone.
    await reputation.evaluateOnline(NOW + 3);
    expect((await registry.get(last))?.flags.disqualified).toBe(NOW + 2);
  });

  it('a disqualification by the online score is not undone by an audit recorded from an older read', async () => {
    const { db, registry } = await openRegistry();
    const graceConfig: ReputationConfig = { ...config, disqualifyAfterGrace: true, suspensionGraceMs: 0, alpha0: 1000, auditsToVet: 1 };
    const reputations = new LevelReputationDB(db);
    await registry.checkIn('node-d', info(200), false, NOW);
    // The audit's read of the node is held until the evaluation has disqualified it (a slow read:
    // the same registry, its answer delayed), so the audit writes from a record read before.
    const gate = Promise.withResolvers<void>();
    const slowRead = Object.create(registry, {
      get: { value: async (id: string) => { const rec = await registry.get(id); await gate.promise; return rec; } }
    }) as NodeRegistry;
    const audit = new ReputationStore(reputations, slowRead, graceConfig).record('node-d', 'success', NOW + 2);
    await new ReputationStore(reputations, registry, graceConfig).evaluateOnline(NOW + 1);
    expect((await registry.get('node-d'))?.flags.disqualified).toBe(NOW + 1);
    gate.resolve();
    await audit;
    const rec = await registry.get('node-d');
    // The audit vetted the node (its one success) and left the disqualification as it was.
    expect(rec?.vetted).toBe(true);
    expect(rec?.flags.disqualified).toBe(NOW + 1);
  });
});
