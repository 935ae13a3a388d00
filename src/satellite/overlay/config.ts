// The overlay's configuration (a flat key of the satellite's config file).
export interface OverlayConfig {
  /**
   * Node selection reads the registry from memory and loads it whole again after this long
   * (changes made through the satellite are seen at once; see cache.ts); 0 loads it per selection.
   */
  selectionCacheMs: number;
}

export const OVERLAY_DEFAULTS: OverlayConfig = {
  selectionCacheMs: 60_000
};
