// Length-prefixed protobuf messages over a libp2p v3 stream, with the limits the network needs:
// a maximum frame size checked from the length prefix (before the body arrives), an idle timeout
// per read, and flow control: above a high-water mark of unread bytes the stream is paused, so a
// fast sender waits instead of filling this process's memory (a `for await` over a v3 stream
// does not slow the sender). Writes wait for 'drain' when the stream says to. Each read, expect
// and write can take an AbortSignal, as js-libp2p's stream helpers do: the caller's deadline.
import '../shims/protons-uint64.js';
import type { AbortOptions, Stream } from '@libp2p/interface';
import { Uint8ArrayList } from 'uint8arraylist';
import { StowageError } from '../common/index.js';
import type { BufferBudget } from './budget.js';
import { ProtocolError, ProtocolErrorCode } from './errors.js';
import { MAX_MESSAGE_BYTES } from './ids.js';

export interface MessageCodec<T> {
  encode(message: Partial<T>): Uint8Array;
  decode(bytes: Uint8Array): T;
}

export interface FramedStreamOptions {
  maxMessageBytes?: number;
  /** A read that waits longer than this for the peer fails with PROTOCOL_TIMEOUT. */
  idleTimeoutMs?: number;
  /** Unread bytes above which the stream is paused. */
  highWaterMark?: number;
  /**
   * The process's budget for buffered bytes (budget.ts). The stream starts unverified: until
   * verify() its bytes count against the budget's unverified limit, and a message that would
   * pass it gets the stream refused. Call release() once done with the stream.
   */
  budget?: BufferBudget;
  /**
   * A deadline every read without a signal of its own takes (a satellite endpoint's deadline for
   * its one request: the idle timeout restarts on every byte, a deadline does not).
   */
  readSignal?: AbortSignal;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** The unsigned LEB128 length prefix a frame starts with. */
export function encodeVarint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

/**
 * What a call rejects with when its signal aborts: a timeout like the idle timeout's (a deadline
 * is what signals carry here), with the signal's reason as the cause.
 */
function abortError(call: 'read' | 'write', signal: AbortSignal): ProtocolError {
  const reason: unknown = signal.reason;
  // A deadline that says why (a transfer under the minimum rate, say) keeps its code.
  if (reason instanceof StowageError) return new ProtocolError(reason.code, `${call} aborted: ${reason.message}`, { cause: reason });
  return new ProtocolError(ProtocolErrorCode.Timeout, `${call} aborted: ${reason instanceof Error ? reason.message : String(reason)}`, { cause: reason });
}

/** One message as it goes on the wire: its varint length, then its bytes. */
export function encodeFrame<T>(codec: MessageCodec<T>, message: Partial<T>): Uint8ArrayList {
  const body = codec.encode(message);
  return new Uint8ArrayList(encodeVarint(body.length), body);
}

/** A read's options: its signal, and its own idle timeout (Infinity: none) instead of the stream's. */
export interface ReadOptions extends AbortOptions {
  idleTimeoutMs?: number;
}

export class FramedStream {
  private readonly buffer = new Uint8ArrayList();
  private maxMessageBytes: number;
  private readonly idleTimeoutMs: number;
  private highWaterMark: number;
  private readonly budget: BufferBudget | undefined;
  private readonly readSignal: AbortSignal | undefined;
  /** Without a budget, or once verify() was called. */
  private verified: boolean;
  /** Bytes charged to the budget and not given back yet. */
  private charged = 0;
  private released = false;
  /** Why the budget refused this stream. */
  private refusal: ProtocolError | undefined;
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;
  private paused = false;
  /**
   * Set while resume() hands over what the stream held back. Pausing again in the middle would
   * leave bytes in the stream's read buffer that yamux has already granted window for on resume;
   * a slow reader would then see that buffer grow by a window per pause until libp2p resets the
   * stream (it did: "Read buffer length of 8388944 exceeded limit of 8388608" under a 1 GiB upload).
   */
  private resuming = false;
  /**
   * The whole frame a read is waiting for (prefix and body), once its length is known: the
   * stream is not paused below it, whatever the high-water mark (a mark smaller than a frame
   * made read() resume and pause again forever: found by the framing property test).
   */
  private need = 0;

  constructor(
    readonly stream: Stream,
    options: FramedStreamOptions = {}
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.highWaterMark = options.highWaterMark ?? 2 * this.maxMessageBytes;
    this.budget = options.budget;
    this.readSignal = options.readSignal;
    this.verified = this.budget === undefined;
    stream.addEventListener('message', (evt) => {
      if (this.released || this.refusal) return;
      let overBudget = false;
      if (this.budget) {
        const n = evt.data.byteLength;
        if (!this.verified) {
          if (!this.budget.tryTakeUnverified(n)) {
            this.refuse();
            return;
          }
        } else {
          overBudget = this.budget.takeVerified(n);
        }
        this.charged += n;
      }
      this.buffer.append(evt.data);
      if (!this.paused && !this.resuming && (this.buffer.byteLength > this.pauseAbove() || overBudget)) {
        this.paused = true;
        if (overBudget) this.budget?.notePaused();
        stream.pause();
      }
      this.notify();
    });
    stream.addEventListener('remoteCloseWrite', () => {
      this.ended = true;
      this.notify();
    });
    stream.addEventListener('close', (evt) => {
      this.ended = true;
      if (evt.error) this.failure = evt.error;
      this.notify();
    });
  }

  /** Bytes of this stream held now (read from the stream, not yet read as messages). */
  get buffered(): number {
    return this.buffer.byteLength;
  }

  /**
   * The peer proved itself (a verified order, a trusted satellite): its bytes count as verified
   * from now on, and messages may be as large as `maxMessageBytes` (the limit given at
   * construction otherwise).
   */
  verify(options: { maxMessageBytes?: number; highWaterMark?: number } = {}): void {
    if (!this.verified) {
      this.verified = true;
      this.budget?.promote(this.charged);
    }
    if (options.maxMessageBytes !== undefined) {
      this.maxMessageBytes = options.maxMessageBytes;
      this.highWaterMark = options.highWaterMark ?? 2 * options.maxMessageBytes;
    }
  }

  /** Drops what is buffered and gives it back to the budget; later bytes are dropped as they come. */
  release(): void {
    this.released = true;
    this.buffer.consume(this.buffer.byteLength);
    this.giveBack(this.charged);
  }

  private giveBack(bytes: number): void {
    if (!this.budget || bytes <= 0) return;
    const n = Math.min(bytes, this.charged);
    this.charged -= n;
    this.budget.give(n, !this.verified);
  }

  /** The budget has no room for this unverified stream's bytes: drop them and reset the stream. */
  private refuse(): void {
    this.refusal = new ProtocolError(ProtocolErrorCode.Busy, 'the node holds as many bytes of unverified requests as it may: try later');
    this.buffer.consume(this.buffer.byteLength);
    this.giveBack(this.charged);
    this.ended = true;
    this.stream.abort(this.refusal);
    this.notify();
  }

  /** Buffered bytes above which the stream is paused: the mark, or the frame a read waits for. */
  private pauseAbove(): number {
    return Math.max(this.highWaterMark, this.need);
  }

  /** A paused verified stream may resume only while the budget has room. */
  private roomToResume(): boolean {
    return !this.budget || !this.verified || this.budget.hasRoom();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** resume() hands over what the stream held back, synchronously: no need to wait then. */
  private resumeStream(): void {
    this.paused = false;
    this.resuming = true;
    try {
      this.stream.resume();
    } catch {
      // Closed for reading: nothing more will come.
      this.ended = true;
    } finally {
      this.resuming = false;
    }
    if ((this.buffer.byteLength > this.pauseAbove() || !this.roomToResume()) && !this.ended) {
      this.paused = true;
      this.stream.pause();
    }
  }

  /** Waits for more bytes, the end of the stream, the idle timeout, or the signal. */
  private async more(signal?: AbortSignal, idleTimeoutMs = this.idleTimeoutMs): Promise<void> {
    // Paused for want of budget: wait for room (or the idle timeout) even after the peer's end.
    const blocked = this.paused && !this.roomToResume() && !this.refusal;
    if (this.paused && !blocked && this.buffer.byteLength <= this.highWaterMark / 2) {
      const before = this.buffer.byteLength;
      this.resumeStream();
      if (this.buffer.byteLength !== before || this.ended) return;
    }
    if (this.ended && !blocked) return;
    // An abort between two waits fired no listener: check before waiting again.
    if (signal?.aborted) throw abortError('read', signal);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let stopWaiting: (() => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.wake = resolve;
        if (blocked) stopWaiting = this.budget!.onRoom(() => this.notify());
        if (Number.isFinite(idleTimeoutMs)) {
          timer = setTimeout(() => reject(new ProtocolError(ProtocolErrorCode.Timeout, `peer sent nothing for ${idleTimeoutMs} ms`)), idleTimeoutMs);
        }
        if (signal) {
          onAbort = () => reject(abortError('read', signal));
          signal.addEventListener('abort', onAbort, { once: true });
        }
      });
    } finally {
      clearTimeout(timer);
      stopWaiting?.();
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      this.wake = undefined;
    }
  }

  /**
   * The next message, or undefined when the peer closed its side cleanly between messages. When
   * `signal` aborts (or already has) the read rejects with PROTOCOL_TIMEOUT and consumes nothing:
   * a later read starts where this one stopped.
   */
  async read<T>(codec: MessageCodec<T>, options: ReadOptions = {}): Promise<T | undefined> {
    const signal = options.signal ?? this.readSignal;
    if (signal?.aborted) throw abortError('read', signal);
    let length = -1;
    let prefix = 0;
    for (;;) {
      // Decode the varint length prefix from what is buffered.
      let value = 0;
      let i = 0;
      let complete = false;
      for (; i < this.buffer.byteLength && i < 5; i++) {
        const b = this.buffer.get(i);
        value += (b & 0x7f) * 2 ** (7 * i);
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (complete) {
        length = value;
        prefix = i + 1;
      } else if (i >= 5) {
        throw new ProtocolError(ProtocolErrorCode.Oversized, 'message length prefix is too long');
      }
      if (length > this.maxMessageBytes) {
        throw new ProtocolError(ProtocolErrorCode.Oversized, `message of ${length} bytes exceeds the limit of ${this.maxMessageBytes}`);
      }
      if (length >= 0 && this.buffer.byteLength >= prefix + length) break;
      this.need = length >= 0 ? prefix + length : 0;
      if (this.refusal) throw this.refusal;
      if (this.paused && this.roomToResume()) {
        // The rest of the message is held back by the pause (also after the peer closed its side).
        this.resumeStream();
        length = -1;
        continue;
      }
      if (this.failure) throw new ProtocolError(ProtocolErrorCode.Closed, `stream failed: ${this.failure.message}`, { cause: this.failure });
      // Paused for want of budget, the rest may still be held back after the peer's end.
      if (this.ended && !this.paused) {
        if (this.buffer.byteLength === 0) return undefined;
        throw new ProtocolError(ProtocolErrorCode.Closed, 'stream ended in the middle of a message');
      }
      length = -1;
      await this.more(signal, options.idleTimeoutMs);
    }
    this.need = 0;
    const body = this.buffer.subarray(prefix, prefix + length);
    this.buffer.consume(prefix + length);
    this.giveBack(prefix + length);
    try {
      return codec.decode(body);
    } catch (err) {
      throw new ProtocolError(ProtocolErrorCode.Malformed, `malformed message: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Like read, but the end of the stream is an error. */
  async expect<T>(codec: MessageCodec<T>, what: string, options: ReadOptions = {}): Promise<T> {
    const message = await this.read(codec, options);
    if (message === undefined) throw new ProtocolError(ProtocolErrorCode.Closed, `stream ended before the ${what}`);
    return message;
  }

  /**
   * Sends a message, waiting for 'drain' when the stream asks to. When `signal` aborts first the
   * write rejects with PROTOCOL_TIMEOUT: before sending when it already has, else while waiting
   * for 'drain' (the frame is then queued on the stream already). A peer that takes nothing for
   * the idle timeout fails the write with PROTOCOL_TIMEOUT too (a node that stopped reading held
   * an upload forever: hostile review 24 H2).
   */
  async write<T>(codec: MessageCodec<T>, message: Partial<T>, options: AbortOptions = {}): Promise<void> {
    const { signal } = options;
    if (signal?.aborted) throw abortError('write', signal);
    const frame = encodeFrame(codec, message);
    if (this.stream.status !== 'open') throw new ProtocolError(ProtocolErrorCode.Closed, `stream is ${this.stream.status}`);
    if (!this.stream.send(frame)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          cleanup();
          resolve();
        };
        const onClose = (): void => {
          cleanup();
          reject(new ProtocolError(ProtocolErrorCode.Closed, 'stream closed while writing'));
        };
        const onAbort = (): void => {
          cleanup();
          reject(abortError('write', signal!));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new ProtocolError(ProtocolErrorCode.Timeout, `peer took nothing for ${this.idleTimeoutMs} ms`));
        }, this.idleTimeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          this.stream.removeEventListener('drain', onDrain);
          this.stream.removeEventListener('close', onClose);
          signal?.removeEventListener('abort', onAbort);
        };
        this.stream.addEventListener('drain', onDrain);
        this.stream.addEventListener('close', onClose);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  /** Closes our writing side once everything sent has been flushed (or `signal` aborts). */
  async closeWrite(options: AbortOptions = {}): Promise<void> {
    await this.stream.close(options).catch(() => undefined);
  }

  abort(err: Error): void {
    this.stream.abort(err);
  }
}
