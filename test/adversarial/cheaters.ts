// Hostile storage nodes for the adversarial tests: real StorageNodes (real libp2p, LevelDB, piece
// store) whose upload handler is swapped for one that keeps other bytes than it was sent and signs
// a receipt anyway. Downloads and audits then run the node's own handlers over what it kept, as a
// cheating operator's patched node would.
import type { Stream } from '@libp2p/interface';
import { pieceRoot } from '../../src/merkle/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { FramedStream, OrderLimit, PROTOCOL_UPLOAD, PieceHash, UploadRequest, UploadResponse, signPieceReceipt } from '../../src/protocol/index.js';

/** What a cheater keeps of a piece of n bytes. */
export type Keep = 'zeros' | 'truncated' | 'flipped';

/**
 * `own-root`: the receipt is signed over what the node kept (an honest receipt for dishonest bytes).
 * `client-root`: the receipt repeats the uploader's root and size (a lie about what it kept).
 */
export type ReceiptLie = 'own-root' | 'client-root';

export interface Cheat {
  keep: Keep;
  receipt: ReceiptLie;
}

export function kept(bytes: Uint8Array, keep: Keep): Uint8Array {
  if (keep === 'zeros') return new Uint8Array(bytes.length);
  if (keep === 'truncated') return bytes.slice(0, Math.floor(bytes.length / 2));
  const out = bytes.slice();
  if (out.length > 0) out[Math.floor(out.length / 3)]! ^= 0x01;
  return out;
}

/** Replaces the node's upload handler with a cheating one; returns how many pieces it took. */
export async function makeCheater(node: StorageNode, cheat: Cheat): Promise<{ taken: () => number }> {
  let taken = 0;
  await node.libp2p.unhandle(PROTOCOL_UPLOAD);
  await node.libp2p.handle(PROTOCOL_UPLOAD, (stream: Stream) => {
    void (async () => {
      const framed = new FramedStream(stream, { idleTimeoutMs: 10_000 });
      try {
        const first = await framed.expect(UploadRequest, 'order');
        // A cheater checks nothing it does not have to.
        const limit = OrderLimit.decode(first.order!.limit);
        const parts: Uint8Array[] = [];
        let msg = first;
        for (;;) {
          if (msg.chunk.length > 0) parts.push(msg.chunk.slice());
          if (msg.done) break;
          msg = await framed.expect(UploadRequest, 'chunk');
        }
        const bytes = Buffer.concat(parts);
        const keep = kept(bytes, cheat.keep);
        await node.store.put(limit.pieceId, [keep], { satelliteId: limit.satelliteId, maxSize: bytes.length, size: keep.length });
        taken++;
        const client = msg.pieceHash ? PieceHash.decode(msg.pieceHash.hash) : undefined;
        const lie = cheat.receipt === 'client-root' && client;
        const receipt = await signPieceReceipt(node.context.key, {
          pieceId: limit.pieceId,
          size: lie ? client.size : BigInt(keep.length),
          root: new Uint8Array(lie ? client.root : pieceRoot(keep)),
          leafSize: 4096,
          timestamp: BigInt(Date.now()),
          nodeId: node.peerId,
          serialNumber: limit.serialNumber
        });
        await framed.write(UploadResponse, { receipt });
      } catch {
        // A cheater that fails just drops the stream.
      }
      await framed.closeWrite();
    })();
  });
  return { taken: () => taken };
}
