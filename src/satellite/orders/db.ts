// The settlement store: serials already settled (so none is counted twice) and the egress each
// settlement credited, by the time it was settled (payout periods sum a range of it).

/** The download actions whose egress is settled by bandwidth orders. */
export type EgressAction = 'GET' | 'REPAIR_GET';

/** One settled bandwidth order: the highest amount a node held for one serial. */
export interface SettledOrder {
  /** The order limit's serial, hex. */
  serial: string;
  nodeId: string;
  action: EgressAction;
  /** Bytes the downloader signed for. */
  amount: number;
  /** When the satellite signed the order limit (ms). */
  created: number;
  /** When the satellite accepted the settlement (ms): the payout period it counts in. */
  settled: number;
}

/** Egress of one node and action, summed. */
export interface EgressTotal {
  nodeId: string;
  action: EgressAction;
  bytes: number;
  orders: number;
}

export interface SettlementDB {
  /**
   * Records the order and its serial in one write unless the serial is settled already (checked
   * and written as one step, whatever else runs at once); false when it was. The store stamps
   * `settled` with its clock as it writes. The serial is kept until `keepSerialUntil` (after that
   * the order is refused as too old anyway).
   */
  settle(order: Omit<SettledOrder, 'settled'>, keepSerialUntil: number): Promise<boolean>;
  /**
   * Egress settled in [start, end), per node and action; of one node when `nodeId` is given. Read
   * after the settlements already asked for are written: a payout close that takes `end = now`
   * first misses none stamped before `end`.
   */
  egress(start: number, end: number, nodeId?: string): Promise<EgressTotal[]>;
  /** Whether a serial (hex) is settled and still kept. */
  isSettled(serial: string): Promise<boolean>;
  /** Forgets serials whose keep time is before `now`; returns how many. */
  pruneSerials(now: number): Promise<number>;
  /** Forgets settled orders stamped before `before` (their period is closed and credited); returns how many. */
  pruneEgress(before: number): Promise<number>;
}
