// Egress settlement, the node's side: hourly and at shutdown the node sends each satellite the
// highest bandwidth order it holds per serial (/stowage/orders/1.0.0), in requests of at most
// MAX_SETTLEMENT_BATCH, and forgets each order the satellite answered for (accepted, duplicate or
// rejected: a rejected order is never payable, and its reason is logged). Orders stay when the
// satellite cannot be reached; orders older than the settlement window are dropped with a log line.
import { setTimeout as delay } from 'node:timers/promises';
import type { Libp2p } from '@libp2p/interface';
import type { Logger } from 'pino';
import { FramedStream, PROTOCOL_ORDERS, ProtocolError, ProtocolErrorCode, SettlementRequest, SettlementResponse, SettlementStatus } from '../protocol/index.js';
import { satelliteAddrs, type TrustedSatellite } from './config.js';
import type { UnsettledOrder, UnsettledOrders } from './unsettled.js';

/** Orders per settlement request (the satellite takes up to 500). */
export const MAX_SETTLEMENT_BATCH = 500;
/** Requests per satellite per round at most (a backlog goes out over several rounds). */
const MAX_BATCHES_PER_ROUND = 20;

export interface SettlementDeps {
  libp2p: Libp2p;
  unsettled: UnsettledOrders;
  satellites: readonly TrustedSatellite[];
  now: () => number;
  log: Logger;
  /** Orders under limits created longer ago than this are dropped (the satellite refuses them). */
  settlementWindowMs: number;
  timeoutMs: number;
}

export interface SettlementRound {
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Dropped as older than the settlement window. */
  dropped: number;
  /** Satellites that could not be reached (their orders stay). */
  unreachable: string[];
}

const b64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(Buffer.from(s, 'base64'));

/** Tries of one batch the satellite answers RATE_LIMITED. */
const MAX_RATE_LIMITED_TRIES = 5;

/** The wait a RATE_LIMITED answer asks for ("try again in N s"), at most 30 s; else undefined. */
function retryAfter(err: unknown): number | undefined {
  if ((err as { code?: string }).code !== 'RATE_LIMITED') return undefined;
  const s = /try again in (\d+) s/.exec((err as Error).message)?.[1];
  return Math.min(30_000, Math.max(1000, s === undefined ? 1000 : Number(s) * 1000));
}


/** Sends one batch; returns each order's status, in order. */
async function settleBatch(d: SettlementDeps, satellite: TrustedSatellite, batch: UnsettledOrder[], signal: AbortSignal): Promise<SettlementStatus[]> {
  const stream = await d.libp2p.dialProtocol(satelliteAddrs(satellite), PROTOCOL_ORDERS, { signal });
  const framed = new FramedStream(stream, { idleTimeoutMs: d.timeoutMs });
  try {
    await framed.write(SettlementRequest, { items: batch.map((o) => ({ limit: b64(o.limit), limitSignature: b64(o.limitSignature), order: b64(o.order), orderSignature: b64(o.orderSignature) })) }, { signal });
    const res = await framed.expect(SettlementResponse, 'settlement answer', { signal });
    if (res.error) throw new ProtocolError(res.error.code || ProtocolErrorCode.Internal, res.error.message);
    if (res.results.length !== batch.length) throw new ProtocolError(ProtocolErrorCode.Malformed, `${res.results.length} results for ${batch.length} orders`);
    return res.results.map((r, i) => {
      // An answer for another serial is not an answer: the order stays for the next round.
      if (r.serialNumber.length > 0 && Buffer.from(r.serialNumber).toString('hex') !== batch[i]!.serial) return SettlementStatus.SETTLEMENT_UNSPECIFIED;
      if (r.status === SettlementStatus.SETTLEMENT_REJECTED) d.log.warn({ satellite: satellite.peerId, serial: batch[i]!.serial, amount: batch[i]!.amount, reason: r.reason }, 'bandwidth order refused at settlement');
      return r.status;
    });
  } finally {
    await framed.closeWrite().catch(() => undefined);
  }
}

/** One settlement round with every satellite the node holds orders for. */
export async function settleOrders(d: SettlementDeps, signal: AbortSignal = AbortSignal.timeout(d.timeoutMs * MAX_BATCHES_PER_ROUND)): Promise<SettlementRound> {
  const round: SettlementRound = { accepted: 0, duplicate: 0, rejected: 0, dropped: 0, unreachable: [] };
  const old = await d.unsettled.dropOlderThan(d.now() - d.settlementWindowMs);
  round.dropped = old.length;
  if (old.length > 0) {
    const bytes = old.reduce((sum, o) => sum + BigInt(o.amount), 0n);
    d.log.warn({ orders: old.length, bytes: bytes.toString(), windowMs: d.settlementWindowMs }, 'bandwidth orders dropped unsettled: older than the settlement window');
  }
  const trusted = new Map(d.satellites.map((s) => [s.peerId, s]));
  // Satellites in parallel: one out of reach does not hold the others (at shutdown, 3 s in all).
  await Promise.all(
    (await d.unsettled.satellites()).map(async (satelliteId) => {
      const satellite = trusted.get(satelliteId);
      // Orders of a satellite no longer trusted (its limits were checked when they came): kept,
      // in case it is trusted again, until the window drops them.
      if (!satellite) return;
      await settleWith(d, satellite, round, signal);
    })
  );
  if (round.accepted + round.duplicate + round.rejected > 0) d.log.info(round, 'bandwidth orders settled');
  return round;
}

/** Settles one satellite's orders, batch after batch, into `round`. */
async function settleWith(d: SettlementDeps, satellite: TrustedSatellite, round: SettlementRound, signal: AbortSignal): Promise<void> {
  for (let n = 0; n < MAX_BATCHES_PER_ROUND && !signal.aborted; n++) {
    const batch = await d.unsettled.of(satellite.peerId, MAX_SETTLEMENT_BATCH);
    if (batch.length === 0) break;
    let statuses: SettlementStatus[] | undefined;
    // RATE_LIMITED: wait as the satellite says (a few times, within the round) and go on.
    for (let tries = 0; statuses === undefined; tries++) {
      try {
        statuses = await settleBatch(d, satellite, batch, AbortSignal.any([signal, AbortSignal.timeout(d.timeoutMs)]));
      } catch (err) {
        const wait = retryAfter(err);
        if (wait !== undefined && tries < MAX_RATE_LIMITED_TRIES && !signal.aborted) {
          // Ends early (resolved) when the round's signal aborts.
          await delay(wait, undefined, { signal }).catch(() => undefined);
          continue;
        }
        d.log.info({ satellite: satellite.peerId, orders: batch.length, err: (err as Error).message }, 'settlement failed; the orders are kept');
        break;
      }
    }
    if (statuses === undefined) {
      round.unreachable.push(satellite.peerId);
      break;
    }
    const answered = batch.filter((_, i) => statuses[i] !== SettlementStatus.SETTLEMENT_UNSPECIFIED);
    await d.unsettled.forget(answered);
    for (const s of statuses) {
      if (s === SettlementStatus.SETTLEMENT_ACCEPTED) round.accepted++;
      else if (s === SettlementStatus.SETTLEMENT_DUPLICATE) round.duplicate++;
      else if (s === SettlementStatus.SETTLEMENT_REJECTED) round.rejected++;
    }
    if (answered.length < batch.length) break;
    if (batch.length < MAX_SETTLEMENT_BATCH) break;
  }
}
