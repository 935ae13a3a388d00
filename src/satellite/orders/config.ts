// The orders part's configuration (a flat key of the satellite's config file).
export interface OrdersConfig {
  /** How long order limits may be used. */
  orderTtlMs: number;
}

export const ORDERS_DEFAULTS: OrdersConfig = { orderTtlMs: 60 * 60 * 1000 };
