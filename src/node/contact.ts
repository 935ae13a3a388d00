// The node's side of /stowage/contact/1.0.0: it checks in with each trusted satellite at start and
// then periodically, and keeps each satellite's last answer (reached or not, and why) for the
// operator.
import type { Libp2p } from '@libp2p/interface';
import type { Logger } from 'pino';
import { CheckInRequest, CheckInResponse, FramedStream, PROTOCOL_CONTACT, ProtocolError, toCheckInRequest, type CheckInInfo } from '../protocol/index.js';

export type { CheckInInfo };
import { satelliteAddrs, type TrustedSatellite } from './config.js';

export interface CheckInResult {
  satelliteId: string;
  at: number;
  /** The satellite dialled this node back at an announced address and pinged it. */
  reachable: boolean;
  message: string;
  /** Set when the check-in itself failed (satellite unreachable, refused). */
  error?: { code: string; message: string };
}

export async function checkIn(libp2p: Libp2p, satellite: TrustedSatellite, info: CheckInInfo, timeoutMs: number, now: () => number): Promise<CheckInResult> {
  const at = now();
  try {
    const ma = satelliteAddrs(satellite);
    const stream = await libp2p.dialProtocol(ma, PROTOCOL_CONTACT, { signal: AbortSignal.timeout(timeoutMs) });
    // The satellite dials back and pings before it answers: allow for its dial timeout too.
    const framed = new FramedStream(stream, { idleTimeoutMs: timeoutMs * 3 });
    try {
      await framed.write(CheckInRequest, toCheckInRequest(info));
      const res = await framed.expect(CheckInResponse, 'check-in answer');
      if (res.error) throw new ProtocolError(res.error.code, res.error.message);
      return { satelliteId: satellite.peerId, at, reachable: res.reachable, message: res.message };
    } finally {
      await framed.closeWrite();
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'CONTACT_FAILED';
    return { satelliteId: satellite.peerId, at, reachable: false, message: 'check-in failed', error: { code, message: (err as Error).message } };
  }
}

/** Announced addresses: the configured ones, else the host's own, without /p2p. */
export function announcedAddresses(libp2p: Libp2p, announce: string[]): string[] {
  const all = announce.length > 0 ? announce : libp2p.getMultiaddrs().map((m) => m.toString());
  return [...new Set(all.map((a) => a.replace(/\/p2p\/[^/]+$/, '')))];
}

export class ContactClient {
  private timer: NodeJS.Timeout | undefined;
  readonly last = new Map<string, CheckInResult>();

  constructor(
    private readonly libp2p: Libp2p,
    private readonly satellites: TrustedSatellite[],
    private readonly info: () => CheckInInfo,
    private readonly options: { intervalMs: number; timeoutMs: number; now: () => number; log: Logger }
  ) {}

  /** Checks in with every satellite now (in parallel) and records the answers. */
  async checkInAll(): Promise<CheckInResult[]> {
    const info = this.info();
    const results = await Promise.all(this.satellites.map((s) => checkIn(this.libp2p, s, info, this.options.timeoutMs, this.options.now)));
    for (const r of results) this.record(r);
    return results;
  }

  /** Keeps and logs one answer; a retry's too (the devnet waits for the 'checked in' line). */
  private record(r: CheckInResult): void {
    this.last.set(r.satelliteId, r);
    if (r.error) this.options.log.warn({ satellite: r.satelliteId, code: r.error.code, err: r.error.message }, 'check-in failed');
    else if (!r.reachable) this.options.log.warn({ satellite: r.satelliteId, why: r.message }, 'satellite could not reach this node: check the announced address and the port forwarding');
    else this.options.log.info({ satellite: r.satelliteId }, 'checked in');
  }

  /** After a failed check-in (not an unreachable answer), tries again after these delays. */
  private static readonly RETRY_DELAYS_MS = [1_000, 4_000, 16_000];
  private readonly retries = new Set<NodeJS.Timeout>();

  private async checkInWithRetries(): Promise<void> {
    const results = await this.checkInAll();
    const failed = results.filter((r) => r.error).map((r) => r.satelliteId);
    if (failed.length === 0) return;
    const retry = async (attempt: number, ids: string[]): Promise<void> => {
      const info = this.info();
      const again = await Promise.all(
        this.satellites.filter((s) => ids.includes(s.peerId)).map((s) => checkIn(this.libp2p, s, info, this.options.timeoutMs, this.options.now))
      );
      for (const r of again) this.record(r);
      const still = again.filter((r) => r.error).map((r) => r.satelliteId);
      this.schedule(attempt + 1, still, retry);
    };
    this.schedule(0, failed, retry);
  }

  private schedule(attempt: number, ids: string[], retry: (attempt: number, ids: string[]) => Promise<void>): void {
    const delay = ContactClient.RETRY_DELAYS_MS[attempt];
    if (ids.length === 0 || delay === undefined || this.stopped) return;
    const t = setTimeout(() => {
      this.retries.delete(t);
      void retry(attempt, ids);
    }, delay);
    t.unref();
    this.retries.add(t);
  }

  private stopped = false;
  private first: Promise<void> = Promise.resolve();

  /** Settles when the first round of check-ins has answered (or failed). */
  ready(): Promise<void> {
    return this.first;
  }

  start(): void {
    this.first = this.checkInWithRetries().catch(() => undefined);
    if (this.options.intervalMs > 0) {
      this.timer = setInterval(() => void this.checkInWithRetries(), this.options.intervalMs);
      this.timer.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const t of this.retries) clearTimeout(t);
  }
}
