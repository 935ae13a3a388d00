// Orders: signed order limits and the piece ids they name.
export { derivePieceId, OrderIssuer, type OrderTarget, type OrderIssuerOptions } from './issuer.js';
