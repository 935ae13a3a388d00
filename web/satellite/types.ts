// What the satellite's admin API answers (src/satellite/admin/routes.ts; documented in the README).

export interface Totals {
  nodes: { known: number; reachable: number; vetted: number; suspended: number; disqualified: number; exited: number };
  segments: number;
  lostSegments: number;
  repairQueue: number;
  storedBytes: number;
  buckets: number;
  periodsClosed: number;
  openPeriod: { period: number; start: number };
  tokensCredited: string;
}

export interface NodeRow {
  id: string;
  addresses: string[];
  capacity: number;
  freeSpace: number;
  version: string;
  wallet: string;
  lastContact: number;
  reachable: boolean;
  vetted: boolean;
  onlineScore: number;
  flags: { disqualified: number | null; suspended: number | null; exited: number | null };
}

export interface Reputation {
  nodeId: string;
  auditScore: number;
  onlineScore: number;
  audits: { successes: number; failures: number; offline: number; contained: number };
}

export interface Health {
  segments: number;
  queued: number;
  lost: number;
  histogram: Record<string, number>;
  queue: { segmentKey: string; healthy: number; queuedAt: number }[];
  lostSegments: string[];
}

export interface Payouts {
  current: { period: number; start: number };
  periods: { period: number; start: number; end: number; closedAt: number; entries: number; total: string }[];
  balances: Record<string, string>;
}

export interface LedgerCheck {
  ok: boolean;
  entries: number;
  problem?: string;
}

export interface Audit {
  nodeId: string;
  segmentKey: string;
  pieceNumber: number;
  time: number;
  outcome: 'success' | 'failure' | 'offline' | 'contained' | 'skipped';
  reason: string;
  reverify: number;
}

export interface Info {
  id?: string;
  multiaddrs?: string[];
}
