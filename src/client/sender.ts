// Sends a segment's pieces to their nodes a column range at a time (format v4, issue 23): a ring
// of a few batches, each the k data pieces' bytes [start, end) and the parity rows coded from
// them, feeds every piece stream. A batch's slot is filled again only once every stream has taken
// its bytes, so the slowest stream paces the segment (backpressure from its node) until the others
// alone are enough: then it is cut, as the long tail is at `success` receipts. Memory: the ring,
// about RING_BYTES, whatever the segment's size.
import type { PrivateKey, Stream } from '@libp2p/interface';
import { PROTOCOL_UPLOAD, uploadPiece, type AddressedOrder, type SignedPieceHash, type SignedPieceReceipt } from '../protocol/index.js';
import { describeFailure, dialForOrder, type ClientContext } from './context.js';
import { ClientError, ClientErrorCode } from './errors.js';
import type { ParityCoder } from './upload.js';

/** Bytes of all batches in the ring together, about (at least one share per piece a batch): 8 MiB
 * ran at the rate 16 did in bench:e2e (40-53 MB/s either, the day's noise), with less to hold. */
export const RING_BYTES = 8 * 1024 * 1024;
/** How long the streams ahead wait for a laggard before it is cut (250 ms: frozen-writers passes, and bench:e2e
 * uploads ran 37 MB/s with it, 35-38 with 1 s, 44 with none: one run each, noise about 10). */
const CUT_GRACE_MS = 250;
/** Longest a live segment keeps laggards for its slack while the other streams wait (nodes cut a
 * stream idle past their rate window, 15 s by default). */
const SLACK_WAIT_MS = 3000;
/** Batches in the ring: one being filled, the rest taken by streams at different speeds. */
export const RING_BATCHES = 4;

/** The k data pieces, a column range at a time. */
export interface ColumnSource {
  /** Data pieces' length; each batch's range is a multiple of `align` bytes (but the last). */
  pieceSize: number;
  align: number;
  /** Fills bytes [start, end) of every data piece into `into[i]`; ranges come in order. */
  fill(start: number, end: number, into: readonly Uint8Array[], signal: AbortSignal): Promise<void>;
}

export interface SendResult {
  receipts: Map<number, SignedPieceReceipt>;
  hashes: Map<number, SignedPieceHash>;
  /** Each share's root, the client's own (hashed as it was sent): replacements are checked against it. */
  roots: Map<number, Uint8Array>;
  failures: string[];
}

interface Slot {
  batch: number;
  data: Uint8Array[];
  /** Parity rows by piece number (only those some stream sends). */
  parity: Map<number, Uint8Array>;
}

/**
 * With a worker pool a batch is k x m x width bytes of multiply-adds: at least the 32 MiB below
 * which the pool runs a call on the calling thread (src/erasure/pool.ts), so the second core codes
 * (the ring then takes 4 x n x width: 64 MiB at 4/8).
 */
const POOLED_WORK = 32 * 1024 * 1024;
const MAX_POOLED_WIDTH = 16 * 1024 * 1024;

/** Bytes each batch takes of each piece: RING_BYTES over the ring, in whole `align` units. */
export function batchBytes(k: number, pieces: number, pieceSize: number, align: number, pooled: boolean): number {
  const units = (n: number): number => Math.ceil(n / align) * align;
  const target = pooled
    ? Math.min(MAX_POOLED_WIDTH, units(POOLED_WORK / k / Math.max(1, pieces - k)))
    : Math.floor(RING_BYTES / RING_BATCHES / Math.max(1, pieces) / align) * align;
  return Math.max(align, Math.min(target, units(pieceSize)));
}

/**
 * Uploads the pieces `orders` name, their bytes from `source` (parity coded here), at once; at
 * `success` receipts in `result` the others are cut. Failures are collected, not thrown; an error of
 * the source (or the signal) is thrown once every stream has ended.
 */
export async function sendColumns(
  ctx: ClientContext,
  orders: AddressedOrder[],
  source: ColumnSource,
  coder: ParityCoder,
  k: number,
  parityCount: number,
  success: number,
  uplinkKey: PrivateKey,
  result: SendResult,
  signal?: AbortSignal,
  /** Streams kept above `success` when laggards are cut: a segment that cannot be sent again
   * (read live from its source) keeps spares for streams that fail later (review 23 M4). */
  slack = 0
): Promise<void> {
  const { pieceSize } = source;
  const width = batchBytes(k, k + parityCount, pieceSize, source.align, coder.shared);
  const batches = Math.max(1, Math.ceil(pieceSize / width));
  // One stream per piece number below n: a satellite naming one twice, or one past n, would have
  // two streams send one share or a row that does not exist (hostile review 23 L5).
  const numbers = orders.map((o) => o.pieceNumber);
  if (numbers.some((n) => !Number.isInteger(n) || n < 0 || n >= k + parityCount) || new Set(numbers).size !== numbers.length) {
    throw new ClientError(ClientErrorCode.UploadFailed, `the satellite's orders name pieces ${numbers.join(', ')}: not distinct pieces below ${k + parityCount}`);
  }
  // Receipts of earlier rounds count toward `success`: a replacement round cuts its laggards too.
  const prior = result.receipts.size;
  const parityNumbers = [...new Set(numbers.filter((n) => n >= k))].sort((a, b) => a - b);
  const alloc = (n: number): Uint8Array => (coder.shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n));
  const slots: Slot[] = Array.from({ length: Math.min(RING_BATCHES, batches) }, () => ({
    batch: -1,
    data: Array.from({ length: k }, () => alloc(width)),
    parity: new Map(parityNumbers.map((n) => [n, alloc(width)]))
  }));

  const stop = new AbortController();
  const inner = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  /** Streams still taking batches: the next batch each will ask for. */
  const position = new Map<number, number>();
  const streams = new Map<number, Stream>();
  let ready = -1;
  let sourceError: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const waitChange = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  let readyWaiters: (() => void)[] = [];
  const announce = (): void => {
    const w = readyWaiters;
    readyWaiters = [];
    for (const r of w) r();
  };
  let cancelled = false;
  let finished = false;
  // Each dial ends when its stream is cut or the long tail is: a node that accepted the TCP
  // connection and went silent would otherwise hold the segment until its dial timed out.
  const dials = orders.map(() => new AbortController());
  /** Streams not failed nor cut: sending, or stored. */
  const live = new Set(orders.map((_, i) => i));
  const leave = (i: number, failed: boolean): void => {
    position.delete(i);
    dials[i]?.abort(new Error(failed ? 'cut' : 'sent'));
    if (failed) live.delete(i);
    notify();
  };
  for (let i = 0; i < orders.length; i++) position.set(i, 0);

  /** Since when laggards were kept for the slack (enough streams were ahead without them). */
  let waitedSince: number | undefined;
  const produce = async (): Promise<void> => {
    for (let b = 0; b < batches; b++) {
      const slot = slots[b % slots.length]!;
      waitedSince = undefined;
      // The slot is free once no stream still needs batch b - ring (streams behind it are cut
      // when the ones ahead are enough).
      for (;;) {
        inner.throwIfAborted();
        if (position.size === 0) return;
        const behind = [...position].filter(([, p]) => p <= slot.batch);
        if (behind.length === 0) break;
        // Laggards are cut once the streams ahead are enough and have waited CUT_GRACE_MS for
        // them: a node that soaked up a few MiB into its buffers and froze looks ahead of an
        // honest one still writing them (hostile review 24 H2). Enough is `success`, and for a
        // live segment the slack while more than one live stream is left over, for SLACK_WAIT_MS
        // at most: the streams ahead idle meanwhile, and nodes cut a stream idle past their rate
        // window (review 24 M1).
        const waited = waitedSince === undefined ? 0 : Date.now() - waitedSince;
        const keep = waited >= SLACK_WAIT_MS ? success : Math.max(success, Math.min(success + slack, prior + live.size - 1));
        const ahead = prior + live.size - behind.length;
        if (ahead >= keep && waited >= CUT_GRACE_MS) {
          for (const [i] of behind) {
            streams.get(i)?.abort(new Error('fell behind the other pieces of its segment'));
            result.failures.push(`${orders[i]!.nodeId.slice(0, 12)}: fell behind the other pieces of its segment`);
            leave(i, true);
          }
          break;
        }
        if (ahead >= success) {
          waitedSince ??= Date.now();
          const until = (ahead >= keep ? CUT_GRACE_MS : SLACK_WAIT_MS) - (Date.now() - waitedSince);
          await Promise.race([waitChange(), new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, until)).unref())]);
        } else {
          await waitChange();
        }
      }
      const start = b * width;
      const end = Math.min(pieceSize, start + width);
      const data = slot.data.map((d) => d.subarray(0, end - start));
      await source.fill(start, end, data, inner);
      if (parityNumbers.length > 0) {
        const into = parityNumbers.map((n) => slot.parity.get(n)!.subarray(0, end - start));
        // All rows at once when every parity piece is sent (the first round), else only those sent.
        if (parityNumbers.length === parityCount) await coder.encode(data, into);
        else await coder.encodeRows(data, parityNumbers.map((n) => n - k), into);
      }
      slot.batch = b;
      ready = b;
      announce();
    }
  };

  async function* column(i: number, pieceNumber: number): AsyncGenerator<Uint8Array> {
    for (let b = 0; b < batches; b++) {
      while (ready < b) {
        if (sourceError !== undefined) throw sourceError;
        inner.throwIfAborted();
        await new Promise<void>((resolve) => readyWaiters.push(resolve));
      }
      const slot = slots[b % slots.length]!;
      const len = Math.min(pieceSize, (b + 1) * width) - b * width;
      const bytes = pieceNumber < k ? slot.data[pieceNumber]! : slot.parity.get(pieceNumber)!;
      yield bytes.subarray(0, len);
      // Asked for more: this batch's bytes are no longer read.
      position.set(i, b + 1);
      notify();
    }
  }

  const onAbort = (): void => {
    for (const s of streams.values()) s.abort(new Error('upload aborted'));
    announce();
    notify();
  };
  inner.addEventListener('abort', onAbort, { once: true });
  const producing = produce()
    .catch((err: unknown) => {
      if (finished) return;
      sourceError = err instanceof Error ? err : new Error(String(err));
      stop.abort(err);
    })
    .finally(announce);

  try {
    await Promise.all(
      orders.map(async (o, i) => {
        let stream: Stream | undefined;
        let stored = false;
        try {
          stream = await dialForOrder(ctx, o, PROTOCOL_UPLOAD, AbortSignal.any([inner, dials[i]!.signal]));
          if (cancelled || !position.has(i)) return stream.abort(new Error('long tail cancelled'));
          streams.set(i, stream);
          const root = result.roots.get(o.pieceNumber);
          const sent = await uploadPiece(stream, { limit: o.order!.limit, signature: o.order!.signature }, pieceSize, column(i, o.pieceNumber), {
            idleTimeoutMs: ctx.pieceTimeoutMs,
            uplinkKey,
            ...(root ? { root } : {})
          });
          result.roots.set(o.pieceNumber, sent.root);
          result.receipts.set(o.pieceNumber, sent.receipt);
          result.hashes.set(o.pieceNumber, sent.pieceHash);
          stored = true;
          if (result.receipts.size >= success && !cancelled) {
            cancelled = true;
            for (const [j, s] of streams) if (j !== i) s.abort(new Error('long tail cancelled'));
            for (const j of [...position.keys()]) if (j !== i) leave(j, true);
          }
        } catch (err) {
          stream?.abort(err as Error);
          if (!cancelled && sourceError === undefined && position.has(i)) result.failures.push(describeFailure(o.nodeId, err));
        } finally {
          streams.delete(i);
          leave(i, !stored);
        }
      })
    );
  } finally {
    inner.removeEventListener('abort', onAbort);
    finished = true;
    stop.abort(new Error('segment sent'));
    notify();
    await producing;
  }
  if (sourceError !== undefined && !(result.receipts.size >= success)) throw sourceError;
  signal?.throwIfAborted();
}
