// A discrete-event simulation of the satellite's durability machinery against thousands of nodes
// that join, go offline and come back, leave for good (their pieces with them) and corrupt data.
//
// The satellite's decisions are its own code, called with the simulation's records:
// - which pieces are healthy: healthyPieces / isHealthyNode (repair/health.ts), over a NodeView
//   of NodeRecords the simulation keeps as the registry would (lastReached from hourly uptime
//   checks and check-ins, reachable, vetted, disqualified);
// - where pieces go, for uploads and repairs: selectNodes (overlay/selection.ts), which runs
//   isEligible;
// - which pieces a repair downloads, in which order: repairSources (repair/sources.ts) with the
//   repairer's NodeBackoff (repair/backoff.ts) on the simulated clock;
// - audits of corrupting nodes: applyAudit, hasRecentFailures, auditScore (reputation/score.ts)
//   with the satellite's reputation defaults: distrust (pieces stop counting) and disqualification.
// Copied, because they are inline in methods bound to LevelDB and libp2p (RepairChecker.runCheck,
// Repairer.repairSegment and selectTargets): the checker's threshold rule (checkerDecision below,
// tested against the real RepairChecker), which piece numbers a repair rebuilds, the target
// choice around selectNodes, and when a repair counts as done. Modelled: time, the nodes'
// behaviour, transfers (a download or upload works when the node is up), and bandwidth.
//
// Events, not sleeps: a priority queue of (time, order) drives everything, and a seeded PRNG
// (test/chaos/prng.ts) makes a run repeat exactly. Node churn comes from per-node streams, so the
// same seed gives the same nodes, outages and departures whatever the repair threshold.
// Memory stays bounded: piece placement is one Int32Array of segments x total piece numbers; the
// per-segment healthy and intact counts are kept incrementally (typed arrays) and the real
// healthyPieces is run on a segment whenever its count could have reached the repair threshold
// (with `verify` every count is also checked against it and against a full recount).
import type { RedundancyProfile, SegmentPiece, SegmentRecord } from '../../src/satellite/metainfo/index.js';
import { NotEnoughNodesError, selectNodes, subnetOf, type NodeRecord, type SelectionOptions } from '../../src/satellite/overlay/index.js';
import { NodeBackoff } from '../../src/satellite/repair/backoff.js';
import { healthyPieces, isHealthyNode, type NodeView } from '../../src/satellite/repair/health.js';
import { repairSources } from '../../src/satellite/repair/sources.js';
import { mayTake } from '../../src/satellite/repair/repairer.js';
import { applyAudit, auditScore, hasRecentFailures, initialReputation, type AuditReputation } from '../../src/satellite/reputation/index.js';
import { Prng } from '../../test/chaos/prng.js';
import { YEAR, poissonInterval, type SimConfig } from './model.js';
import { EventQueue, RepairHeap } from './queue.js';

/**
 * The checker's rule for one segment (RepairChecker.runCheck in src/satellite/repair/checker.ts):
 * queued at or below the profile's repair threshold, lost below k. A copy (the original is inline
 * in a method that walks LevelDB); test/sim/durability.test.ts holds it to the real checker.
 */
export function checkerDecision(healthy: number, profile: RedundancyProfile): { needsRepair: boolean; lost: boolean } {
  return { needsRepair: healthy <= profile.repair, lost: healthy < profile.minimum };
}

export interface SimResult {
  profile: string;
  repairThreshold: number;
  meanLifetimeMonths: number;
  nodes: number;
  segments: number;
  years: number;
  segmentYears: number;
  /** Segments with fewer than k intact pieces left anywhere (on nodes that still exist, not corrupted): gone for good. */
  lost: number;
  lostPerYear: number;
  /**
   * Losses per segment-year with an exact Poisson 95 % interval (two-sided; with no loss, `upper`
   * is the one-sided 95 % bound, about 3 / segment-years). Losses are not independent (one bad
   * hour can take several segments): read the interval as a guide.
   */
  lossRate: { perSegmentYear: number; lower: number; upper: number };
  /** "0 of N segment-years, < x per segment-year at 95 %" or the count and its interval. */
  lossNote: string;
  /** Segments the checker found below k at a check (pieces on nodes offline then; most came back). */
  checkerBelowK: number;
  repairs: { repaired: number; partial: number; failed: number; alreadyHealthy: number };
  repairBytes: { download: number; upload: number };
  /** Bytes the nodes hold: segments x success x piece size. */
  storedBytes: number;
  /** Repair traffic (downloads and uploads) per stored byte per year. */
  repairPerStoredBytePerYear: number;
  /** Pieces a repair replaced although they were intact on a node that came back later (the price of a high threshold). */
  replacedIntactPieces: number;
  peakQueue: number;
  queueWaitMs: { mean: number; max: number };
  nodeCounts: { initial: number; joined: number; left: number; corrupting: number; distrusted: number; disqualified: number; final: number };
  events: number;
  wallMs: number;
}

// Event kinds.
const JOIN = 0;
const OFFLINE = 1;
const RETURN = 2;
const EXPIRE = 3;
const GONE = 4;
const CORRUPT = 5;
const AUDIT = 6;
const VET = 7;
const CHECK = 8;
const REPAIR_TICK = 9;
const REPAIR_DONE = 10;
const RETRY = 11;
const VERIFY = 12;

const NO_NODE = -1;
/** Tick offsets within a millisecond, so a tick never ties with a node event (those fall on whole ms, expiries just after). */
const CHECK_OFFSET = 0.25;
const REPAIR_OFFSET = 0.5;
const VERIFY_OFFSET = 0.125;
/** A node stops counting just after onlineWithinMs since it was last reached (isHealthyNode: `<=`), before any tick in that ms. */
const EXPIRE_OFFSET = 0.0625;

function exponential(rng: Prng, mean: number): number {
  return Number.isFinite(mean) ? -Math.log(1 - rng.next()) * mean : Infinity;
}

function nodeRecord(id: string, now: number, vetted: boolean): NodeRecord {
  return {
    id,
    addresses: [],
    capacity: 2 ** 50,
    freeSpace: 2 ** 50,
    version: 'sim',
    wallet: '',
    email: '',
    firstContact: now,
    lastContact: now,
    reachable: true,
    lastReached: now,
    vetted,
    flags: { disqualified: null, suspended: null, exited: null }
  };
}

/** A growable list of ints. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 4) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
}

/** Initial placements by (profile, nodes, segments, seed): every scenario of a profile starts from the same upload. */
const placementCache = new Map<string, Int32Array>();

/** Runs one scenario. */
export function simulate(c: SimConfig): SimResult {
  return new Simulation(c).run();
}

class Simulation {
  private readonly c: SimConfig;
  private readonly p: RedundancyProfile;
  private readonly k: number;
  private readonly total: number;
  private readonly pieceSize: number;
  private readonly W: number;
  private readonly end: number;
  private now = 0;
  private readonly q = new EventQueue();
  private readonly nodeBase: Prng;
  private readonly joinRng: Prng;
  private selectRng: Prng;
  private readonly uploadRng: Prng;
  private readonly pieceRng: Prng;
  private readonly random: () => number;

  // Nodes.
  private n = 0;
  private ids: string[] = [];
  private records: NodeRecord[] = [];
  private readonly index = new Map<string, number>();
  private rngs: Prng[] = [];
  private auditRngs = new Map<number, Prng>();
  private reputations = new Map<number, AuditReputation>();
  private online = new Uint8Array(0);
  /** Holds its pieces: neither gone nor disqualified. */
  private alive = new Uint8Array(0);
  private gone = new Uint8Array(0);
  private dq = new Uint8Array(0);
  /** Whether the node's pieces count as healthy in the incremental counts (isHealthyNode && not distrusted). */
  private viewHealthy = new Uint8Array(0);
  private distrustedFlag = new Uint8Array(0);
  private hadPieces = new Uint8Array(0);
  /** A corrupting node with an audit round scheduled. */
  private auditing = new Uint8Array(0);
  private pausedPassing = new Uint8Array(0);
  private pausedAt = new Float64Array(0);
  private corruptFrac = new Float64Array(0);
  private offlineSince = new Float64Array(0);
  /** Last check-in (join or return). */
  private reachedBase = new Float64Array(0);
  /** Offset of the node's hourly uptime checks. */
  private phase = new Float64Array(0);
  private episode = new Int32Array(0);
  private pieceCount = new Int32Array(0);
  private corruptCount = new Int32Array(0);
  private slots: IntList[] = [];
  /** Registered nodes a selection may still pick (gone ones leave when they stop being eligible, disqualified at once). */
  private cand = new IntList(1024);
  private candPos = new Int32Array(0);
  /** Unvetted nodes among them. */
  private fresh = new IntList(64);
  private freshPos = new Int32Array(0);
  private stamp = new Int32Array(0);
  private stampGen = 0;
  private readonly view: NodeView = { nodes: new Map(), distrusted: new Set() };
  private readonly backoff: NodeBackoff;

  // Segments.
  private readonly S: number;
  private readonly placement: Int32Array;
  private readonly corruptSlot: Uint8Array;
  private readonly healthy: Uint16Array;
  private readonly intact: Uint16Array;
  private readonly lost: Uint8Array;
  private readonly lostAt: Float64Array;
  private readonly queued: Uint8Array;
  private readonly queueVersion: Int32Array;
  private readonly queuedHealthy: Uint16Array;
  private readonly queuedAt: Float64Array;
  private readonly retryWait: Uint8Array;
  private readonly inflight: Uint8Array;
  private readonly dirty: Uint8Array;
  private readonly belowK: Uint8Array;
  private dirtyList = new IntList(1024);
  private readonly repairQ = new RepairHeap();
  private readonly pending = new Map<number, { added: number[]; done: boolean }>();
  private checkScheduled = false;
  private repairTickScheduled = false;
  private busy = 0;
  /** Of `busy`, the urgent workers' repairs (Repairer.runQueue's second kind of worker). */
  private busyUrgent = 0;
  /** 1 for a segment an urgent worker repairs now. */
  private urgentNow!: Uint8Array;

  // Counters.
  private queuedCount = 0;
  private peakQueue = 0;
  private lostCount = 0;
  private belowKCount = 0;
  private repaired = 0;
  private partial = 0;
  private failed = 0;
  private alreadyHealthy = 0;
  private down = 0;
  private up = 0;
  private replacedIntact = 0;
  private waitSum = 0;
  private waitMax = 0;
  private joined = 0;
  private left = 0;
  private corrupting = 0;
  private distrustedEver = 0;
  private disqualified = 0;
  private events = 0;

  constructor(c: SimConfig) {
    this.c = c;
    this.p = c.profile;
    this.k = c.profile.minimum;
    this.total = c.profile.total;
    this.pieceSize = Math.ceil(c.segmentBytes / c.profile.minimum);
    this.W = c.onlineWithinMs;
    this.end = c.years * YEAR;
    const root = new Prng(c.seed);
    this.nodeBase = root.fork('nodes');
    this.joinRng = root.fork('joins');
    this.selectRng = root.fork('select');
    this.uploadRng = root.fork('upload');
    this.pieceRng = root.fork('pieces');
    this.random = () => this.selectRng.next();
    this.backoff = new NodeBackoff(() => this.now, c.backoffMs, c.maxBackoffMs);
    this.S = c.segments;
    const slots = c.segments * c.profile.total;
    this.placement = new Int32Array(slots).fill(NO_NODE);
    this.corruptSlot = new Uint8Array(slots);
    this.healthy = new Uint16Array(c.segments);
    this.intact = new Uint16Array(c.segments);
    this.lost = new Uint8Array(c.segments);
    this.lostAt = new Float64Array(c.segments);
    this.queued = new Uint8Array(c.segments);
    this.queueVersion = new Int32Array(c.segments);
    this.queuedHealthy = new Uint16Array(c.segments);
    this.queuedAt = new Float64Array(c.segments);
    this.retryWait = new Uint8Array(c.segments);
    this.inflight = new Uint8Array(c.segments);
    this.urgentNow = new Uint8Array(c.segments);
    this.dirty = new Uint8Array(c.segments);
    this.belowK = new Uint8Array(c.segments);
  }

  run(): SimResult {
    const started = performance.now();
    const c = this.c;
    for (let i = 0; i < c.nodes; i++) this.addNode(true);
    this.upload();
    this.q.schedule(Math.ceil(exponential(this.joinRng, this.joinEvery())), JOIN);
    if (c.verify) this.q.schedule(this.nextGrid(0, this.verifyEvery(), VERIFY_OFFSET), VERIFY);
    const q = this.q;
    while (q.pop()) {
      if (q.time > this.end) break;
      this.now = q.time;
      this.events++;
      this.dispatch(q.kind, q.a, q.b);
    }
    this.now = this.end;
    return this.result(performance.now() - started);
  }

  private verifyEvery(): number {
    return this.c.checkIntervalMs * 12;
  }

  private joinEvery(): number {
    return this.c.meanLifetimeMs / this.c.nodes;
  }

  private nextGrid(t: number, interval: number, offset: number): number {
    return (Math.floor(t / interval) + 1) * interval + offset;
  }

  private dispatch(kind: number, a: number, b: number): void {
    switch (kind) {
      case JOIN: {
        this.joined++;
        this.addNode(false);
        this.q.schedule(Math.ceil(this.now + exponential(this.joinRng, this.joinEvery())), JOIN);
        return;
      }
      case OFFLINE:
        return this.goOffline(a, b);
      case RETURN:
        return this.comeBack(a, b);
      case EXPIRE:
        return this.expire(a, b);
      case GONE:
        return this.leave(a);
      case CORRUPT:
        return this.startCorrupting(a);
      case AUDIT:
        return this.audit(a);
      case VET:
        return this.vet(a);
      case CHECK:
        return this.check();
      case REPAIR_TICK:
        // A repair run starts (Repairer.runQueue prunes the backoff first).
        this.repairTickScheduled = false;
        this.backoff.prune();
        return this.startRepairs();
      case REPAIR_DONE:
        return this.finishRepair(a);
      case RETRY:
        return this.retry(a);
      case VERIFY:
        this.verifyAll();
        this.q.schedule(this.now + this.verifyEvery(), VERIFY);
        return;
      default:
        throw new Error(`unknown event ${kind}`);
    }
  }

  // ---- nodes ----

  private growNodes(): void {
    const cap = Math.max(1024, this.online.length * 2);
    const u8 = (o: Uint8Array): Uint8Array<ArrayBuffer> => {
      const d = new Uint8Array(cap);
      d.set(o);
      return d;
    };
    const f64 = (o: Float64Array): Float64Array<ArrayBuffer> => {
      const d = new Float64Array(cap);
      d.set(o);
      return d;
    };
    const i32 = (o: Int32Array, fill = 0): Int32Array<ArrayBuffer> => {
      const d = new Int32Array(cap).fill(fill);
      d.set(o);
      return d;
    };
    this.online = u8(this.online);
    this.alive = u8(this.alive);
    this.gone = u8(this.gone);
    this.dq = u8(this.dq);
    this.viewHealthy = u8(this.viewHealthy);
    this.distrustedFlag = u8(this.distrustedFlag);
    this.hadPieces = u8(this.hadPieces);
    this.auditing = u8(this.auditing);
    this.pausedPassing = u8(this.pausedPassing);
    this.pausedAt = f64(this.pausedAt);
    this.corruptFrac = f64(this.corruptFrac);
    this.offlineSince = f64(this.offlineSince);
    this.reachedBase = f64(this.reachedBase);
    this.phase = f64(this.phase);
    this.episode = i32(this.episode);
    this.pieceCount = i32(this.pieceCount);
    this.corruptCount = i32(this.corruptCount);
    this.candPos = i32(this.candPos, -1);
    this.freshPos = i32(this.freshPos, -1);
    this.stamp = i32(this.stamp);
  }

  private addNode(initial: boolean): number {
    const i = this.n++;
    if (i >= this.online.length) this.growNodes();
    if (i >= 2 ** 26) throw new RangeError('too many nodes for the event payload');
    const c = this.c;
    const id = `n${i}`;
    const rng = this.nodeBase.fork(id);
    this.ids.push(id);
    this.rngs.push(rng);
    this.slots.push(new IntList());
    const rec = nodeRecord(id, this.now, initial);
    this.records.push(rec);
    this.index.set(id, i);
    this.view.nodes.set(id, rec);
    this.online[i] = 1;
    this.alive[i] = 1;
    this.viewHealthy[i] = 1;
    this.reachedBase[i] = this.now;
    this.phase[i] = Math.floor(rng.next() * c.uptimeCheckIntervalMs);
    this.candPos[i] = this.cand.length;
    this.cand.push(i);
    if (!initial) {
      this.freshPos[i] = this.fresh.length;
      this.fresh.push(i);
    }
    // Draws in a fixed order from the node's own stream: lifetime, corruption, outages.
    const lifetime = exponential(rng, c.meanLifetimeMs);
    this.q.schedule(Math.ceil(this.now + lifetime), GONE, i);
    const corrupts = rng.next() < c.corruptShare;
    const when = rng.next() * Math.min(lifetime, this.end);
    if (corrupts) this.q.schedule(Math.ceil(this.now + when), CORRUPT, i);
    this.q.schedule(Math.ceil(this.now + exponential(rng, c.outageEveryMs)), OFFLINE, i, this.episode[i]);
    return i;
  }

  /** The node's last uptime check at or before t (strictly before when `strict`). */
  private lastCheck(i: number, t: number, strict: boolean): number {
    const H = this.c.uptimeCheckIntervalMs;
    const ph = this.phase[i]!;
    let m = Math.floor((t - ph) / H);
    if (strict && ph + m * H >= t) m--;
    return ph + m * H;
  }

  /** Brings the node's registry record up to date: lastReached from its check-ins and hourly uptime checks, reachable from the last check. */
  private refresh(i: number): NodeRecord {
    const rec = this.records[i]!;
    if (this.online[i]) {
      rec.lastReached = Math.max(this.reachedBase[i]!, this.lastCheck(i, this.now, false));
      rec.reachable = true;
    } else {
      const since = this.offlineSince[i]!;
      rec.lastReached = Math.max(this.reachedBase[i]!, this.lastCheck(i, since, true));
      // Still marked reachable until the first uptime check after it went down.
      rec.reachable = this.lastCheck(i, this.now, false) < since;
    }
    rec.lastContact = rec.lastReached;
    return rec;
  }

  /** Calls fn for each slot the node holds, dropping stale entries (pieces a repair moved). */
  private forEachSlot(i: number, fn: (slot: number) => void): void {
    const list = this.slots[i]!;
    const data = list.data;
    const placement = this.placement;
    let w = 0;
    for (let r = 0; r < list.length; r++) {
      const s = data[r]!;
      if (placement[s] !== i) continue;
      data[w++] = s;
      fn(s);
    }
    list.length = w;
  }

  /** Re-evaluates the node with the satellite's isHealthyNode and moves the segment counts when it changed. */
  private updateHealth(i: number): void {
    const rec = this.refresh(i);
    const h = isHealthyNode(rec, this.now, this.W) && !this.distrustedFlag[i] ? 1 : 0;
    if (h === this.viewHealthy[i]) return;
    this.viewHealthy[i] = h;
    const total = this.total;
    const delta = h ? 1 : -1;
    this.forEachSlot(i, (s) => {
      const seg = (s / total) | 0;
      this.healthy[seg]! += delta;
      this.touch(seg);
    });
  }

  private goOffline(i: number, ep: number): void {
    if (this.gone[i] || this.dq[i] || ep !== this.episode[i]) return;
    const c = this.c;
    this.online[i] = 0;
    this.offlineSince[i] = this.now;
    const next = ++this.episode[i];
    const rng = this.rngs[i]!;
    const duration = rng.next() < c.outageShortShare ? exponential(rng, c.outageShortMeanMs) : exponential(rng, c.outageLongMeanMs);
    const back = Math.ceil(this.now + Math.max(1, duration));
    this.q.schedule(back, RETURN, i, next);
    // An outage that ends before the satellite stops counting the node changes nothing there.
    if (this.expiresAt(i) < back) this.scheduleExpire(i, next);
  }

  /** When the satellite stops counting an offline node: just after onlineWithinMs since it was last reached. */
  private expiresAt(i: number): number {
    const lastReached = Math.max(this.reachedBase[i]!, this.lastCheck(i, this.offlineSince[i]!, true));
    return lastReached + this.W + EXPIRE_OFFSET;
  }

  private scheduleExpire(i: number, ep: number): void {
    this.q.schedule(Math.max(this.now, this.expiresAt(i)), EXPIRE, i, ep);
  }

  private comeBack(i: number, ep: number): void {
    if (this.gone[i] || this.dq[i] || ep !== this.episode[i]) return;
    this.online[i] = 1;
    this.reachedBase[i] = this.now;
    const next = ++this.episode[i];
    this.updateHealth(i);
    this.q.schedule(Math.ceil(this.now + exponential(this.rngs[i]!, this.c.outageEveryMs)), OFFLINE, i, next);
  }

  private expire(i: number, ep: number): void {
    if (ep !== this.episode[i]) return;
    this.updateHealth(i);
    // A node gone for good is not eligible any more: selections stop seeing it.
    if (this.gone[i]) this.dropCandidate(i);
  }

  /** The node leaves or its disk dies: its pieces are gone; the satellite only sees it stop answering. */
  private leave(i: number): void {
    if (this.gone[i]) return;
    this.left++;
    this.gone[i] = 1;
    if (this.online[i]) {
      this.online[i] = 0;
      this.offlineSince[i] = this.now;
    }
    const ep = ++this.episode[i]!;
    this.kill(i);
    if (this.dq[i]) return;
    this.scheduleExpire(i, ep);
  }

  /** Its pieces are no longer there to rebuild from. */
  private kill(i: number): void {
    if (!this.alive[i]) return;
    this.alive[i] = 0;
    const total = this.total;
    this.forEachSlot(i, (s) => {
      if (this.corruptSlot[s]) return;
      const seg = (s / total) | 0;
      this.intact[seg]!--;
      this.checkLoss(seg);
    });
  }

  private dropCandidate(i: number): void {
    const pos = this.candPos[i]!;
    if (pos >= 0) {
      const last = this.cand.data[--this.cand.length]!;
      this.cand.data[pos] = last;
      this.candPos[last] = pos;
      this.candPos[i] = -1;
    }
    this.dropFresh(i);
  }

  private dropFresh(i: number): void {
    const pos = this.freshPos[i]!;
    if (pos < 0) return;
    const last = this.fresh.data[--this.fresh.length]!;
    this.fresh.data[pos] = last;
    this.freshPos[last] = pos;
    this.freshPos[i] = -1;
  }

  private vet(i: number): void {
    if (this.gone[i] || this.dq[i]) return;
    this.records[i]!.vetted = true;
    this.dropFresh(i);
  }

  private startCorrupting(i: number): void {
    if (this.gone[i] || this.dq[i]) return;
    const c = this.c;
    this.corrupting++;
    // Its own stream: the node's outage stream stays the same whatever it holds.
    const rng = this.nodeBase.fork(`corrupt:${i}`);
    const frac = c.corruptPiecesMin + rng.next() * (c.corruptPiecesMax - c.corruptPiecesMin);
    this.corruptFrac[i] = frac;
    const total = this.total;
    this.forEachSlot(i, (s) => {
      if (this.corruptSlot[s] || rng.next() >= frac) return;
      this.corruptSlot[s] = 1;
      this.corruptCount[i]!++;
      const seg = (s / total) | 0;
      this.intact[seg]!--;
      this.checkLoss(seg);
    });
    this.reputations.set(i, initialReputation(c.reputation));
    this.auditRngs.set(i, this.nodeBase.fork(`audit:${i}`));
    this.pauseAudits(i);
    if (this.corruptCount[i]! > 0) this.resumeAudits(i);
  }

  /**
   * One audit round for a corrupting node (honest nodes pass every audit, which leaves their
   * reputation where it starts: alpha0 = w/(1-lambda), so they are not simulated): one audit of a
   * random piece, `auditsAfterFailure` while it has recent failures.
   */
  private audit(i: number): void {
    if (this.gone[i] || this.dq[i]) {
      this.auditing[i] = 0;
      return;
    }
    const c = this.c;
    let r = this.reputations.get(i)!;
    if (this.pieceCount[i] === 0 || (this.corruptCount[i] === 0 && !this.distrustedFlag[i])) {
      // Nothing held, or rounds that can only pass: paused until it holds a corrupted piece
      // (resumeAudits counts the passed rounds of the pause then).
      this.pauseAudits(i);
      return;
    }
    if (this.online[i]) {
      const rng = this.auditRngs.get(i)!;
      const audits = hasRecentFailures(r) ? c.auditsAfterFailure : 1;
      const badShare = this.corruptCount[i]! / this.pieceCount[i]!;
      for (let a = 0; a < audits; a++) r = applyAudit(r, rng.next() >= badShare, c.reputation);
      this.reputations.set(i, r);
      if (this.judge(i)) return;
    }
    this.q.schedule(this.now + c.auditIntervalMs, AUDIT, i);
  }

  /**
   * What the satellite makes of the node's audit reputation: distrusted while it has recent
   * failures (hasRecentFailures), disqualified at or below the audit score threshold. True when
   * it was disqualified.
   */
  private judge(i: number): boolean {
    const r = this.reputations.get(i)!;
    const distrusted = hasRecentFailures(r) ? 1 : 0;
    if (distrusted !== this.distrustedFlag[i]) {
      this.distrustedFlag[i] = distrusted;
      if (distrusted) {
        this.distrustedEver++;
        this.view.distrusted.add(this.ids[i]!);
      } else this.view.distrusted.delete(this.ids[i]!);
      this.updateHealth(i);
    }
    if (auditScore(r) > this.c.reputation.disqualifyAt) return false;
    this.disqualify(i);
    return true;
  }

  /**
   * A piece the repairer downloaded failed its root check: a failed audit of its node at once
   * (AuditService.recordFailedPiece: ReputationStore.record 'failure').
   */
  private failedPiece(i: number): void {
    if (this.dq[i]) return;
    const r = this.reputations.get(i) ?? initialReputation(this.c.reputation);
    this.reputations.set(i, applyAudit(r, false, this.c.reputation));
    this.judge(i);
  }

  private pauseAudits(i: number): void {
    this.auditing[i] = 0;
    this.pausedAt[i] = this.now;
    this.pausedPassing[i] = this.pieceCount[i]! > 0 ? 1 : 0;
  }

  /** Audit rounds again from the next one, after counting the rounds the pause skipped as passed (it held only good pieces then). */
  private resumeAudits(i: number): void {
    if (this.auditing[i] || this.gone[i] || this.dq[i]) return;
    const c = this.c;
    this.auditing[i] = 1;
    if (this.pausedPassing[i]) {
      let r = this.reputations.get(i)!;
      const rounds = Math.min(20_000, Math.floor((this.now - this.pausedAt[i]!) / c.auditIntervalMs));
      for (let a = 0; a < rounds; a++) r = applyAudit(r, true, c.reputation);
      this.reputations.set(i, r);
    }
    this.q.schedule(this.nextGrid(this.now, c.auditIntervalMs, 0), AUDIT, i);
  }

  private disqualify(i: number): void {
    this.disqualified++;
    this.dq[i] = 1;
    this.records[i]!.flags.disqualified = this.now;
    this.kill(i);
    this.updateHealth(i);
    this.dropCandidate(i);
  }

  // ---- placement ----

  /** Takes a piece out of the segment (a repair replaced it or found it corrupted), keeping the counts. */
  private unplace(slot: number): void {
    const seg = (slot / this.total) | 0;
    const old = this.placement[slot]!;
    if (old < 0) return;
    if (this.viewHealthy[old]) this.healthy[seg]!--;
    if (this.alive[old] && !this.corruptSlot[slot]) {
      this.intact[seg]!--;
      this.replacedIntact++;
    }
    this.pieceCount[old]!--;
    if (this.corruptSlot[slot]) this.corruptCount[old]!--;
    this.placement[slot] = NO_NODE;
    this.corruptSlot[slot] = 0;
    this.touch(seg);
  }

  /** Puts a piece on a node (replacing the slot's old piece), keeping the counts. */
  private place(slot: number, i: number): void {
    const seg = (slot / this.total) | 0;
    this.unplace(slot);
    this.placement[slot] = i;
    const bad = this.corruptFrac[i]! > 0 && this.pieceRng.next() < this.corruptFrac[i]! ? 1 : 0;
    this.corruptSlot[slot] = bad;
    this.pieceCount[i]!++;
    if (bad) this.corruptCount[i]!++;
    if (this.viewHealthy[i]) this.healthy[seg]!++;
    if (this.alive[i] && !bad) this.intact[seg]!++;
    this.slots[i]!.push(slot);
    if (bad) this.resumeAudits(i);
    if (!this.hadPieces[i]) {
      this.hadPieces[i] = 1;
      // Vetted after auditsToVet successful audits, one a round once it holds a piece.
      if (!this.records[i]!.vetted) this.q.schedule(this.now + this.c.reputation.auditsToVet * this.c.auditIntervalMs, VET, i);
    }
  }

  /**
   * NodeRecords offered to selectNodes for `count` nodes, refreshed: all candidates, or (with
   * `selectionSample`) uniform samples of the vetted and the unvetted ones, each about twice what
   * selectNodes takes of it. selectNodes shuffles what it gets and takes unvetted nodes for
   * their share first, then vetted ones; from uniform samples larger than what it takes its choice
   * has the distribution it has over the whole registry (a selection that comes up short on a
   * sample is made again from everything).
   */
  private candidates(count: number, all = false): NodeRecord[] {
    const out: NodeRecord[] = [];
    const cand = this.cand;
    const vettedWant = Math.max(this.c.selectionSample, 2 * count + 16);
    const freshWant = 2 * Math.ceil(count * this.c.newNodeShare) + 8;
    const vettedCount = cand.length - this.fresh.length;
    if (all || this.c.selectionSample <= 0 || (vettedCount <= vettedWant && this.fresh.length <= freshWant)) {
      for (let j = 0; j < cand.length; j++) out.push(this.refresh(cand.data[j]!));
      return out;
    }
    const gen = ++this.stampGen;
    const draw = (list: IntList, want: number, vetted: boolean): void => {
      let got = 0;
      for (let tries = 0; got < want && tries < want * 8; tries++) {
        const i = list.data[Math.floor(this.selectRng.next() * list.length)]!;
        if (this.stamp[i] === gen || (vetted && this.freshPos[i]! >= 0)) continue;
        this.stamp[i] = gen;
        out.push(this.refresh(i));
        got++;
      }
    };
    if (this.fresh.length <= freshWant) for (let j = 0; j < this.fresh.length; j++) out.push(this.refresh(this.fresh.data[j]!));
    else draw(this.fresh, freshWant, false);
    if (vettedCount <= vettedWant) {
      for (let j = 0; j < cand.length; j++) if (this.freshPos[cand.data[j]!]! < 0) out.push(this.refresh(cand.data[j]!));
    } else draw(cand, vettedWant, true);
    return out;
  }

  /** Whether candidates(count) would sample rather than give everything. */
  private samples(count: number): boolean {
    const vettedWant = Math.max(this.c.selectionSample, 2 * count + 16);
    const freshWant = 2 * Math.ceil(count * this.c.newNodeShare) + 8;
    return this.c.selectionSample > 0 && (this.cand.length - this.fresh.length > vettedWant || this.fresh.length > freshWant);
  }

  private selectionOptions(count: number, minimum: number, exclude?: ReadonlySet<string>): SelectionOptions {
    return {
      count,
      minimum,
      pieceSize: this.pieceSize,
      now: this.now,
      onlineWithinMs: this.W,
      distinctSubnets: this.c.distinctSubnets,
      newNodeShare: this.c.newNodeShare,
      exclude,
      random: this.random
    };
  }

  /**
   * Uploads every segment as MetainfoService.beginSegment does (`total` nodes chosen, the first
   * `success` to finish kept), then (steadyStart) takes away the pieces that the churn of its age
   * would have taken: the run starts in the steady state instead of with every segment new.
   */
  private upload(): void {
    const c = this.c;
    const key = JSON.stringify([c.seed, c.nodes, c.segments, this.p.minimum, this.p.success, this.p.total, c.selectionSample, c.newNodeShare, c.distinctSubnets]);
    let initial = placementCache.get(key);
    if (!initial) {
      initial = new Int32Array(this.S * this.total).fill(NO_NODE);
      // Its own stream: a scenario that finds the placement cached draws the same afterwards.
      const rng = this.uploadRng;
      const selectRng = this.selectRng;
      this.selectRng = rng;
      for (let seg = 0; seg < this.S; seg++) {
        let chosen = selectNodes(this.candidates(this.total), this.selectionOptions(this.total, this.p.success));
        if (chosen.length < this.total && this.samples(this.total)) chosen = selectNodes(this.candidates(this.total, true), this.selectionOptions(this.total, this.p.success));
        // The long tail is cut: a random `success` of the started pieces finish first.
        const order = rng.shuffle(chosen.map((_, n) => n)).slice(0, this.p.success);
        for (const n of order) initial[seg * this.total + n] = this.index.get(chosen[n]!.id)!;
      }
      this.selectRng = selectRng;
      if (placementCache.size > 8) placementCache.clear();
      placementCache.set(key, initial);
    }
    const steady = c.steadyStart && Number.isFinite(c.meanLifetimeMs) && this.p.repair < this.p.success;
    const ageBase = new Prng(c.seed).fork('age');
    const survive: number[] = [];
    for (let seg = 0; seg < this.S; seg++) {
      const base = seg * this.total;
      survive.length = 0;
      if (steady) {
        // Each segment at a uniform point u of its repair cycle (success down to the threshold
        // takes ln(success/repair) lifetimes on average): each piece is still there with
        // probability (repair/success)^u; drawn again while the segment would already be due.
        const rng = ageBase.fork(`s${seg}`);
        for (let tries = 0; tries < 100; tries++) {
          const keep = (this.p.repair / this.p.success) ** rng.next();
          survive.length = 0;
          for (let n = 0; n < this.total; n++) if (initial[base + n]! >= 0 && rng.next() < keep) survive.push(n);
          if (survive.length > this.p.repair) break;
        }
      }
      if (survive.length <= this.p.repair) {
        survive.length = 0;
        for (let n = 0; n < this.total; n++) if (initial[base + n]! >= 0) survive.push(n);
      }
      for (const n of survive) this.place(base + n, initial[base + n]!);
    }
  }

  // ---- checker ----

  /** Ground truth: fewer than k intact pieces left (and no repair holding k in memory): lost for good. */
  private checkLoss(seg: number): void {
    if (this.lost[seg] || this.inflight[seg] || this.intact[seg]! >= this.k) return;
    this.lost[seg] = 1;
    this.lostAt[seg] = this.now;
    this.lostCount++;
    if (this.queued[seg]) this.dequeue(seg);
  }

  /** A segment whose healthy count moved: the checker looks at it when it may be at or under the threshold or is queued. */
  private touch(seg: number): void {
    if (this.lost[seg] || this.dirty[seg]) return;
    if (this.healthy[seg]! > this.p.repair && !this.queued[seg]) return;
    this.dirty[seg] = 1;
    this.dirtyList.push(seg);
    if (!this.checkScheduled) {
      this.checkScheduled = true;
      this.q.schedule(this.nextGrid(this.now, this.c.checkIntervalMs, CHECK_OFFSET), CHECK);
    }
  }

  /** The segment as the metadata holds it, with its nodes' records refreshed. */
  private segmentRecord(seg: number): SegmentRecord {
    const pieces: SegmentPiece[] = [];
    const base = seg * this.total;
    for (let n = 0; n < this.total; n++) {
      const i = this.placement[base + n]!;
      if (i < 0) continue;
      this.refresh(i);
      pieces.push({ number: n, nodeId: this.ids[i]!, size: this.pieceSize, root: '' });
    }
    return { index: seg, plainSize: this.c.segmentBytes, pieceSize: this.pieceSize, rootPieceId: '', profile: this.p, pieces, inline: null, createdAt: 0 };
  }

  /** A checker walk over the segments whose health may have changed since the last one. */
  private check(): void {
    this.checkScheduled = false;
    const list = this.dirtyList;
    for (let j = 0; j < list.length; j++) {
      const seg = list.data[j]!;
      this.dirty[seg] = 0;
      if (!this.lost[seg]) this.evaluate(seg);
    }
    list.length = 0;
  }

  private evaluate(seg: number): void {
    const healthy = healthyPieces(this.segmentRecord(seg), this.view, this.now, this.W).length;
    if (this.c.verify && healthy !== this.healthy[seg]) throw new Error(`segment ${seg}: healthyPieces gives ${healthy}, the count ${this.healthy[seg]}`);
    const { needsRepair, lost } = checkerDecision(healthy, this.p);
    if (lost && !this.belowK[seg]) {
      this.belowK[seg] = 1;
      this.belowKCount++;
    }
    if (needsRepair) {
      if (!this.queued[seg]) {
        this.queued[seg] = 1;
        this.queuedAt[seg] = this.now;
        this.queuedCount++;
        if (this.queuedCount > this.peakQueue) this.peakQueue = this.queuedCount;
        this.enqueue(seg, healthy);
      } else if (healthy !== this.queuedHealthy[seg] && !this.retryWait[seg] && !this.inflight[seg]) {
        this.enqueue(seg, healthy);
      }
    } else if (this.queued[seg] && !this.inflight[seg]) {
      this.dequeue(seg);
    }
  }

  private enqueue(seg: number, healthy: number): void {
    this.queuedHealthy[seg] = healthy;
    const v = ++this.queueVersion[seg]!;
    if (this.retryWait[seg] || this.inflight[seg]) return;
    this.repairQ.push(seg, healthy, v);
    this.wakeRepairer();
  }

  private dequeue(seg: number): void {
    if (!this.queued[seg]) return;
    this.queued[seg] = 0;
    this.queuedCount--;
    this.retryWait[seg] = 0;
    this.queueVersion[seg]!++;
  }

  // ---- repairer ----

  private wakeRepairer(): void {
    if (this.repairTickScheduled || this.busy >= this.c.repairConcurrency + this.c.urgentConcurrency) return;
    this.repairTickScheduled = true;
    this.q.schedule(this.nextGrid(this.now, this.c.repairIntervalMs, REPAIR_OFFSET), REPAIR_TICK);
  }

  /** The queue head: fewest healthy first (stale entries of moved or removed segments skipped). */
  private nextQueued(): number {
    const rq = this.repairQ;
    while (rq.pop()) {
      const seg = rq.segment;
      if (rq.version !== this.queueVersion[seg] || !this.queued[seg] || this.lost[seg] || this.inflight[seg] || this.retryWait[seg]) continue;
      return seg;
    }
    return -1;
  }

  /**
   * Workers take segments until the queue is empty or all are busy (Repairer.runQueue): an
   * ordinary worker the head of the queue, an urgent one the head only when it is close to loss
   * (mayTake; the queue is fewest healthy first, so a head that is not close to loss means no
   * segment is).
   */
  private startRepairs(): void {
    const ordinaryFree = (): boolean => this.busy - this.busyUrgent < this.c.repairConcurrency;
    const urgentFree = (): boolean => this.busyUrgent < this.c.urgentConcurrency;
    while (ordinaryFree() || urgentFree()) {
      const seg = this.nextQueued();
      if (seg < 0) return;
      const urgent = !ordinaryFree();
      if (urgent && !mayTake('urgent', this.repairQ.healthy, this.k, this.c.urgentMargin)) {
        this.repairQ.push(seg, this.repairQ.healthy, this.repairQ.version);
        return;
      }
      const duration = this.repairSegment(seg);
      if (duration < 0) continue;
      this.busy++;
      if (urgent) {
        this.busyUrgent++;
        this.urgentNow[seg] = 1;
      }
      this.inflight[seg] = 1;
      this.q.schedule(this.now + duration, REPAIR_DONE, seg);
    }
  }

  /**
   * Repairer.repairSegment with the transfers modelled: decides everything now (the real functions
   * on the state now), returns how long the transfers take (the result is committed then), or -1
   * when nothing was transferred.
   */
  private repairSegment(seg: number): number {
    const p = this.p;
    const record = this.segmentRecord(seg);
    const healthy = healthyPieces(record, this.view, this.now, this.W);
    if (healthy.length > p.repair) {
      this.alreadyHealthy++;
      this.dequeue(seg);
      return -1;
    }
    const base = seg * this.total;
    const { sources } = repairSources(record, this.view, this.now, this.W, this.backoff);
    // k good pieces: a node that is down fails the transfer, a corrupted piece fails its root check
    // (after its bytes came).
    let good = 0;
    let down = 0;
    const corrupt = new Set<SegmentPiece>();
    for (const piece of sources) {
      if (good >= this.k) break;
      const slot = base + piece.number;
      const i = this.placement[slot]!;
      if (!this.online[i]) {
        this.backoff.failed(piece.nodeId);
        continue;
      }
      down += this.pieceSize;
      if (this.corruptSlot[slot]) {
        this.backoff.failed(piece.nodeId);
        corrupt.add(piece);
        continue;
      }
      this.backoff.succeeded(piece.nodeId);
      good++;
    }
    this.down += down;
    // Corrupted pieces leave the segment at once (removePieces), whatever comes of the repair.
    for (const piece of corrupt) this.unplace(base + piece.number);
    // Their nodes' failed audits are recorded as the downloads end; the repair goes on with the
    // registry and distrust it read when it started (so they apply after it chose its targets).
    const failed = [...corrupt].map((piece) => this.index.get(piece.nodeId)!);
    const recordFailures = (): void => failed.forEach((i) => this.failedPiece(i));
    if (good < this.k) {
      recordFailures();
      return this.repairFailed(seg, down, 0, [], false);
    }
    const sound = healthy.filter((piece) => !corrupt.has(piece));
    // Repairer.repairSegment: the numbers with no healthy piece (corrupted ones first), up to `success` healthy in all.
    const healthyNumbers = new Set(sound.map((piece) => piece.number));
    const wanted = [...new Set([...[...corrupt].map((piece) => piece.number), ...Array.from({ length: p.total }, (_, n) => n)])]
      .filter((n) => !healthyNumbers.has(n))
      .slice(0, Math.max(0, p.success - sound.length));
    const added: number[] = [];
    const tried = new Set(record.pieces.filter((piece) => !corrupt.has(piece)).map((piece) => piece.nodeId));
    let missing = wanted;
    let up = 0;
    for (let round = 0; round < 3 && missing.length > 0; round++) {
      let chosen: NodeRecord[];
      try {
        chosen = this.selectTargets(missing.length, tried);
      } catch (err) {
        if (!(err instanceof NotEnoughNodesError)) throw err;
        if (round === 0) {
          recordFailures();
          return this.repairFailed(seg, down, up, added, false);
        }
        break;
      }
      const done = new Set<number>();
      chosen.forEach((node, j) => {
        tried.add(node.id);
        const i = this.index.get(node.id)!;
        if (!this.online[i]) {
          this.backoff.failed(node.id);
          return;
        }
        const number = missing[j]!;
        up += this.pieceSize;
        this.backoff.succeeded(node.id);
        added.push(number, i);
        done.add(number);
      });
      missing = missing.filter((n) => !done.has(n));
    }
    this.up += up;
    recordFailures();
    const after = sound.length + added.length / 2;
    // Not enough stored to leave the queue: what was stored is kept, the segment stays queued.
    if (added.length === 0 || after <= p.repair) return this.repairFailed(seg, down, up, added, true);
    this.pending.set(seg, { added, done: true });
    return this.transferTime(down, up);
  }

  private transferTime(down: number, up: number): number {
    return Math.ceil(this.c.repairOverheadMs + ((down + up) / this.c.repairBytesPerSecond) * 1000);
  }

  private repairFailed(seg: number, down: number, up: number, added: number[], partial: boolean): number {
    if (partial) this.partial++;
    else this.failed++;
    this.pending.set(seg, { added, done: false });
    return this.transferTime(down, up);
  }

  /**
   * Repairer.selectTargets: nodes not distrusted, reachable at their last check, not backed off
   * first (backed-off ones fill what the others cannot), through selectNodes.
   */
  private selectTargets(count: number, exclude: ReadonlySet<string>, all = false): NodeRecord[] {
    const candidates = this.candidates(count, all).filter((n) => !this.view.distrusted.has(n.id));
    const up = candidates.filter((n) => n.reachable);
    const ready = up.filter((n) => !this.backoff.isBackedOff(n.id));
    const chosen = selectNodes(ready, this.selectionOptions(count, 0, exclude));
    if (chosen.length < count) {
      const taken = new Set(chosen.map((n) => n.id));
      const subnets = new Set(chosen.map(subnetOf));
      const late = up.filter((n) => !taken.has(n.id) && this.backoff.isBackedOff(n.id) && !(this.c.distinctSubnets && subnets.has(subnetOf(n))));
      chosen.push(...selectNodes(late, this.selectionOptions(count - chosen.length, 0, exclude)));
    }
    if (chosen.length < count && !all && this.samples(count)) return this.selectTargets(count, exclude, true);
    if (chosen.length === 0) throw new NotEnoughNodesError(1, 0);
    return chosen;
  }

  /** The repair's transfers are over: its pieces go into the metadata (commitRepair / replacePieces). */
  private finishRepair(seg: number): void {
    this.busy--;
    if (this.urgentNow[seg]) {
      this.busyUrgent--;
      this.urgentNow[seg] = 0;
    }
    this.inflight[seg] = 0;
    const result = this.pending.get(seg)!;
    this.pending.delete(seg);
    const base = seg * this.total;
    for (let j = 0; j < result.added.length; j += 2) this.place(base + result.added[j]!, result.added[j + 1]!);
    if (result.done) {
      this.repaired++;
      const wait = this.now - this.queuedAt[seg]!;
      this.waitSum += wait;
      if (wait > this.waitMax) this.waitMax = wait;
      this.dequeue(seg);
    } else if (this.queued[seg]) {
      this.retryWait[seg] = 1;
      this.q.schedule(this.now + this.c.repairRetryMs, RETRY, seg);
    }
    this.checkLoss(seg);
    this.touch(seg);
    this.startRepairs();
    if (this.busy < this.c.repairConcurrency + this.c.urgentConcurrency && this.repairQ.size > 0) this.wakeRepairer();
  }

  private retry(seg: number): void {
    if (!this.retryWait[seg]) return;
    this.retryWait[seg] = 0;
    if (!this.queued[seg] || this.lost[seg] || this.inflight[seg]) return;
    this.enqueue(seg, this.healthy[seg]!);
  }

  // ---- checks for tests ----

  /** Every count against a recount: healthy with the satellite's healthyPieces, intact from the ground truth. */
  private verifyAll(): void {
    for (let seg = 0; seg < this.S; seg++) {
      const record = this.segmentRecord(seg);
      const healthy = healthyPieces(record, this.view, this.now, this.W).length;
      if (healthy !== this.healthy[seg]) {
        const off = record.pieces.map((piece) => this.index.get(piece.nodeId)!).filter((i) => (isHealthyNode(this.records[i], this.now, this.W) && !this.distrustedFlag[i]) !== !!this.viewHealthy[i]);
        throw new Error(`verify at ${this.now}: segment ${seg} has ${healthy} healthy pieces, the count says ${this.healthy[seg]} (nodes ${off.join(', ')})`);
      }
      let intact = 0;
      for (const piece of record.pieces) {
        const slot = seg * this.total + piece.number;
        if (this.alive[this.placement[slot]!] && !this.corruptSlot[slot]) intact++;
      }
      if (intact !== this.intact[seg]) throw new Error(`verify: segment ${seg} has ${intact} intact pieces, the count says ${this.intact[seg]}`);
      if (!this.lost[seg] && !this.inflight[seg] && intact < this.k) throw new Error(`verify: segment ${seg} is below k and not counted lost`);
    }
  }

  private result(wallMs: number): SimResult {
    const c = this.c;
    const years = this.end / YEAR;
    let segmentYears = 0;
    for (let seg = 0; seg < this.S; seg++) segmentYears += (this.lost[seg] ? this.lostAt[seg]! : this.end) / YEAR;
    const interval = poissonInterval(this.lostCount);
    const rate = segmentYears > 0 ? this.lostCount / segmentYears : 0;
    const fmt = (x: number): string => x.toPrecision(2);
    const lossNote =
      this.lostCount === 0
        ? `0 of ${Math.round(segmentYears)} segment-years: < ${fmt(interval.upperOneSided / segmentYears)} per segment-year at 95 %`
        : `${this.lostCount} in ${Math.round(segmentYears)} segment-years: ${fmt(rate)} per segment-year (95 %: ${fmt(interval.lower / segmentYears)}-${fmt(interval.upper / segmentYears)})`;
    const storedBytes = this.S * this.p.success * this.pieceSize;
    let final = 0;
    for (let i = 0; i < this.n; i++) if (!this.gone[i] && !this.dq[i]) final++;
    return {
      profile: `${this.p.minimum}/${this.p.repair}/${this.p.success}/${this.p.total}`,
      repairThreshold: this.p.repair,
      meanLifetimeMonths: c.meanLifetimeMs / (YEAR / 12),
      nodes: c.nodes,
      segments: this.S,
      years,
      segmentYears,
      lost: this.lostCount,
      lostPerYear: years > 0 ? this.lostCount / years : 0,
      lossRate: { perSegmentYear: rate, lower: interval.lower / segmentYears, upper: (this.lostCount === 0 ? interval.upperOneSided : interval.upper) / segmentYears },
      lossNote,
      checkerBelowK: this.belowKCount,
      repairs: { repaired: this.repaired, partial: this.partial, failed: this.failed, alreadyHealthy: this.alreadyHealthy },
      repairBytes: { download: this.down, upload: this.up },
      storedBytes,
      repairPerStoredBytePerYear: years > 0 ? (this.down + this.up) / storedBytes / years : 0,
      replacedIntactPieces: this.replacedIntact,
      peakQueue: this.peakQueue,
      queueWaitMs: { mean: this.repaired ? this.waitSum / this.repaired : 0, max: this.waitMax },
      nodeCounts: { initial: c.nodes, joined: this.joined, left: this.left, corrupting: this.corrupting, distrusted: this.distrustedEver, disqualified: this.disqualified, final },
      events: this.events,
      wallMs
    };
  }
}
