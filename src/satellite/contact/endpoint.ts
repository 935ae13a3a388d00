// The satellite's side of /stowage/contact/1.0.0: a node checks in with its addresses and
// details; it counts as reachable only once the satellite dialled it back (dial.ts) and pinged it.
// Against registry spam: each IP has a rate of check-ins (RATE_LIMITED past it), a satellite may
// ask for identity proof of work (IDENTITY_DIFFICULTY_TOO_LOW), and a node the satellite does not
// know is recorded only once a dial-back reached it (a known node's failed dial-back is recorded).
// Addresses the dial policy refuses (private ones on a public satellite, dial.ts) are named in the
// answer and not recorded; a check-in with no address left is not recorded at all.
// Dial-backs in flight are capped (SATELLITE_BUSY past the cap): they share libp2p's dial queue
// with audits, repair, GC and uptime checks, and check-ins announcing addresses that accept and
// never answer must not fill it.
import { multiaddr } from '@multiformats/multiaddr';
import { StowageError } from '../../common/index.js';
import { checkIdentityDifficulty } from '../../common/identity-pow.js';
import { rateLimitKey, type RateLimiter } from '../../common/rate-limit.js';
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
  /** Peer ids with less proof of work are refused (0 or absent: none). */
  minIdentityDifficulty?: number;
  /** Check-ins per IP (keyed by rateLimitKey of the connection's remote address). */
  limiter?: RateLimiter;
  /** Dial-backs at once, all callers together (absent: no cap). */
  dialBackSlots?: DialBackSlots;
}

/**
 * The dial-backs in flight: a count against a cap, and one per node. A node whose check-ins
 * overlap (a short check-in interval on a slow satellite) gets the answer of the dial-back in
 * flight, not a second one: both would share one libp2p connection (concurrent dials of a peer are
 * joined) and the second ping on it was refused ("Too many outbound protocol streams": the
 * devnet's nodes, checking in every second, were seen unreachable).
 */
export class DialBackSlots {
  inFlight = 0;
  /** Dial-backs and uptime checks in flight per node (checkUptime takes part, see uptime.ts). */
  readonly byNode: NodeReaches = new Map();
  /** Slots held per caller IP (its rateLimitKey): no IP holds more than `maxPerIp`. */
  private readonly bySource = new Map<string, number>();
  /**
   * The most one IP (/64) may hold: an eighth of the slots, at least 1. Without it, 32 free peer
   * ids from one address announcing addresses that never answer held every slot, and every
   * honest check-in got SATELLITE_BUSY (found by the hostile review).
   */
  readonly maxPerIp: number;

  constructor(readonly max: number) {
    this.maxPerIp = Math.max(1, Math.floor(max / 8));
  }

  /** Takes a slot for `source` (absent: counted only in the total) or throws SATELLITE_BUSY; give it back with release(source). */
  take(source?: string): void {
    if (this.max > 0 && this.inFlight >= this.max) {
      throw new StowageError('SATELLITE_BUSY', `the satellite is dialling ${this.inFlight} nodes back already: check in again later`);
    }
    const held = source === undefined ? 0 : (this.bySource.get(source) ?? 0);
    if (this.max > 0 && source !== undefined && held >= this.maxPerIp) {
      throw new StowageError('SATELLITE_BUSY', `${held} dial-backs of check-ins from your address are in flight already: check in again later`);
    }
    this.inFlight++;
    if (source !== undefined) this.bySource.set(source, held + 1);
  }

  release(source?: string): void {
    this.inFlight--;
    if (source === undefined) return;
    const held = (this.bySource.get(source) ?? 1) - 1;
    if (held <= 0) this.bySource.delete(source);
    else this.bySource.set(source, held);
  }

  /** How many slots `source` holds now. */
  heldBy(source: string): number {
    return this.bySource.get(source) ?? 0;
  }
}

/** The dial-back or uptime check in flight per node id, with the addresses it tries. */
export type NodeReaches = Map<string, { addresses: readonly string[]; result: Promise<DialBackResult> }>;

/** What one check-in did: the answer, and whether the registry was written. */
export interface CheckInOutcome {
  reachable: boolean;
  message: string;
  stored: boolean;
}

/**
 * One check-in, after the request was read: rate limit, request checks, identity difficulty, a
 * dial-back slot, the dial-back, then the registry (a node not known yet only when reached).
 */
export async function checkIn(ctx: ContactContext, req: CheckInRequest, nodeId: string, remote?: string): Promise<CheckInOutcome> {
  if (ctx.limiter && remote !== undefined) ctx.limiter.checkRemote(remote);
  checkRequest(req);
  checkIdentityDifficulty(nodeId, ctx.minIdentityDifficulty ?? 0);
  const result = await dialBackOnce(ctx, nodeId, req.addresses, remote === undefined ? undefined : rateLimitKey(remote));
  // The dial policy refused every address (allowPrivateAddresses): nothing was dialled and
  // nothing is stored; a known node's record keeps what it had.
  if (result.noneAllowed) return { reachable: false, message: result.message, stored: false };
  const stored = result.reachable || (await ctx.registry.get(nodeId)) !== undefined;
  // Refused addresses are not recorded: clients get a node's addresses with their orders.
  const refused = new Set((result.refused ?? []).map((r) => r.address));
  const info = fromCheckInRequest(refused.size > 0 ? { ...req, addresses: req.addresses.filter((a) => !refused.has(a)) } : req);
  if (stored) await ctx.registry.checkIn(nodeId, info, result.reachable, ctx.now(), result.reached);
  return { reachable: result.reachable, message: result.message, stored };
}

/** The dial-back of this check-in: the one in flight for the node when it is of the same addresses, else a new one in a slot. */
async function dialBackOnce(ctx: ContactContext, nodeId: string, addresses: string[], source?: string): Promise<DialBackResult> {
  const slots = ctx.dialBackSlots;
  if (!slots) return ctx.dialBack(nodeId, addresses);
  const pending = slots.byNode.get(nodeId);
  if (pending) {
    const same = pending.addresses.length === addresses.length && pending.addresses.every((a, i) => a === addresses[i]);
    // Other addresses must be dialled themselves: another answer would vouch for addresses never tried.
    if (!same) throw new StowageError('SATELLITE_BUSY', 'this node is being dialled back already: check in again later');
    return pending.result;
  }
  slots.take(source);
  const result = ctx.dialBack(nodeId, addresses);
  slots.byNode.set(nodeId, { addresses, result });
  try {
    return await result;
  } finally {
    if (slots.byNode.get(nodeId)?.result === result) slots.byNode.delete(nodeId);
    slots.release(source);
  }
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

/** One check-in on `framed` from the authenticated peer `nodeId`, over a connection from `remote` (its multiaddr). */
export async function handleCheckIn(ctx: ContactContext, framed: FramedStream, nodeId: string, remote?: string): Promise<void> {
  try {
    const req = await framed.expect(CheckInRequest, 'check-in');
    const result = await checkIn(ctx, req, nodeId, remote);
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
