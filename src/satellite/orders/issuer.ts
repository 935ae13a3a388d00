// Piece ids and the order limits the satellite signs for clients.
//
// Each piece of a segment gets its own id, derived from the segment's root piece id and the node
// that holds it with a keyed hash (as Storj derives them), so a node cannot work out the ids of
// the segment's other pieces.
import type { PrivateKey } from '@libp2p/interface';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from 'node:crypto';
import { type PieceAction, signOrderLimit, type SignedOrderLimit } from '../../protocol/index.js';

const encoder = new TextEncoder();

/** HMAC-SHA256(key = root piece id, "stowage/piece-id/v1" || node id || u32be(piece number)). */
export function derivePieceId(rootPieceId: Uint8Array, nodeId: string, pieceNumber: number): Uint8Array<ArrayBuffer> {
  const node = encoder.encode(nodeId);
  const domain = encoder.encode('stowage/piece-id/v1');
  const msg = new Uint8Array(domain.length + node.length + 4);
  msg.set(domain, 0);
  msg.set(node, domain.length);
  new DataView(msg.buffer).setUint32(domain.length + node.length, pieceNumber);
  return new Uint8Array(hmac(sha256, rootPieceId, msg));
}

export interface OrderTarget {
  nodeId: string;
  /** The piece's number in its segment (its erasure share). */
  number: number;
}

export interface OrderIssuerOptions {
  key: PrivateKey;
  satelliteId: string;
  now: () => number;
  /** How long an order limit may be used. */
  orderTtlMs: number;
}

export class OrderIssuer {
  constructor(private readonly o: OrderIssuerOptions) {}

  /** One signed order per target, for the piece of `rootPieceId` that target holds. */
  async issue(
    action: PieceAction,
    rootPieceId: Uint8Array,
    targets: readonly OrderTarget[],
    byteLimit: number,
    pieceExpiration: number | null = null,
    /** PUT and REPAIR_PUT: the raw public half of the uploader's per-segment key. */
    uplinkPublicKey: Uint8Array = new Uint8Array(0)
  ): Promise<SignedOrderLimit[]> {
    const now = this.o.now();
    return Promise.all(
      targets.map((t) =>
        signOrderLimit(this.o.key, {
          serialNumber: new Uint8Array(randomBytes(16)),
          satelliteId: this.o.satelliteId,
          nodeId: t.nodeId,
          pieceId: derivePieceId(rootPieceId, t.nodeId, t.number),
          action,
          byteLimit: BigInt(byteLimit),
          pieceExpiration: BigInt(pieceExpiration ?? 0),
          orderExpiration: BigInt(now + this.o.orderTtlMs),
          orderCreation: BigInt(now),
          uplinkPublicKey: new Uint8Array(uplinkPublicKey)
        })
      )
    );
  }
}
