// Payouts: periods, the hash-chained ledger of credits, and signed statements for nodes.
export { TOKEN_DECIMALS, parseTokens, formatTokens } from './tokens.js';
export { entryHash, Ledger, type LedgerEntryKind, type LedgerEntry, type PeriodRecord, type Credit } from './ledger.js';
export { PAYOUT_DEFAULTS, HELD_BACK_SCHEDULE, PayoutService, type PayoutConfig, type PayoutDeps } from './service.js';
export { buildStatement, handlePayoutRequest, type StatementDeps } from './statements.js';
