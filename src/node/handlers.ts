// The storage node's protocol handlers: thin functions over a FramedStream and a NodeContext, so
// tests can call them with any stream. Every failure is answered with an Error message carrying a
// stable code (PROTOCOL.md), then the stream is closed.
import type { PrivateKey } from '@libp2p/interface';
import type { Logger } from 'pino';
import { StowageError } from '../common/index.js';
import {
  AuditRequest,
  AuditResponse,
  DeleteRequest,
  DeleteResponse,
  DownloadRequest,
  DownloadResponse,
  MAX_CHUNK_BYTES,
  PieceAction,
  ProtocolError,
  SignedOrderLimit,
  ProtocolErrorCode,
  UploadRequest,
  UploadResponse,
  SignedPieceHash,
  signPieceReceipt,
  verifyPieceHash,
  equalBytes,
  type FramedStream,
  type MessageCodec,
  type OrderLimit
} from '../protocol/index.js';
import type { OrderChecker } from './orders.js';
import type { PieceStore } from './pieces/index.js';

export interface NodeLimits {
  /** Largest piece accepted, whatever an order allows. */
  maxPieceSize: number;
  /** Uploads at once; more are refused with NODE_BUSY. */
  maxConcurrentUploads: number;
  /** Downloads and audits at once (each holds a file open); more are refused with NODE_BUSY. */
  maxConcurrentReads: number;
  /** Leaf indices one audit may ask for. */
  maxAuditLeaves: number;
}

export interface NodeContext {
  nodeId: string;
  key: PrivateKey;
  store: PieceStore;
  orders: OrderChecker;
  limits: NodeLimits;
  now: () => number;
  log: Logger;
  /** Uploads in progress. */
  activeUploads: { count: number };
  /** Downloads and audits in progress. */
  activeReads: { count: number };
  /** Told of every finished transfer (bandwidth accounting, metrics). */
  onTransfer?: (action: 'upload' | 'download', bytes: number) => void;
  /** Told of every refused or failed request, by error code (metrics). */
  onError?: (action: string, code: string) => void;
}

interface WithError {
  error?: { code: string; message: string };
}

/** Sends the error to the peer when the stream still takes it; internal failures stay vague. */
async function answerError<T extends WithError>(ctx: NodeContext, framed: FramedStream, codec: MessageCodec<T>, err: unknown, what: string): Promise<void> {
  let code: string;
  let message: string;
  if (err instanceof StowageError) {
    code = err.code;
    message = err.message;
  } else {
    code = ProtocolErrorCode.Internal;
    message = `${what} failed on the node`;
  }
  const level = code === ProtocolErrorCode.Internal || code === 'PIECE_IO_ERROR' ? 'error' : 'info';
  ctx.log[level]({ code, err: err instanceof Error ? err.message : String(err) }, `${what} refused`);
  ctx.onError?.(what, code);
  await framed.write(codec, { error: { code, message } } as Partial<T>).catch(() => undefined);
}

/** The piece an order names must belong to the satellite that signed it. */
async function checkOwner(ctx: NodeContext, limit: OrderLimit): Promise<number> {
  const rec = await ctx.store.stat(limit.pieceId);
  if (rec.satelliteId !== limit.satelliteId) {
    throw new ProtocolError('PIECE_NOT_FOUND', `piece ${rec.pieceId} is not stored here`);
  }
  return rec.size;
}

export async function handleUpload(ctx: NodeContext, framed: FramedStream): Promise<void> {
  if (ctx.activeUploads.count >= ctx.limits.maxConcurrentUploads) {
    await answerError(ctx, framed, UploadResponse, new ProtocolError(ProtocolErrorCode.Busy, 'too many uploads in progress, try another node or later'), 'upload');
    await framed.closeWrite();
    return;
  }
  ctx.activeUploads.count++;
  let received = false;
  try {
    const first = await framed.expect(UploadRequest, 'order limit');
    const limit = await ctx.orders.check(first.order, [PieceAction.PUT, PieceAction.REPAIR_PUT]);
    const byteLimit = Number(limit.byteLimit);
    const size = Number(first.size);
    if (byteLimit > ctx.limits.maxPieceSize) {
      throw new ProtocolError(ProtocolErrorCode.OverLimit, `order allows ${byteLimit} bytes, this node takes pieces of at most ${ctx.limits.maxPieceSize}`);
    }
    if (size > byteLimit) throw new ProtocolError(ProtocolErrorCode.OverLimit, `piece of ${size} bytes is over the order's limit of ${byteLimit}`);
    if (limit.uplinkPublicKey.length !== 32) {
      throw new ProtocolError(ProtocolErrorCode.Malformed, 'an upload order must name the uploader key (uplink_public_key, 32 bytes)');
    }
    let signedHash: SignedPieceHash | undefined;
    async function* source(): AsyncGenerator<Uint8Array> {
      let msg = first;
      for (;;) {
        if (msg.chunk.length > MAX_CHUNK_BYTES) throw new ProtocolError(ProtocolErrorCode.Malformed, `chunk of ${msg.chunk.length} bytes is over ${MAX_CHUNK_BYTES}`);
        if (msg.chunk.length > 0) yield msg.chunk;
        if (msg.done) {
          received = true;
          signedHash = msg.pieceHash;
          return;
        }
        msg = await framed.expect(UploadRequest, 'end of the piece');
      }
    }
    // The uploader vouches for the root of what it sent; a piece whose bytes hash to anything else
    // is refused before it is committed, and the signed hash is kept as the node's proof.
    const seal = async (digest: { size: number; root: Uint8Array; leafSize: number }): Promise<Uint8Array> => {
      if (!signedHash) throw new ProtocolError(ProtocolErrorCode.PieceHashInvalid, 'the upload ended without the uploader\'s signed piece hash');
      const hash = await verifyPieceHash(signedHash, limit.uplinkPublicKey).catch((err: Error) => {
        throw new ProtocolError(ProtocolErrorCode.PieceHashInvalid, `the piece hash does not verify: ${err.message}`, { cause: err });
      });
      const wrong = !equalBytes(hash.pieceId, limit.pieceId)
        ? 'names another piece'
        : hash.size !== BigInt(digest.size)
          ? `says ${hash.size} bytes, ${digest.size} arrived`
          : hash.leafSize !== digest.leafSize
            ? `is over leaves of ${hash.leafSize} bytes, this node uses ${digest.leafSize}`
            : !equalBytes(hash.root, digest.root)
              ? 'has another root than the bytes that arrived'
              : null;
      if (wrong) throw new ProtocolError(ProtocolErrorCode.PieceHashInvalid, `the uploader's piece hash ${wrong}`);
      return SignedPieceHash.encode(signedHash);
    };
    const expiration = Number(limit.pieceExpiration);
    const { root, leafSize } = await ctx.store.put(limit.pieceId, source(), {
      satelliteId: limit.satelliteId,
      maxSize: byteLimit,
      size,
      // The signed order as received: what the node will need to claim payment for the transfer.
      orderLimit: SignedOrderLimit.encode(first.order!),
      expiresAt: expiration > 0 ? expiration : null,
      seal
    });
    // Counted once stored: the bytes came in even when the client leaves before the receipt.
    ctx.onTransfer?.('upload', size);
    const receipt = await signPieceReceipt(ctx.key, {
      pieceId: limit.pieceId,
      size: BigInt(size),
      root: new Uint8Array(root),
      leafSize,
      timestamp: BigInt(ctx.now()),
      nodeId: ctx.nodeId,
      serialNumber: limit.serialNumber
    });
    await framed.write(UploadResponse, { receipt });
    ctx.log.debug({ piece: Buffer.from(limit.pieceId).toString('hex'), size }, 'piece stored');
  } catch (err) {
    await answerError(ctx, framed, UploadResponse, err, 'upload');
  } finally {
    ctx.activeUploads.count--;
  }
  await framed.closeWrite();
  // Refused before the end of the piece: reset the stream so the sender stops at once instead of
  // pushing the rest into a stream nobody reads (it has the answer already, sent before the reset).
  if (!received) framed.abort(new Error('upload refused'));
}

/** Runs a read (download, audit) within the node's limit, or answers NODE_BUSY. */
async function withReadSlot<T extends WithError>(
  ctx: NodeContext,
  framed: FramedStream,
  codec: MessageCodec<T>,
  what: string,
  body: () => Promise<void>
): Promise<void> {
  if (ctx.activeReads.count >= ctx.limits.maxConcurrentReads) {
    await answerError(ctx, framed, codec, new ProtocolError(ProtocolErrorCode.Busy, `too many ${what}s in progress, try later`), what);
  } else {
    ctx.activeReads.count++;
    try {
      await body();
    } finally {
      ctx.activeReads.count--;
    }
  }
  await framed.closeWrite();
}

export async function handleDownload(ctx: NodeContext, framed: FramedStream): Promise<void> {
  await withReadSlot(ctx, framed, DownloadResponse, 'download', () => download(ctx, framed));
}

async function download(ctx: NodeContext, framed: FramedStream): Promise<void> {
  try {
    const req = await framed.expect(DownloadRequest, 'request');
    const limit = await ctx.orders.check(req.order, [PieceAction.GET, PieceAction.REPAIR_GET]);
    const size = await checkOwner(ctx, limit);
    const offset = Number(req.offset);
    const length = req.length === 0n ? Math.max(0, size - offset) : Number(req.length);
    if (length > Number(limit.byteLimit)) {
      throw new ProtocolError(ProtocolErrorCode.OverLimit, `${length} bytes asked, the order allows ${limit.byteLimit}`);
    }
    const data = await ctx.store.get(limit.pieceId, { offset, length });
    await framed.write(DownloadResponse, { size: BigInt(size) });
    let sent = 0;
    try {
      for await (const chunk of data) {
        for (let off = 0; off < chunk.length; off += MAX_CHUNK_BYTES) {
          const part = chunk.subarray(off, off + MAX_CHUNK_BYTES);
          await framed.write(DownloadResponse, { chunk: part as Uint8Array<ArrayBuffer> });
          sent += part.length;
        }
      }
    } finally {
      // Counted also when the client stops early (the long tail): those bytes left the node.
      ctx.onTransfer?.('download', sent);
    }
  } catch (err) {
    await answerError(ctx, framed, DownloadResponse, err, 'download');
  }
}

export async function handleDelete(ctx: NodeContext, framed: FramedStream): Promise<void> {
  try {
    const req = await framed.expect(DeleteRequest, 'request');
    const limit = await ctx.orders.check(req.order, [PieceAction.DELETE]);
    await checkOwner(ctx, limit);
    await ctx.store.delete(limit.pieceId);
    await framed.write(DeleteResponse, {});
  } catch (err) {
    await answerError(ctx, framed, DeleteResponse, err, 'delete');
  }
  await framed.closeWrite();
}

export async function handleAudit(ctx: NodeContext, framed: FramedStream): Promise<void> {
  await withReadSlot(ctx, framed, AuditResponse, 'audit', () => audit(ctx, framed));
}

async function audit(ctx: NodeContext, framed: FramedStream): Promise<void> {
  try {
    const req = await framed.expect(AuditRequest, 'request');
    const limit = await ctx.orders.check(req.order, [PieceAction.AUDIT]);
    await checkOwner(ctx, limit);
    if (req.leafIndices.length === 0 || req.leafIndices.length > ctx.limits.maxAuditLeaves) {
      throw new ProtocolError(ProtocolErrorCode.Malformed, `an audit asks for 1 to ${ctx.limits.maxAuditLeaves} leaves, got ${req.leafIndices.length}`);
    }
    const answer = await ctx.store.readLeaves(limit.pieceId, req.leafIndices);
    await framed.write(AuditResponse, {
      leaves: answer.leaves.map((l) => new Uint8Array(l)),
      proof: answer.proof.map((p) => new Uint8Array(p)),
      leafCount: BigInt(answer.leafCount),
      size: BigInt(answer.size)
    });
  } catch (err) {
    await answerError(ctx, framed, AuditResponse, err, 'audit');
  }
}
