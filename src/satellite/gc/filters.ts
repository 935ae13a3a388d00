// What each node should hold, read from the metadata: its bytes (countUsedBytes), and a Bloom filter
// of its piece ids (buildFilters). Two walks of the segments fill the filters: one counts each
// node's pieces, so its filter is sized for its count at the false-positive rate; one adds them.
import { randomBytes } from 'node:crypto';
import { BloomFilter } from '../../protocol/index.js';
import type { MetadataDB, PlannedPiece } from '../metainfo/index.js';
import { derivePieceId } from '../orders/index.js';

/** A node's filter and how many pieces went into it. */
export interface NodeFilter {
  filter: BloomFilter;
  pieces: number;
}

/** The filters of one round, made at `createdBefore`: what a node may trash was created before it. */
export interface GcFilters {
  createdBefore: number;
  filters: Map<string, NodeFilter>;
}

export interface FilterSources {
  metadata: MetadataDB;
  now: () => number;
  /** Pieces being stored outside an upload (repair): kept like committed ones. */
  inFlight?: () => Iterable<PlannedPiece>;
}

/** A filter with a fresh random seed, sized for `pieces` at `falsePositiveRate`. */
export function emptyFilter(pieces: number, falsePositiveRate: number): BloomFilter {
  return BloomFilter.forCount(pieces, falsePositiveRate, new Uint8Array(randomBytes(16)));
}

/** Bytes of pieces each node should hold, from the metadata. */
export async function countUsedBytes(metadata: MetadataDB): Promise<Map<string, number>> {
  const used = new Map<string, number>();
  for await (const { segment } of metadata.remoteSegments()) for (const p of segment.pieces) used.set(p.nodeId, (used.get(p.nodeId) ?? 0) + p.size);
  return used;
}

/**
 * One filter per node that holds pieces, made at the returned time: the pieces of committed
 * segments, of segments still being uploaded and of repairs in progress. Without the last two,
 * an upload or repair slower than the nodes' skew lost pieces before it committed them (found
 * by the chaos run). Pending and in-flight pieces are read before the committed walk, so a
 * segment committed meanwhile is in one or the other.
 */
export async function buildFilters(d: FilterSources, falsePositiveRate: number): Promise<GcFilters> {
  const createdBefore = d.now();
  const unsettled: PlannedPiece[] = [...(d.inFlight?.() ?? [])];
  for await (const p of d.metadata.pendingPieces()) unsettled.push(p);
  const counts = new Map<string, number>();
  const count = (nodeId: string): void => void counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
  for (const p of unsettled) count(p.nodeId);
  for await (const { segment } of d.metadata.remoteSegments()) for (const p of segment.pieces) count(p.nodeId);
  const filters = new Map<string, NodeFilter>();
  for (const [nodeId, pieces] of counts) filters.set(nodeId, { filter: emptyFilter(pieces, falsePositiveRate), pieces });
  const add = (rootPieceId: string, nodeId: string, number: number): void => filters.get(nodeId)?.filter.add(derivePieceId(new Uint8Array(Buffer.from(rootPieceId, 'hex')), nodeId, number));
  for (const p of unsettled) add(p.rootPieceId, p.nodeId, p.number);
  for await (const { segment } of d.metadata.remoteSegments()) for (const p of segment.pieces) add(segment.rootPieceId, p.nodeId, p.number);
  return { createdBefore, filters };
}
