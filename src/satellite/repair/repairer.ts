// The repairer's workers take queued segments in queue order, fewest healthy first: `concurrency`
// ordinary workers take any, `urgentConcurrency` urgent ones only segments close to loss (mayTake).
// For each segment it downloads k pieces with REPAIR_GET orders from nodes
// not known down, best first (sources.ts; each checked against its root; a bad or missing one is
// replaced by the next node), rebuilds the missing pieces on the erasure worker pool, uploads them
// with REPAIR_PUT orders to newly selected nodes (none holding the segment already), and replaces
// the lost pieces in the metadata in the same write that removes the queue entry
// (RepairQueueDB.commitRepair): a repairer killed mid-segment leaves the metadata as it was and the
// segment queued. A node a transfer failed with is backed off (backoff.ts): passed over as a source
// or target while others will do. A downloaded piece that fails its root check is dropped from the
// segment at once, recorded as a failed audit of its node, and its number rebuilt first.
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Stream } from '@libp2p/interface';
import { createCodecPool, type CodecPool } from '../../erasure/index.js';
import { PieceHasher, equalHashes } from '../../merkle/index.js';
import { PROTOCOL_DOWNLOAD, PROTOCOL_UPLOAD, PieceAction, ProtocolError, downloadPiece, uploadPiece } from '../../protocol/index.js';
import { StowageError } from '../../common/index.js';
import { connectNode } from '../contact/index.js';
import type { PlannedPiece, RedundancyProfile, SegmentPiece, SegmentRecord } from '../metainfo/index.js';
import { NotEnoughNodesError, selectNodes, subnetOf, type NodeRecord } from '../overlay/index.js';
import { NodeBackoff } from './backoff.js';
import type { RepairConfig } from './config.js';
import type { QueueEntry, QueuedSegment } from './db.js';
import type { RepairDeps } from './deps.js';
import { healthyPieces, nodeView } from './health.js';
import { repairSources } from './sources.js';

export interface RepairResult {
  segmentKey: string;
  outcome: 'repaired' | 'healthy' | 'gone' | 'failed';
  /** Healthy pieces before and after. */
  before: number;
  after: number;
  bytes: number;
  reason?: string;
}

/** Rounds of new nodes tried for the pieces whose upload failed. */
const UPLOAD_ROUNDS = 3;
/** "Already stored" answers taken from one node in one repair before it counts as failing. */
const MAX_HELD_PER_NODE = 2;
/** A node's answer to an upload whose piece id it holds already (PROTOCOL.md, error codes). */
const PIECE_EXISTS = 'PIECE_EXISTS';
/** How often an urgent worker with nothing to take looks at the queue again. */
const URGENT_RESCAN_MS = 1000;

/**
 * A repair worker: `concurrency` ordinary ones take any queued segment, `urgentConcurrency`
 * urgent ones only segments close to loss (mayTake).
 */
export type RepairWorker = 'ordinary' | 'urgent';

/**
 * Whether a worker may take a queued segment that had `healthy` healthy pieces at its last check,
 * `minimum` (k) of which rebuild it. An ordinary worker takes any; an urgent one only a segment
 * with k to k + `urgentMargin` healthy pieces, one that a few more losses would make lost. Not a
 * segment already below k: the checker calls it lost, its repair can only succeed through nodes
 * known down, and such attempts (each source a timeout) must not hold the extra slots meant for
 * segments that can still be saved; ordinary workers still try it, first, as the queue is ordered.
 */
export function mayTake(worker: RepairWorker, healthy: number, minimum: number, urgentMargin: number): boolean {
  return worker === 'ordinary' || (healthy >= minimum && healthy <= minimum + urgentMargin);
}

export class Repairer {
  /** Pieces being uploaded by repairs and not yet in the metadata, by segment (garbage collection keeps them). */
  private readonly storing = new Map<string, PlannedPiece[]>();
  private pools = new Map<string, CodecPool>();
  private repairing: Promise<RepairResult[]> | undefined;
  /** Segments being repaired right now. */
  private active = 0;
  /** Nodes recent repair transfers failed with (in memory: a restart forgets them). */
  readonly backoff: NodeBackoff;

  constructor(
    private readonly d: RepairDeps,
    private readonly config: RepairConfig
  ) {
    this.backoff = new NodeBackoff(d.now, config.backoffMs, config.maxBackoffMs);
  }

  /**
   * Repairs queued segments, fewest healthy pieces first, until the queue is empty (or `max`):
   * `concurrency` ordinary workers, and `urgentConcurrency` more for segments close to loss.
   */
  async run(max = Infinity): Promise<RepairResult[]> {
    this.repairing ??= this.runQueue(max).finally(() => (this.repairing = undefined));
    return this.repairing;
  }

  private async runQueue(max: number): Promise<RepairResult[]> {
    this.backoff.prune();
    const out: RepairResult[] = [];
    const margin = Number.isFinite(this.config.urgentMargin) ? this.config.urgentMargin : 0;
    // Segments taken by a worker (being repaired, or failed in this run and left queued for the next).
    const taken = new Set<string>();
    // k of segments queued before their entries recorded it (read once a run).
    const minimums = new Map<string, number | undefined>();
    const minimumOf = async (q: QueuedSegment): Promise<number | undefined> => {
      if (q.minimum !== undefined) return q.minimum;
      if (!minimums.has(q.segmentKey)) minimums.set(q.segmentKey, (await this.d.metadata.segmentByKey(q.segmentKey))?.profile.minimum);
      return minimums.get(q.segmentKey);
    };
    // The first queued segment, in queue order, that this worker may take.
    const next = async (worker: RepairWorker): Promise<QueueEntry | undefined> => {
      for await (const entry of this.d.queue.entries()) {
        const q = entry.queued;
        // By segment, not queue key: the checker may re-key a segment being repaired (its healthy
        // count changed), and two workers must not repair one segment at once.
        if (taken.has(q.segmentKey)) continue;
        if (worker === 'urgent') {
          // A segment gone from the metadata is left to an ordinary worker (it dequeues it).
          const k = await minimumOf(q);
          if (k === undefined || !mayTake(worker, q.healthy, k, margin) || taken.has(q.segmentKey)) continue;
        }
        taken.add(q.segmentKey);
        return entry;
      }
      return undefined;
    };
    let started = 0;
    let ordinaryWorking = 0;
    const work = async (worker: RepairWorker): Promise<void> => {
      if (worker === 'ordinary') ordinaryWorking++;
      try {
        // Counted before the queue is read: run(max) never starts more than max.
        while (started++ < max) {
          const head = await next(worker);
          if (!head) {
            started--;
            // Nothing close to loss now, but a long run (an outage) queues more as it goes: an
            // urgent worker looks again while ordinary ones still work, and ends with them.
            if (worker === 'urgent' && ordinaryWorking > 0) {
              await new Promise((r) => setTimeout(r, URGENT_RESCAN_MS));
              continue;
            }
            return;
          }
          await this.repairTaken(head, worker, out);
        }
        started--;
      } finally {
        if (worker === 'ordinary') ordinaryWorking--;
      }
    };
    const ordinary = Math.max(1, Math.floor(this.config.concurrency) || 1);
    const urgent = Math.max(0, Math.floor(this.config.urgentConcurrency) || 0);
    await Promise.all([...Array.from({ length: ordinary }, () => work('ordinary')), ...Array.from({ length: urgent }, () => work('urgent'))]);
    return out;
  }

  private async repairTaken(head: QueueEntry, worker: RepairWorker, out: RepairResult[]): Promise<void> {
    const { queueKey: qk, queued: q } = head;
    this.active++;
    const r = await this.repairOne(qk, q)
      .catch(async (err: unknown): Promise<RepairResult> => {
        // Its object deleted meanwhile (its pieces gone from the nodes, or the commit refused as
        // SEGMENT_CHANGED): gone, not failed, and off the queue now rather than at the next run.
        const gone = await this.d.metadata.segmentByKey(q.segmentKey).then((s) => s === undefined, () => false);
        if (gone && (await this.d.queue.remove(qk, q.segmentKey).then(() => true, () => false))) {
          return { segmentKey: q.segmentKey, outcome: 'gone', before: 0, after: 0, bytes: 0 };
        }
        return { segmentKey: q.segmentKey, outcome: 'failed', before: q.healthy, after: q.healthy, bytes: 0, reason: (err as Error).message };
      })
      .finally(() => this.active--);
    // A segment that could not be repaired now stays queued for the next run.
    if (r.outcome === 'failed') this.d.log.warn({ segment: q.segmentKey, worker, reason: r.reason }, 'repair failed');
    out.push(r);
  }

  /** How many segments are being repaired now. */
  segmentsInFlight(): number {
    return this.active;
  }

  inFlightPieces(): PlannedPiece[] {
    return [...this.storing.values()].flat();
  }

  private async repairOne(qk: string, q: QueuedSegment): Promise<RepairResult> {
    try {
      return await this.repairSegment(qk, q);
    } finally {
      this.storing.delete(q.segmentKey);
    }
  }

  private async repairSegment(qk: string, q: QueuedSegment): Promise<RepairResult> {
    // Wall-clock phases of this repair, logged with its outcome (repair throughput is what keeps
    // segments above k under churn: these say where it goes).
    const t0 = performance.now();
    let seg = await this.d.metadata.segmentByKey(q.segmentKey);
    if (!seg) {
      await this.d.queue.remove(qk, q.segmentKey);
      return { segmentKey: q.segmentKey, outcome: 'gone', before: 0, after: 0, bytes: 0 };
    }
    const now = this.d.now();
    const view = await nodeView(this.d.registry, this.d.distrusted);
    const { nodes } = view;
    const healthy = healthyPieces(seg, view, now, this.d.onlineWithinMs);
    const { profile, pieceSize } = seg;
    if (healthy.length > profile.repair) {
      await this.d.queue.remove(qk, q.segmentKey);
      return { segmentKey: q.segmentKey, outcome: 'healthy', before: healthy.length, after: healthy.length, bytes: 0 };
    }
    const rootPieceId = new Uint8Array(Buffer.from(seg.rootPieceId, 'hex'));
    // Nodes known up first; backed-off and known-down ones last (asked only when the others cannot give k).
    const { sources, down, backedOff } = repairSources(seg, view, now, this.d.onlineWithinMs, this.backoff);
    if (down > 0 || backedOff > 0) this.d.log.debug({ segment: q.segmentKey, sources: sources.length, down, backedOff }, 'repair sources: backed-off nodes and nodes known down last');
    const { good: shards, corrupt } = await this.fetchPieces(q.segmentKey, seg, sources, rootPieceId, nodes);
    const tFetched = performance.now();
    // The client's roots of every number, corrupt pieces' included: rebuilt pieces must match them.
    const clientRoots = seg.pieces;
    if (corrupt.size > 0) {
      // Dropped from the segment at once: no client gets an order for it again, the checker no
      // longer counts it, and GC has its node delete it. (Its node was recorded a failed audit.)
      seg = await this.d.metadata.removePieces(q.segmentKey, seg, [...corrupt].map((p) => p.number));
    }
    if (shards.size < profile.minimum) {
      throw new StowageError('REPAIR_NOT_ENOUGH_PIECES', `${shards.size} good pieces of the ${profile.minimum} needed`);
    }
    // A piece that failed its root check is gone from the segment: its number is rebuilt first.
    const sound = healthy.filter((p) => !corrupt.has(p));
    // Rebuild the numbers that have no healthy piece, up to `success` healthy pieces in all; the
    // corrupt pieces' numbers first, then the lowest. `free` holds every such number: a target that
    // already holds the piece of its number takes another one.
    const healthyNumbers = new Set(sound.map((p) => p.number));
    const free = [...new Set([...[...corrupt].map((p) => p.number), ...Array.from({ length: profile.total }, (_, n) => n)])].filter((n) => !healthyNumbers.has(n));
    const need = Math.max(0, profile.success - sound.length);
    const all = await this.pool(profile).reconstruct(Array.from({ length: profile.total }, (_, n) => shards.get(n) ?? null));
    // Reed-Solomon is deterministic: a rebuilt piece is byte for byte the one the client uploaded,
    // so wherever the client's root of a number is known it must come out again. A mismatch means
    // the sources were not what the client sent; nothing is stored then (the first choices are
    // checked before any upload, another number when it is first needed).
    const clientRootOf = new Map(clientRoots.map((p) => [p.number, p.root]));
    const roots = new Map<number, Uint8Array>();
    const rootOf = (n: number): Uint8Array => {
      let root = roots.get(n);
      if (!root) {
        root = new PieceHasher().update(all[n]!).digest().root;
        const known = clientRootOf.get(n);
        if (known !== undefined && !equalHashes(root, Buffer.from(known, 'hex'))) {
          throw new StowageError('REPAIR_REBUILD_MISMATCH', `rebuilt piece ${n} does not match the client's root`);
        }
        roots.set(n, root);
      }
      return root;
    };
    for (const n of free.slice(0, need)) rootOf(n);
    const tRebuilt = performance.now();
    const added: SegmentPiece[] = [];
    // Nodes already tried are not chosen again (one may be gone, one may be slow). Built from the
    // pieces before a corrupt one was dropped: its node is never a target for the segment.
    const tried = new Set(clientRoots.map((p) => p.nodeId));
    // Except a node that answered "already stored": it holds a stray copy of that number from the
    // upload's cancelled long tail (piece ids are per node and number), so it is asked again with
    // another number. Without this a segment whose only free target held such a copy was retried
    // with the same number on every run and never left the queue (the devnet test, 1 run in 3).
    const held = new Map<string, Set<number>>();
    let open = free;
    // A round where some target failed counts against UPLOAD_ROUNDS; one where targets only stored
    // or answered "already stored" does not (each such answer rules out a node-number pair, so
    // this ends), up to `total` of them: a node answering so to everything cannot spin it.
    let rounds = 0;
    let heldRounds = 0;
    while (rounds < UPLOAD_ROUNDS && heldRounds < profile.total && added.length < need && open.length > 0) {
      const round = rounds + heldRounds;
      let chosen: NodeRecord[];
      try {
        // As many as there are eligible nodes (at least one): a partial repair now beats none; the
        // segment stays queued for the rest.
        chosen = this.selectTargets([...nodes.values()].filter((n) => !view.distrusted.has(n.id)), need - added.length, pieceSize, now, tried);
      } catch (err) {
        if (round === 0) throw err;
        break;
      }
      const taken = new Set<number>();
      const targets: { node: NodeRecord; number: number }[] = [];
      for (const node of chosen) {
        let number: number | undefined;
        while ((number = open.find((n) => !taken.has(n) && !(held.get(node.id)?.has(n) ?? false))) !== undefined) {
          try {
            rootOf(number);
            break;
          } catch (err) {
            // A number beyond the first choices that does not rebuild to its client root: not
            // stored, and the others still are (what was stored in earlier rounds is kept).
            this.d.log.warn({ segment: q.segmentKey, number, err: (err as Error).message }, 'rebuilt piece does not match its root: number skipped');
            open = open.filter((n) => n !== number);
          }
        }
        if (number === undefined) {
          tried.add(node.id);
          continue;
        }
        taken.add(number);
        targets.push({ node, number });
      }
      if (targets.length === 0) break;
      const planned = this.storing.get(q.segmentKey) ?? [];
      planned.push(...targets.map((t) => ({ rootPieceId: seg.rootPieceId, nodeId: t.node.id, number: t.number })));
      this.storing.set(q.segmentKey, planned);
      const { stored, alreadyHeld } = await this.store(targets, all, roots, rootPieceId, pieceSize);
      added.push(...stored);
      for (const t of targets) {
        // At most twice per node: an honest node holds a stray of one upload of the segment and
        // perhaps of one earlier repair; more "already stored" answers are a node taking pieces
        // and saying no (it answers when it likes): a failure, backed off, not asked again.
        const heldHere = held.get(t.node.id) ?? new Set<number>();
        if (alreadyHeld.has(t) && heldHere.size < MAX_HELD_PER_NODE) {
          held.set(t.node.id, heldHere.add(t.number));
          continue;
        }
        if (alreadyHeld.has(t)) {
          alreadyHeld.delete(t);
          this.backoff.failed(t.node.id);
        }
        tried.add(t.node.id);
      }
      const done = new Set(stored.map((p) => p.number));
      open = open.filter((n) => !done.has(n));
      if (stored.length + alreadyHeld.size < targets.length || alreadyHeld.size === 0) rounds++;
      else heldRounds++;
    }
    const after = sound.length + added.length;
    if (added.length === 0 || after <= profile.repair) {
      // Not enough stored to leave the queue: keep what was stored, stay queued.
      if (added.length > 0) {
        await this.d.metadata.replacePieces(q.segmentKey, seg, added);
        this.d.log.info({ segment: q.segmentKey, before: healthy.length, after }, 'repaired partially; the segment stays queued');
      }
      throw new StowageError('REPAIR_INCOMPLETE', `${after} healthy pieces after repair, more than ${profile.repair} needed`);
    }
    await this.d.queue.commitRepair(qk, q.segmentKey, seg, added);
    const ms = (a: number, b: number): number => Math.round(b - a);
    this.d.log.info(
      { segment: q.segmentKey, before: healthy.length, after, fetchMs: ms(t0, tFetched), rebuildMs: ms(tFetched, tRebuilt), storeMs: ms(tRebuilt, performance.now()), pieces: added.length },
      'segment repaired'
    );
    return { segmentKey: q.segmentKey, outcome: 'repaired', before: healthy.length, after, bytes: added.length * pieceSize };
  }

  /**
   * Uploads rebuilt pieces with REPAIR_PUT orders, signing each one's root with a key of this
   * repair (the repairer is the uploader); returns those whose receipts check out.
   */
  private async store(
    targets: { node: NodeRecord; number: number }[],
    all: Uint8Array[],
    roots: Map<number, Uint8Array>,
    rootPieceId: Uint8Array,
    pieceSize: number
  ): Promise<{ stored: SegmentPiece[]; alreadyHeld: Set<{ node: NodeRecord; number: number }> }> {
    const uplink = await generateKeyPair('Ed25519');
    const orders = await this.d.issuer.issue(PieceAction.REPAIR_PUT, rootPieceId, targets.map((t) => ({ nodeId: t.node.id, number: t.number })), pieceSize, null, uplink.publicKey.raw);
    const added: SegmentPiece[] = [];
    const alreadyHeld = new Set<{ node: NodeRecord; number: number }>();
    await Promise.all(
      targets.map(async (t, i) => {
        const piece = all[t.number]!;
        try {
          const stream = await this.open(t.node, PROTOCOL_UPLOAD);
          // uploadPiece checks the receipt against the order and the root of what it sent.
          const sent = await uploadPiece(stream, orders[i]!, piece.length, [piece], { idleTimeoutMs: this.config.pieceTimeoutMs, uplinkKey: uplink, root: roots.get(t.number) });
          added.push({ number: t.number, nodeId: t.node.id, size: pieceSize, root: Buffer.from(sent.root).toString('hex') });
          this.backoff.succeeded(t.node.id);
        } catch (err) {
          if ((err as { code?: unknown }).code === PIECE_EXISTS) {
            // Not the node's fault: it holds this number's piece id already (see repairSegment).
            alreadyHeld.add(t);
            this.d.log.info({ node: t.node.id, number: t.number }, 'repair target already holds this piece number; another number next');
            return;
          }
          const backoffMs = this.backoff.failed(t.node.id);
          this.d.log.warn({ node: t.node.id, err: (err as Error).message, backoffMs }, 'repair upload failed');
        }
      })
    );
    return { stored: added, alreadyHeld };
  }

  /**
   * k good pieces by number, each checked against its root: k downloads at once from the first
   * sources, each failure replaced by the next source. Every transfer's outcome goes to the
   * backoff; a piece whose bytes do not hash to its root comes back in `corrupt` (reported as an
   * audit suspect when the deps offer that).
   */
  private async fetchPieces(
    segmentKey: string,
    seg: SegmentRecord,
    sources: SegmentPiece[],
    rootPieceId: Uint8Array,
    nodes: Map<string, NodeRecord>
  ): Promise<{ good: Map<number, Uint8Array>; corrupt: Set<SegmentPiece> }> {
    const k = seg.profile.minimum;
    const good = new Map<number, Uint8Array>();
    const corrupt = new Set<SegmentPiece>();
    if (sources.length === 0) return { good, corrupt };
    const queue = [...sources];
    // The repairer downloads like a client: it signs the nodes' bandwidth orders with a key of
    // its own per segment, and the nodes settle them as REPAIR_GET egress.
    const orderKey = await generateKeyPair('Ed25519');
    const orders = await this.d.issuer.issue(PieceAction.REPAIR_GET, rootPieceId, sources.map((p) => ({ nodeId: p.nodeId, number: p.number })), seg.pieceSize, null, orderKey.publicKey.raw);
    const orderOf = new Map(sources.map((p, i) => [p.number, { ...orders[i]!, orderKey }]));
    const fetchOne = async (p: SegmentPiece): Promise<void> => {
      let rootMismatch = false;
      try {
        const stream = await this.open(nodes.get(p.nodeId)!, PROTOCOL_DOWNLOAD);
        const bytes = new Uint8Array(seg.pieceSize);
        const hasher = new PieceHasher();
        let n = 0;
        let checked = false;
        for await (const chunk of downloadPiece(stream, orderOf.get(p.number)!, {}, { idleTimeoutMs: this.config.pieceTimeoutMs })) {
          if (n + chunk.length > bytes.length) throw new ProtocolError('PIECE_TOO_LARGE', 'more bytes than the piece has');
          bytes.set(chunk, n);
          hasher.update(chunk);
          n += chunk.length;
          // Judged as soon as the whole piece is in: a node must not dodge the verdict on wrong
          // bytes by adding a byte, an error frame, a reset or a stall after them.
          if (n === seg.pieceSize) {
            checked = true;
            if (!equalHashes(hasher.digest().root, Buffer.from(p.root, 'hex'))) {
              rootMismatch = true;
              throw new ProtocolError('PIECE_CORRUPT', 'piece does not match its root');
            }
          }
        }
        if (!checked) throw new ProtocolError('PIECE_TOO_SHORT', `piece ended at ${n} of ${seg.pieceSize} bytes`);
        this.backoff.succeeded(p.nodeId);
        if (good.size < k) good.set(p.number, bytes);
      } catch (err) {
        const backoffMs = this.backoff.failed(p.nodeId);
        this.d.log.warn({ node: p.nodeId, segment: seg.rootPieceId.slice(0, 16), piece: p.number, err: (err as Error).message, backoffMs }, 'repair download failed');
        if (rootMismatch) await this.dropCorrupt(segmentKey, seg, p, corrupt);
        const next = queue.shift();
        if (next && good.size < k) await fetchOne(next);
      }
    };
    await Promise.all(queue.splice(0, k).map(fetchOne));
    return { good, corrupt };
  }

  /**
   * A piece whose bytes do not hash to the root the satellite holds for it: it no longer counts
   * for this repair (repairSegment drops it from the segment and rebuilds its number), and its
   * node is recorded a failed audit (the satellite saw it serve wrong bytes).
   */
  private async dropCorrupt(segmentKey: string, seg: SegmentRecord, p: SegmentPiece, corrupt: Set<SegmentPiece>): Promise<void> {
    corrupt.add(p);
    this.d.log.warn({ node: p.nodeId, segment: seg.rootPieceId.slice(0, 16), piece: p.number }, 'repair: piece failed its root check, dropped');
    try {
      await this.d.pieceFailures?.recordFailedPiece(p.nodeId, segmentKey, p.number, 'repair: the piece did not match its root');
    } catch (err) {
      this.d.log.warn({ node: p.nodeId, piece: p.number, err: (err as Error).message }, 'repair: recording a corrupt piece as a failed audit failed');
    }
  }

  /**
   * Upload targets for `count` pieces (at least one): newly selected nodes not in `exclude`, not
   * known unreachable, preferring nodes not backed off; backed-off nodes fill up only what the
   * others cannot (a backoff never makes a repair place fewer pieces).
   */
  private selectTargets(candidates: NodeRecord[], count: number, pieceSize: number, now: number, exclude: ReadonlySet<string>): NodeRecord[] {
    const options = { pieceSize, now, onlineWithinMs: this.d.onlineWithinMs, distinctSubnets: this.d.distinctSubnets, newNodeShare: this.d.newNodeShare, minimum: 0 };
    const up = candidates.filter((n) => n.reachable);
    const ready = up.filter((n) => !this.backoff.isBackedOff(n.id));
    const chosen = selectNodes(ready, { ...options, count, exclude });
    if (chosen.length < count) {
      const taken = new Set(chosen.map((n) => n.id));
      const subnets = new Set(chosen.map(subnetOf));
      const late = up.filter((n) => !taken.has(n.id) && this.backoff.isBackedOff(n.id) && !(this.d.distinctSubnets && subnets.has(subnetOf(n))));
      chosen.push(...selectNodes(late, { ...options, count: count - chosen.length, exclude }));
    }
    if (chosen.length === 0) throw new NotEnoughNodesError(1, 0);
    return chosen;
  }

  private async open(node: NodeRecord, protocol: string): Promise<Stream> {
    const signal = AbortSignal.timeout(this.config.pieceTimeoutMs);
    const connection = await connectNode(this.d.libp2p, node.id, node.addresses, signal);
    return connection.newStream(protocol, { signal });
  }

  private pool(profile: RedundancyProfile): CodecPool {
    const id = `${profile.minimum}/${profile.total}`;
    let p = this.pools.get(id);
    if (!p) {
      p = createCodecPool({ dataShards: profile.minimum, parityShards: profile.total - profile.minimum });
      this.pools.set(id, p);
    }
    return p;
  }

  /** Waits for a run in progress to end, then stops the erasure worker pools. */
  async close(): Promise<void> {
    await Promise.allSettled([this.repairing]);
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}
