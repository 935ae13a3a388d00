// Garbage collection on the node (/stowage/retain/1.0.0). The satellite sends a bloom filter of
// the piece ids the node should hold, made at a time T and signed. The node moves to its trash
// every piece of that satellite that is not in the filter and was created before T minus a skew
// allowance (so a piece uploaded while the filter was being made is never touched); the trash is
// emptied after `trashTtlMs`. A false positive only keeps a piece one filter longer.
// A piece's age is read on both clocks: the node's (when it stored it) and the satellite's (when
// it signed the piece's order limit). T is on the satellite's clock: a node whose clock is behind
// by more than the allowance would otherwise see a piece uploaded after T as older than T.
import { BloomFilter, OrderLimit, ProtocolError, ProtocolErrorCode, RetainRequest, RetainResponse, SignedOrderLimit, verifyRetain, type FramedStream } from '../protocol/index.js';
import type { PieceRecord, PieceStore } from './pieces/index.js';

export interface RetainOptions {
  /** Pieces created less than this before the filter was made are kept whatever it says. */
  skewMs: number;
}

/** When the satellite issued the order the piece was stored under (its clock), if the record has it. */
function orderCreation(rec: PieceRecord): number | undefined {
  if (rec.orderLimit.length === 0) return undefined;
  try {
    // Verified when the piece arrived; only its time is read here.
    const signed = SignedOrderLimit.decode(rec.orderLimit);
    return Number(OrderLimit.decode(signed.limit).orderCreation);
  } catch {
    return undefined;
  }
}

/**
 * Trashes the pieces of `satelliteId` that `filter` lacks and that are older than
 * `createdBefore - skewMs` on both the node's clock and the satellite's.
 */
export async function retainPieces(store: PieceStore, satelliteId: string, filter: BloomFilter, createdBefore: number, options: RetainOptions, now: number): Promise<{ trashed: number; kept: number }> {
  const cutoff = createdBefore - options.skewMs;
  const garbage: string[] = [];
  let kept = 0;
  for await (const rec of store.list(satelliteId)) {
    const issued = orderCreation(rec);
    if (rec.createdAt >= cutoff || (issued !== undefined && issued >= cutoff) || filter.has(Buffer.from(rec.pieceId, 'hex'))) kept++;
    else garbage.push(rec.pieceId);
  }
  let trashed = 0;
  for (const id of garbage) {
    try {
      await store.trash(id, now);
      trashed++;
    } catch (err) {
      // Deleted or being rewritten meanwhile: nothing to collect.
      if ((err as { code?: string }).code !== 'PIECE_NOT_FOUND') throw err;
    }
  }
  return { trashed, kept };
}

export interface RetainContext {
  nodeId: string;
  store: PieceStore;
  trustedSatellites: ReadonlySet<string>;
  clockSkewMs: number;
  /** The request must arrive, and the answer leave, within this (the peer is a trusted satellite, checked before). */
  requestTimeoutMs: number;
  now: () => number;
  options: RetainOptions;
}

export async function handleRetain(ctx: RetainContext, framed: FramedStream): Promise<void> {
  try {
    const req = await framed.expect(RetainRequest, 'request', { signal: AbortSignal.timeout(ctx.requestTimeoutMs) });
    const retain = await verifyRetain(req, (r) => {
      if (!ctx.trustedSatellites.has(r.satelliteId)) throw new ProtocolError(ProtocolErrorCode.UntrustedSatellite, `retain request from ${r.satelliteId || 'nobody'}, not a trusted satellite`);
      if (r.nodeId !== ctx.nodeId) throw new ProtocolError(ProtocolErrorCode.WrongNode, `retain request is for node ${r.nodeId}, this is ${ctx.nodeId}`);
    });
    const createdBefore = Number(retain.createdBefore);
    if (createdBefore > ctx.now() + ctx.clockSkewMs) throw new ProtocolError(ProtocolErrorCode.FromTheFuture, 'retain filter was made in the future');
    const filter = BloomFilter.fromWire(retain.filter, retain.hashCount, retain.seed);
    const { trashed, kept } = await retainPieces(ctx.store, retain.satelliteId, filter, createdBefore, ctx.options, ctx.now());
    await framed.write(RetainResponse, { trashed: BigInt(trashed), kept: BigInt(kept) }, { signal: AbortSignal.timeout(ctx.requestTimeoutMs) });
  } catch (err) {
    const code = (err as { code?: string }).code ?? ProtocolErrorCode.Internal;
    await framed.write(RetainResponse, { error: { code, message: (err as Error).message } }, { signal: AbortSignal.timeout(ctx.requestTimeoutMs) }).catch(() => undefined);
  }
  await framed.closeWrite({ signal: AbortSignal.timeout(ctx.requestTimeoutMs) });
}
