// Payouts and the ledger: amounts for a scripted history (injected clock) match amounts computed
// by hand from the metadata; a period closed twice credits nothing twice; the hash chain catches
// an altered, removed or re-linked entry. The node's checks of statements, against a satellite
// stand-in that signs what the test says: a total that is not the sum of the entries is refused;
// periods the node missed are fetched before the latest is kept, their chain checked across them,
// a gap the satellite cannot fill is an error, and at most MAX_BACKFILL_PERIODS are fetched a call.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { StorageNode } from '../../src/node/index.js';
import { Earnings, MAX_BACKFILL_PERIODS } from '../../src/node/earnings.js';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p, PrivateKey, Stream } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { loadOrCreateIdentity } from '../../src/common/index.js';
import {
  FramedStream,
  PROTOCOL_PAYOUT,
  PayoutStatement,
  PayoutStatementRequest,
  PayoutStatementResponse,
  createHost,
  ledgerEntryHash,
  signPayoutStatement,
  verifyPayoutStatement,
  type PayoutEntry,
  type SignedPayoutStatement
} from '../../src/protocol/index.js';
import { Ledger, type Satellite, formatTokens, parseTokens, type LedgerEntry } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { connectClient, startNodes, startSatellite } from './fixtures.js';
import { adminFetch } from './admin-fetch.js';

afterAll(() => removeTempDirs());

describe('tokens', () => {
  it('are fixed-point decimals, never floats', () => {
    expect(parseTokens('1.5')).toBe(1_500_000n);
    expect(parseTokens('0.000001')).toBe(1n);
    expect(parseTokens('-2')).toBe(-2_000_000n);
    expect(formatTokens(1_500_000n)).toBe('1.500000');
    expect(formatTokens(-1n)).toBe('-0.000001');
    expect(() => parseTokens('0.0000001')).toThrow(expect.objectContaining({ code: 'TOKENS_INVALID' }) as Error);
    expect(() => parseTokens('1e3')).toThrow(expect.objectContaining({ code: 'TOKENS_INVALID' }) as Error);
  });
});

describe('ledger', () => {
  const credits = [
    { nodeId: 'a', kind: 'storage' as const, units: 1_000_000n, detail: 'x' },
    { nodeId: 'b', kind: 'storage' as const, units: 2_500_000n, detail: 'y' },
    { nodeId: 'a', kind: 'held' as const, units: -750_000n, detail: 'z' }
  ];

  async function freshLedger(): Promise<{ db: Level<string, unknown>; ledger: Ledger }> {
    const db = new Level<string, unknown>(join(tempDir(), 'db'), { valueEncoding: 'json' });
    await db.open();
    const ledger = new Ledger(db);
    await ledger.closePeriod({ period: 1, start: 0, end: 10 }, credits, 10);
    await ledger.closePeriod({ period: 2, start: 10, end: 20 }, credits.slice(0, 2), 20);
    return { db, ledger };
  }

  it('appends hash-chained entries, derives balances, and credits a closed period only once', async () => {
    const { db, ledger } = await freshLedger();
    expect(await ledger.verify()).toEqual({ ok: true, entries: 5 });
    expect(await ledger.balances()).toEqual({ a: '1.250000', b: '5.000000' });
    const again = await ledger.closePeriod({ period: 2, start: 10, end: 20 }, credits, 30);
    expect(again.created).toBe(false);
    expect((await ledger.list()).length).toBe(5);
    await expect(ledger.closePeriod({ period: 5, start: 20, end: 30 }, credits, 30)).rejects.toMatchObject({ code: 'PERIOD_OUT_OF_ORDER' });
    await db.close();
  });

  it("lists a period's entries, per node too, reading that period's range only", async () => {
    const { db, ledger } = await freshLedger();
    await ledger.closePeriod({ period: 3, start: 20, end: 30 }, [], 30);
    await ledger.closePeriod({ period: 4, start: 30, end: 40 }, credits.slice(1), 40);
    const all = await ledger.list();
    for (const period of [1, 2, 3, 4, 5, 0]) {
      expect([period, await ledger.list({ period })]).toEqual([period, all.filter((e) => e.period === period)]);
      for (const nodeId of ['a', 'b', 'c']) {
        expect(await ledger.list({ period, nodeId })).toEqual(all.filter((e) => e.period === period && e.nodeId === nodeId));
      }
    }
    expect((await ledger.list({ period: 4 })).map((e) => e.seq)).toEqual([6, 7]);
    // The range, not a walk: an entry of period 1 moved past the ledger's end is not seen by
    // period 1's read (a walk of the whole ledger would find it).
    const entries = db.sublevel<string, LedgerEntry>('ledger', { valueEncoding: 'json' });
    const moved = all[0]!;
    await entries.del(String(moved.seq).padStart(12, '0'));
    await entries.put(String(99).padStart(12, '0'), moved);
    expect((await ledger.list({ period: 1 })).map((e) => e.seq)).toEqual([2, 3]);
    await db.close();
  });

  it('detects an altered amount, a removed entry and a broken link', async () => {
    for (const tamper of ['amount', 'remove', 'relink'] as const) {
      const { db, ledger } = await freshLedger();
      const entries = db.sublevel<string, LedgerEntry>('ledger', { valueEncoding: 'json' });
      const key = String(tamper === 'remove' ? 5 : 2).padStart(12, '0');
      const e = (await entries.get(key))!;
      if (tamper === 'amount') await entries.put(key, { ...e, amount: '99.000000' });
      if (tamper === 'remove') await entries.del(key);
      if (tamper === 'relink') await entries.put(key, { ...e, prev: e.hash });
      const result = await ledger.verify();
      expect(result.ok).toBe(false);
      expect(result.problem).toMatch(tamper === 'amount' ? /altered/ : tamper === 'remove' ? /ends before/ : /does not link/);
      await db.close();
    }
  });
});

describe('payouts for a scripted history', () => {
  /**
   * A satellite on its own clock with three nodes (wallets 0xwallet0..2) and one object uploaded;
   * two audit rounds; then B stopped (one failed uptime check against one check-in: online 0.5),
   * C disqualified, two hours on the clock. Each test builds its own, so any one runs alone or in
   * any order.
   */
  interface History {
    satellite: Satellite;
    satelliteDir: string;
    nodes: StorageNode[];
    /** Moves the clock forward. */
    advance: (ms: number) => void;
    /** Stops the clock at `t` (undefined: runs again). */
    freeze: (t: number | undefined) => void;
    /** Closes period 1 through the admin API (201: created) and gives its answer. */
    closeFirst: () => Promise<{ period: number; start: number; end: number; created: boolean }>;
  }
  let running: History | undefined;

  async function scriptedHistory(): Promise<History> {
    let offset = 0;
    let frozen: number | undefined;
    const clock = (): number => frozen ?? Date.now() + offset;
    const satellite = await startSatellite(
      { profile: { minimum: 2, repair: 2, success: 3, total: 3 }, payout: { egressRate: '0', repairEgressRate: '0', minimumPayout: '0', periodMs: 0, storageRate: '1000000000', auditRate: '0.5', heldBack: true } },
      { now: clock }
    );
    const history: History = {
      satellite,
      satelliteDir: satellite.config.dataDir,
      nodes: [],
      advance: (ms) => void (offset += ms),
      freeze: (t) => void (frozen = t),
      closeFirst: async () => {
        const res = await adminFetch(satellite, '/api/payouts/close', { method: 'POST', body: JSON.stringify({ period: 1 }) });
        expect(res.status).toBe(201);
        return (await res.json()) as { period: number; start: number; end: number; created: boolean };
      }
    };
    running = history;
    history.nodes = (await startNodes(satellite, 3, (i) => ({ wallet: `0xwallet${i}` }))).nodes;
    const client = await connectClient(satellite, { segmentSize: 256 * 1024 });
    await client.createBucket('paid');
    await client.upload('paid', 'a', new Uint8Array(randomBytes(512 * 1024)));
    await client.close();
    await satellite.runAudits();
    await satellite.runAudits();
    // B goes away: one failed uptime check against one successful check-in gives it 0.5.
    await history.nodes[1]!.stop();
    await satellite.checkUptime();
    // C is disqualified (as an audit failure streak would do).
    await satellite.registry.update(history.nodes[2]!.peerId, (n) => ({ ...n, flags: { ...n.flags, disqualified: clock() } }));
    offset += 2 * 60 * 60 * 1000;
    return history;
  }

  afterEach(async () => {
    const h = running;
    running = undefined;
    if (h === undefined) return;
    await Promise.all(h.nodes.map((n) => n.stop()));
    await h.satellite.stop();
  });

  it('credits byte-hours x rate x online x audit score, audits, held-back; nothing for the disqualified; once per period', async () => {
    const { satellite, nodes, closeFirst } = await scriptedHistory();
    const [a, b, c] = nodes.map((n) => n.peerId) as [string, string, string];
    const closed = await closeFirst();
    expect(closed).toMatchObject({ period: 1, created: true });

    // By hand: every piece's bytes times the milliseconds from its segment's creation to the end.
    const byteMs = new Map<string, bigint>();
    for await (const { segment } of satellite.metadata.remoteSegments()) {
      for (const p of segment.pieces) byteMs.set(p.nodeId, (byteMs.get(p.nodeId) ?? 0n) + BigInt(p.size) * BigInt(closed.end - segment.createdAt));
    }
    const perTbMonth = 1_000_000_000n * 1_000_000n; // micro-tokens
    const storage = (node: string, onlinePpm: bigint): bigint => (byteMs.get(node)! * perTbMonth * onlinePpm) / (10n ** 12n * 720n * 3_600_000n * 1_000_000n);
    const expectA = storage(a, 1_000_000n);
    const expectB = storage(b, 500_000n);
    expect(expectA).toBeGreaterThan(0n);
    const audits = 2n * 500_000n;
    const period = (await (await adminFetch(satellite, '/api/payouts?period=1')).json()) as { ledger: LedgerEntry[] };
    const amounts = (node: string): Record<string, string> => Object.fromEntries(period.ledger.filter((e) => e.nodeId === node).map((e) => [e.kind, e.amount]));
    expect(amounts(a)).toEqual({ storage: formatTokens(expectA), audit: formatTokens(audits), held: formatTokens(-((expectA + audits) * 75n) / 100n) });
    expect(amounts(b)).toEqual({ storage: formatTokens(expectB), audit: formatTokens(audits), held: formatTokens(-((expectB + audits) * 75n) / 100n) });
    expect(amounts(c)).toEqual({});

    // Closing period 1 again credits nothing; the ledger verifies.
    const again = await adminFetch(satellite, '/api/payouts/close', { method: 'POST', body: JSON.stringify({ period: 1 }) });
    expect(again.status).toBe(200);
    expect((await satellite.payouts.ledger.list()).length).toBe(period.ledger.length);
    expect(await (await adminFetch(satellite, '/api/ledger/verify')).json()).toEqual({ ok: true, entries: period.ledger.length });
    const summary = (await (await adminFetch(satellite, '/api/payouts')).json()) as { current: { period: number }; balances: Record<string, string> };
    expect(summary.current.period).toBe(2);
    expect(summary.balances[a]).toBe(formatTokens(expectA + audits - ((expectA + audits) * 75n) / 100n));
  }, 60_000);

  it('gives each node its signed statement, which the node verifies, keeps, and chains period to period', async () => {
    const { satellite, satelliteDir, nodes, closeFirst, advance } = await scriptedHistory();
    await closeFirst();
    const [a, , c] = nodes.map((n) => n.peerId) as [string, string, string];
    const node = nodes[0]!;
    const first = await node.earnings.fetch(satellite.id);
    const ledger = await satellite.payouts.ledger.list({ period: 1, nodeId: a });
    expect(first).toMatchObject({ satelliteId: satellite.id, period: 1, wallet: '0xwallet0', verified: true });
    expect(first.entries.map((e) => e.hash)).toEqual(ledger.map((e) => e.hash));
    expect(first.total).toBe(formatTokens(ledger.reduce((sum, e) => sum + parseTokens(e.amount), 0n)));
    // The disqualified node's statement has no entries.
    const none = await nodes[2]!.earnings.fetch(satellite.id);
    expect(none).toMatchObject({ period: 1, total: '0.000000', entries: [] });

    // Period 2 continues the chain of the kept period 1.
    advance(60 * 60 * 1000);
    await satellite.payouts.close();
    const second = await node.earnings.fetch(satellite.id);
    expect(second.period).toBe(2);
    expect(second.entries[0]!.nodePrev).toBe(first.entries.at(-1)!.hash);
    expect((await node.earnings.list(satellite.id)).map((s) => s.period)).toEqual([1, 2]);

    // A statement signed by anyone else, altered and re-signed, or for another node is refused.
    const signed = { statement: new Uint8Array(Buffer.from(first.signed.statement, 'base64')), signature: new Uint8Array(Buffer.from(first.signed.signature, 'base64')) };
    await expect(verifyPayoutStatement(signed, satellite.id, a)).resolves.toMatchObject({ period: 1n });
    const statement = PayoutStatement.decode(signed.statement);
    const forger = await generateKeyPair('Ed25519');
    await expect(verifyPayoutStatement(await signPayoutStatement(forger, statement), satellite.id, a)).rejects.toMatchObject({ code: 'ORDER_BAD_SIGNATURE' });
    const satelliteKey = await loadOrCreateIdentity(satelliteDir);
    const altered = { ...statement, entries: statement.entries.map((e, i) => (i === 0 ? { ...e, amount: '1000.000000' } : e)) };
    await expect(verifyPayoutStatement(await signPayoutStatement(satelliteKey, altered), satellite.id, a)).rejects.toMatchObject({ code: 'STATEMENT_CHAIN_BROKEN' });
    await expect(verifyPayoutStatement(signed, satellite.id, c)).rejects.toMatchObject({ code: 'ORDER_WRONG_NODE' });
  }, 60_000);

  it("estimates a node's earnings in the open period as the close would credit them", async () => {
    const { satellite, nodes, closeFirst, freeze } = await scriptedHistory();
    await closeFirst();
    const a = nodes[0]!.peerId;
    const open = await satellite.payouts.current();
    expect(open.period).toBe(2);
    const frozen = open.start + 30 * 60 * 1000;
    freeze(frozen);
    try {
      const estimate = await satellite.payouts.estimate(a);
      // By hand: byte-ms from the period's start, rate 10^9 per TB-month, scores 1, no audits in
      // the period, 75 % held back in the first month.
      let byteMs = 0n;
      for await (const { segment } of satellite.metadata.remoteSegments()) {
        for (const p of segment.pieces) if (p.nodeId === a) byteMs += BigInt(p.size) * BigInt(frozen - Math.max(open.start, segment.createdAt));
      }
      const storage = (byteMs * 1_000_000_000n * 1_000_000n) / (10n ** 12n * 720n * 3_600_000n);
      expect(storage).toBeGreaterThan(0n);
      expect(estimate).toEqual({ period: open.period, start: open.start, units: storage - (storage * 75n) / 100n });
      // The disqualified node earns nothing.
      expect((await satellite.payouts.estimate(nodes[2]!.peerId)).units).toBe(0n);
    } finally {
      freeze(undefined);
    }
  }, 60_000);

  it('fetches the periods a node missed before it keeps the latest', async () => {
    const { satellite, nodes, closeFirst, advance } = await scriptedHistory();
    await closeFirst();
    const node = nodes[0]!;
    // The node fetches nothing before periods 2 and 3 are closed too: it has missed all three.
    for (let i = 0; i < 2; i++) {
      advance(60 * 60 * 1000);
      await satellite.payouts.close();
    }
    const last = (await satellite.payouts.ledger.lastPeriod())!.period;
    expect(last).toBe(3);
    const latest = await node.earnings.fetch(satellite.id);
    expect(latest.period).toBe(last);
    // Every period from the first is kept, each verified, and the chain runs across them.
    const kept = await node.earnings.list(satellite.id);
    expect(kept.map((k) => k.period)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    const mine = await satellite.payouts.ledger.list({ nodeId: node.peerId });
    expect(kept.flatMap((k) => k.entries.map((e) => e.hash))).toEqual(mine.map((e) => e.hash));
  }, 60_000);

  it("serves the node's numbers on its dashboard API, equal to the node's own", async () => {
    const { satellite, nodes, closeFirst } = await scriptedHistory();
    await closeFirst();
    const node = nodes[0]!;
    // A statement kept, so the earnings the dashboard serves are not empty.
    expect((await node.earnings.fetch(satellite.id)).period).toBe(1);
    const get = async <T>(path: string): Promise<T> => (await (await fetch(`${node.dashboardUrl}${path}`)).json()) as T;
    const info = await get<{ id: string; satellites: { id: string; reachable: boolean }[] }>('/api/node');
    expect(info.id).toBe(node.peerId);
    expect(info.satellites).toMatchObject([{ id: satellite.id, reachable: true }]);
    const disk = await get<{ used: number; trash: number; free: number }>('/api/disk');
    expect(disk).toMatchObject({ used: node.store.usedSpace(), trash: 0, free: node.store.freeSpace() });
    // Only uploads reached this node: what came in is what it holds.
    const bandwidth = await get<{ today: { ingress: number; egress: number }; month: { ingress: number } }>('/api/bandwidth');
    expect(bandwidth.today.ingress).toBe(node.store.usedSpace());
    expect(bandwidth.month.ingress).toBe(bandwidth.today.ingress);
    expect(await get('/api/earnings')).toEqual(await node.earnings.list());
    const metrics = await (await fetch(`${node.dashboardUrl}/metrics`)).text();
    expect(metrics).toMatch(/stowage_node_transfers_total\{action="upload"\} [1-9]/);
    expect((await fetch(`${node.dashboardUrl}/api/nope`)).status).toBe(404);
  });
});

/** Statements of periods 1..n for `nodeId`, entries hash-chained as the satellite's ledger does. */
function history(nodeId: string, amounts: string[][]): PayoutStatement[] {
  let seq = 0;
  let prev = '';
  return amounts.map((periodAmounts, i) => {
    const period = i + 1;
    const entries: PayoutEntry[] = periodAmounts.map((amount) => {
      const body = { seq: ++seq, period, nodeId, kind: amount.startsWith('-') ? 'held' : 'storage', amount, detail: `period ${period}`, time: period * 1000, prev, nodePrev: prev };
      const hash = ledgerEntryHash(body);
      prev = hash;
      return { ...body, seq: BigInt(body.seq), period: BigInt(period), time: BigInt(body.time), hash };
    });
    return {
      satelliteId: '',
      nodeId,
      wallet: '0xnode',
      period: BigInt(period),
      periodStart: BigInt((period - 1) * 1000),
      periodEnd: BigInt(period * 1000),
      entries,
      total: formatTokens(periodAmounts.reduce((sum, a) => sum + parseTokens(a), 0n)),
      created: BigInt(period * 1000)
    };
  });
}

/** An entry changed and re-hashed, the total made to match: internally valid, signed, but not what was chained on. */
function tampered(s: PayoutStatement, index: number, amount: string): PayoutStatement {
  let prev = index > 0 ? s.entries[index - 1]!.hash : s.entries[0]!.nodePrev;
  const entries = s.entries.map((e, i) => {
    if (i < index) return e;
    const body = { seq: Number(e.seq), period: Number(e.period), nodeId: e.nodeId, kind: e.kind, amount: i === index ? amount : e.amount, detail: e.detail, time: Number(e.time), prev, nodePrev: prev };
    const hash = ledgerEntryHash(body);
    prev = hash;
    return { ...e, amount: body.amount, prev: body.prev, nodePrev: body.nodePrev, hash };
  });
  return { ...s, entries, total: formatTokens(entries.reduce((sum, e) => sum + parseTokens(e.amount), 0n)) };
}

describe('statements checked by the node', () => {
  let satelliteKey: PrivateKey;
  let satelliteId: string;
  let satelliteHost: Libp2p;
  let nodeHost: Libp2p;
  let nodeId: string;
  /** What the stand-in serves, by period; the latest is the highest. */
  const served = new Map<number, SignedPayoutStatement>();
  /** Periods asked for, in order (0: the latest). */
  const asked: number[] = [];

  async function serve(stream: Stream): Promise<void> {
    const framed = new FramedStream(stream);
    const req = await framed.expect(PayoutStatementRequest, 'request');
    asked.push(Number(req.period));
    const period = Number(req.period) || Math.max(0, ...served.keys());
    const statement = served.get(period);
    await framed.write(PayoutStatementResponse, statement ? { statement } : { error: { code: 'PERIOD_NOT_FOUND', message: `period ${period} is not closed` } });
    await framed.closeWrite();
  }

  async function publish(statements: PayoutStatement[]): Promise<void> {
    served.clear();
    for (const s of statements) served.set(Number(s.period), await signPayoutStatement(satelliteKey, { ...s, satelliteId }));
  }

  async function freshNode(): Promise<Earnings> {
    const db = new Level<string, unknown>(join(tempDir(), 'db'), { valueEncoding: 'json' });
    await db.open();
    const address = satelliteHost.getMultiaddrs()[0]!.toString().replace(/\/p2p\/.*$/, '');
    asked.length = 0;
    return new Earnings(db, nodeHost, [{ peerId: satelliteId, address }], nodeId, 10_000);
  }

  const periods = async (earnings: Earnings): Promise<number[]> => (await earnings.list(satelliteId)).map((s) => s.period);

  beforeAll(async () => {
    satelliteKey = await generateKeyPair('Ed25519');
    satelliteId = peerIdFromPrivateKey(satelliteKey).toString();
    satelliteHost = await createHost({ privateKey: satelliteKey, listen: ['/ip4/127.0.0.1/tcp/0'] });
    await satelliteHost.handle(PROTOCOL_PAYOUT, (stream: Stream) => void serve(stream).catch(() => undefined));
    nodeHost = await createHost();
    nodeId = nodeHost.peerId.toString();
  });

  afterAll(async () => {
    await nodeHost?.stop();
    await satelliteHost?.stop();
  });

  it('refuses a statement whose total is not the exact sum of its entries', async () => {
    // 0.1 + 0.2 - 0.075 is 0.22500000000000003 in floats: the sum is exact in micro-units.
    const [honest] = history(nodeId, [['0.100000', '0.200000', '-0.075000']]);
    expect(honest!.total).toBe('0.225000');
    await publish([{ ...honest!, total: '0.225001' }]);
    const earnings = await freshNode();
    await expect(earnings.fetch(satelliteId)).rejects.toMatchObject({ code: 'STATEMENT_TOTAL_MISMATCH' });
    await publish([{ ...honest!, total: '-0.225000' }]);
    await expect(earnings.fetch(satelliteId, 1)).rejects.toMatchObject({ code: 'STATEMENT_TOTAL_MISMATCH' });
    expect(await periods(earnings)).toEqual([]);
    await publish([honest!]);
    await expect(earnings.fetch(satelliteId)).resolves.toMatchObject({ period: 1, total: '0.225000' });
    expect(await periods(earnings)).toEqual([1]);
  });

  it('fetches a missed period before it keeps the next, and checks the chain across them', async () => {
    const statements = history(nodeId, [['1.000000'], ['2.000000', '-1.500000'], ['3.000000']]);
    await publish(statements);
    const earnings = await freshNode();
    await earnings.fetch(satelliteId, 1);
    expect(await periods(earnings)).toEqual([1]);
    // Period 2 is missed; given period 3, the node asks for 2, verifies it and keeps both.
    asked.length = 0;
    const third = await earnings.fetch(satelliteId);
    expect(third.period).toBe(3);
    expect(asked).toEqual([0, 2]);
    const kept = await earnings.list(satelliteId);
    expect(kept.map((s) => s.period)).toEqual([1, 2, 3]);
    expect(kept[1]!.entries.map((e) => e.hash)).toEqual(statements[1]!.entries.map((e) => e.hash));
    expect(kept[2]!.entries[0]!.nodePrev).toBe(kept[1]!.entries.at(-1)!.hash);
  });

  it('never replaces a kept statement: the same period re-signed with other content is a conflict', async () => {
    const statements = history(nodeId, [['1.000000'], ['2.000000', '-1.500000'], ['3.000000']]);
    await publish(statements);
    const earnings = await freshNode();
    await earnings.fetch(satelliteId);
    expect(await periods(earnings)).toEqual([1, 2, 3]);
    const before = (await earnings.list(satelliteId))[1]!;
    // The satellite answers "latest" with period 2 again, altered and re-signed.
    await publish([statements[0]!, tampered(statements[1]!, 1, '-1.999999')]);
    await expect(earnings.fetch(satelliteId)).rejects.toMatchObject({ code: 'STATEMENT_CONFLICT' });
    expect((await earnings.list(satelliteId))[1]).toEqual(before);
    // The very same statement again is simply the kept one.
    await publish([statements[0]!, statements[1]!]);
    await expect(earnings.fetch(satelliteId)).resolves.toEqual(before);
    // Re-signed later (each answer is: its `created` time) and naming the wallet the node gives
    // now, with the same entries: the kept one, not a conflict (a refetch of the latest period).
    await publish([statements[0]!, { ...statements[1]!, created: statements[1]!.created + 60_000n, wallet: '0x1111111111111111111111111111111111111111' }]);
    await expect(earnings.fetch(satelliteId)).resolves.toEqual(before);
  });

  it('spends no memory on a statement of a period far ahead: at most the backfill bound is collected', async () => {
    const [first] = history(nodeId, [['1.000000']]);
    const far = { ...first!, period: 1_000_000_000n, entries: [], total: '0.000000' };
    await publish([far]);
    const earnings = await freshNode();
    const heap = process.memoryUsage().heapUsed;
    await expect(earnings.fetch(satelliteId)).rejects.toMatchObject({ code: 'STATEMENT_PERIOD_MISSING' });
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses period N when the period N-1 it fetched does not chain to it, and keeps neither', async () => {
    const statements = history(nodeId, [['1.000000'], ['2.000000', '-1.500000'], ['3.000000']]);
    // Period 2 altered and re-signed by the satellite: valid on its own, still linked to period 1.
    const forged = [statements[0]!, tampered(statements[1]!, 1, '-0.500000'), statements[2]!];
    await publish(forged);
    const earnings = await freshNode();
    await earnings.fetch(satelliteId, 1);
    await expect(earnings.fetch(satelliteId)).rejects.toMatchObject({ code: 'STATEMENT_CHAIN_BROKEN' });
    expect(await periods(earnings)).toEqual([1]);
    // With nothing kept the node fetches 1 and 2 itself, and refuses the same way.
    const fresh = await freshNode();
    await expect(fresh.fetch(satelliteId)).rejects.toMatchObject({ code: 'STATEMENT_CHAIN_BROKEN' });
    expect(await periods(fresh)).toEqual([]);
    // The honest history is accepted from scratch.
    await publish(statements);
    await expect(fresh.fetch(satelliteId)).resolves.toMatchObject({ period: 3 });
    expect(await periods(fresh)).toEqual([1, 2, 3]);
  });

  it('refuses a statement whose first entry does not start the chain when no earlier one is kept', async () => {
    const [, second] = history(nodeId, [['1.000000'], ['2.000000']]);
    // A period 1 that is period 2's entries renumbered would still link to an entry never shown.
    const orphan: PayoutStatement = { ...second!, period: 1n, entries: second!.entries.map((e) => ({ ...e, period: 1n, hash: ledgerEntryHash({ seq: Number(e.seq), period: 1, nodeId: e.nodeId, kind: e.kind, amount: e.amount, detail: e.detail, time: Number(e.time), prev: e.prev, nodePrev: e.nodePrev }) })) };
    await publish([orphan]);
    const earnings = await freshNode();
    await expect(earnings.fetch(satelliteId)).rejects.toMatchObject({ code: 'STATEMENT_CHAIN_BROKEN' });
    expect(await periods(earnings)).toEqual([]);
  });

  it('calls a period the satellite cannot give, before one it has, an error', async () => {
    const statements = history(nodeId, [['1.000000'], ['2.000000'], ['3.000000']]);
    await publish([statements[0]!, statements[2]!]);
    const earnings = await freshNode();
    await earnings.fetch(satelliteId, 1);
    await expect(earnings.fetch(satelliteId)).rejects.toMatchObject({ code: 'STATEMENT_PERIOD_MISSING' });
    expect(await periods(earnings)).toEqual([1]);
  });

  it(`fetches at most ${MAX_BACKFILL_PERIODS} missing periods a call, keeping them, and the rest on the next`, async () => {
    const n = MAX_BACKFILL_PERIODS + 3;
    await publish(history(nodeId, Array.from({ length: n }, (_, i) => (i % 2 === 0 ? [`${i + 1}.000000`] : []))));
    const earnings = await freshNode();
    await expect(earnings.fetch(satelliteId)).rejects.toMatchObject({ code: 'STATEMENT_CHAIN_INCOMPLETE' });
    expect(asked).toHaveLength(1 + MAX_BACKFILL_PERIODS);
    expect(await periods(earnings)).toEqual(Array.from({ length: MAX_BACKFILL_PERIODS }, (_, i) => i + 1));
    asked.length = 0;
    await expect(earnings.fetch(satelliteId)).resolves.toMatchObject({ period: n });
    expect(asked).toEqual([0, MAX_BACKFILL_PERIODS + 1, MAX_BACKFILL_PERIODS + 2]);
    expect(await periods(earnings)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  }, 60_000);
});
