// Node stats: a node asks for its own reputation, held bytes and period estimate (endpoint),
// answered from memory (cache).
export { handleNodeStats, type NodeStatsDeps } from './endpoint.js';
export { NodeStatsCache, type NodeStats, type NodeStatsSources } from './cache.js';
export { NODE_STATS_DEFAULTS, type NodeStatsConfig } from './config.js';
