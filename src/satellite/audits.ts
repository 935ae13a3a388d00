// Storage audits. Every round the satellite walks the segments once, keeps a small random sample
// (a reservoir) of pieces per node, and audits one piece per node: so each node is audited at a
// similar rate whatever it holds. A fresh nonce picks the leaves (sampleLeaves); the node answers
// with them and a multi-leaf proof that must recompute the root from the node's own receipt.
// Outcomes: success; failure (wrong bytes, bad proof, piece missing); offline (not reachable: an
// uptime check failed, the audit score is untouched); contained (reachable, but no valid answer
// in time: the same challenge is asked again in later rounds, and after `maxReverifies` tries it
// is a failure, so stalling does not dodge an audit). Every audit is recorded in LevelDB.
import type { Libp2p } from '@libp2p/interface';
import type { Level } from 'level';
import { randomBytes, randomInt } from 'node:crypto';
import { DEFAULT_LEAF_SIZE, leafCountOf, sampleLeaves, verifyMultiLeafProof } from '../merkle/index.js';
import { PROTOCOL_AUDIT, PieceAction, ProtocolError, auditPiece, type AuditAnswer } from '../protocol/index.js';
import { connectNode } from './contact.js';
import type { SegmentPiece } from './metadata.js';
import type { Metadata } from './metadata.js';
import type { OrderIssuer } from './orders.js';
import type { NodeRegistry } from './registry.js';
import type { ReputationStore } from './reputation.js';

export type AuditOutcome = 'success' | 'failure' | 'offline' | 'contained';

export interface AuditConfig {
  /** Leaves asked per audit. */
  leaves: number;
  /** How long a node has to answer an audit. */
  timeoutMs: number;
  /** Times a contained node is asked the same challenge again before it counts as a failure. */
  maxReverifies: number;
  /** Pieces kept per node from each walk over the segments. */
  reservoirSize: number;
  /** Nodes audited at once. */
  concurrency: number;
}

export const AUDIT_DEFAULTS: AuditConfig = { leaves: 16, timeoutMs: 30_000, maxReverifies: 3, reservoirSize: 3, concurrency: 8 };

/** One challenge: which piece, and the nonce its leaves come from. */
export interface AuditChallenge {
  nodeId: string;
  segmentKey: string;
  pieceNumber: number;
  nonce: string;
}

export interface AuditRecord extends AuditChallenge {
  time: number;
  outcome: AuditOutcome;
  /** Why it was not a success. */
  reason: string;
  /** 0 for a first ask, n for the n-th re-ask of a contained node. */
  reverify: number;
}

interface Containment {
  challenge: AuditChallenge;
  tries: number;
  since: number;
}

/**
 * Checks a node's answer against the piece as the satellite knows it (size and root from the
 * node's receipt): null when it proves the leaves, else what is wrong.
 */
export function verifyAuditAnswer(piece: Pick<SegmentPiece, 'size' | 'root'>, indices: readonly number[], answer: AuditAnswer): string | null {
  const leafCount = leafCountOf(piece.size, DEFAULT_LEAF_SIZE);
  if (answer.size !== piece.size) return `the node says the piece has ${answer.size} bytes, its receipt said ${piece.size}`;
  if (answer.leafCount !== leafCount) return `the node says ${answer.leafCount} leaves, ${leafCount} expected`;
  if (!verifyMultiLeafProof(Buffer.from(piece.root, 'hex'), leafCount, indices, answer.leaves, answer.proof)) return 'the leaves and proof do not match the root';
  return null;
}

export interface AuditDeps {
  libp2p: Libp2p;
  registry: NodeRegistry;
  metadata: Metadata;
  issuer: OrderIssuer;
  reputation: ReputationStore;
  db: Level<string, unknown>;
  now: () => number;
}

const pad = (n: number): string => String(n).padStart(16, '0');

export class AuditService {
  private readonly records;
  private readonly containment;
  private running: Promise<AuditRecord[]> | undefined;

  constructor(
    private readonly d: AuditDeps,
    private readonly config: AuditConfig
  ) {
    this.records = d.db.sublevel<string, AuditRecord>('audits', { valueEncoding: 'json' });
    this.containment = d.db.sublevel<string, Containment>('containment', { valueEncoding: 'json' });
  }

  /** One round: contained nodes are asked again first, then one fresh audit per other node. */
  async runRound(): Promise<AuditRecord[]> {
    // Rounds do not overlap: a timer and an admin call share the one running.
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<AuditRecord[]> {
    const contained = new Map<string, Containment>();
    for await (const [nodeId, c] of this.containment.iterator()) contained.set(nodeId, c);
    const reservoirs = await this.sample(new Set(contained.keys()));
    const jobs: (() => Promise<AuditRecord>)[] = [...contained].map(([nodeId, c]) => () => this.reverify(nodeId, c));
    for (const [nodeId, pieces] of reservoirs) {
      const pick = pieces[randomInt(pieces.length)]!;
      const challenge: AuditChallenge = { nodeId, segmentKey: pick.key, pieceNumber: pick.number, nonce: randomBytes(32).toString('hex') };
      jobs.push(async () => {
        const rec = await this.audit(challenge, 0);
        if (rec.outcome === 'contained') await this.containment.put(nodeId, { challenge, tries: 0, since: rec.time });
        return rec;
      });
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

  /** A reservoir of pieces per auditable node, from one walk over the segments. */
  private async sample(skip: Set<string>): Promise<Map<string, { key: string; number: number }[]>> {
    const auditable = new Set<string>();
    for await (const n of this.d.registry.list()) if (n.flags.disqualified === null && n.flags.exited === null && !skip.has(n.id)) auditable.add(n.id);
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

  private async reverify(nodeId: string, c: Containment): Promise<AuditRecord> {
    const tries = c.tries + 1;
    const rec = await this.audit(c.challenge, tries, tries >= this.config.maxReverifies);
    if (rec.outcome === 'contained') await this.containment.put(nodeId, { ...c, tries });
    else if (rec.outcome !== 'offline') await this.containment.del(nodeId);
    return rec;
  }

  /**
   * Asks one node one challenge, records the outcome and updates its reputation. On a contained
   * node's last re-ask, no valid answer is a failure: stalling does not dodge an audit.
   */
  private async audit(ch: AuditChallenge, reverify: number, lastTry = false): Promise<AuditRecord> {
    let { outcome, reason } = await this.ask(ch);
    if (lastTry && outcome === 'contained') {
      outcome = 'failure';
      reason = `no valid answer after ${reverify} re-asks (${reason})`;
    }
    const time = this.d.now();
    const rec: AuditRecord = { ...ch, time, outcome, reason, reverify };
    await this.d.reputation.record(ch.nodeId, outcome, time);
    await this.records.put(`${ch.nodeId}!${pad(time)}!${randomBytes(4).toString('hex')}`, rec);
    if (outcome === 'offline') await this.d.registry.recordCheck(ch.nodeId, false, time);
    return rec;
  }

  private async ask(ch: AuditChallenge): Promise<{ outcome: AuditOutcome; reason: string }> {
    const segment = await this.d.metadata.segmentByKey(ch.segmentKey);
    const piece = segment?.pieces.find((p) => p.number === ch.pieceNumber && p.nodeId === ch.nodeId);
    // The object was deleted (or repaired elsewhere) since the challenge was made: nothing to hold.
    if (!segment || !piece) return { outcome: 'success', reason: 'piece no longer needed' };
    const node = await this.d.registry.get(ch.nodeId);
    const indices = sampleLeaves(Buffer.from(ch.nonce, 'hex'), leafCountOf(piece.size, DEFAULT_LEAF_SIZE), this.config.leaves);
    const [order] = await this.d.issuer.issue(PieceAction.AUDIT, Buffer.from(segment.rootPieceId, 'hex'), [{ nodeId: ch.nodeId, number: ch.pieceNumber }], 0);
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    // Reachable means a libp2p connection: without one the node is offline; with one, a node that
    // does not open the stream or answer in time is contained.
    let connection;
    try {
      connection = await connectNode(this.d.libp2p, ch.nodeId, node?.addresses ?? [], signal);
    } catch (err) {
      return { outcome: 'offline', reason: (err as Error).message };
    }
    let stream;
    try {
      stream = await connection.newStream(PROTOCOL_AUDIT, { signal });
    } catch (err) {
      return { outcome: 'contained', reason: `no audit stream: ${(err as Error).message}` };
    }
    try {
      const answer = await auditPiece(stream, order!, indices, { idleTimeoutMs: this.config.timeoutMs });
      const wrong = verifyAuditAnswer(piece, indices, answer);
      return wrong ? { outcome: 'failure', reason: wrong } : { outcome: 'success', reason: '' };
    } catch (err) {
      const code = (err as { code?: string }).code;
      // A node that says it lacks the piece fails; anything else (a stall, a reset, busy) is
      // asked again later.
      if (err instanceof ProtocolError && (code === 'PIECE_NOT_FOUND' || code === 'PIECE_CORRUPT')) return { outcome: 'failure', reason: `${code}: ${err.message}` };
      stream.abort(err as Error);
      return { outcome: 'contained', reason: `${code ?? 'ERROR'}: ${(err as Error).message}` };
    }
  }

  /** Successful audits of a node in [start, end). */
  async countSuccesses(nodeId: string, start: number, end: number): Promise<number> {
    let n = 0;
    for await (const r of this.records.values({ gte: `${nodeId}!${pad(start)}`, lt: `${nodeId}!${pad(end)}` })) if (r.outcome === 'success') n++;
    return n;
  }

  /** The newest `limit` audits of one node, or of all nodes when none is named; newest last. */
  async list(nodeId?: string, limit = 1000): Promise<AuditRecord[]> {
    if (nodeId) {
      const out: AuditRecord[] = [];
      for await (const r of this.records.values({ gte: `${nodeId}!`, lt: `${nodeId}"`, reverse: true, limit })) out.push(r);
      return out.reverse();
    }
    // Keyed by node first: a walk over all, trimmed as it goes.
    let out: AuditRecord[] = [];
    const byTime = (a: AuditRecord, b: AuditRecord): number => a.time - b.time;
    for await (const r of this.records.values()) {
      out.push(r);
      if (out.length >= 2 * limit) out = out.sort(byTime).slice(-limit);
    }
    return out.sort(byTime).slice(-limit);
  }
}
