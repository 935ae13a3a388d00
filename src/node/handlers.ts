// The storage node's protocol handlers: thin functions over a FramedStream and a NodeContext, so
// tests can call them with any stream. Every failure is answered with an Error message carrying a
// stable code (PROTOCOL.md), then the stream is closed.
// Against hostile peers (guard.ts): the first message must come within a deadline and is small
// (MAX_REQUEST_BYTES); upload and read slots are taken only once the order limit verified (a
// refused order keeps its serial); a transfer has a whole deadline and a minimum rate; every
// write the node makes to a peer that may not read is bounded too.
import type { PrivateKey, Stream } from '@libp2p/interface';
import type { Logger } from 'pino';
import { StowageError } from '../common/index.js';
import {
  AuditRequest,
  AuditResponse,
  DeleteRequest,
  DeleteResponse,
  BandwidthOrder,
  DownloadAllowance,
  DownloadRequest,
  DownloadResponse,
  MAX_CHUNK_BYTES,
  MAX_MESSAGE_BYTES,
  PieceAction,
  ProtocolError,
  SignedOrderLimit,
  ProtocolErrorCode,
  UploadRequest,
  UploadResponse,
  SignedPieceHash,
  signPieceReceipt,
  verifyPieceHash,
  verifyBandwidthOrder,
  equalBytes,
  encodeFrame,
  type FramedStream,
  type MessageCodec,
  type OrderLimit,
  type SignedBandwidthOrder,
  type SignedPieceReceipt
} from '../protocol/index.js';
import { deadline, TransferMeter, type TransferLimits } from './guard.js';
import type { OrderChecker } from './orders.js';
import type { PieceStore } from './pieces/index.js';
import type { RefusalLog } from './refusals.js';
import type { UnsettledOrders } from './unsettled.js';

export interface NodeLimits {
  /** Largest piece accepted, whatever an order allows. */
  maxPieceSize: number;
  /** Uploads at once; more are refused with NODE_BUSY. */
  maxConcurrentUploads: number;
  /** Downloads and audits at once (each holds a file open); more are refused with NODE_BUSY. */
  maxConcurrentReads: number;
  /** Leaf indices one audit may ask for. */
  maxAuditLeaves: number;
  /** The first message (the request) must arrive within this; also bounds the node's error answers. */
  firstMessageTimeoutMs: number;
  /** Whole-transfer deadline and minimum rate of uploads and downloads. */
  transfer: TransferLimits;
}

export interface NodeContext {
  nodeId: string;
  key: PrivateKey;
  store: PieceStore;
  orders: OrderChecker;
  limits: NodeLimits;
  now: () => number;
  log: Logger;
  /** Where refusals any peer can cause are logged, a few per window (refusals.ts); else `log`. */
  refusals?: RefusalLog;
  /** Uploads in progress. */
  activeUploads: { count: number };
  /** Downloads and audits in progress. */
  activeReads: { count: number };
  /** Where the downloaders' highest bandwidth orders are kept until settled (egress pay). */
  unsettled?: UnsettledOrders;
  /** Told of every finished transfer (bandwidth accounting, metrics). */
  onTransfer?: (action: 'upload' | 'download', bytes: number) => void;
  /** Told of every refused or failed request, by error code (metrics). */
  onError?: (action: string, code: string) => void;
}

export interface WithError {
  error?: { code: string; message: string };
}

function codeAndMessage(err: unknown, what: string): { code: string; message: string } {
  if (err instanceof StowageError) return { code: err.code, message: err.message };
  return { code: ProtocolErrorCode.Internal, message: `${what} failed on the node` };
}

/** Sends the error to the peer when the stream still takes it; internal failures stay vague. */
async function answerError<T extends WithError>(ctx: NodeContext, framed: FramedStream, codec: MessageCodec<T>, err: unknown, what: string): Promise<void> {
  const { code, message } = codeAndMessage(err, what);
  const level = code === ProtocolErrorCode.Internal || code === 'PIECE_IO_ERROR' ? 'error' : 'info';
  const fields = { code, err: err instanceof Error ? err.message : String(err) };
  if (level === 'info' && ctx.refusals) ctx.refusals.note(fields, `${what} refused`);
  else ctx.log[level](fields, `${what} refused`);
  ctx.onError?.(what, code);
  // A peer that does not read must not hold the handler: the answer gets the first-message time.
  await framed.write(codec, { error: { code, message } } as Partial<T>, { signal: AbortSignal.timeout(ctx.limits.firstMessageTimeoutMs) }).catch(() => undefined);
}

/** Closes the node's side; a peer that does not take what is left within the deadline is reset. */
async function end(ctx: NodeContext, framed: FramedStream): Promise<void> {
  const signal = AbortSignal.timeout(ctx.limits.firstMessageTimeoutMs);
  await framed.closeWrite({ signal });
  if (signal.aborted) framed.abort(new Error('the peer did not read the answer'));
}

/**
 * Refuses a stream before reading any of it: one error answer (bounded by `timeoutMs`), then a
 * reset. For checks made on the connection alone (who the peer is, how many streams it has).
 */
export async function refuseStream<T extends WithError>(stream: Stream, codec: MessageCodec<T>, err: unknown, what: string, timeoutMs: number): Promise<void> {
  // Whatever the peer sends is dropped as it comes: with no listener libp2p would keep it (up to
  // the muxer's window, 256 KiB a stream at first) until the reset.
  stream.addEventListener('message', () => undefined);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    stream.send(encodeFrame(codec, { error: codeAndMessage(err, what) } as Partial<T>));
    await stream.close({ signal });
  } catch {
    // closed or slow: the reset below is the answer then
  }
  // Not reset at once: the peer may still be selecting the protocol, and would lose the answer.
  await lingerThenAbort(stream, timeoutMs);
}

/**
 * After the node's answer: a peer gets `ms` to close its side (clients do once they have read
 * the answer), then the stream is reset, so a peer cannot keep streams half open or push bytes
 * nobody reads.
 */
export async function lingerThenAbort(stream: Stream, ms: number): Promise<void> {
  if (stream.status !== 'open' && stream.status !== 'closing') return;
  await new Promise<void>((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      stream.removeEventListener('close', onClose);
      stream.abort(new Error('the peer kept the stream open after the answer'));
      resolve();
    }, ms);
    timer.unref();
    stream.addEventListener('close', onClose, { once: true });
  });
}

/** Takes one of `max` slots or refuses with NODE_BUSY. */
function takeSlot(active: { count: number }, max: number, what: string): void {
  if (active.count >= max) throw new ProtocolError(ProtocolErrorCode.Busy, `too many ${what} in progress, try another node or later`);
  active.count++;
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
  let slot = false;
  let received = false;
  let meter: TransferMeter | undefined;
  const request = deadline(ctx.limits.firstMessageTimeoutMs, 'the upload request');
  try {
    const first = await framed.expect(UploadRequest, 'order limit', { signal: request.signal });
    request.clear();
    const size = Number(first.size);
    const limit = await ctx.orders.check(first.order, [PieceAction.PUT, PieceAction.REPAIR_PUT], (l) => {
      const byteLimit = Number(l.byteLimit);
      if (byteLimit > ctx.limits.maxPieceSize) {
        throw new ProtocolError(ProtocolErrorCode.OverLimit, `order allows ${byteLimit} bytes, this node takes pieces of at most ${ctx.limits.maxPieceSize}`);
      }
      if (size > byteLimit) throw new ProtocolError(ProtocolErrorCode.OverLimit, `piece of ${size} bytes is over the order's limit of ${byteLimit}`);
      if (l.uplinkPublicKey.length !== 32) {
        throw new ProtocolError(ProtocolErrorCode.Malformed, 'an upload order must name the uploader key (uplink_public_key, 32 bytes)');
      }
      // Only now, with a verified order in hand, does the upload count against the node's slots.
      takeSlot(ctx.activeUploads, ctx.limits.maxConcurrentUploads, 'uploads');
      slot = true;
    });
    const byteLimit = Number(limit.byteLimit);
    framed.verify({ maxMessageBytes: MAX_MESSAGE_BYTES });
    meter = new TransferMeter(ctx.limits.transfer, 'upload');
    const { signal } = meter;
    meter.add(first.chunk.length);
    let signedHash: SignedPieceHash | undefined;
    async function* source(): AsyncGenerator<Uint8Array> {
      let msg = first;
      for (;;) {
        if (msg.chunk.length > MAX_CHUNK_BYTES) throw new ProtocolError(ProtocolErrorCode.Malformed, `chunk of ${msg.chunk.length} bytes is over ${MAX_CHUNK_BYTES}`);
        if (msg.chunk.length > 0) yield msg.chunk;
        if (msg.done) {
          received = true;
          signedHash = msg.pieceHash;
          // The peer's part is over: storing and signing are the node's.
          meter!.stopRate();
          return;
        }
        msg = await framed.expect(UploadRequest, 'end of the piece', { signal });
        meter!.add(msg.chunk.length);
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
      // The receipt is signed while the store commits; it is sent only once the commit is done.
      receipt = signPieceReceipt(ctx.key, {
        pieceId: limit.pieceId,
        size: BigInt(digest.size),
        root: new Uint8Array(digest.root),
        leafSize: digest.leafSize,
        timestamp: BigInt(ctx.now()),
        nodeId: ctx.nodeId,
        serialNumber: limit.serialNumber
      });
      receipt.catch(() => undefined);
      return SignedPieceHash.encode(signedHash);
    };
    let receipt: Promise<SignedPieceReceipt> | undefined;
    const expiration = Number(limit.pieceExpiration);
    await ctx.store.put(limit.pieceId, source(), {
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
    // put() stores only what seal() passed, and seal() started the receipt's signature.
    if (!receipt) throw new ProtocolError(ProtocolErrorCode.Internal, 'the piece was stored without its seal');
    await framed.write(UploadResponse, { receipt: await receipt }, { signal });
    ctx.log.debug({ piece: Buffer.from(limit.pieceId).toString('hex'), size }, 'piece stored');
  } catch (err) {
    await answerError(ctx, framed, UploadResponse, err, 'upload');
  } finally {
    request.clear();
    meter?.close();
    if (slot) ctx.activeUploads.count--;
  }
  await end(ctx, framed);
  // Refused before the end of the piece: reset the stream so the sender stops at once instead of
  // pushing the rest into a stream nobody reads (it has the answer already, sent before the reset).
  if (!received) framed.abort(new Error('upload refused'));
}

/**
 * Runs a read (download, audit): its request within the first-message deadline, then its order
 * checked, and only then one of the node's read slots taken (NODE_BUSY when none is free).
 */
async function withReadSlot<Req, T extends WithError>(
  ctx: NodeContext,
  framed: FramedStream,
  request: MessageCodec<Req>,
  codec: MessageCodec<T>,
  what: string,
  orderOf: (req: Req) => SignedOrderLimit | undefined,
  actions: PieceAction[],
  body: (req: Req, limit: OrderLimit) => Promise<void>,
  options: { slot: boolean } = { slot: true }
): Promise<void> {
  let slot = false;
  const first = deadline(ctx.limits.firstMessageTimeoutMs, `the ${what} request`);
  try {
    const req = await framed.expect(request, 'request', { signal: first.signal });
    first.clear();
    const limit = await ctx.orders.check(orderOf(req), actions, () => {
      if (!options.slot) return;
      takeSlot(ctx.activeReads, ctx.limits.maxConcurrentReads, `${what}s`);
      slot = true;
    });
    framed.verify();
    await body(req, limit);
  } catch (err) {
    await answerError(ctx, framed, codec, err, what);
  } finally {
    first.clear();
    if (slot) ctx.activeReads.count--;
  }
  await end(ctx, framed);
}

export async function handleDownload(ctx: NodeContext, framed: FramedStream): Promise<void> {
  await withReadSlot(ctx, framed, DownloadRequest, DownloadResponse, 'download', (r) => r.order, [PieceAction.GET, PieceAction.REPAIR_GET], (req, limit) => download(ctx, framed, req, limit));
}

async function download(ctx: NodeContext, framed: FramedStream, req: DownloadRequest, limit: OrderLimit): Promise<void> {
  // The downloader's highest signed allowance: the node sends no byte beyond it and settles it
  // with the satellite afterwards (PROTOCOL.md, Egress). Checked before any timer is set.
  if (!req.allowance) throw new ProtocolError(ProtocolErrorCode.NoAllowance, 'a download carries the downloader\'s first bandwidth order');
  let best = { signed: req.allowance, amount: (await verifyBandwidthOrder(req.allowance, limit)).amount };
  const meter = new TransferMeter(ctx.limits.transfer, 'download');
  const { signal } = meter;
  let sent = 0;
  try {
    let length = 0;
    // One record read: the owner and size checks, then the range's bytes.
    const { record, data } = await ctx.store.getWithRecord(limit.pieceId, (rec) => {
      if (rec.satelliteId !== limit.satelliteId) throw new ProtocolError('PIECE_NOT_FOUND', `piece ${rec.pieceId} is not stored here`);
      const offset = Number(req.offset);
      length = req.length === 0n ? Math.max(0, rec.size - offset) : Number(req.length);
      if (length > Number(limit.byteLimit)) {
        throw new ProtocolError(ProtocolErrorCode.OverLimit, `${length} bytes asked, the order allows ${limit.byteLimit}`);
      }
      return { offset, length };
    });
    await framed.write(DownloadResponse, { size: BigInt(record.size) }, { signal });
    try {
      for await (const chunk of data) {
        for (let off = 0; off < chunk.length; ) {
          if (BigInt(sent) >= best.amount) best = await nextAllowance(framed, limit, best, BigInt(length), signal);
          const part = chunk.subarray(off, off + Math.min(MAX_CHUNK_BYTES, Number(best.amount - BigInt(sent))));
          // A reader that stops reading stops the writes (drain): the meter's deadlines end it.
          await framed.write(DownloadResponse, { chunk: part as Uint8Array<ArrayBuffer> }, { signal });
          off += part.length;
          sent += part.length;
          meter.add(part.length);
        }
      }
    } finally {
      // Counted also when the client stops early (the long tail): those bytes left the node.
      ctx.onTransfer?.('download', sent);
    }
  } finally {
    meter.close();
    // Kept for settlement whatever happened after the first byte left (a cut transfer still moved bytes).
    if (sent > 0) {
      const kept = await ctx.unsettled?.keep(req.order!, limit, best.signed, best.amount).catch((err: unknown) => void ctx.log.warn({ err: (err as Error).message }, 'bandwidth order not kept'));
      if (kept === false) ctx.log.warn({ satellite: limit.satelliteId, refused: ctx.unsettled!.refused }, 'bandwidth order not kept: this satellite has the most unsettled orders a node keeps');
    }
  }
}

/** Smallest raise a later allowance must bring (or up to the bytes asked for). */
const MIN_ALLOWANCE_STEP = 64n * 1024n;

/**
 * Reads the downloader's next allowance once the node sent all it was allowed (the downloader
 * sends one when half its window is left; the meter's deadlines bound the wait). An allowance
 * must raise the amount by MIN_ALLOWANCE_STEP (or to the end): anything less is refused before its
 * signature is checked, so replaying one signed frame costs the node no signature work.
 */
async function nextAllowance(framed: FramedStream, limit: OrderLimit, best: { signed: SignedBandwidthOrder; amount: bigint }, length: bigint, signal: AbortSignal): Promise<{ signed: SignedBandwidthOrder; amount: bigint }> {
  const next = await framed.read(DownloadAllowance, { signal });
  if (!next?.allowance) throw new ProtocolError(ProtocolErrorCode.NoAllowance, `the downloader signed for ${best.amount} bytes and stopped`);
  let claimed: bigint;
  try {
    claimed = BandwidthOrder.decode(next.allowance.order).amount;
  } catch (err) {
    throw new ProtocolError(ProtocolErrorCode.Malformed, `the allowance does not decode: ${(err as Error).message}`);
  }
  const needed = best.amount + MIN_ALLOWANCE_STEP < length ? best.amount + MIN_ALLOWANCE_STEP : length;
  if (claimed < needed) throw new ProtocolError(ProtocolErrorCode.NoAllowance, `an allowance must raise the amount to at least ${needed} bytes, got ${claimed}`);
  const order = await verifyBandwidthOrder(next.allowance, limit);
  return { signed: next.allowance, amount: order.amount };
}

export async function handleDelete(ctx: NodeContext, framed: FramedStream): Promise<void> {
  const first = deadline(ctx.limits.firstMessageTimeoutMs, 'the delete request');
  try {
    const req = await framed.expect(DeleteRequest, 'request', { signal: first.signal });
    first.clear();
    const limit = await ctx.orders.check(req.order, [PieceAction.DELETE]);
    framed.verify();
    await checkOwner(ctx, limit);
    await ctx.store.delete(limit.pieceId);
    await framed.write(DeleteResponse, {}, { signal: AbortSignal.timeout(ctx.limits.firstMessageTimeoutMs) });
  } catch (err) {
    await answerError(ctx, framed, DeleteResponse, err, 'delete');
  } finally {
    first.clear();
  }
  await end(ctx, framed);
}

export async function handleAudit(ctx: NodeContext, framed: FramedStream): Promise<void> {
  // No read slot: audits come from the satellites alone (the protocol is satellite-only) and read
  // a few leaves; clients holding every read slot with slow downloads must not turn them into
  // NODE_BUSY, which the satellite counts against the node.
  await withReadSlot(ctx, framed, AuditRequest, AuditResponse, 'audit', (r) => r.order, [PieceAction.AUDIT], (req, limit) => audit(ctx, framed, req, limit), { slot: false });
}

async function audit(ctx: NodeContext, framed: FramedStream, req: AuditRequest, limit: OrderLimit): Promise<void> {
  await checkOwner(ctx, limit);
  if (req.leafIndices.length === 0 || req.leafIndices.length > ctx.limits.maxAuditLeaves) {
    throw new ProtocolError(ProtocolErrorCode.Malformed, `an audit asks for 1 to ${ctx.limits.maxAuditLeaves} leaves, got ${req.leafIndices.length}`);
  }
  const answer = await ctx.store.readLeaves(limit.pieceId, req.leafIndices);
  // An audit moves little: the whole-transfer deadline alone bounds its answer.
  const meter = new TransferMeter({ ...ctx.limits.transfer, minTransferRate: 0 }, 'audit');
  try {
    await framed.write(
      AuditResponse,
      {
        leaves: answer.leaves.map((l) => new Uint8Array(l)),
        proof: answer.proof.map((p) => new Uint8Array(p)),
        leafCount: BigInt(answer.leafCount),
        size: BigInt(answer.size)
      },
      { signal: meter.signal }
    );
  } finally {
    meter.close();
  }
}
