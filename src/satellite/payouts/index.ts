// Payouts: periods, the hash-chained ledger of credits, and signed statements for nodes.
export { TOKEN_DECIMALS, parseTokens, formatTokens } from './tokens.js';
export { entryHash, type LedgerEntryKind, type LedgerEntry, type PeriodRecord, type Credit } from './ledger.js';
export { type LedgerDB, type PayoutStateDB } from './db.js';
export { PAYOUT_DEFAULTS, HELD_BACK_SCHEDULE, type PayoutConfig } from './config.js';
export { PayoutService, type PayoutDeps } from './service.js';
export { buildStatement, handlePayoutRequest, type StatementDeps } from './endpoint.js';
export { closeDuePeriod, payoutCheckInterval } from './chore.js';
