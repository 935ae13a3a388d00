// Payouts: periods, the hash-chained ledger of credits, and signed statements for nodes.
export { TOKEN_DECIMALS, parseTokens, formatTokens } from './tokens.js';
export { entryHash, type LedgerEntryKind, type LedgerEntry, type PeriodRecord, type Credit } from './ledger.js';
export { type LedgerDB, type PayoutStateDB } from './db.js';
export { chainCredits, creditedNodes, verifyChain, type ChainHead, type StoredEntry } from './chain.js';
export { PAYOUT_DEFAULTS, HELD_BACK_SCHEDULE, CHAIN_PAYOUT_DEFAULTS, type PayoutConfig, type ChainPayoutConfig } from './config.js';
export { PayoutPublisher, buildPublication, publicationTree, type Publication, type PublicationDB, type PublisherDeps } from './publisher.js';
export { PayoutService, type PayoutDeps } from './service.js';
export { buildStatement, handlePayoutRequest, type StatementDeps } from './endpoint.js';
export { closeDuePeriod, payoutCheckInterval } from './chore.js';
