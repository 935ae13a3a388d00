// The LevelDB SettlementDB: settled serials (serial -> keep-until) and settled orders keyed by
// settlement time, so a payout period's egress is one range read.
import type { Level } from 'level';
import type { EgressTotal, SettledOrder, SettlementDB } from '../../orders/index.js';

const pad = (n: number): string => String(n).padStart(16, '0');

export class LevelSettlementDB implements SettlementDB {
  private readonly serials;
  private readonly settled;
  /** settle() runs one at a time: its check and its write must not interleave with another's. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Level<string, unknown>,
    private readonly now: () => number = Date.now
  ) {
    this.serials = db.sublevel<string, number>('settled-serials', { valueEncoding: 'json' });
    // The metadata's project egress counters share this sublevel name (an on-disk format that stays):
    // their values are numbers, a settled order's an object, and only the latter are read or pruned here.
    this.settled = db.sublevel<string, SettledOrder | number>('egress', { valueEncoding: 'json' });
  }

  settle(order: Omit<SettledOrder, 'settled'>, keepSerialUntil: number): Promise<boolean> {
    const run = this.writing.then(() => this.settleNow({ ...order, settled: this.now() }, keepSerialUntil));
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async settleNow(order: SettledOrder, keepSerialUntil: number): Promise<boolean> {
    if ((await this.serials.get(order.serial)) !== undefined) return false;
    await this.db.batch([
      { type: 'put', sublevel: this.serials, key: order.serial, value: keepSerialUntil },
      { type: 'put', sublevel: this.settled, key: `${pad(order.settled)}!${order.serial}`, value: order }
    ] as never);
    return true;
  }

  async egress(start: number, end: number, nodeId?: string): Promise<EgressTotal[]> {
    await this.writing;
    const totals = new Map<string, EgressTotal>();
    for await (const o of this.settled.values({ gte: pad(start), lt: pad(end) })) {
      if (typeof o !== 'object' || (nodeId !== undefined && o.nodeId !== nodeId)) continue;
      const key = `${o.nodeId}!${o.action}`;
      const t = totals.get(key) ?? { nodeId: o.nodeId, action: o.action, bytes: 0, orders: 0 };
      t.bytes += o.amount;
      t.orders++;
      totals.set(key, t);
    }
    return [...totals.values()].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
  }

  async isSettled(serial: string): Promise<boolean> {
    return (await this.serials.get(serial)) !== undefined;
  }

  async pruneSerials(now: number): Promise<number> {
    const old: string[] = [];
    for await (const [serial, until] of this.serials.iterator()) if (until < now) old.push(serial);
    if (old.length) await this.db.batch(old.map((key) => ({ type: 'del', sublevel: this.serials, key })) as never);
    return old.length;
  }

  async pruneEgress(before: number): Promise<number> {
    await this.writing;
    const old: string[] = [];
    for await (const [key, value] of this.settled.iterator({ lt: pad(before) })) if (typeof value === 'object') old.push(key);
    if (old.length) await this.db.batch(old.map((key) => ({ type: 'del', sublevel: this.settled, key })) as never);
    return old.length;
  }
}
