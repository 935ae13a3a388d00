// The contact part's configuration (flat keys of the satellite's config file).
export interface ContactConfig {
  /** How long a dial-back or uptime check may take. */
  dialTimeoutMs: number;
  /** Suggested to nodes as the delay to their next check-in. */
  checkInIntervalMs: number;
  /** How often every known node is pinged; 0 turns the schedule off (tests call checkUptime()). */
  uptimeCheckIntervalMs: number;
  /** Width of one window of uptime checks. */
  uptimeWindowMs: number;
  /** Windows older than this do not count toward the online score (and are pruned). */
  uptimePeriodMs: number;
}

export const CONTACT_DEFAULTS: ContactConfig = {
  dialTimeoutMs: 10_000,
  checkInIntervalMs: 60 * 60 * 1000,
  uptimeCheckIntervalMs: 60 * 60 * 1000,
  uptimeWindowMs: 12 * 60 * 60 * 1000,
  uptimePeriodMs: 30 * 24 * 60 * 60 * 1000
};
