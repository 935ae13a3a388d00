// Garbage collection, the satellite's side. Deletes that could not reach a node are not lost:
// every `intervalMs` the satellite walks the segments twice (once to count each node's pieces,
// once to fill a bloom filter per node sized for its count at `falsePositiveRate`), notes the time
// T it started, and sends each node its signed filter over /stowage/retain/1.0.0. The node trashes
// what the filter lacks among pieces created before T (less its skew allowance), so a filter
// never touches a piece uploaded after it was made.
import type { Libp2p, PrivateKey } from '@libp2p/interface';
import type { Logger } from 'pino';
import type { MetadataDB, PlannedPiece } from '../metainfo/index.js';
import type { NodeDB } from '../overlay/index.js';
import type { GcConfig } from './config.js';
import { buildFilters, countUsedBytes, type GcFilters } from './filters.js';
import { sendFilters, type GcResult } from './sender.js';

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
    return countUsedBytes(this.d.metadata);
  }

  /**
   * Ids of the nodes holding pieces: of committed segments, of uploads in progress and of repairs
   * in flight (a walk of every segment; the registry's prune asks once per round).
   */
  async nodesHoldingPieces(): Promise<Set<string>> {
    const held = new Set<string>();
    for (const p of this.d.inFlight?.() ?? []) held.add(p.nodeId);
    for await (const p of this.d.metadata.pendingPieces()) held.add(p.nodeId);
    for (const node of (await this.usedByNode()).keys()) held.add(node);
    return held;
  }

  /** One filter per node that holds pieces, made at the returned time (see buildFilters in filters.ts). */
  async makeFilters(): Promise<GcFilters> {
    return buildFilters(this.d, this.config.falsePositiveRate);
  }

  /** Sends each known node its filter (an empty one when it should hold nothing). */
  async send(made: GcFilters): Promise<GcResult[]> {
    return sendFilters(this.d, made, this.config);
  }

  /** One round: filters made now and sent; at most one round runs at a time. */
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
