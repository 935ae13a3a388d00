// Garbage collection's configuration: how often filters go out, their false-positive rate, and
// how long sending one may take.

export interface GcConfig {
  /** How often filters are sent; 0 turns the schedule off. */
  intervalMs: number;
  falsePositiveRate: number;
  /** How long sending one node its filter may take. */
  timeoutMs: number;
}

export const GC_DEFAULTS: GcConfig = { intervalMs: 24 * 60 * 60 * 1000, falsePositiveRate: 0.1, timeoutMs: 60_000 };
