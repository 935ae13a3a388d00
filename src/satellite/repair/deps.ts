// What the checker and the repairer are built from (the satellite passes its stores and services).
import type { Libp2p } from '@libp2p/interface';
import type { Logger } from 'pino';
import type { MetadataDB } from '../metainfo/index.js';
import type { OrderIssuer } from '../orders/index.js';
import type { NodeDB } from '../overlay/index.js';
import type { RepairQueueDB } from './db.js';

export interface RepairDeps {
  queue: RepairQueueDB;
  libp2p: Libp2p;
  registry: NodeDB;
  metadata: MetadataDB;
  issuer: OrderIssuer;
  now: () => number;
  log: Logger;
  onlineWithinMs: number;
  distinctSubnets: boolean;
  newNodeShare: number;
  /**
   * Nodes whose pieces do not count as healthy whatever their uptime: recent audit failures not
   * yet outweighed (a node that keeps corrupting data fails many audits before it is
   * disqualified; its pieces must not make a segment look safe meanwhile).
   */
  distrusted?: () => Promise<Set<string>>;
  /**
   * Where a piece that failed its root check when the repairer downloaded it is recorded as a
   * failed audit of its node (the audit service's recordFailedPiece); without it the repairer
   * only logs it and drops the piece.
   */
  pieceFailures?: { recordFailedPiece(nodeId: string, segmentKey: string, pieceNumber: number, reason: string): Promise<unknown> };
}
