// The LevelDB LedgerDB (Ledger): entries by sequence number in 'ledger', closed periods in
// 'ledger-periods', and the chain's heads in 'ledger-heads'. A period is closed in one batch with
// its entries, so a crash leaves it closed with all of them or not at all; closing a closed period
// again credits nothing.
import type { Level } from 'level';
import { StowageError } from '../../../common/index.js';
import { chainCredits, creditedNodes, formatTokens, parseTokens, verifyChain, type ChainHead as Head, type Credit, type LedgerDB, type LedgerEntry, type PeriodRecord } from '../../payouts/index.js';

const pad = (n: number): string => String(n).padStart(12, '0');

export class Ledger implements LedgerDB {
  private readonly entries;
  private readonly periods;
  private readonly heads;

  constructor(private readonly db: Level<string, unknown>) {
    this.entries = db.sublevel<string, LedgerEntry>('ledger', { valueEncoding: 'json' });
    this.periods = db.sublevel<string, PeriodRecord>('ledger-periods', { valueEncoding: 'json' });
    // 'all' -> the last entry; 'node!<id>' -> that node's last entry.
    this.heads = db.sublevel<string, Head>('ledger-heads', { valueEncoding: 'json' });
  }

  async period(period: number): Promise<PeriodRecord | undefined> {
    return this.periods.get(pad(period));
  }

  async lastPeriod(): Promise<PeriodRecord | undefined> {
    for await (const p of this.periods.values({ reverse: true, limit: 1 })) return p;
    return undefined;
  }

  async listPeriods(): Promise<PeriodRecord[]> {
    const out: PeriodRecord[] = [];
    for await (const p of this.periods.values()) out.push(p);
    return out;
  }

  /**
   * Appends the period's credits and marks it closed, in one batch. A period already closed is
   * returned as it is and nothing is credited again.
   */
  async closePeriod(period: { period: number; start: number; end: number }, credits: readonly Credit[], now: number): Promise<{ record: PeriodRecord; created: boolean }> {
    const existing = await this.period(period.period);
    if (existing) return { record: existing, created: false };
    const last = await this.lastPeriod();
    if (last && period.period !== last.period + 1) {
      throw new StowageError('PERIOD_OUT_OF_ORDER', `period ${period.period} cannot follow period ${last.period}`);
    }
    const nodeHeads = new Map<string, string>();
    for (const nodeId of creditedNodes(credits)) {
      const h = await this.heads.get(`node!${nodeId}`);
      if (h) nodeHeads.set(nodeId, h.hash);
    }
    const chain = chainCredits(period, credits, now, (await this.heads.get('all')) ?? { seq: 0, hash: '' }, nodeHeads);
    const ops: unknown[] = chain.entries.map((entry) => ({ type: 'put', sublevel: this.entries, key: pad(entry.seq), value: entry }));
    for (const [nodeId, hash] of chain.nodeHeads) ops.push({ type: 'put', sublevel: this.heads, key: `node!${nodeId}`, value: { seq: 0, hash } });
    ops.push({ type: 'put', sublevel: this.heads, key: 'all', value: chain.head });
    const record = chain.record;
    ops.push({ type: 'put', sublevel: this.periods, key: pad(period.period), value: record });
    await this.db.batch(ops as never);
    return { record, created: true };
  }

  /**
   * Where a closed period's entries are: they were written in one batch after those of the
   * periods before it, so they are the seq range after the others' counts. Undefined for a
   * period not closed.
   */
  private async seqRange(period: number): Promise<{ gte: string; lt: string } | undefined> {
    let first = 1;
    for await (const rec of this.periods.values({ lt: pad(period) })) first += rec.entries;
    const rec = await this.periods.get(pad(period));
    if (!rec) return undefined;
    return { gte: pad(first), lt: pad(first + rec.entries) };
  }

  /**
   * Entries in order; of one period and/or one node when asked. A period's entries are read as
   * its seq range, not by walking the whole ledger (a node's payout statement asks for this, and
   * any registered node may ask).
   */
  async list(filter: { period?: number; nodeId?: string } = {}): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    const range = filter.period !== undefined ? await this.seqRange(filter.period) : {};
    if (!range) return out;
    for await (const e of this.entries.values(range)) {
      if (filter.period !== undefined && e.period !== filter.period) continue;
      if (filter.nodeId !== undefined && e.nodeId !== filter.nodeId) continue;
      out.push(e);
    }
    return out;
  }

  /** Balances per node, derived from the entries. */
  async balances(): Promise<Record<string, string>> {
    const sums = new Map<string, bigint>();
    for await (const e of this.entries.values()) sums.set(e.nodeId, (sums.get(e.nodeId) ?? 0n) + parseTokens(e.amount));
    return Object.fromEntries([...sums].map(([id, units]) => [id, formatTokens(units)]));
  }

  /** Recomputes every hash and link; the first entry that does not hold is reported. */
  async verify(): Promise<{ ok: boolean; entries: number; problem?: string }> {
    // Read as text and parsed by the check: an entry that is no longer JSON is reported as altered.
    const stored = async function* (it: AsyncIterable<[string, unknown]>) {
      for await (const [key, text] of it) yield { key, entry: () => JSON.parse(String(text)) as LedgerEntry };
    };
    return verifyChain(stored(this.entries.iterator({ valueEncoding: 'utf8' }) as AsyncIterable<[string, unknown]>), pad, () => this.heads.get('all'));
  }
}
