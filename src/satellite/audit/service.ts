// Storage audits. Every round the satellite walks the segments once, keeps a small random sample
// (a reservoir) of pieces per node, and audits one piece per node: so each node is audited at a
// similar rate whatever it holds. A fresh nonce picks the leaves (sampleLeaves); the node answers
// with them and a multi-leaf proof that must recompute the root from the node's own receipt.
// Outcomes: success; failure (wrong bytes, bad proof, or any error the reachable node answers);
// offline (no libp2p connection: an uptime check failed, the audit score is untouched);
// contained (connected, but no answer in time, or NODE_BUSY: the same challenge is asked again in
// later rounds, and on the `maxReverifies`-th re-ask it is a failure, so stalling does not dodge
// an audit; a contained node still gets a fresh audit every round); skipped (the piece vanished:
// its segment was deleted or repair moved the piece elsewhere; the score is untouched). Pieces
// reported as suspect (reportSuspect) are audited first. Every audit is recorded (AuditDB).
import type { Libp2p } from '@libp2p/interface';
import { randomBytes, randomInt } from 'node:crypto';
import { DEFAULT_LEAF_SIZE, leafCountOf, sampleLeaves } from '../../merkle/index.js';
import { StowageError } from '../../common/index.js';
import { MAX_MESSAGE_BYTES, PROTOCOL_AUDIT, PieceAction, ProtocolError, ProtocolErrorCode, auditPiece } from '../../protocol/index.js';
import { connectNode } from '../contact/index.js';
import type { MetadataDB } from '../metainfo/index.js';
import type { OrderIssuer } from '../orders/index.js';
import type { NodeDB } from '../overlay/index.js';
import type { ReputationStore } from '../reputation/index.js';
import type { AuditConfig } from './config.js';
import { pieceKey, type AuditChallenge, type AuditDB, type AuditOutcome, type AuditRecord, type Containment, type Suspect } from './db.js';
import { verifyAuditAnswer } from './verify.js';

/** Longest reason kept with a suspect report. */
const MAX_SUSPECT_REASON = 256;

export interface AuditDeps {
  libp2p: Libp2p;
  registry: NodeDB;
  metadata: MetadataDB;
  issuer: OrderIssuer;
  reputation: ReputationStore;
  store: AuditDB;
  now: () => number;
}

export class AuditService {
  private running: Promise<AuditRecord[]> | undefined;
  /** Serialises changes to the suspect queue (a report and the round that consumes it). */
  private suspectLock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly d: AuditDeps,
    private readonly config: AuditConfig
  ) {}

  private withSuspects<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.suspectLock.then(fn, fn);
    this.suspectLock = run.catch(() => undefined);
    return run;
  }

  /**
   * Records a failed audit the satellite observed itself: its repairer downloaded a piece whose
   * bytes do not hash to the root the satellite holds (as Storj's repairer counts a failed piece
   * hash). Recorded like an audit failure (record and reputation), with a fresh nonce so it is
   * never mistaken for a challenge. Only the satellite's own code calls this, never a client.
   */
  async recordFailedPiece(nodeId: string, segmentKey: string, pieceNumber: number, reason: string): Promise<AuditRecord> {
    const time = this.d.now();
    const rec: AuditRecord = { nodeId, segmentKey, pieceNumber, nonce: randomBytes(32).toString('hex'), time, outcome: 'failure', reason: String(reason).slice(0, MAX_SUSPECT_REASON), reverify: 0 };
    await this.d.reputation.record(nodeId, 'failure', time);
    await this.d.store.addRecord(rec);
    return rec;
  }

  /**
   * Queues an audit of one piece of one node (a client found it bad, for example): the next
   * round audits it besides that node's random pick, then drops it. One
   * pending suspect per node: a newer report replaces the older one. Throws
   * AUDIT_SUSPECT_INVALID for arguments out of range or a piece the node does not hold.
   */
  async reportSuspect(nodeId: string, segmentKey: string, pieceNumber: number, reason: string): Promise<void> {
    if (typeof nodeId !== 'string' || nodeId.length === 0 || nodeId.length > 128 || typeof segmentKey !== 'string' || segmentKey.length === 0 || !Number.isSafeInteger(pieceNumber) || pieceNumber < 0) {
      throw new StowageError('AUDIT_SUSPECT_INVALID', 'a suspect report names a node, a segment and a piece number');
    }
    const segment = await this.d.metadata.segmentByKey(segmentKey);
    if (!segment?.pieces.some((p) => p.number === pieceNumber && p.nodeId === nodeId)) {
      throw new StowageError('AUDIT_SUSPECT_INVALID', `node ${nodeId} holds no piece ${pieceNumber} of that segment`);
    }
    const suspect: Suspect = {
      challenge: { nodeId, segmentKey, pieceNumber, nonce: randomBytes(32).toString('hex') },
      reason: String(reason).slice(0, MAX_SUSPECT_REASON),
      reported: this.d.now()
    };
    await this.withSuspects(() => this.d.store.putSuspect(nodeId, suspect));
  }

  /**
   * One round: every contained challenge is asked again, and every auditable node (contained or
   * not) gets one fresh audit of a random piece, and one of its suspect piece when one was reported.
   */
  async runRound(): Promise<AuditRecord[]> {
    // Rounds do not overlap: a timer and an admin call share the one running.
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<AuditRecord[]> {
    const auditable = await this.auditable();
    const contained: [string, Containment][] = [];
    for await (const [key, c] of this.d.store.containments()) {
      // A node disqualified or gone since: nothing more to ask it.
      if (auditable.has(c.challenge.nodeId)) contained.push([key, c]);
      else await this.d.store.deleteContainment(key);
    }
    const suspects = new Map<string, Suspect>();
    for await (const [nodeId, s] of this.d.store.suspects()) {
      if (auditable.has(nodeId)) suspects.set(nodeId, s);
      else await this.withSuspects(() => this.d.store.deleteSuspect(nodeId));
    }
    const reservoirs = await this.sample(auditable);
    const failing = await this.d.reputation.distrusted();
    const pending = new Set(contained.map(([, c]) => pieceKey(c.challenge)));
    const jobs: (() => Promise<AuditRecord>)[] = contained.map(([key, c]) => () => this.reverify(key, c));
    for (const nodeId of auditable) {
      const suspect = suspects.get(nodeId);
      const picks: { challenge: AuditChallenge; suspect?: Suspect }[] = [];
      // A reported piece is audited besides the random pick, never instead of it: a node (or a
      // client owning one of its pieces) that reports a piece it keeps must not steer its audits.
      if (suspect) picks.push({ challenge: suspect.challenge, suspect });
      const pieces = reservoirs.get(nodeId);
      if (pieces?.length) {
        // Not a piece the node is already contained on (or reported), when there is another.
        const busy = suspect ? new Set([...pending, pieceKey(suspect.challenge)]) : pending;
        const fresh = pieces.filter((p) => !busy.has(`${nodeId}!${p.key}!${p.number}`));
        const from = fresh.length > 0 ? fresh : pieces;
        const count = failing.has(nodeId) ? Math.max(1, this.config.auditsAfterFailure) : 1;
        // Distinct pieces, in random order.
        const shuffled = [...from];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = randomInt(i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        for (const pick of shuffled.slice(0, count)) {
          picks.push({ challenge: { nodeId, segmentKey: pick.key, pieceNumber: pick.number, nonce: randomBytes(32).toString('hex') } });
        }
      }
      for (const { challenge, suspect: reported } of picks) {
        jobs.push(async () => {
          const rec = await this.audit(challenge, 0, false, reported?.reason);
          if (reported) {
            // Dropped once audited, unless a newer report came in meanwhile.
            await this.withSuspects(async () => {
              if ((await this.d.store.suspect(nodeId))?.challenge.nonce === reported.challenge.nonce) await this.d.store.deleteSuspect(nodeId);
            });
          }
          const key = pieceKey(challenge);
          // A challenge already contained keeps its count of re-asks.
          if (rec.outcome === 'contained' && !pending.has(key)) {
            await this.d.store.putContainment(key, { challenge, tries: 0, since: rec.time, ...(reported ? { suspect: reported.reason } : {}) });
          }
          return rec;
        });
      }
    }
    // Nodes are audited in parallel (a node that stalls holds up only its own slot).
    const out: AuditRecord[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(this.config.concurrency, jobs.length) }, async () => {
        while (next < jobs.length) out.push(await jobs[next++]!());
      })
    );
    await this.d.reputation.evaluateOnline(this.d.now());
    return out;
  }

  /** Nodes that are audited: not disqualified, not exited. */
  private async auditable(): Promise<Set<string>> {
    const auditable = new Set<string>();
    for await (const n of this.d.registry.list()) if (n.flags.disqualified === null && n.flags.exited === null) auditable.add(n.id);
    return auditable;
  }

  /** A reservoir of pieces per auditable node, from one walk over the segments. */
  private async sample(auditable: Set<string>): Promise<Map<string, { key: string; number: number }[]>> {
    const reservoirs = new Map<string, { key: string; number: number }[]>();
    const seen = new Map<string, number>();
    for await (const { key, segment } of this.d.metadata.remoteSegments()) {
      for (const p of segment.pieces) {
        if (!auditable.has(p.nodeId)) continue;
        const n = (seen.get(p.nodeId) ?? 0) + 1;
        seen.set(p.nodeId, n);
        const r = reservoirs.get(p.nodeId) ?? [];
        if (r.length < this.config.reservoirSize) r.push({ key, number: p.number });
        else {
          const j = randomInt(n);
          if (j < r.length) r[j] = { key, number: p.number };
        }
        reservoirs.set(p.nodeId, r);
      }
    }
    return reservoirs;
  }

  private async reverify(key: string, c: Containment): Promise<AuditRecord> {
    const tries = c.tries + 1;
    const rec = await this.audit(c.challenge, tries, tries >= this.config.maxReverifies, c.suspect);
    if (rec.outcome === 'contained') await this.d.store.putContainment(key, { ...c, tries });
    // Success, failure, or the piece vanished (skipped): the challenge is settled. Offline: kept,
    // its count untouched, until the node is back.
    else if (rec.outcome !== 'offline') await this.d.store.deleteContainment(key);
    return rec;
  }

  /**
   * Asks one node one challenge, records the outcome and updates its reputation (not for a
   * skipped audit: a vanished piece says nothing about the node). On a contained node's last
   * re-ask, no valid answer is a failure: stalling does not dodge an audit.
   */
  private async audit(ch: AuditChallenge, reverify: number, lastTry = false, suspect?: string): Promise<AuditRecord> {
    let { outcome, reason } = await this.ask(ch);
    if (outcome === 'failure' || outcome === 'contained') {
      // The object may have been deleted (or the piece repaired elsewhere) while the node was
      // asked: an honest node then rightly has nothing. Only a piece it must still hold counts.
      const segment = await this.d.metadata.segmentByKey(ch.segmentKey);
      if (!segment?.pieces.some((p) => p.number === ch.pieceNumber && p.nodeId === ch.nodeId)) {
        outcome = 'skipped';
        reason = `the piece stopped being needed while it was audited (${reason})`;
      }
    }
    if (lastTry && outcome === 'contained') {
      outcome = 'failure';
      reason = `no valid answer after ${reverify} re-asks (${reason})`;
    }
    const time = this.d.now();
    const rec: AuditRecord = { ...ch, time, outcome, reason, reverify, ...(suspect !== undefined ? { suspect } : {}) };
    if (outcome !== 'skipped') await this.d.reputation.record(ch.nodeId, outcome, time);
    await this.d.store.addRecord(rec);
    if (outcome === 'offline') await this.d.registry.recordCheck(ch.nodeId, false, time);
    return rec;
  }

  /**
   * The outcome of one challenge. Contained only when the node, connected, did not answer in
   * time (the deadline of `timeoutMs` from the dial fired: no stream, or no answer) or answered
   * NODE_BUSY (a loaded node says so; the challenge is asked again, and it fails on the last
   * re-ask like a stall). Every other error of a reachable node is a failure: any code it answers
   * (PIECE_NOT_FOUND, PIECE_IO_ERROR, NODE_INTERNAL_ERROR, a PROTOCOL_TIMEOUT it sends before our
   * deadline, ...), a reset or closed stream, a malformed answer, a wrong proof, a stream it
   * refuses to open. No libp2p connection (or one that closed before the stream opened) is offline.
   */
  private async ask(ch: AuditChallenge): Promise<{ outcome: AuditOutcome; reason: string }> {
    const segment = await this.d.metadata.segmentByKey(ch.segmentKey);
    const piece = segment?.pieces.find((p) => p.number === ch.pieceNumber && p.nodeId === ch.nodeId);
    // The object was deleted (or repair moved the piece to another node) since the challenge was
    // made: the node no longer has to hold it, and that says nothing good or bad about it.
    if (!segment || !piece) return { outcome: 'skipped', reason: segment ? 'the piece is no longer on this node' : 'the segment was deleted' };
    const node = await this.d.registry.get(ch.nodeId);
    const indices = sampleLeaves(Buffer.from(ch.nonce, 'hex'), leafCountOf(piece.size, DEFAULT_LEAF_SIZE), this.config.leaves);
    const [order] = await this.d.issuer.issue(PieceAction.AUDIT, Buffer.from(segment.rootPieceId, 'hex'), [{ nodeId: ch.nodeId, number: ch.pieceNumber }], 0);
    const timeoutMs = this.config.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const started = performance.now();
    // Reachable means a libp2p connection: without one the node is offline; with one, a node that
    // does not open the stream or answer in time is contained.
    let connection;
    try {
      connection = await connectNode(this.d.libp2p, ch.nodeId, node?.addresses ?? [], deadline);
    } catch (err) {
      return { outcome: 'offline', reason: (err as Error).message };
    }
    let stream;
    try {
      stream = await connection.newStream(PROTOCOL_AUDIT, { signal: deadline });
    } catch (err) {
      const name = (err as Error).name;
      if (deadline.aborted || name === 'TimeoutError' || name === 'AbortError') return { outcome: 'contained', reason: `no audit stream within ${timeoutMs} ms: ${(err as Error).message}` };
      // Reached, then the connection dropped as the audit began: as good as a stall (a node must
      // not turn audits into "offline" by hanging up on them).
      if (connection.status !== 'open') return { outcome: 'contained', reason: `the connection closed as the audit began: ${(err as Error).message}` };
      return { outcome: 'failure', reason: `no audit stream: ${(err as Error).message}` };
    }
    // At the deadline the stream is cut: the read ends, and the outcome is decided below.
    const onDeadline = (): void => stream.abort(new ProtocolError(ProtocolErrorCode.Timeout, `no answer within ${timeoutMs} ms`));
    deadline.addEventListener('abort', onDeadline, { once: true });
    try {
      // The answer holds the leaves asked for and their proof: more than one frame's default
      // size once more than ~60 leaves are asked (found by test/node/audit-leaves.test.ts: 1024
      // leaves, which a node may answer, were refused as PROTOCOL_OVERSIZED and counted against it).
      const answerBytes = Math.max(MAX_MESSAGE_BYTES, indices.length * (DEFAULT_LEAF_SIZE + 32 * 32) + 64 * 1024);
      const answer = await auditPiece(stream, order!, indices, { idleTimeoutMs: timeoutMs, maxMessageBytes: answerBytes });
      const wrong = verifyAuditAnswer(piece, indices, answer);
      return wrong ? { outcome: 'failure', reason: wrong } : { outcome: 'success', reason: '' };
    } catch (err) {
      const code = (err as { code?: string }).code;
      stream.abort(err as Error);
      // Our own timeout: the deadline fired, or our idle timer (it cannot fire before the
      // deadline; a PROTOCOL_TIMEOUT the node sends sooner is an answer like any other).
      const timedOut = deadline.aborted || (code === ProtocolErrorCode.Timeout && performance.now() - started >= timeoutMs);
      if (timedOut) return { outcome: 'contained', reason: `no answer within ${timeoutMs} ms (${code ?? 'ERROR'}: ${(err as Error).message})` };
      if (err instanceof ProtocolError && code === ProtocolErrorCode.Busy) return { outcome: 'contained', reason: `${code}: ${err.message}` };
      // The stream ended or reset mid-answer (a crash, a restart, a node hanging up): asked again
      // like a stall, so it still fails on the last re-ask, and an honest node that was restarted
      // is not failed for it.
      if (code === ProtocolErrorCode.Closed || (err as Error).name === 'StreamResetError' || (err as Error).name === 'StreamAbortedError') {
        return { outcome: 'contained', reason: `${code ?? (err as Error).name}: ${(err as Error).message}` };
      }
      return { outcome: 'failure', reason: `${code ?? 'ERROR'}: ${(err as Error).message}` };
    } finally {
      deadline.removeEventListener('abort', onDeadline);
    }
  }

  /** Successful audits of a node in [start, end). */
  async countSuccesses(nodeId: string, start: number, end: number): Promise<number> {
    return this.d.store.countSuccesses(nodeId, start, end);
  }

  /** The newest `limit` audits of one node, or of all nodes when none is named; newest last. */
  async list(nodeId?: string, limit = 1000): Promise<AuditRecord[]> {
    return this.d.store.newestRecords(limit, nodeId);
  }
}
