// What a storage node on the open internet holds against hostile peers, as plain parts the
// protocol handlers use (node.ts wires them):
// - StreamLimiter (the protocol part's, shared with the satellite): streams open at once on the
//   node's protocols per peer id and per remote IP; trusted satellites are not counted;
// - deadline(): the first message of a stream must arrive within a few seconds;
// - TransferMeter: a transfer must finish within a whole-transfer deadline and move at least a
//   minimum rate over each window, so a peer cannot hold a slot by sending a byte now and then
//   (the idle timeout alone restarts on every byte).
// The memory budget for buffered frames is the protocol layer's BufferBudget, one per node.
import { ProtocolError, ProtocolErrorCode } from '../protocol/index.js';

export { StreamLimiter, type StreamLimits, type StreamTicket } from '../protocol/index.js';

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
      let lastTick = performance.now();
      this.rateTimer = setInterval(() => {
        // A tick half a window late means this process stalled (GC, a starved CPU): the bytes the
        // peer sent meanwhile may not have been read yet, so that window is not judged.
        const now = performance.now();
        const late = now - lastTick > limits.rateWindowMs * 1.5;
        lastTick = now;
        if (!late && this.moved < needed) {
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
