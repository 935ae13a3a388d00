// The garbage-collection Bloom filter (src/protocol/bloom.ts): whatever was added is always found
// (a false negative would make a node trash a piece the satellite still counts on), however many
// ids went in for the size it was made for; the filter a node rebuilds from the wire (a Retain
// message, encoded and decoded) answers exactly as the satellite's; the bits depend on the set
// and the seed only, not the order; and fromWire refuses what it must.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { BloomFilter, MAX_FILTER_BYTES } from '../../src/protocol/index.js';
import { Retain } from '../../src/protocol/generated/node.js';

const id = fc.uint8Array({ minLength: 32, maxLength: 32 });
const seed = fc.uint8Array({ minLength: 16, maxLength: 16 });
/** Sizing: the count the filter is made for (0 too) and a false-positive rate from 1e-6 to 0.9. */
const sizing = fc.record({ count: fc.integer({ min: 0, max: 300 }), rate: fc.oneof(fc.constantFrom(0.1, 0.01, 1e-6, 0.9), fc.double({ min: 1e-6, max: 0.9, noNaN: true })) });

it('no false negatives: every id added is found, also in a filter filled past its count', () => {
  fc.assert(
    fc.property(sizing, seed, fc.uniqueArray(id, { maxLength: 600, size: 'max', selector: (b) => Buffer.from(b).toString('hex') }), ({ count, rate }, s, ids) => {
      const filter = BloomFilter.forCount(count, rate, s);
      for (const x of ids) filter.add(x);
      const missing = ids.filter((x) => !filter.has(x));
      expect(missing).toEqual([]);
    }),
    { numRuns: 150 }
  );
});

it('the filter rebuilt from a Retain message answers exactly as the one sent', () => {
  fc.assert(
    fc.property(sizing, seed, fc.array(id, { maxLength: 200 }), fc.array(id, { maxLength: 200 }), ({ count, rate }, s, added, probes) => {
      const sent = BloomFilter.forCount(count, rate, s);
      for (const x of added) sent.add(x);
      const wire = Retain.encode({ satelliteId: 'sat', nodeId: 'node', createdBefore: 1n, filter: sent.bits as Uint8Array<ArrayBuffer>, hashCount: sent.hashCount, seed: sent.seed as Uint8Array<ArrayBuffer>, created: 2n });
      const r = Retain.decode(wire);
      const got = BloomFilter.fromWire(r.filter, r.hashCount, r.seed);
      expect(got.hashCount).toBe(sent.hashCount);
      expect(Buffer.from(got.bits).equals(Buffer.from(sent.bits))).toBe(true);
      for (const x of [...added, ...probes]) expect(got.has(x)).toBe(sent.has(x));
      for (const x of added) expect(got.has(x)).toBe(true);
    }),
    { numRuns: 100 }
  );
});

it('the bits are those of the set and the seed: any order, any repeats', () => {
  fc.assert(
    fc.property(sizing, seed, fc.array(id, { minLength: 1, maxLength: 100 }), fc.array(fc.nat()), ({ count, rate }, s, ids, picks) => {
      const a = BloomFilter.forCount(count, rate, s);
      const b = BloomFilter.forCount(count, rate, s);
      for (const x of ids) a.add(x);
      // The same ids in another order, some of them more than once.
      const shuffled = [...ids].reverse();
      for (const p of picks) shuffled.push(ids[p % ids.length]!);
      for (const x of shuffled) b.add(x);
      expect(Buffer.from(b.bits).equals(Buffer.from(a.bits))).toBe(true);
    }),
    { numRuns: 100 }
  );
});

it('sized as asked: at least 64 bits, 1 to 32 hashes, and false positives near the rate', () => {
  fc.assert(
    fc.property(fc.integer({ min: 200, max: 600 }), fc.constantFrom(0.2, 0.1, 0.05), seed, fc.integer(), (count, rate, s, salt) => {
      const filter = BloomFilter.forCount(count, rate, s);
      expect(filter.bits.length * 8).toBeGreaterThanOrEqual(64);
      expect(filter.hashCount).toBeGreaterThanOrEqual(1);
      expect(filter.hashCount).toBeLessThanOrEqual(32);
      // `count` ids in; 2,000 others (distinct from them by their first bytes) probed.
      const make = (tag: number, i: number): Uint8Array => {
        const b = Buffer.alloc(32);
        b.writeUInt32BE(tag, 0);
        b.writeUInt32BE(i, 4);
        b.writeInt32BE(salt, 8);
        return b;
      };
      for (let i = 0; i < count; i++) filter.add(make(1, i));
      let positives = 0;
      for (let i = 0; i < 2000; i++) if (filter.has(make(2, i))) positives++;
      // The expected rate, with room for chance (twice it: 10+ standard deviations away).
      expect(positives / 2000).toBeLessThan(2 * rate);
    }),
    { numRuns: 20 }
  );
});

it('fromWire refuses empty or oversized bits, hash counts outside 1..32, seeds not of 16 bytes; takes the rest', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constantFrom(MAX_FILTER_BYTES, MAX_FILTER_BYTES + 1)),
      fc.oneof(fc.integer({ min: -2, max: 40 }), fc.constantFrom(1.5, Number.NaN)),
      fc.integer({ min: 0, max: 20 }),
      (bytes, hashCount, seedBytes) => {
        const ok = bytes >= 1 && bytes <= MAX_FILTER_BYTES && Number.isInteger(hashCount) && hashCount >= 1 && hashCount <= 32 && seedBytes === 16;
        const build = (): BloomFilter => BloomFilter.fromWire(new Uint8Array(bytes), hashCount, new Uint8Array(seedBytes));
        if (ok) expect(build().hashCount).toBe(hashCount);
        else expect(build).toThrow(expect.objectContaining({ code: 'PROTOCOL_MALFORMED' }) as Error);
      }
    ),
    { numRuns: 200 }
  );
});
