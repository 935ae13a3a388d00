// What a storage node on the open internet holds against hostile peers, as plain parts the
// protocol handlers use (node.ts wires them):
// - StreamLimiter: streams open at once on the node's protocols per peer id and per remote IP
//   (IPv4 address, IPv6 /64); trusted satellites are not counted;
// - deadline(): the first message of a stream must arrive within a few seconds;
// - TransferMeter: a transfer must finish within a whole-transfer deadline and move at least a
//   minimum rate over each window, so a peer cannot hold a slot by sending a byte now and then
//   (the idle timeout alone restarts on every byte).
// The memory budget for buffered frames is the protocol layer's BufferBudget, one per node.
import { rateLimitKey } from '../common/rate-limit.js';
import { ProtocolError, ProtocolErrorCode } from '../protocol/index.js';
import type { Multiaddr } from '@multiformats/multiaddr';

export interface StreamLimits {
  /** Streams one peer id may have open at once, over all its connections and the node's protocols. */
  maxStreamsPerPeer: number;
  /** Streams all peers behind one IP (IPv4 address, IPv6 /64) may have open at once. */
  maxStreamsPerIp: number;
}

/** A stream counted by a StreamLimiter: release it once, when the stream is done. */
export interface StreamTicket {
  release(): void;
}

export class StreamLimiter {
  private readonly perPeer = new Map<string, number>();
  private readonly perIp = new Map<string, number>();
  private refusedCount = 0;

  constructor(readonly limits: StreamLimits) {}

  /** Counts a new stream of `peer` from `remote`, or throws NODE_TOO_MANY_STREAMS. */
  admit(peer: string, remote: Multiaddr | string): StreamTicket {
    const ip = rateLimitKey(remote);
    const peerCount = this.perPeer.get(peer) ?? 0;
    const ipCount = this.perIp.get(ip) ?? 0;
    if (peerCount >= this.limits.maxStreamsPerPeer) {
      this.refusedCount++;
      throw new ProtocolError(ProtocolErrorCode.TooManyStreams, `peer ${peer} has ${peerCount} streams open here, the most one peer may`);
    }
    if (ipCount >= this.limits.maxStreamsPerIp) {
      this.refusedCount++;
      throw new ProtocolError(ProtocolErrorCode.TooManyStreams, `${ip} has ${ipCount} streams open here, the most one address may`);
    }
    this.perPeer.set(peer, peerCount + 1);
    this.perIp.set(ip, ipCount + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        decrement(this.perPeer, peer);
        decrement(this.perIp, ip);
      }
    };
  }

  /** Streams counted now, in all. */
  get open(): number {
    let n = 0;
    for (const c of this.perPeer.values()) n += c;
    return n;
  }

  /** Streams refused since the start. */
  get refused(): number {
    return this.refusedCount;
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

/** A signal that aborts after `ms` with PROTOCOL_TIMEOUT saying `what`; clear() stops its timer. */
export function deadline(ms: number, what: string): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new ProtocolError(ProtocolErrorCode.Timeout, `${what} did not arrive within ${ms} ms`)), ms);
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

export interface TransferLimits {
  /** Longest a transfer may take, from its order's check to its last byte; 0: no limit. */
  maxTransferMs: number;
  /** Bytes per second a transfer must move, measured over each window; 0: no minimum. */
  minTransferRate: number;
  /** Length of the windows the minimum rate is measured over (the first is the grace period). */
  rateWindowMs: number;
}

/**
 * The deadlines of one transfer: `signal` aborts with PROTOCOL_TIMEOUT past the whole-transfer
 * deadline, or with PROTOCOL_TOO_SLOW when a window moved fewer than minTransferRate x window
 * bytes. Pass it to every read and write of the transfer; call add() with the bytes moved,
 * stopRate() when the peer's part is over (the node's own work follows), close() at the end.
 */
export class TransferMeter {
  private readonly controller = new AbortController();
  private readonly deadlineTimer: NodeJS.Timeout | undefined;
  private rateTimer: NodeJS.Timeout | undefined;
  private moved = 0;
  private total = 0;

  constructor(
    readonly limits: TransferLimits,
    private readonly what: string
  ) {
    if (limits.maxTransferMs > 0) {
      this.deadlineTimer = setTimeout(
        () => this.controller.abort(new ProtocolError(ProtocolErrorCode.Timeout, `${what} took longer than the node's limit of ${limits.maxTransferMs} ms`)),
        limits.maxTransferMs
      );
      this.deadlineTimer.unref();
    }
    if (limits.minTransferRate > 0 && limits.rateWindowMs > 0) {
      const needed = Math.ceil((limits.minTransferRate * limits.rateWindowMs) / 1000);
      this.rateTimer = setInterval(() => {
        if (this.moved < needed) {
          this.controller.abort(
            new ProtocolError(
              ProtocolErrorCode.TooSlow,
              `${what} moved ${this.moved} bytes in ${limits.rateWindowMs} ms, under the node's minimum of ${limits.minTransferRate} bytes/s`
            )
          );
          this.stopRate();
        }
        this.moved = 0;
      }, limits.rateWindowMs);
      this.rateTimer.unref();
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Bytes moved so far. */
  get bytes(): number {
    return this.total;
  }

  add(bytes: number): void {
    this.moved += bytes;
    this.total += bytes;
  }

  stopRate(): void {
    clearInterval(this.rateTimer);
    this.rateTimer = undefined;
  }

  close(): void {
    this.stopRate();
    clearTimeout(this.deadlineTimer);
  }
}
