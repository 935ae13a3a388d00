// Bandwidth orders the node has not settled yet: per satellite and serial, the highest amount a
// downloader signed, with the order limit it came under, in the node's LevelDB (so they survive
// a restart). The settlement chore (settlement.ts) sends them to their satellite and forgets what
// the satellite answered for; orders older than the settlement window are dropped.
import type { Level } from 'level';
import type { OrderLimit, SignedBandwidthOrder, SignedOrderLimit } from '../protocol/index.js';

/** One kept order, as it is stored (bytes as base64: the LevelDB values are JSON). */
export interface UnsettledOrder {
  satelliteId: string;
  /** Hex. */
  serial: string;
  limit: string;
  limitSignature: string;
  order: string;
  orderSignature: string;
  /** Bytes signed for (a decimal string: a uint64). */
  amount: string;
  /** When the satellite created the limit (ms). */
  created: number;
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const pad = (n: number): string => String(n).padStart(16, '0');
/** Keyed by satellite, then the limit's creation time: the oldest orders are settled first. */
const keyOf = (o: Pick<UnsettledOrder, 'satelliteId' | 'created' | 'serial'>): string => `${o.satelliteId}!${pad(o.created)}!${o.serial}`;

/**
 * Orders kept for one satellite at most (about 600 bytes each: 60 MB): a satellite that does not
 * settle, or downloads faster than settlement rounds drain (10,000 a round), cannot fill the
 * node's disk with them. Past it a new serial is not kept (and not paid); a kept one still rises.
 */
export const MAX_UNSETTLED_PER_SATELLITE = 100_000;

export class UnsettledOrders {
  private readonly orders;
  /** keep() calls run one at a time: each compares with what the one before wrote. */
  private writing: Promise<unknown> = Promise.resolve();
  /** Orders kept per satellite, counted from the store on first use. */
  private readonly counts = new Map<string, number>();
  /** Serials not kept because their satellite was at the cap (the log and the metric say so). */
  refused = 0;

  constructor(
    db: Level<string, unknown>,
    private readonly maxPerSatellite = MAX_UNSETTLED_PER_SATELLITE
  ) {
    this.orders = db.sublevel<string, UnsettledOrder>('unsettled-orders', { valueEncoding: 'json' });
  }

  private async count(satelliteId: string): Promise<number> {
    let n = this.counts.get(satelliteId);
    if (n === undefined) {
      n = 0;
      for await (const _ of this.orders.keys({ gt: `${satelliteId}!`, lt: `${satelliteId}"` })) n++;
      this.counts.set(satelliteId, n);
    }
    return n;
  }

  /**
   * Keeps `order` for the limit's serial unless a higher amount is kept already; false when it is
   * a new serial of a satellite that has `maxPerSatellite` kept already.
   */
  keep(signedLimit: SignedOrderLimit, limit: OrderLimit, order: SignedBandwidthOrder, amount: bigint): Promise<boolean> {
    const run = this.writing.then(async () => {
      const key = keyOf({ satelliteId: limit.satelliteId, created: Number(limit.orderCreation), serial: hex(limit.serialNumber) });
      const old = await this.orders.get(key);
      if (old && BigInt(old.amount) >= amount) return true;
      if (!old) {
        const n = await this.count(limit.satelliteId);
        if (n >= this.maxPerSatellite) {
          this.refused++;
          return false;
        }
        this.counts.set(limit.satelliteId, n + 1);
      }
      await this.orders.put(key, {
        satelliteId: limit.satelliteId,
        serial: hex(limit.serialNumber),
        limit: b64(signedLimit.limit),
        limitSignature: b64(signedLimit.signature),
        order: b64(order.order),
        orderSignature: b64(order.signature),
        amount: amount.toString(),
        created: Number(limit.orderCreation)
      });
      return true;
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** The satellites that have orders kept for them. */
  async satellites(): Promise<string[]> {
    const out: string[] = [];
    for await (const key of this.orders.keys()) {
      const sat = key.slice(0, key.indexOf('!'));
      if (out.at(-1) !== sat) out.push(sat);
    }
    return out;
  }

  /** Up to `limit` orders kept for one satellite, oldest first. */
  async of(satelliteId: string, limit: number): Promise<UnsettledOrder[]> {
    const out: UnsettledOrder[] = [];
    for await (const o of this.orders.values({ gt: `${satelliteId}!`, lt: `${satelliteId}"`, limit })) out.push(o);
    return out;
  }

  /** Forgets orders (settled, or answered as never payable). */
  async forget(orders: readonly Pick<UnsettledOrder, 'satelliteId' | 'created' | 'serial'>[]): Promise<void> {
    await this.writing;
    if (orders.length) await this.orders.batch(orders.map((o) => ({ type: 'del' as const, key: keyOf(o) })));
    // Counted again on next use: what was asked to forget may not all have been kept.
    for (const sat of new Set(orders.map((o) => o.satelliteId))) this.counts.delete(sat);
  }

  /** Drops orders whose limits were created before `cutoff` (too old to settle); returns them. */
  async dropOlderThan(cutoff: number): Promise<UnsettledOrder[]> {
    await this.writing;
    const old: UnsettledOrder[] = [];
    for await (const o of this.orders.values()) if (o.created < cutoff) old.push(o);
    await this.forget(old);
    return old;
  }

  /** How many orders and bytes are kept (the dashboard and metrics). */
  async totals(): Promise<{ orders: number; bytes: bigint }> {
    let orders = 0;
    let bytes = 0n;
    for await (const o of this.orders.values()) {
      orders++;
      bytes += BigInt(o.amount);
    }
    return { orders, bytes };
  }
}
