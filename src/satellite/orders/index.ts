// Orders: signed order limits and the piece ids they name; egress settlement of bandwidth orders.
export { derivePieceId, OrderIssuer, type OrderTarget, type OrderIssuerOptions } from './issuer.js';
export { ORDERS_DEFAULTS, type OrdersConfig } from './config.js';
export { settleOrders, MAX_SETTLEMENT_ITEMS, SETTLEMENT_SKEW_MS, type SettlementOptions } from './settlement.js';
export type { EgressAction, EgressTotal, SettledOrder, SettlementDB } from './db.js';
export { handleSettlement, type SettlementEndpointDeps } from './endpoint.js';
