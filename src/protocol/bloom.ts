// A bloom filter of piece ids for garbage collection (/stowage/retain/1.0.0). Bit positions are
// double hashing over SHA-256(seed || piece id): a fresh seed per filter, so a piece that is a
// false positive once is not one every time.
import { createHash } from 'node:crypto';
import { ProtocolError, ProtocolErrorCode } from './errors.js';

/** Largest filter accepted from the network: 16 MiB of bits (about 28 million pieces at 10%). */
export const MAX_FILTER_BYTES = 16 * 1024 * 1024;

export class BloomFilter {
  private constructor(
    readonly bits: Uint8Array,
    readonly hashCount: number,
    readonly seed: Uint8Array
  ) {}

  /** Sized for `count` ids at false-positive rate `rate` (0 < rate < 1). */
  static forCount(count: number, rate: number, seed: Uint8Array): BloomFilter {
    const n = Math.max(1, count);
    const m = Math.max(64, Math.ceil((-n * Math.log(rate)) / Math.LN2 ** 2));
    const k = Math.max(1, Math.min(32, Math.round((m / n) * Math.LN2)));
    return new BloomFilter(new Uint8Array(Math.ceil(m / 8)), k, seed);
  }

  /** A filter received from a peer, checked for size and parameters. */
  static fromWire(bits: Uint8Array, hashCount: number, seed: Uint8Array): BloomFilter {
    if (bits.length === 0 || bits.length > MAX_FILTER_BYTES) throw new ProtocolError(ProtocolErrorCode.Malformed, `a filter has 1 to ${MAX_FILTER_BYTES} bytes, got ${bits.length}`);
    if (!Number.isInteger(hashCount) || hashCount < 1 || hashCount > 32) throw new ProtocolError(ProtocolErrorCode.Malformed, `a filter uses 1 to 32 hashes, got ${hashCount}`);
    if (seed.length !== 16) throw new ProtocolError(ProtocolErrorCode.Malformed, `a filter's seed has 16 bytes, got ${seed.length}`);
    return new BloomFilter(bits, hashCount, seed);
  }

  private *positions(id: Uint8Array): Generator<number> {
    const h = createHash('sha256').update(this.seed).update(id).digest();
    const m = this.bits.length * 8;
    const a = h.readUInt32BE(0);
    const b = h.readUInt32BE(4) | 1;
    for (let i = 0; i < this.hashCount; i++) yield ((a + Math.imul(i, b)) >>> 0) % m;
  }

  add(id: Uint8Array): void {
    for (const p of this.positions(id)) this.bits[p >>> 3]! |= 1 << (p & 7);
  }

  has(id: Uint8Array): boolean {
    for (const p of this.positions(id)) if ((this.bits[p >>> 3]! & (1 << (p & 7))) === 0) return false;
    return true;
  }
}
