// Public face of the storage node.
export { StorageNode, NODE_VERSION, type StorageNodeOptions } from './node.js';
export { NODE_V8_FLAGS } from './runtime.js';
export { ContactClient, checkIn, announcedAddresses, type CheckInInfo, type CheckInResult } from './contact.js';
export { loadNodeConfig, parseSatellite, mergeSatellites, satelliteAddrs, parseSize, NODE_DEFAULTS, ConfigError, type NodeConfig, type TrustedSatellite } from './config.js';
export { loadOrCreateIdentity, IDENTITY_FILE } from '../common/index.js';
export { OrderChecker, type OrderCheckerOptions } from './orders.js';
export { handleAudit, handleDelete, handleDownload, handleUpload, type NodeContext, type NodeLimits } from './handlers.js';
export { StreamLimiter, TransferMeter, deadline, type StreamLimits, type StreamTicket, type TransferLimits } from './guard.js';
export * from './pieces/index.js';
export { Earnings, checkClaimShape, fetchClaim, fetchStatement, toKeptClaim, type KeptClaim, type KeptStatement } from './earnings.js';
export { PayoutViewer, buildSatellitePay, readChainFacts, viewWallet, type ChainFacts, type PayoutView, type PeriodPay, type PeriodPayStatus, type SatellitePay, type WalletPay } from './payout-view.js';
export { checkClaimOnChain, type ClaimCheck } from './chain-check.js';
export { handleRetain, retainPieces, type RetainContext, type RetainOptions } from './retain.js';
