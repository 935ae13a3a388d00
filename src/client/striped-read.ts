// Reads a segment of format v4 (striped pieces) a batch of stripes at a time: k + margin piece
// streams each fill a small ring of batches, and the reader takes each batch from the first k
// pieces that have it (data pieces first, so usually nothing is decoded), opens the blocks in it
// and lets the ring slots go. A stream ahead of the reader by the ring waits (its node waits for
// the bandwidth allowance); one that fails, or falls behind while others are enough, is dropped,
// and when fewer than k remain another piece is asked for from the batch the reader is at (a
// range of the piece, with an order of its own). Memory: the rings, about (k + margin) x RING x
// BATCH bytes, whatever the segment's size.
//
// Bytes are trusted only once the blocks made of them authenticate (a range of a piece cannot be
// checked against its root); a piece read whole from its start is checked against its root too,
// and its node reported when it does not match.
import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import type { PrivateKey, Stream } from '@libp2p/interface';
import type { ErasureCodec } from '../erasure/index.js';
import { PieceHasher, equalHashes } from '../merkle/index.js';
import { PROTOCOL_DOWNLOAD, ProtocolError, ProtocolErrorCode, downloadPiece, type PieceDownload, type SegmentInfo } from '../protocol/index.js';
import { describeFailure, dialForOrder, type ClientContext } from './context.js';
import { ClientError, ClientErrorCode } from './errors.js';
import { piecePosition, type StripeLayout } from './stripes.js';

/** Bytes of each piece per batch (whole shares; at least two, so a sealed block spans at most two batches). */
export const READ_BATCH_BYTES = 256 * 1024;
/** Bytes of all the streams' rings of a segment together, about (two shares a batch at least). */
export const READ_RINGS_BYTES = 16 * 1024 * 1024;
/** Batches each piece stream may hold: the reader's one or two, and the rest to run ahead. */
export const READ_RING = 4;
/** Bytes a node may send ahead of what the reader took (the protocol's first, smallest window). */
const READ_ALLOWANCE_BYTES = 512 * 1024;
/** How long the reader waits on a batch before it asks another piece for it. */
const HEDGE_MS = 2000;
/** Times a segment asks the satellite for orders again when fewer than k streams are left. */
const MAX_REORDERS = 3;

export interface StripedReadPlan {
  ctx: ClientContext;
  bucket: string;
  key: string;
  margin: number;
  codec: ErasureCodec;
  /** Reports nodes whose piece did not match its root (best effort). */
  report: (nodeIds: string[]) => void;
}

interface Share {
  n: number;
  nodeId: string;
  /** Piece offset this stream started at (a whole batch). */
  start: number;
  /** Piece bytes [start, got) received. */
  got: number;
  ring: Uint8Array;
  failed: boolean;
  stream?: Stream;
  dial: AbortController;
}

/**
 * A striped segment being read: `batch(b)` gives the k data pieces' bytes of batch b (valid until
 * release), `release(b)` lets every batch before b go, `close()` ends the streams.
 */
export class StripedSegment {
  readonly width: number;
  readonly batches: number;
  private readonly shares = new Map<number, Share>();
  private readonly queue: PieceDownload[];
  private readonly listed = new Set<number>();
  private readonly keyOf = new Map<PieceDownload, PrivateKey>();
  private readonly problems: string[] = [];
  private readonly bad = new Set<string>();
  /** Pieces left out because a block opened without them: not asked for again (review 24 L2). */
  private readonly dropped = new Set<number>();
  private released: number;
  private reorders = 0;
  private hedges = 0;
  private asked = 0;
  private waiters: (() => void)[] = [];
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  /** Rebuilt data pieces of the last two batches (only those not read from a stream). */
  private readonly scratch: Uint8Array[][];
  private fatal: Error | undefined;
  private readonly started: Promise<void>;
  /** The pieces each batch was last taken from. */
  private readonly used = new Map<number, number[]>();

  constructor(
    private readonly plan: StripedReadPlan,
    private readonly seg: SegmentInfo,
    readonly layout: StripeLayout,
    /** The first sealed byte the reader wants: streams start at its batch. */
    firstSealed: number,
    signal: AbortSignal,
    /** The streams start once this resolves (the segment before is near its end). */
    gate: Promise<void> = Promise.resolve()
  ) {
    const share = layout.shareSize;
    // The rings of the k + margin streams together take about READ_RINGS_BYTES (hostile review
    // 23 M5: 30 streams of 1 MiB at 29/110), at least two shares a batch, at most READ_BATCH_BYTES.
    const fit = Math.floor(READ_RINGS_BYTES / READ_RING / (layout.k + plan.margin) / share) * share;
    this.width = Math.min(Math.max(2 * share, Math.min(fit, Math.floor(READ_BATCH_BYTES / share) * share)), Math.ceil(layout.pieceSize / share) * share);
    this.batches = Math.ceil(layout.pieceSize / this.width);
    const firstBatch = this.batchOf(firstSealed);
    this.released = firstBatch;
    this.signal = AbortSignal.any([signal, this.stop.signal]);
    this.scratch = [0, 1].map(() => Array.from({ length: layout.k }, () => new Uint8Array(0)));
    this.queue = seg.pieces.filter((p) => this.usable(p)).sort((a, b) => (a.order?.pieceNumber ?? 0) - (b.order?.pieceNumber ?? 0));
    this.keysOf(seg);
    this.signal.addEventListener('abort', () => this.wake(), { once: true });
    this.started = gate.then(() => {
      if (this.signal.aborted) return;
      for (const p of this.queue.splice(0, layout.k + plan.margin)) this.open(p, firstBatch);
    });
  }


  private get total(): number {
    return this.seg.scheme?.total ?? 0;
  }

  /** One stream per piece number below n (review 21 L1), none twice at once. */
  private usable(p: PieceDownload, again = false): boolean {
    const n = p.order?.pieceNumber ?? -1;
    if (!p.order || !(n >= 0 && n < this.total) || (!again && this.listed.has(n))) return false;
    this.listed.add(n);
    return true;
  }

  private keysOf(info: SegmentInfo): void {
    if (!info.orderPrivateKey?.length) return;
    let key: PrivateKey;
    try {
      key = privateKeyFromRaw(info.orderPrivateKey);
    } catch (err) {
      throw new ProtocolError(ProtocolErrorCode.Malformed, `the satellite's order key does not decode: ${(err as Error).message}`);
    }
    for (const p of info.pieces) this.keyOf.set(p, key);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private batchEnd(b: number): number {
    return Math.min(this.layout.pieceSize, (b + 1) * this.width);
  }

  /** Starts piece p's stream at batch `from`. */
  private open(p: PieceDownload, from: number): void {
    const o = p.order!;
    const share: Share = { n: o.pieceNumber, nodeId: o.nodeId, start: from * this.width, got: from * this.width, ring: new Uint8Array(READ_RING * this.width), failed: false, dial: new AbortController() };
    this.shares.set(share.n, share);
    this.asked++;
    void this.pump(p, share).then(
      () => undefined,
      (err: unknown) => {
        share.failed = true;
        share.stream?.abort(err as Error);
        // Its ring goes (batches the reader took from it stay alive through its views).
        if (this.shares.get(share.n) === share) this.shares.delete(share.n);
        if (!this.signal.aborted) this.problems.push(describeFailure(o.nodeId, err));
        this.wake();
      }
    );
  }

  private async pump(p: PieceDownload, share: Share): Promise<void> {
    const o = p.order!;
    const { pieceSize } = this.layout;
    share.stream = await dialForOrder(this.plan.ctx, o, PROTOCOL_DOWNLOAD, AbortSignal.any([this.signal, share.dial.signal]));
    const hasher = share.start === 0 ? new PieceHasher() : undefined;
    const order = { limit: o.order!.limit, signature: o.order!.signature, orderKey: this.keyOf.get(p) };
    // The node may send ahead of the reader only what its allowance covers: the smallest window,
    // so a stream buffers about half a ring beyond it (the default 2 MiB window doubled the memory).
    const window = { idleTimeoutMs: this.plan.ctx.pieceTimeoutMs, allowanceWindowBytes: READ_ALLOWANCE_BYTES };
    for await (const chunk of downloadPiece(share.stream, order, { offset: share.start, length: pieceSize - share.start }, window)) {
      if (share.got + chunk.length > pieceSize) {
        this.bad.add(o.nodeId);
        throw new ProtocolError('PIECE_TOO_LARGE', `node sent more than ${pieceSize} bytes`);
      }
      hasher?.update(chunk);
      for (let at = 0; at < chunk.length; ) {
        const b = Math.floor(share.got / this.width);
        const n = Math.min(chunk.length - at, this.batchEnd(b) - share.got);
        // A batch the reader is past is dropped; one the ring has no room for yet waits.
        while (b >= this.released + READ_RING) {
          this.signal.throwIfAborted();
          if (share.failed) throw new Error('dropped');
          await this.changed();
        }
        if (b >= this.released) share.ring.set(chunk.subarray(at, at + n), (b % READ_RING) * this.width + (share.got - b * this.width));
        share.got += n;
        at += n;
      }
      this.wake();
    }
    if (share.got !== pieceSize) throw new ProtocolError(ProtocolErrorCode.Closed, `the piece ended at ${share.got} of ${pieceSize} bytes`);
    if (hasher && !equalHashes(hasher.digest().root, p.root)) {
      this.bad.add(o.nodeId);
      this.plan.report([o.nodeId]);
      throw new ProtocolError('PIECE_CORRUPT', 'piece does not match the root its uploader signed');
    }
  }

  /** Whether share s holds batch b now. */
  private holds(s: Share, b: number): boolean {
    return !s.failed && s.start <= b * this.width && s.got >= this.batchEnd(b) && b >= this.released && b < this.released + READ_RING;
  }

  /** Shares that hold batch b or may still: not failed, started at or before it. */
  private mayHold(s: Share, b: number): boolean {
    return !s.failed && s.start <= b * this.width;
  }

  /**
   * The k data pieces' bytes of batch b (views valid until release(b + 1)), from pieces other than
   * those in `without` (a block of the batch did not open with them).
   */
  async batch(b: number, without?: ReadonlySet<number>): Promise<Uint8Array[]> {
    const { k } = this.layout;
    await this.started;
    const allowed = (s: Share): boolean => !without?.has(s.n);
    for (;;) {
      this.signal.throwIfAborted();
      if (this.fatal !== undefined) throw this.fatal;
      const holding = [...this.shares.values()].filter((s) => allowed(s) && this.holds(s, b)).sort((x, y) => x.n - y.n);
      if (holding.length >= k) {
        this.used.set(b, holding.slice(0, k).map((s) => s.n));
        return this.columns(b, holding.slice(0, k));
      }
      const possible = [...this.shares.values()].filter((s) => allowed(s) && this.mayHold(s, b)).length;
      if (possible < k) {
        await this.more(b, k - possible);
        continue;
      }
      // A stream that holds the batch up (a slow or trickling node) is hedged: after HEDGE_MS
      // without the batch another piece is asked for from it (hostile review 23 H2).
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([this.changed().then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), HEDGE_MS)))]);
      clearTimeout(timer);
      if (late && this.hedges < this.total && (this.queue.length > 0 || this.reorders < MAX_REORDERS)) {
        this.hedges++;
        await this.more(b, 1).catch(() => undefined);
      }
    }
  }

  /** Asks `count` more pieces from batch b on (orders left, else new ones from the satellite). */
  private async more(b: number, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      let p = this.queue.shift();
      if (!p) {
        await this.reorder();
        if (this.fatal !== undefined) throw this.fatal;
        p = this.queue.shift();
      }
      if (!p) {
        const good = [...this.shares.values()].filter((s) => this.mayHold(s, b)).length;
        throw new ClientError(
          ClientErrorCode.NotEnoughPieces,
          `segment ${this.seg.index}: ${good} good pieces found of the ${this.layout.k} needed at byte ${b * this.width} of its pieces (${this.asked} asked for; ${this.bad.size} sent bad data; ${this.problems.slice(-5).join('; ')})`
        );
      }
      this.open(p, b);
    }
  }

  /** Orders for the pieces no stream holds now (a stream that failed needs an order of its own again). */
  private async reorder(): Promise<void> {
    if (this.reorders >= MAX_REORDERS) return;
    this.reorders++;
    try {
      const { bucket, key } = this.plan;
      const page = (await this.plan.ctx.metainfo({ getObject: { bucket, key, firstSegment: this.seg.index, segmentLimit: 1, allPieces: true } })).getObject!;
      const again = page.segments.find((s) => s.index === this.seg.index);
      if (!again) return;
      this.keysOf(again);
      const taken = new Set([...this.shares.values()].filter((s) => !s.failed).map((s) => s.n));
      const badNodes = this.bad;
      for (const p of again.pieces) {
        const n = p.order?.pieceNumber ?? -1;
        if (taken.has(n) || this.dropped.has(n) || badNodes.has(p.order?.nodeId ?? '') || this.queue.some((q) => q.order?.pieceNumber === n)) continue;
        if (this.usable(p, true)) this.queue.push(p);
      }
      this.queue.sort((a, b) => (a.order?.pieceNumber ?? 0) - (b.order?.pieceNumber ?? 0));
    } catch (err) {
      this.problems.push(`no further orders: ${(err as Error).message}`);
      if (err instanceof ClientError && err.code === ClientErrorCode.SatelliteUnreachable) {
        this.fatal = new ClientError(ClientErrorCode.SatelliteUnreachable, `segment ${this.seg.index}: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  private columns(b: number, from: Share[]): Uint8Array[] {
    const { k } = this.layout;
    const len = this.batchEnd(b) - b * this.width;
    const view = (s: Share): Uint8Array => s.ring.subarray((b % READ_RING) * this.width, (b % READ_RING) * this.width + len);
    const byNumber = new Map(from.map((s) => [s.n, view(s)]));
    const lost = Array.from({ length: k }, (_, n) => n).filter((n) => !byNumber.has(n));
    const out = Array.from({ length: k }, (_, n) => byNumber.get(n));
    if (lost.length > 0) {
      const scratch = this.scratch[b % 2]!;
      const into = lost.map((n) => {
        if (scratch[n]!.length < this.width) scratch[n] = new Uint8Array(this.width);
        return scratch[n]!.subarray(0, len);
      });
      const shards = Array.from({ length: this.total }, (_, n) => byNumber.get(n) ?? null);
      this.plan.codec.reconstructRows(shards, lost, into);
      lost.forEach((n, i) => (out[n] = into[i]));
    }
    return out as Uint8Array[];
  }

  /** The reader needs no batch before b any more. */
  release(b: number): void {
    if (b <= this.released) return;
    this.released = b;
    // A stream a whole ring behind the reader while k others are ahead is dropped (a slow node);
    // one just behind (the margin, a dial still on its way) catches up by skipping what is past.
    const ahead = [...this.shares.values()].filter((s) => !s.failed && s.got >= Math.min(this.layout.pieceSize, b * this.width)).length;
    if (ahead >= this.layout.k) {
      for (const s of this.shares.values()) {
        if (!s.failed && s.got < (b - READ_RING) * this.width) {
          s.failed = true;
          s.dial.abort(new Error('fell behind'));
          s.stream?.abort(new Error('fell behind the other pieces'));
        }
      }
    }
    this.wake();
  }

  /** The pieces batch b was taken from. */
  usedFor(b: number): number[] {
    return this.used.get(b) ?? [];
  }

  /**
   * Stops reading piece n for this segment: a block decoded with it did not open, and one decoded
   * without it did. Not reported (a range cannot be checked against its root: an uploader whose
   * pieces are not one codeword would have an honest node blamed).
   */
  drop(n: number): void {
    const s = this.shares.get(n);
    if (!s) return;
    s.failed = true;
    this.dropped.add(n);
    s.dial.abort(new Error('dropped'));
    s.stream?.abort(new Error('its bytes did not open a block'));
    this.shares.delete(n);
    this.problems.push(`${s.nodeId.slice(0, 12)}: its bytes did not open a block`);
    this.wake();
  }

  close(): void {
    this.stop.abort(new Error('segment read'));
    for (const s of this.shares.values()) s.stream?.abort(new Error('segment read'));
    this.wake();
  }

  /** Bytes of sealed segment [at, at + length) from the loaded batches `got` (batch -> columns). */
  gather(got: Map<number, Uint8Array[]>, at: number, length: number, into: Uint8Array): Uint8Array {
    const { shareSize } = this.layout;
    for (let x = 0; x < length; ) {
      const { piece, offset } = piecePosition(this.layout, at + x);
      const b = Math.floor(offset / this.width);
      const cols = got.get(b);
      if (!cols) throw new RangeError(`batch ${b} is not loaded`);
      const n = Math.min(shareSize - (offset % shareSize), length - x);
      const from = offset - b * this.width;
      into.set(cols[piece]!.subarray(from, from + n), x);
      x += n;
    }
    return into.subarray(0, length);
  }

  /** The batch holding sealed byte `at`. */
  batchOf(at: number): number {
    return Math.floor(piecePosition(this.layout, at).offset / this.width);
  }
}
