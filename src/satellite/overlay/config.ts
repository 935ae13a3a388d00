// The overlay's configuration (a flat key of the satellite's config file).
export interface OverlayConfig {
  /**
   * Node selection reads the registry from memory and loads it whole again after this long
   * (changes made through the satellite are seen at once; see cache.ts); 0 loads it per selection.
   */
  selectionCacheMs: number;
  /**
   * A node no check-in or uptime check has reached for this long, holding no piece and neither
   * disqualified nor distrusted, is deleted from the registry (prune.ts; checked hourly); 0 never.
   * Keep it well above onlineWithinMs: nodes unreached that long get no new pieces.
   */
  pruneUnreachedAfterMs: number;
}

export const OVERLAY_DEFAULTS: OverlayConfig = {
  selectionCacheMs: 60_000,
  pruneUnreachedAfterMs: 7 * 24 * 60 * 60 * 1000
};
