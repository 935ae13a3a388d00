// The node-stats part's configuration (a flat key of the satellite's config file).
export interface NodeStatsConfig {
  /**
   * How long the per-node byte and token totals behind every answer (two walks of all segments)
   * are kept before they are computed again; 0 computes them per request.
   */
  nodeStatsCacheMs: number;
}

export const NODE_STATS_DEFAULTS: NodeStatsConfig = {
  // The node asks at most every 30 s for its dashboard.
  nodeStatsCacheMs: 60_000
};
