// Sending a round's filters: each known node that has not exited gets its signed filter over
// /stowage/retain/1.0.0 (an empty one when it should hold nothing) and answers what it trashed.
import type { Libp2p, PrivateKey } from '@libp2p/interface';
import { FramedStream, PROTOCOL_RETAIN, RetainResponse, RetainRequest, signRetain } from '../../protocol/index.js';
import { connectNode } from '../contact/index.js';
import type { NodeDB } from '../overlay/index.js';
import { emptyFilter, type GcFilters } from './filters.js';

export interface GcResult {
  nodeId: string;
  pieces: number;
  trashed?: number;
  kept?: number;
  error?: string;
}

export interface RetainSenderDeps {
  libp2p: Libp2p;
  registry: NodeDB;
  key: PrivateKey;
  satelliteId: string;
  now: () => number;
}

/** Sends each known node its filter; a node that fails has its error in its result. */
export async function sendFilters(d: RetainSenderDeps, made: GcFilters, config: { falsePositiveRate: number; timeoutMs: number }): Promise<GcResult[]> {
  const nodes = [];
  for await (const n of d.registry.list()) if (n.flags.exited === null) nodes.push(n);
  return Promise.all(
    nodes.map(async (node): Promise<GcResult> => {
      const entry = made.filters.get(node.id) ?? { filter: emptyFilter(0, config.falsePositiveRate), pieces: 0 };
      try {
        const signed = await signRetain(d.key, {
          satelliteId: d.satelliteId,
          nodeId: node.id,
          createdBefore: BigInt(made.createdBefore),
          filter: entry.filter.bits as Uint8Array<ArrayBuffer>,
          hashCount: entry.filter.hashCount,
          seed: entry.filter.seed as Uint8Array<ArrayBuffer>,
          created: BigInt(d.now())
        });
        const signal = AbortSignal.timeout(config.timeoutMs);
        const connection = await connectNode(d.libp2p, node.id, node.addresses, signal);
        const framed = new FramedStream(await connection.newStream(PROTOCOL_RETAIN, { signal }), { idleTimeoutMs: config.timeoutMs, maxMessageBytes: 64 * 1024 });
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
