// The satellite's configuration: one typed object gathering each part's config and defaults (the
// contact, metainfo, orders, overlay and node-stats keys sit flat at the top level, the others under their own key),
// loaded from flags, environment and a file by load-config.ts; every default is in the README.
import { AUDIT_DEFAULTS, type AuditConfig } from './audit/index.js';
import { CONTACT_DEFAULTS, type ContactConfig } from './contact/index.js';
import { GC_DEFAULTS, type GcConfig } from './gc/index.js';
import { METAINFO_DEFAULTS, type MetainfoConfig } from './metainfo/index.js';
import { NODE_STATS_DEFAULTS, type NodeStatsConfig } from './nodestats/index.js';
import { ORDERS_DEFAULTS, type OrdersConfig } from './orders/index.js';
import { OVERLAY_DEFAULTS, type OverlayConfig } from './overlay/index.js';
import { PAYOUT_DEFAULTS, type ChainPayoutConfig, type PayoutConfig } from './payouts/index.js';
import { REPAIR_DEFAULTS, type RepairConfig } from './repair/index.js';
import { REPUTATION_DEFAULTS, type ReputationConfig } from './reputation/index.js';

export interface SatelliteConfig extends ContactConfig, MetainfoConfig, OrdersConfig, OverlayConfig, NodeStatsConfig {
  dataDir: string;
  /**
   * Where the satellite's stores live: '' for the embedded LevelDB in the data directory (the
   * default), or a postgres:// URL. Several satellite processes may share one PostgreSQL database
   * (and one identity); each chore then runs in one of them, under a lease.
   */
  database: string;
  /**
   * How long a chore's lease lasts unrenewed (PostgreSQL only): a process that dies holding one
   * loses it after this, and another takes the chore at its next round.
   */
  leaseTtlMs: number;
  listen: string[];
  announce: string[];
  /** host:port of the admin HTTP API and /metrics; '' turns it off. */
  admin: string;
  /**
   * Host names (or host:port) the admin server answers for besides localhost, 127.0.0.1, [::1],
   * the admin listen host and the address a connection arrives on (DNS rebinding: others get 421).
   */
  adminHosts: string[];
  /** GET /metrics needs the admin token too (default false: open to scrapers, Host-checked). */
  adminMetricsAuth: boolean;
  /** How often an audit round runs; 0 turns the schedule off (POST /api/audits/run still works). */
  auditIntervalMs: number;
  audit: AuditConfig;
  reputation: ReputationConfig;
  payout: PayoutConfig;
  /** Payouts on an EVM chain; null: ledger only. */
  chain: ChainPayoutConfig | null;
  repair: RepairConfig;
  gc: GcConfig;
  logLevel: string;
}

export const SATELLITE_DEFAULTS: SatelliteConfig = {
  dataDir: './stowage-satellite',
  database: '',
  leaseTtlMs: 15_000,
  listen: ['/ip4/0.0.0.0/tcp/7777'],
  announce: [],
  ...CONTACT_DEFAULTS,
  admin: '127.0.0.1:7778',
  adminHosts: [],
  adminMetricsAuth: false,
  ...METAINFO_DEFAULTS,
  ...ORDERS_DEFAULTS,
  ...OVERLAY_DEFAULTS,
  ...NODE_STATS_DEFAULTS,
  auditIntervalMs: 5 * 60 * 1000,
  audit: AUDIT_DEFAULTS,
  reputation: REPUTATION_DEFAULTS,
  payout: PAYOUT_DEFAULTS,
  chain: null,
  repair: REPAIR_DEFAULTS,
  gc: GC_DEFAULTS,
  logLevel: 'info'
};
