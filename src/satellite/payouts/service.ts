// Payout periods. Each period (an hour on a devnet, a month in production) the satellite credits
// every node: byte-hours of the pieces it holds (from the metadata: only pieces still held, each
// from when its segment was stored) times the storage rate, times its online score and its audit
// score; plus a rate per successful audit when configured. A disqualified node earns nothing.
// Storj's held-back schedule (75/75/75/50/50/50/25/25/25/0 % by node age in months) is optional.
// All arithmetic is on integer micro-tokens (bigint).
import type { AuditService } from '../audit/index.js';
import type { MetadataDB } from '../metainfo/index.js';
import type { SettlementDB } from '../orders/index.js';
import type { NodeDB } from '../overlay/index.js';
import { auditScore, type ReputationStore } from '../reputation/index.js';
import { HELD_BACK_SCHEDULE, type PayoutConfig } from './config.js';
import type { LedgerDB, PayoutStateDB } from './db.js';
import type { Credit, PeriodRecord } from './ledger.js';
import { formatTokens, parseTokens } from './tokens.js';

const MONTH_MS = 30 * 24 * 60 * 60 * 1000;
const TB_MONTH_BYTE_MS = 10n ** 12n * 720n * 3_600_000n;
const TB = 10n ** 12n;
const PPM = 1_000_000n;

export interface PayoutDeps {
  ledger: LedgerDB;
  state: PayoutStateDB;
  registry: NodeDB;
  metadata: MetadataDB;
  reputation: ReputationStore;
  audits: AuditService;
  /** Egress settled by the nodes (bandwidth orders); without it no egress is credited. */
  settlements?: Pick<SettlementDB, 'egress' | 'pruneEgress'>;
  now: () => number;
}

export class PayoutService {
  readonly ledger: LedgerDB;
  private readonly state: PayoutStateDB;
  private closing: Promise<{ record: PeriodRecord; created: boolean }> | undefined;

  constructor(
    private readonly d: PayoutDeps,
    private readonly config: PayoutConfig
  ) {
    this.ledger = d.ledger;
    this.state = d.state;
  }

  /** When the first period began: the first time payouts ran on this satellite. */
  async epoch(): Promise<number> {
    const start = await this.state.epoch();
    if (start !== undefined) return start;
    // Read back: another satellite process sharing the store may have set it first (the first wins).
    await this.state.setEpoch(this.d.now());
    return (await this.state.epoch())!;
  }

  /** The open period: its number and start. */
  async current(): Promise<{ period: number; start: number }> {
    const last = await this.ledger.lastPeriod();
    return last ? { period: last.period + 1, start: last.end } : { period: 1, start: await this.epoch() };
  }

  /** Closes the open period at now when it has run its length (the schedule calls this). */
  async closeIfDue(): Promise<PeriodRecord | undefined> {
    const cur = await this.current();
    if (this.config.periodMs <= 0 || this.d.now() - cur.start < this.config.periodMs) return undefined;
    return (await this.close()).record;
  }

  /**
   * Closes the open period at now and credits it. With `period`, a period already closed is
   * returned as it was (nothing is credited twice).
   */
  async close(period?: number): Promise<{ record: PeriodRecord; created: boolean }> {
    this.closing ??= this.closeNow(period).finally(() => (this.closing = undefined));
    return this.closing;
  }

  private async closeNow(period?: number): Promise<{ record: PeriodRecord; created: boolean }> {
    if (period !== undefined) {
      const done = await this.ledger.period(period);
      if (done) return { record: done, created: false };
    }
    const cur = await this.current();
    // Closed meanwhile by another satellite process sharing the store: that record, not the next period.
    if (period !== undefined && cur.period > period) {
      const done = await this.ledger.period(period);
      if (done) return { record: done, created: false };
    }
    const end = this.d.now();
    const credits = await this.credits(cur.start, end);
    const closed = await this.ledger.closePeriod({ period: cur.period, start: cur.start, end }, credits, end);
    // The settled orders it credited are not needed again (later periods read from `end` on); a
    // crash before this leaves them, harmless.
    if (closed.created) await this.d.settlements?.pruneEgress(end);
    return closed;
  }

  /** The open period and what one node has earned in it so far (after held-back), as a close now would credit it. */
  async estimate(nodeId: string): Promise<{ period: number; start: number; units: bigint }> {
    const cur = await this.current();
    const credits = await this.credits(cur.start, this.d.now(), nodeId);
    return { ...cur, units: credits.reduce((sum, c) => sum + c.units, 0n) };
  }

  /** What each node (or only `onlyNode`) earned in [start, end). */
  async credits(start: number, end: number, onlyNode?: string): Promise<Credit[]> {
    const byteMs = new Map<string, bigint>();
    for await (const { segment } of this.d.metadata.remoteSegments()) {
      const from = Math.max(start, segment.createdAt);
      if (from >= end) continue;
      for (const p of segment.pieces) byteMs.set(p.nodeId, (byteMs.get(p.nodeId) ?? 0n) + BigInt(p.size) * BigInt(end - from));
    }
    const storageRate = parseTokens(this.config.storageRate);
    const auditRate = parseTokens(this.config.auditRate);
    const egressRates = { GET: parseTokens(this.config.egressRate), REPAIR_GET: parseTokens(this.config.repairEgressRate) };
    // Egress is paid as settled, whatever the scores (Storj's way); a disqualified node gets none.
    const egress = new Map<string, { GET: bigint; REPAIR_GET: bigint }>();
    for (const t of (await this.d.settlements?.egress(start, end, onlyNode)) ?? []) {
      const e = egress.get(t.nodeId) ?? { GET: 0n, REPAIR_GET: 0n };
      e[t.action] += BigInt(t.bytes);
      egress.set(t.nodeId, e);
    }
    const out: Credit[] = [];
    for await (const node of this.d.registry.list()) {
      if (node.flags.disqualified !== null || (onlyNode !== undefined && node.id !== onlyNode)) continue;
      const online = await this.d.registry.onlineScore(node.id, end);
      const audit = auditScore(await this.d.reputation.get(node.id));
      const ppm = BigInt(Math.round(online * audit * 1e6));
      const held = byteMs.get(node.id) ?? 0n;
      const storage = (held * storageRate * ppm) / (TB_MONTH_BYTE_MS * PPM);
      const passed = auditRate > 0n ? await this.d.audits.countSuccesses(node.id, start, end) : 0;
      const audits = BigInt(passed) * auditRate;
      const factors = `online ${online.toFixed(4)} x audit ${audit.toFixed(4)}`;
      out.push({ nodeId: node.id, kind: 'storage', units: storage, detail: `${held / 3_600_000n} byte-hours at ${this.config.storageRate} per TB-month x ${factors}` });
      if (audits > 0n) out.push({ nodeId: node.id, kind: 'audit', units: audits, detail: `${passed} audits passed at ${this.config.auditRate}` });
      const served = egress.get(node.id) ?? { GET: 0n, REPAIR_GET: 0n };
      const getPay = (served.GET * egressRates.GET) / TB;
      const repairPay = (served.REPAIR_GET * egressRates.REPAIR_GET) / TB;
      if (getPay > 0n) out.push({ nodeId: node.id, kind: 'egress', units: getPay, detail: `${served.GET} bytes of egress at ${this.config.egressRate} per TB` });
      if (repairPay > 0n) out.push({ nodeId: node.id, kind: 'repair-egress', units: repairPay, detail: `${served.REPAIR_GET} bytes of repair egress at ${this.config.repairEgressRate} per TB` });
      if (this.config.heldBack) {
        const months = Math.floor((end - node.firstContact) / MONTH_MS);
        const percent = HELD_BACK_SCHEDULE[months] ?? 0;
        const withheld = ((storage + audits + getPay + repairPay) * BigInt(percent)) / 100n;
        if (withheld > 0n) out.push({ nodeId: node.id, kind: 'held', units: -withheld, detail: `${percent}% held back in month ${months + 1} (${formatTokens(withheld)})` });
      }
    }
    return out;
  }
}
