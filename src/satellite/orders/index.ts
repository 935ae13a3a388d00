// Orders: signed order limits and the piece ids they name.
export { derivePieceId, OrderIssuer, type OrderTarget, type OrderIssuerOptions } from './issuer.js';
export { ORDERS_DEFAULTS, type OrdersConfig } from './config.js';
