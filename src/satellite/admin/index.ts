// Admin: the operator HTTP API, the page, and /metrics.
export { SatelliteMetrics } from './metrics.js';
export { type AdminDeps } from './routes.js';
export { createAdminServer } from './server.js';
export { parseHostPort } from '../../common/index.js';
