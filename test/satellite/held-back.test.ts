// The held-back schedule past a node's first months, against a real satellite (on the test's
// clock) and three real nodes: Storj's 75/75/75/50/50/50/25/25/25/0 % by node age in whole
// 30-day months, the age taken at each period's close. Periods are closed on the clock at and
// around the schedule's steps (a node 3 months old to the millisecond holds back 50 %, a
// millisecond younger 75 %, from month 10 nothing), and each entry is compared with the amount
// computed by hand.
import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import type { StorageNode } from '../../src/node/index.js';
import { HELD_BACK_SCHEDULE, formatTokens, type LedgerEntry, type Satellite } from '../../src/satellite/index.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';

const MONTH_MS = 30 * 24 * 60 * 60 * 1000;
// 2,592,000,000,000,000 tokens per TB-month: 2.592e21 micro-tokens per 10^12 bytes x 720 h =
// 2.592e21 byte-ms, so a node earns exactly one micro-token per byte held per millisecond.
const RATE = '2592000000000000';

let satellite: Satellite | undefined;
let nodes: StorageNode[] = [];

afterAll(() => stopAll({ nodes, satellite }));

it('holds back 75 % through month 3, 50 % from month 4, 25 % from month 7 and nothing from month 10, by node age at the close', async () => {
  expect(HELD_BACK_SCHEDULE).toEqual([75, 75, 75, 50, 50, 50, 25, 25, 25]);
  const t0 = Date.now();
  let clock = t0;
  satellite = await startSatellite(
    { profile: { minimum: 2, repair: 2, success: 3, total: 3 }, payout: { egressRate: '0', repairEgressRate: '0', minimumPayout: '0', periodMs: 0, storageRate: RATE, auditRate: '0', heldBack: true } },
    { now: () => clock }
  );
  ({ nodes } = await startNodes(satellite, 3));
  const client = await connectClient(satellite, { segmentSize: 256 * 1024 });
  try {
    await client.createBucket('held');
    await client.upload('held', 'o', new Uint8Array(randomBytes(100 * 1024)));
  } finally {
    await client.close();
  }
  // Every node's age and the first period count from t0; the segment was stored at t0 too.
  for (const n of nodes) expect((await satellite.registry.get(n.peerId))!.firstContact).toBe(t0);
  expect(await satellite.payouts.current()).toEqual({ period: 1, start: t0 });
  const sizes = new Map<string, number>();
  for await (const { segment } of satellite.metadata.remoteSegments()) {
    expect(segment.createdAt).toBe(t0);
    for (const p of segment.pieces) sizes.set(p.nodeId, p.size);
  }
  expect([...sizes.keys()].sort()).toEqual(nodes.map((n) => n.peerId).sort());

  // Closes at these ages; the percent held back and the month the detail names, by hand.
  const closes = [
    { end: t0 + MONTH_MS, percent: 75, month: 2 },
    { end: t0 + 3 * MONTH_MS - 1, percent: 75, month: 3 },
    { end: t0 + 3 * MONTH_MS, percent: 50, month: 4 },
    { end: t0 + 6 * MONTH_MS - 1, percent: 50, month: 6 },
    { end: t0 + 6 * MONTH_MS, percent: 25, month: 7 },
    { end: t0 + 9 * MONTH_MS - 1, percent: 25, month: 9 },
    { end: t0 + 9 * MONTH_MS, percent: 0, month: 10 },
    { end: t0 + 12 * MONTH_MS, percent: 0, month: 13 }
  ];
  let start = t0;
  const got: unknown[] = [];
  const want: unknown[] = [];
  const balance = new Map<string, bigint>();
  for (const [i, c] of closes.entries()) {
    clock = c.end;
    const { record, created } = await satellite.payouts.close();
    expect([i, created, record.period, record.start, record.end]).toEqual([i, true, i + 1, start, c.end]);
    const entries: LedgerEntry[] = await satellite.payouts.ledger.list({ period: i + 1 });
    for (const n of nodes) {
      // Online and audit score 1 (never a failed check, never audited): one micro-token per byte-ms.
      const storage = BigInt(sizes.get(n.peerId)!) * BigInt(c.end - start);
      const held = (storage * BigInt(c.percent)) / 100n;
      const mine = entries.filter((e) => e.nodeId === n.peerId);
      got.push({ period: i + 1, node: n.peerId, entries: mine.map((e) => [e.kind, e.amount]), held: mine.find((e) => e.kind === 'held')?.detail });
      want.push({
        period: i + 1,
        node: n.peerId,
        entries: c.percent > 0 ? [['storage', formatTokens(storage)], ['held', formatTokens(-held)]] : [['storage', formatTokens(storage)]],
        held: c.percent > 0 ? `${c.percent}% held back in month ${c.month} (${formatTokens(held)})` : undefined
      });
      balance.set(n.peerId, (balance.get(n.peerId) ?? 0n) + storage - held);
    }
    start = c.end;
  }
  expect(got).toEqual(want);
  // The balances are the sums by hand; the ledger still verifies.
  const summary = await satellite.payouts.ledger.balances();
  expect(summary).toEqual(Object.fromEntries([...balance].map(([id, units]) => [id, formatTokens(units)])));
  expect(await satellite.payouts.ledger.verify()).toEqual({ ok: true, entries: 8 * 3 + 6 * 3 });
}, 90_000);
