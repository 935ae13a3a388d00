// The orders part's configuration (a flat key of the satellite's config file).
export interface OrdersConfig {
  /** How long order limits may be used. */
  orderTtlMs: number;
  /** Bandwidth orders under limits created longer ago than this are no longer settled (egress). */
  settlementWindowMs: number;
  /** Settlement requests per second per node (burst 10x); 0: no limit. */
  settlementsPerSecond: number;
}

export const ORDERS_DEFAULTS: OrdersConfig = { orderTtlMs: 60 * 60 * 1000, settlementWindowMs: 48 * 60 * 60 * 1000, settlementsPerSecond: 1 };
