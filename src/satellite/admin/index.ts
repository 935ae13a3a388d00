// Admin: the operator HTTP API, the page, and /metrics; the API's bearer token.
export { SatelliteMetrics } from './metrics.js';
export { type AdminDeps } from './routes.js';
export { createAdminServer, type AdminServerOptions } from './server.js';
export { ADMIN_TOKEN_FILE, bearerMatches, loadOrCreateAdminToken } from './token.js';
export { parseHostPort } from '../../common/index.js';
