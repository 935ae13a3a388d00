// What the node's dashboard API answers (src/node/dashboard.ts; documented in the README).

export interface NodeInfo {
  id: string;
  version: string;
  startedAt: number;
  uptimeMs: number;
  addresses: string[];
  satellites: { id: string; address: string; lastCheckIn: number | null; reachable: boolean | null; message: string }[];
}

export interface SatelliteView {
  id: string;
  reachable: boolean | null;
  auditScore?: number;
  onlineScore?: number;
  vetted?: boolean;
  suspended?: number | null;
  disqualified?: number | null;
  audits?: { passed: number; failed: number; offline: number; contained: number };
  heldBytes?: number;
  period?: number;
  periodStart?: number;
  periodEstimate?: string;
  statsError: string | null;
}

export interface Disk {
  capacity: number;
  used: number;
  trash: number;
  free: number;
}

export interface DayBandwidth {
  day: string;
  ingress: number;
  egress: number;
}

export interface Bandwidth {
  today: DayBandwidth;
  month: { ingress: number; egress: number };
  days: DayBandwidth[];
}

export interface Statement {
  satelliteId: string;
  period: number;
  periodStart: number;
  periodEnd: number;
  wallet: string;
  total: string;
  entries: { seq: number; kind: string; amount: string; detail: string; hash: string }[];
  verified: boolean;
}

/** GET /api/payouts (src/node/payout-view.ts). */
export interface PeriodPay {
  period: number;
  periodEnd: number;
  amount: string;
  wallet: string;
  owedThrough: string | null;
  leaf: { cumulative: string; underRoot: boolean | null; rootOnChain: string | null } | null;
  publishTx: string | null;
  pushTxs: string[];
  payments: { tx: string; amount: string }[];
  status: 'claimed' | 'pending' | 'unpublished' | 'flagged' | 'nothing-owed' | 'other-wallet' | 'unchecked';
  message: string;
}

export interface SatellitePay {
  satelliteId: string;
  distributor: string | null;
  token: string | null;
  decimals: number | null;
  distributorPinned: boolean;
  tokenPinned: boolean;
  distributorCode: 'stowage' | 'other' | null;
  wallet: { wallet: string; owed: string; published: string | null; paid: string; balance: string; balanceBelowPaid: boolean; state: 'paid' | 'pending' | 'short' | 'nothing-owed'; message: string } | null;
  periods: PeriodPay[];
  error: { code: string; message: string } | null;
}

export interface PayoutView {
  chainRpc: string | null;
  satellites: SatellitePay[];
  message: string | null;
  readAt: number | null;
  stale: boolean;
}

export interface HistorySample {
  at: number;
  used: number;
  trash: number;
  free: number;
  scores: Record<string, { audit: number; online: number }>;
}
