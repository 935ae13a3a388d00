// The requesting side of the node protocols, over a stream the caller opened (dialProtocol). The
// client library, the satellite's auditor and repairer use these; so do the tests.
import type { PrivateKey, Stream } from '@libp2p/interface';
import { DEFAULT_LEAF_SIZE, PieceHasher, equalHashes } from '../merkle/index.js';
import { ProtocolError, ProtocolErrorCode } from './errors.js';
import { DEFAULT_IDLE_TIMEOUT_MS, FramedStream, type FramedStreamOptions } from './framing.js';
import {
  AuditRequest,
  AuditResponse,
  DeleteRequest,
  DeleteResponse,
  DownloadAllowance,
  DownloadRequest,
  DownloadResponse,
  OrderLimit,
  UploadRequest,
  UploadResponse,
  PieceHash,
  type PieceReceipt,
  type SignedOrderLimit,
  type SignedPieceHash,
  type SignedPieceReceipt
} from './generated/node.js';
import { MAX_CHUNK_BYTES } from './ids.js';
import { signBandwidthOrder, signPieceHash, verifyPieceReceipt } from './signing.js';

function remoteError(err: { code: string; message: string } | undefined): void {
  if (err) throw new ProtocolError(err.code || ProtocolErrorCode.Internal, err.message || 'the node refused');
}

export interface UploadPieceOptions extends FramedStreamOptions {
  /** The private half of the uploader key the order names: signs the root of the bytes sent. */
  uplinkKey: PrivateKey;
  /** Merkle leaf size of the root. Default 4 KiB (the network's). */
  leafSize?: number;
  /** The root of `data` when the caller has it already: not hashed again. */
  root?: Uint8Array;
}

export interface UploadedPiece {
  /** The node's receipt, checked: its signature, and root, size, piece and node as sent. */
  receipt: SignedPieceReceipt;
  receiptContent: PieceReceipt;
  /** The uploader's signed root, as the node received it. */
  pieceHash: SignedPieceHash;
  root: Uint8Array;
}

/** The answer, or PROTOCOL_TIMEOUT (the stream reset) when none comes within `ms` of the piece's end. */
async function receiptWithin<T>(answer: Promise<T>, ms: number, framed: FramedStream): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new ProtocolError(ProtocolErrorCode.Timeout, `peer sent nothing for ${ms} ms after the piece`);
      framed.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends a piece, hashing it as it goes; at the end signs its root (PieceHash) with the uploader
 * key, and accepts the node's receipt only when it is signed by the node the order names and
 * agrees with what was sent (`RECEIPT_MISMATCH` otherwise: a node cannot vouch for other bytes).
 */
export async function uploadPiece(
  stream: Stream,
  order: SignedOrderLimit,
  size: number,
  data: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: UploadPieceOptions
): Promise<UploadedPiece> {
  const limit = OrderLimit.decode(order.limit);
  const leafSize = options.leafSize ?? DEFAULT_LEAF_SIZE;
  const hasher = options.root ? undefined : new PieceHasher(leafSize);
  let hashed = 0;
  let pieceHash: SignedPieceHash | undefined;
  const framed = new FramedStream(stream, options);
  // The answer is read while sending: a node that refuses mid-way answers early, then resets.
  // The node is silent until the piece is whole, so the idle timeout runs only from the end of
  // the piece (a piece sent as slowly as its source gives it took longer than the timeout to
  // send, and every stream failed: hostile review 24 H1); while sending, the writes have theirs.
  let answered = false;
  const answer = framed.expect(UploadResponse, 'receipt', { idleTimeoutMs: Infinity }).finally(() => (answered = true));
  answer.catch(() => undefined);
  // The source failing (a parity range that could not be coded) is the sender's own error: the
  // stream is reset at once instead of waiting for an answer the node has no reason to send.
  let sourceFailed = false;
  const chunks = (async function* () {
    try {
      yield* data;
    } catch (err) {
      sourceFailed = true;
      throw err;
    }
  })();
  try {
    try {
      await framed.write(UploadRequest, { order, size: BigInt(size) });
      send: for await (const chunk of chunks) {
        for (let off = 0; off < chunk.length; off += MAX_CHUNK_BYTES) {
          if (answered) break send;
          const part = chunk.subarray(off, off + MAX_CHUNK_BYTES) as Uint8Array<ArrayBuffer>;
          hasher?.update(part);
          hashed += part.length;
          await framed.write(UploadRequest, { chunk: part });
        }
      }
      if (!answered) {
        const hash: PieceHash = {
          pieceId: limit.pieceId,
          root: new Uint8Array(hasher ? hasher.digest().root : options.root!),
          // What was sent: a source that ended short is the node's to refuse (PIECE_SIZE_MISMATCH).
          size: BigInt(hasher ? hashed : size),
          leafSize,
          timestamp: BigInt(Date.now())
        };
        pieceHash = await signPieceHash(options.uplinkKey, hash);
        await framed.write(UploadRequest, { done: true, pieceHash });
      }
    } catch (err) {
      if (sourceFailed) {
        framed.abort(err as Error);
        throw err;
      }
      // The write failed: the node's answer, if it sent one, says why (a node that stopped
      // reading sends none: waited for as long as a receipt, then the stream is reset).
      const early = await receiptWithin(answer, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, framed).catch(() => undefined);
      remoteError(early?.error);
      throw err;
    }
    const res = await receiptWithin(answer, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, framed);
    remoteError(res.error);
    if (!res.receipt) throw new ProtocolError(ProtocolErrorCode.Malformed, 'upload answer has neither receipt nor error');
    if (!pieceHash) throw new ProtocolError(ProtocolErrorCode.Malformed, 'the node answered before the piece was sent');
    const content = await verifyPieceReceipt(res.receipt);
    const sent = PieceHash.decode(pieceHash.hash);
    const wrong =
      content.nodeId !== limit.nodeId
        ? `signed by ${content.nodeId}, the order is for ${limit.nodeId}`
        : !equalHashes(content.pieceId, limit.pieceId)
          ? 'names another piece'
          : content.size !== BigInt(size)
            ? `says ${content.size} bytes, ${size} were sent`
            : content.leafSize !== leafSize
              ? `uses leaves of ${content.leafSize} bytes, not ${leafSize}`
              : !equalHashes(content.root, sent.root)
                ? 'has another root than the bytes sent'
                : null;
    if (wrong) throw new ProtocolError(ProtocolErrorCode.ReceiptMismatch, `the node's receipt ${wrong}`);
    return { receipt: res.receipt, receiptContent: content, pieceHash, root: sent.root };
  } finally {
    await framed.closeWrite();
  }
}

/**
 * A GET or REPAIR_GET order limit with the private half of the per-request key it names: the
 * downloader signs bandwidth orders with it (PROTOCOL.md, Egress). Without the key no allowance is
 * sent, and a node refuses the download (ORDER_NO_ALLOWANCE).
 */
export interface DownloadOrder extends SignedOrderLimit {
  orderKey?: PrivateKey;
}

/**
 * How far ahead of the bytes received a downloader signs at most: a node sends at most this much
 * it has not been paid for yet, and never waits for an allowance while the link is busy (a new one
 * goes out when half of the window is left). The window starts at FIRST_ALLOWANCE_BYTES and
 * doubles with each allowance, so a node cancelled early (the long tail) holds little it did not
 * send.
 */
export const ALLOWANCE_WINDOW_BYTES = 2 * 1024 * 1024;
/**
 * Two chunks: the second order goes out as the first chunk arrives, while the node sends the
 * second (at one chunk the node waited a round trip for it on every piece, issue 23).
 */
export const FIRST_ALLOWANCE_BYTES = 512 * 1024;

/**
 * Streams [offset, offset + length) of a piece; length 0 means to its end. Signs bandwidth orders
 * as the bytes arrive: the first with the request, then one whenever half the window is left.
 */
export async function* downloadPiece(
  stream: Stream,
  order: DownloadOrder,
  range: { offset?: number; length?: number } = {},
  options?: FramedStreamOptions & { allowanceWindowBytes?: number }
): AsyncGenerator<Uint8Array> {
  const framed = new FramedStream(stream, options);
  const maxWindow = Math.max(FIRST_ALLOWANCE_BYTES, options?.allowanceWindowBytes ?? ALLOWANCE_WINDOW_BYTES);
  let window = FIRST_ALLOWANCE_BYTES;
  const limit = order.orderKey ? OrderLimit.decode(order.limit) : undefined;
  const byteLimit = limit ? Number(limit.byteLimit) : 0;
  // The bytes the node may send in all, signed so far.
  let allowed = 0;
  const allowance = async (amount: number) => {
    allowed = Math.min(byteLimit, amount);
    return signBandwidthOrder(order.orderKey!, { serialNumber: limit!.serialNumber, amount: BigInt(allowed) });
  };
  try {
    const first = limit ? await allowance(range.length ? Math.min(range.length, window) : window) : undefined;
    await framed.write(DownloadRequest, { order: { limit: order.limit, signature: order.signature }, offset: BigInt(range.offset ?? 0), length: BigInt(range.length ?? 0), allowance: first });
    const head = await framed.expect(DownloadResponse, 'piece size');
    remoteError(head.error);
    // A stream that ends cleanly before the bytes asked for (a node stopping ends it at a frame
    // boundary) is a failed transfer, not a whole piece.
    const want = range.length || Math.max(0, Number(head.size) - (range.offset ?? 0));
    for (let got = 0; ; ) {
      const msg = await framed.read(DownloadResponse);
      if (!msg && got < want) throw new ProtocolError(ProtocolErrorCode.Closed, `stream ended after ${got} of ${want} bytes`);
      if (!msg) return;
      remoteError(msg.error);
      got += msg.chunk.length;
      // Never more than asked for: a node sending past its allowance is not paid for it either.
      if (limit && got > allowed) throw new ProtocolError(ProtocolErrorCode.OverLimit, `the node sent ${got} bytes, ${allowed} were signed for`);
      if (limit && allowed < Math.min(want, byteLimit) && allowed - got <= window / 2) {
        window = Math.min(maxWindow, window * 2);
        await framed.write(DownloadAllowance, { allowance: await allowance(Math.min(want, got + window)) });
      }
      if (msg.chunk.length > 0) yield msg.chunk;
    }
  } finally {
    await framed.closeWrite();
  }
}

export async function deletePiece(stream: Stream, order: SignedOrderLimit, options?: FramedStreamOptions): Promise<void> {
  const framed = new FramedStream(stream, options);
  try {
    await framed.write(DeleteRequest, { order });
    remoteError((await framed.expect(DeleteResponse, 'answer')).error);
  } finally {
    await framed.closeWrite();
  }
}

export interface AuditAnswer {
  leaves: Uint8Array[];
  proof: Uint8Array[];
  leafCount: number;
  size: number;
}

export async function auditPiece(stream: Stream, order: SignedOrderLimit, leafIndices: number[], options?: FramedStreamOptions): Promise<AuditAnswer> {
  const framed = new FramedStream(stream, options);
  try {
    await framed.write(AuditRequest, { order, leafIndices });
    const res = await framed.expect(AuditResponse, 'answer');
    remoteError(res.error);
    return { leaves: res.leaves, proof: res.proof, leafCount: Number(res.leafCount), size: Number(res.size) };
  } finally {
    await framed.closeWrite();
  }
}
