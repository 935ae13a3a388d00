// Admin: the operator HTTP API, the page, and /metrics.
export { SatelliteMetrics, createAdminServer, parseHostPort, type AdminDeps } from './server.js';
