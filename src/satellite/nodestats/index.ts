// Node stats: a node asks for its own reputation, held bytes and period estimate.
export { handleNodeStats, type NodeStatsDeps } from './endpoint.js';
