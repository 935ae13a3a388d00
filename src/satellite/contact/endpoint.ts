// The satellite's side of /stowage/contact/1.0.0: a node checks in with its addresses and
// details; it counts as reachable only once the satellite dialled it back (dial.ts) and pinged it.
import { multiaddr } from '@multiformats/multiaddr';
import { StowageError } from '../../common/index.js';
import { CheckInRequest, CheckInResponse, ProtocolError, ProtocolErrorCode, fromCheckInRequest, type FramedStream } from '../../protocol/index.js';
import type { NodeDB } from '../overlay/index.js';
import type { DialBackResult } from './dial.js';

/** Addresses a node may announce in one check-in. */
export const MAX_ANNOUNCED_ADDRESSES = 8;
const MAX_TEXT = 256;

export interface ContactContext {
  registry: NodeDB;
  dialBack: (nodeId: string, addresses: string[]) => Promise<DialBackResult>;
  now: () => number;
  /** What the satellite suggests as the next check-in delay. */
  checkInIntervalMs: number;
  /** Told the outcome of every check-in (metrics). */
  onCheckIn?: (outcome: 'reachable' | 'unreachable' | 'error') => void;
}

function checkRequest(req: CheckInRequest): void {
  if (req.addresses.length > MAX_ANNOUNCED_ADDRESSES) {
    throw new ProtocolError(ProtocolErrorCode.Malformed, `at most ${MAX_ANNOUNCED_ADDRESSES} addresses, got ${req.addresses.length}`);
  }
  for (const a of req.addresses) {
    try {
      multiaddr(a);
    } catch {
      throw new ProtocolError(ProtocolErrorCode.Malformed, `'${a.slice(0, 80)}' is not a multiaddr`);
    }
    if (a.includes('/p2p/')) throw new ProtocolError(ProtocolErrorCode.Malformed, `announce addresses without /p2p: '${a.slice(0, 80)}'`);
  }
  for (const [name, text] of [['version', req.version], ['wallet', req.wallet], ['email', req.email]] as const) {
    if (text.length > MAX_TEXT) throw new ProtocolError(ProtocolErrorCode.Malformed, `${name} is longer than ${MAX_TEXT} characters`);
  }
}

/** One check-in on `framed` from the authenticated peer `nodeId`. */
export async function handleCheckIn(ctx: ContactContext, framed: FramedStream, nodeId: string): Promise<void> {
  try {
    const req = await framed.expect(CheckInRequest, 'check-in');
    checkRequest(req);
    const result = await ctx.dialBack(nodeId, req.addresses);
    await ctx.registry.checkIn(
      nodeId,
      fromCheckInRequest(req),
      result.reachable,
      ctx.now()
    );
    ctx.onCheckIn?.(result.reachable ? 'reachable' : 'unreachable');
    await framed.write(CheckInResponse, { reachable: result.reachable, message: result.message, nextCheckIn: BigInt(ctx.checkInIntervalMs) });
  } catch (err) {
    ctx.onCheckIn?.('error');
    const error =
      err instanceof StowageError ? { code: err.code, message: err.message } : { code: ProtocolErrorCode.Internal, message: 'check-in failed on the satellite' };
    await framed.write(CheckInResponse, { error }).catch(() => undefined);
  }
  await framed.closeWrite();
}
