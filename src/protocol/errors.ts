import { StowageError } from '../common/index.js';

/** Codes of protocol failures; the node sends them to peers in Error messages, so they are stable. */
export const ProtocolErrorCode = {
  /** A frame that is not valid protobuf for its place, or a field out of range. */
  Malformed: 'PROTOCOL_MALFORMED',
  /** A frame larger than MAX_MESSAGE_BYTES. */
  Oversized: 'PROTOCOL_OVERSIZED',
  /** The peer sent nothing for longer than the idle timeout. */
  Timeout: 'PROTOCOL_TIMEOUT',
  /** The stream ended or was reset before the exchange finished. */
  Closed: 'PROTOCOL_STREAM_CLOSED',
  /** A transfer that moved fewer bytes than the node's minimum rate over its window. */
  TooSlow: 'PROTOCOL_TOO_SLOW',
  /** A signature that does not verify, or a key that cannot sign. */
  BadSignature: 'ORDER_BAD_SIGNATURE',
  /** An order limit whose bytes are not the canonical encoding of their content. */
  NotCanonical: 'ORDER_NOT_CANONICAL',
  /** Signed by a satellite this node does not trust. */
  UntrustedSatellite: 'ORDER_UNTRUSTED_SATELLITE',
  /** Addressed to another node. */
  WrongNode: 'ORDER_WRONG_NODE',
  /** An action other than the protocol's. */
  WrongAction: 'ORDER_WRONG_ACTION',
  Expired: 'ORDER_EXPIRED',
  /** Created further in the future than the clock-skew allowance. */
  FromTheFuture: 'ORDER_FROM_THE_FUTURE',
  /** A serial number already used. */
  Replayed: 'ORDER_REPLAYED',
  /** More bytes than the order allows. */
  OverLimit: 'ORDER_BYTE_LIMIT_EXCEEDED',
  /** A bandwidth order that names another serial than its order limit, or a limit that takes none. */
  OrderMismatch: 'ORDER_MISMATCH',
  /** A download whose downloader did not sign for the bytes it waits for (in time). */
  NoAllowance: 'ORDER_NO_ALLOWANCE',
  /** An upload without the uploader's signed piece hash, or one that does not match the bytes. */
  PieceHashInvalid: 'PIECE_HASH_INVALID',
  /** A node's receipt that does not match what was sent (root, size, piece or node). */
  ReceiptMismatch: 'RECEIPT_MISMATCH',
  /** The node is at its limit of concurrent transfers (or of bytes buffered for unverified requests). */
  Busy: 'NODE_BUSY',
  /** The peer has as many streams open on the node's protocols as it may (per peer id or per IP). */
  TooManyStreams: 'NODE_TOO_MANY_STREAMS',
  /** A protocol only the node's trusted satellites may use, opened by another peer. */
  SatelliteOnly: 'NODE_SATELLITE_ONLY',
  /** Anything else on the node's side. */
  Internal: 'NODE_INTERNAL_ERROR'
} as const;

export type ProtocolErrorCode = (typeof ProtocolErrorCode)[keyof typeof ProtocolErrorCode];

export class ProtocolError extends StowageError {
  // Codes from the remote side (any stable code string) come through here too.
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
