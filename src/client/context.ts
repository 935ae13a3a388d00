// What the upload and download pipelines need from a connected client: its libp2p host, its
// timeouts and a way to ask the satellite.
import type { Libp2p, Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import type { AddressedOrder, MetainfoRequest, MetainfoResponse } from '../protocol/index.js';

export interface ClientContext {
  readonly libp2p: Libp2p;
  readonly secret: Uint8Array;
  /** How long one piece transfer may take. */
  readonly pieceTimeoutMs: number;
  metainfo(req: Partial<MetainfoRequest>): Promise<MetainfoResponse>;
}

/** Addresses of a node the client tries, at most: the satellite keeps 8 per node. */
export const MAX_NODE_ADDRESSES = 8;

/**
 * A stream to the node an order names, for one of the piece protocols. Every address the
 * satellite gave is tried (libp2p's dialer takes the first that connects): a node behind one
 * unreachable address (an IPv6 one first on an IPv4-only client, say) is still reached. Addresses
 * that do not parse are skipped; a node with none left is unreachable.
 */
export async function dialForOrder(ctx: ClientContext, o: AddressedOrder, protocol: string, signal?: AbortSignal): Promise<Stream> {
  const addrs = o.addresses.slice(0, MAX_NODE_ADDRESSES).flatMap((a) => {
    // '' parses as the empty multiaddr: a dial to the node's id alone, at whatever address libp2p knows.
    if (a.trim() === '') return [];
    try {
      return [multiaddr(a).encapsulate(`/p2p/${o.nodeId}`)];
    } catch {
      return [];
    }
  });
  if (addrs.length === 0) throw new Error(`no usable address for node ${o.nodeId.slice(-8)} (${o.addresses.length} given)`);
  return ctx.libp2p.dialProtocol(addrs, protocol, { signal: AbortSignal.any([AbortSignal.timeout(ctx.pieceTimeoutMs), ...(signal ? [signal] : [])]) });
}

/** A short description of a failed piece transfer, for error messages. */
export function describeFailure(nodeId: string, err: unknown): string {
  const code = (err as { code?: string }).code;
  return `${nodeId.slice(-8)}: ${code ? `${code} ` : ''}${(err as Error).message}`;
}
