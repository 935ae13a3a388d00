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

/** A stream to the node an order names, for one of the piece protocols. */
export async function dialForOrder(ctx: ClientContext, o: AddressedOrder, protocol: string, signal?: AbortSignal): Promise<Stream> {
  const ma = multiaddr(o.addresses[0] ?? '/ip4/0.0.0.0/tcp/0').encapsulate(`/p2p/${o.nodeId}`);
  return ctx.libp2p.dialProtocol(ma, protocol, { signal: AbortSignal.any([AbortSignal.timeout(ctx.pieceTimeoutMs), ...(signal ? [signal] : [])]) });
}

/** A short description of a failed piece transfer, for error messages. */
export function describeFailure(nodeId: string, err: unknown): string {
  const code = (err as { code?: string }).code;
  return `${nodeId.slice(-8)}: ${code ? `${code} ` : ''}${(err as Error).message}`;
}
