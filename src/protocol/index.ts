// Public face of the wire protocol: generated message code, signing, framing, protocol ids.
import '../shims/protons-uint64.js';
export * from './generated/node.js';
export * from './generated/satellite.js';
export {
  PROTOCOL_AUDIT,
  PROTOCOL_CONTACT,
  PROTOCOL_DELETE,
  PROTOCOL_DOWNLOAD,
  PROTOCOL_METAINFO,
  PROTOCOL_PAYOUT,
  PROTOCOL_NODE_STATS,
  PROTOCOL_ORDERS,
  PROTOCOL_PING,
  PROTOCOL_RETAIN,
  PROTOCOL_UPLOAD,
  MAX_CHUNK_BYTES,
  MAX_MESSAGE_BYTES,
  MAX_REQUEST_BYTES
} from './ids.js';
export { ProtocolError, ProtocolErrorCode } from './errors.js';
export {
  ORDER_LIMIT_DOMAIN,
  PIECE_RECEIPT_DOMAIN,
  PIECE_HASH_DOMAIN,
  RETAIN_DOMAIN,
  BANDWIDTH_ORDER_DOMAIN,
  signBandwidthOrder,
  verifyBandwidthOrder,
  takesBandwidthOrders,
  signPieceHash,
  equalBytes,
  verifyPieceHash,
  uplinkKeyOf,
  signRetain,
  verifyRetain,
  publicKeyOf,
  signOrderLimit,
  signPieceReceipt,
  verifyOrderLimit,
  verifyPieceReceipt
} from './signing.js';
export { FramedStream, encodeFrame, encodeVarint, DEFAULT_IDLE_TIMEOUT_MS, type FramedStreamOptions, type MessageCodec } from './framing.js';
export { BudgetShares, BufferBudget, type BudgetShare, type BufferBudgetStats } from './budget.js';
export { uploadPiece, downloadPiece, deletePiece, auditPiece, ALLOWANCE_WINDOW_BYTES, FIRST_ALLOWANCE_BYTES, type AuditAnswer, type DownloadOrder, type UploadPieceOptions, type UploadedPiece } from './transfers.js';
export { stowageMuxer, CONNECTION_LIMITS, STREAM_WINDOW_BYTES, STREAM_READ_BUFFER_BYTES } from './muxer.js';
export { pingOver } from './ping.js';
export { createHost, type HostOptions } from './host.js';
export { MAX_INBOUND_CONNECTIONS_PER_IP, MAX_PENDING_INBOUND_PER_IP, PendingInboundLimiter, pendingInboundGater } from './gater.js';
export { SiteStreamsError, StreamLimiter, type StreamLimits, type StreamTicket } from './stream-limiter.js';
export { toCheckInRequest, fromCheckInRequest, type CheckInInfo } from './contact.js';
export {
  LEDGER_ENTRY_DOMAIN,
  PAYOUT_STATEMENT_DOMAIN,
  ledgerEntryHash,
  entryFields,
  signPayoutStatement,
  verifyPayoutStatement,
  requestPayoutStatement,
  requestPayoutStatementAndClaim,
  type LedgerEntryFields
} from './payout.js';
export { BloomFilter, MAX_FILTER_BYTES } from './bloom.js';
export { PARTS_ROOT_BYTES, partLeafHash, partProofs, partsRoot, placeParts, verifyPartProof, type PartPlace } from './parts.js';
