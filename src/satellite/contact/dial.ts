// Dialling nodes: a connection for audits, repair and GC (connectNode), and the dial-back that
// proves a node reachable: a fresh connection to an address it announced, and a ping.
import type { Connection, Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { StowageError } from '../../common/index.js';
import { pingOver } from '../../protocol/index.js';

export interface DialBackResult {
  reachable: boolean;
  message: string;
}

/** A connection to `nodeId` (an open one if there is one), trying its announced addresses in turn. */
export async function connectNode(libp2p: Libp2p, nodeId: string, addresses: string[], signal: AbortSignal): Promise<Connection> {
  const failures: string[] = [];
  for (const address of addresses) {
    try {
      return await libp2p.dial(multiaddr(address).encapsulate(`/p2p/${nodeId}`), { signal });
    } catch (err) {
      failures.push(`${address}: ${(err as Error).message}`);
    }
  }
  throw new StowageError('NODE_UNREACHABLE', addresses.length === 0 ? 'no address announced' : `could not reach the node: ${failures.join('; ')}`);
}

/** Dials `nodeId` at each address in turn on a fresh connection and pings it. */
export async function dialBack(libp2p: Libp2p, nodeId: string, addresses: string[], timeoutMs: number): Promise<DialBackResult> {
  const failures: string[] = [];
  for (const address of addresses) {
    try {
      const ma = multiaddr(address).encapsulate(`/p2p/${nodeId}`);
      const signal = AbortSignal.timeout(timeoutMs);
      const connection = await libp2p.dial(ma, { force: true, signal });
      try {
        await pingOver(connection, signal);
        return { reachable: true, message: `reached at ${address}` };
      } finally {
        // libp2p hands this connection to other dials of the node (audits, repair, GC): closing
        // it under their streams cut transfers short (found by the chaos run). Left open when in use.
        if (connection.streams.length === 0) await connection.close().catch(() => undefined);
      }
    } catch (err) {
      failures.push(`${address}: ${(err as Error).message}`);
    }
  }
  return {
    reachable: false,
    message: addresses.length === 0 ? 'no address announced' : `could not dial back and ping: ${failures.join('; ')}`
  };
}

