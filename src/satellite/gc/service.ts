// Garbage collection, the satellite's side. Deletes that could not reach a node are not lost:
// every `intervalMs` the satellite walks the segments twice (once to count each node's pieces,
// once to fill a bloom filter per node sized for its count at `falsePositiveRate`), notes the time
// T it started, and sends each node its signed filter over /stowage/retain/1.0.0. The node trashes
// what the filter lacks among pieces created before T (less its skew allowance), so a filter
// never touches a piece uploaded after it was made.
import type { Libp2p, PrivateKey } from '@libp2p/interface';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { BloomFilter, FramedStream, PROTOCOL_RETAIN, RetainResponse, RetainRequest, signRetain } from '../../protocol/index.js';
import { connectNode } from '../contact/index.js';
import type { MetadataDB, PlannedPiece } from '../metainfo/index.js';
import { derivePieceId } from '../orders/index.js';
import type { NodeDB } from '../overlay/index.js';

export interface GcConfig {
  /** How often filters are sent; 0 turns the schedule off. */
  intervalMs: number;
  falsePositiveRate: number;
  /** How long sending one node its filter may take. */
  timeoutMs: number;
}

export const GC_DEFAULTS: GcConfig = { intervalMs: 24 * 60 * 60 * 1000, falsePositiveRate: 0.1, timeoutMs: 60_000 };

export interface GcResult {
  nodeId: string;
  pieces: number;
  trashed?: number;
  kept?: number;
  error?: string;
}

export interface GcDeps {
  libp2p: Libp2p;
  registry: NodeDB;
  metadata: MetadataDB;
  key: PrivateKey;
  satelliteId: string;
  now: () => number;
  log: Logger;
  /** Pieces being stored outside an upload (repair): kept like committed ones. */
  inFlight?: () => Iterable<PlannedPiece>;
}

export class GarbageCollector {
  private running: Promise<GcResult[]> | undefined;

  constructor(
    private readonly d: GcDeps,
    private readonly config: GcConfig
  ) {}

  /** Bytes of pieces each node should hold, from the metadata. */
  async usedByNode(): Promise<Map<string, number>> {
    const used = new Map<string, number>();
    for await (const { segment } of this.d.metadata.remoteSegments()) for (const p of segment.pieces) used.set(p.nodeId, (used.get(p.nodeId) ?? 0) + p.size);
    return used;
  }

  /**
   * One filter per node that holds pieces, made at the returned time: the pieces of committed
   * segments, of segments still being uploaded and of repairs in progress. Without the last two,
   * an upload or repair slower than the nodes' skew lost pieces before it committed them (found
   * by the chaos run). Pending and in-flight pieces are read before the committed walk, so a
   * segment committed meanwhile is in one or the other.
   */
  async makeFilters(): Promise<{ createdBefore: number; filters: Map<string, { filter: BloomFilter; pieces: number }> }> {
    const createdBefore = this.d.now();
    const unsettled: PlannedPiece[] = [...(this.d.inFlight?.() ?? [])];
    for await (const p of this.d.metadata.pendingPieces()) unsettled.push(p);
    const counts = new Map<string, number>();
    const count = (nodeId: string): void => void counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
    for (const p of unsettled) count(p.nodeId);
    for await (const { segment } of this.d.metadata.remoteSegments()) for (const p of segment.pieces) count(p.nodeId);
    const filters = new Map<string, { filter: BloomFilter; pieces: number }>();
    for (const [nodeId, pieces] of counts) filters.set(nodeId, { filter: BloomFilter.forCount(pieces, this.config.falsePositiveRate, new Uint8Array(randomBytes(16))), pieces });
    const add = (rootPieceId: string, nodeId: string, number: number): void => filters.get(nodeId)?.filter.add(derivePieceId(new Uint8Array(Buffer.from(rootPieceId, 'hex')), nodeId, number));
    for (const p of unsettled) add(p.rootPieceId, p.nodeId, p.number);
    for await (const { segment } of this.d.metadata.remoteSegments()) for (const p of segment.pieces) add(segment.rootPieceId, p.nodeId, p.number);
    return { createdBefore, filters };
  }

  /** Sends each known node its filter (an empty one when it should hold nothing). */
  async send(made: Awaited<ReturnType<GarbageCollector['makeFilters']>>): Promise<GcResult[]> {
    const nodes = [];
    for await (const n of this.d.registry.list()) if (n.flags.exited === null) nodes.push(n);
    return Promise.all(
      nodes.map(async (node): Promise<GcResult> => {
        const entry = made.filters.get(node.id) ?? { filter: BloomFilter.forCount(0, this.config.falsePositiveRate, new Uint8Array(randomBytes(16))), pieces: 0 };
        try {
          const signed = await signRetain(this.d.key, {
            satelliteId: this.d.satelliteId,
            nodeId: node.id,
            createdBefore: BigInt(made.createdBefore),
            filter: entry.filter.bits as Uint8Array<ArrayBuffer>,
            hashCount: entry.filter.hashCount,
            seed: entry.filter.seed as Uint8Array<ArrayBuffer>,
            created: BigInt(this.d.now())
          });
          const signal = AbortSignal.timeout(this.config.timeoutMs);
          const connection = await connectNode(this.d.libp2p, node.id, node.addresses, signal);
          const framed = new FramedStream(await connection.newStream(PROTOCOL_RETAIN, { signal }), { idleTimeoutMs: this.config.timeoutMs, maxMessageBytes: 64 * 1024 });
          try {
            await framed.write(RetainRequest, signed);
            const res = await framed.expect(RetainResponse, 'answer');
            if (res.error) return { nodeId: node.id, pieces: entry.pieces, error: `${res.error.code}: ${res.error.message}` };
            return { nodeId: node.id, pieces: entry.pieces, trashed: Number(res.trashed), kept: Number(res.kept) };
          } finally {
            await framed.closeWrite();
          }
        } catch (err) {
          return { nodeId: node.id, pieces: entry.pieces, error: (err as Error).message };
        }
      })
    );
  }

  async run(): Promise<GcResult[]> {
    this.running ??= this.makeFilters()
      .then((made) => this.send(made))
      .then((results) => {
        const trashed = results.reduce((n, r) => n + (r.trashed ?? 0), 0);
        this.d.log.info({ nodes: results.length, trashed, failed: results.filter((r) => r.error).length }, 'garbage collection filters sent');
        return results;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
