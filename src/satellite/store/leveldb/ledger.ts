// The LevelDB LedgerDB (Ledger): entries by sequence number in 'ledger', closed periods in
// 'ledger-periods', and the chain's heads in 'ledger-heads'. A period is closed in one batch with
// its entries, so a crash leaves it closed with all of them or not at all; closing a closed period
// again credits nothing.
import type { Level } from 'level';
import { StowageError } from '../../../common/index.js';
import { entryHash, formatTokens, parseTokens, type Credit, type LedgerDB, type LedgerEntry, type PeriodRecord } from '../../payouts/index.js';

interface Head {
  seq: number;
  hash: string;
}

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
    let head = (await this.heads.get('all')) ?? { seq: 0, hash: '' };
    const nodeHeads = new Map<string, string>();
    const ops: unknown[] = [];
    let total = 0n;
    for (const c of credits) {
      if (c.units === 0n) continue;
      const nodePrev = nodeHeads.get(c.nodeId) ?? (await this.heads.get(`node!${c.nodeId}`))?.hash ?? '';
      const body = { seq: head.seq + 1, period: period.period, nodeId: c.nodeId, kind: c.kind, amount: formatTokens(c.units), detail: c.detail, time: now, prev: head.hash, nodePrev };
      const entry: LedgerEntry = { ...body, hash: entryHash(body) };
      ops.push({ type: 'put', sublevel: this.entries, key: pad(entry.seq), value: entry });
      head = { seq: entry.seq, hash: entry.hash };
      nodeHeads.set(c.nodeId, entry.hash);
      total += c.units;
    }
    for (const [nodeId, hash] of nodeHeads) ops.push({ type: 'put', sublevel: this.heads, key: `node!${nodeId}`, value: { seq: 0, hash } });
    ops.push({ type: 'put', sublevel: this.heads, key: 'all', value: head });
    const record: PeriodRecord = { ...period, closedAt: now, entries: ops.length - nodeHeads.size - 1, total: formatTokens(total) };
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
    let prev = '';
    let seq = 0;
    const nodePrev = new Map<string, string>();
    // Read as text and parsed here: an entry that is no longer JSON, or lacks a field the hash
    // covers, is reported as altered like any other edit, never thrown (a 500 named nothing).
    for await (const [key, text] of this.entries.iterator({ valueEncoding: 'utf8' }) as AsyncIterable<[string, unknown]>) {
      seq++;
      let e: LedgerEntry;
      let hash: string;
      try {
        e = JSON.parse(String(text)) as LedgerEntry;
        hash = entryHash(e);
      } catch {
        return { ok: false, entries: seq, problem: `entry ${seq} was altered: it is not a ledger entry any more` };
      }
      const problem =
        key !== pad(seq) || e.seq !== seq
          ? `entry ${key} is out of sequence (expected ${seq})`
          : e.prev !== prev
            ? `entry ${seq} does not link to the entry before it`
            : e.nodePrev !== (nodePrev.get(e.nodeId) ?? '')
              ? `entry ${seq} does not link to its node's previous entry`
              : hash !== e.hash
                ? `entry ${seq} was altered: its hash does not match its content`
                : undefined;
      if (problem) return { ok: false, entries: seq, problem };
      prev = e.hash;
      nodePrev.set(e.nodeId, e.hash);
    }
    const head = await this.heads.get('all');
    if ((head?.hash ?? '') !== prev || (head?.seq ?? 0) !== seq) return { ok: false, entries: seq, problem: 'the ledger ends before its recorded head (entries removed)' };
    return { ok: true, entries: seq };
  }
}
