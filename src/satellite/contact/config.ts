// The contact part's configuration (flat keys of the satellite's config file).
import type { AllowPrivateAddresses } from './addresses.js';

export interface ContactConfig {
  /** How long a dial-back or uptime check of one address may take (all addresses of a node together: twice this). */
  dialTimeoutMs: number;
  /** Suggested to nodes as the delay to their next check-in. */
  checkInIntervalMs: number;
  /** How often every known node is pinged; 0 turns the schedule off (tests call checkUptime()). */
  uptimeCheckIntervalMs: number;
  /** Nodes an uptime round checks at once. */
  uptimeConcurrency: number;
  /** Width of one window of uptime checks. */
  uptimeWindowMs: number;
  /** Windows older than this do not count toward the online score (and are pruned). */
  uptimePeriodMs: number;
  /**
   * Identity proof of work: a node whose peer id has fewer trailing zero bits of SHA-256 than
   * this is refused at check-in (IDENTITY_DIFFICULTY_TOO_LOW); 0 accepts every id.
   */
  minIdentityDifficulty: number;
  /** Check-ins each IP (IPv6: each /64) may make per second, on average; 0 turns the limit off. */
  checkInsPerSecond: number;
  /** Check-ins an IP may make at once after a quiet spell. */
  checkInBurst: number;
  /**
   * Dial-backs in flight at once, all nodes together; a check-in past it is answered
   * SATELLITE_BUSY (the node retries). Kept well under libp2p's 100 parallel dials, which audits,
   * repair, GC and uptime checks share. 0: no cap.
   */
  maxConcurrentDialBacks: number;
  /**
   * Whether nodes may be dialled at private, loopback, link-local and other special-purpose
   * addresses (addresses.ts): true, false, or 'auto': only when every address the satellite
   * listens on and announces is loopback or private itself (a devnet, the tests), never on a
   * satellite facing the internet (0.0.0.0 or a public IP). Refused addresses are never dialled,
   * at check-in or after (DNS names are judged by what they resolve to at each dial).
   */
  allowPrivateAddresses: AllowPrivateAddresses;
}

export const CONTACT_DEFAULTS: ContactConfig = {
  dialTimeoutMs: 10_000,
  checkInIntervalMs: 60 * 60 * 1000,
  uptimeCheckIntervalMs: 60 * 60 * 1000,
  uptimeConcurrency: 32,
  uptimeWindowMs: 12 * 60 * 60 * 1000,
  uptimePeriodMs: 30 * 24 * 60 * 60 * 1000,
  minIdentityDifficulty: 0,
  // Generous: a one-host network of 20 nodes checking in every second (the dashboards test runs 6
  // at 1 s, the chaos run 12-20 at 5 s) fits; the cap on dial-backs in flight bounds the work.
  checkInsPerSecond: 20,
  checkInBurst: 200,
  maxConcurrentDialBacks: 32,
  allowPrivateAddresses: 'auto'
};
