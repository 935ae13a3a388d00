// The satellite's byte-range to segment mapping (Metadata.segmentsFrom in
// src/satellite/store/leveldb/metadata.ts): the segments a ranged download is paged through, from
// the one a segment index names or the one holding a byte, each with where its plaintext starts.
// Finding the start walks segment sizes up or down from the nearest start remembered from earlier
// pages; whatever was remembered, every answer must be the model's: prefix sums of the sizes.
// Sequences of queries (each read a few segments, as a page does) run on a small object of any
// sizes (empty segments too) and on one of 2,500 segments (walks of over 1,000 leave marks of their own).
import { join } from 'node:path';
import fc from 'fast-check';
import { Level } from 'level';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Metadata, type ObjectRecord } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

const P = 'project';
const BUCKET = 'ranges';
const now = (): number => 1_700_000_000_000;
let db: Level<string, unknown>;
let writer: Metadata;
let objects = 0;

interface Stored {
  record: ObjectRecord;
  sizes: number[];
  /** starts[i]: where segment i's plaintext starts; starts[sizes.length]: the object's size. */
  starts: number[];
}
let big: Stored;

async function store(sizes: readonly number[]): Promise<Stored> {
  const key = `o${++objects}`;
  const o = await writer.beginObject(P, BUCKET, key);
  for (const [i, n] of sizes.entries()) await writer.commitInlineSegment(o.streamId, i, n, new Uint8Array(n), 1 << 20);
  await writer.commitObject(o.streamId);
  const { object } = await writer.getObject(P, BUCKET, key, { segments: false });
  const starts = [0];
  for (const n of sizes) starts.push(starts.at(-1)! + n);
  expect(object).toMatchObject({ size: starts.at(-1), segmentCount: sizes.length });
  return { record: object, sizes: [...sizes], starts };
}

beforeAll(async () => {
  db = new Level<string, unknown>(join(tempDir(), 'db'), { valueEncoding: 'json' });
  await db.open();
  writer = new Metadata(db, now, 3_600_000);
  await writer.createBucket(P, BUCKET);
  // 2,500 segments of 1-300 bytes, every seventh one empty (fixed: the fixture of every run).
  big = await store(Array.from({ length: 2500 }, (_, i) => (i % 7 === 3 ? 0 : 1 + ((i * 7919) % 300))));
}, 60_000);

afterAll(async () => {
  await db?.close();
  removeTempDirs();
});

type Start = { index: number } | { offset: number };

/** The model: the first segment's index, or the error. */
function modelFirst(o: Stored, start: Start): number | 'OBJECT_RANGE_INVALID' {
  const count = o.sizes.length;
  const size = o.starts[count]!;
  if ('index' in start) return Number.isInteger(start.index) && start.index >= 0 && (start.index === 0 || start.index < count) ? start.index : 'OBJECT_RANGE_INVALID';
  if (!(start.offset >= 0) || (start.offset > 0 && start.offset >= size)) return 'OBJECT_RANGE_INVALID';
  // Byte 0 is asked for as segment 0; any other byte by the (non-empty) segment holding it.
  if (start.offset === 0) return 0;
  return o.sizes.findIndex((n, i) => o.starts[i]! <= start.offset && start.offset < o.starts[i]! + n);
}

/** Reads up to `take` segments from `start`, then stops, as a page does. */
async function read(meta: Metadata, o: Stored, start: Start, take: number): Promise<{ index: number; plainOffset: number; plainSize: number }[] | string> {
  const out = [];
  const it = meta.segmentsFrom(o.record, start);
  try {
    for (let n = 0; n < take; n++) {
      const r = await it.next();
      if (r.done) break;
      out.push({ index: r.value.segment.index, plainOffset: r.value.plainOffset, plainSize: r.value.segment.plainSize });
    }
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await it.return(undefined);
  }
  return out;
}

function startArb(o: { count: number; size: number }): fc.Arbitrary<Start> {
  return fc.oneof(
    fc.integer({ min: -1, max: o.count + 1 }).map((index) => ({ index })),
    fc.integer({ min: -1, max: o.size + 1 }).map((offset) => ({ offset })),
    fc.constantFrom<Start>({ offset: 0 }, { offset: Math.max(0, o.size - 1) }, { index: Math.max(0, o.count - 1) }, { offset: 0.5 }, { index: 1.5 }, { offset: Number.NaN })
  );
}

const sizesArb = fc.array(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 50 }) }, { weight: 1, arbitrary: fc.constant(0) }), { maxLength: 30 });

it('every query, after any others, starts at the model segment and gives prefix-sum offsets', async () => {
  await fc.assert(
    fc.asyncProperty(
      sizesArb.chain((sizes) => {
        const small = { count: sizes.length, size: sizes.reduce((a, b) => a + b, 0) };
        const bigShape = { count: big.sizes.length, size: big.starts.at(-1)! };
        const query = fc.oneof(
          fc.record({ on: fc.constant('small' as const), start: startArb(small), take: fc.integer({ min: 1, max: 6 }) }),
          fc.record({ on: fc.constant('big' as const), start: startArb(bigShape), take: fc.integer({ min: 1, max: 4 }) })
        );
        return fc.tuple(fc.constant(sizes), fc.array(query, { minLength: 1, maxLength: 10 }));
      }),
      async ([sizes, queries]) => {
        const small = await store(sizes);
        // A fresh Metadata: what it remembers of segment starts comes from this run's queries only.
        const meta = new Metadata(db, now, 3_600_000);
        for (const q of queries) {
          const o = q.on === 'small' ? small : big;
          const first = modelFirst(o, q.start);
          const got = await read(meta, o, q.start, q.take);
          if (first === 'OBJECT_RANGE_INVALID') {
            expect(got, JSON.stringify(q)).toBe('OBJECT_RANGE_INVALID');
            continue;
          }
          const expected = o.sizes.slice(first, first + q.take).map((plainSize, i) => ({ index: first + i, plainOffset: o.starts[first + i]!, plainSize }));
          expect(got, JSON.stringify(q)).toEqual(expected);
        }
      }
    ),
    { numRuns: 100 }
  );
});

it('paging through an object a page at a time from any byte reaches its end with every segment once', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 400 }), async (at, pageSize) => {
      const meta = new Metadata(db, now, 3_600_000);
      const size = big.starts.at(-1)!;
      const offset = at % size;
      const first = modelFirst(big, { offset }) as number;
      // The first page from the byte, the next ones from the segment after the last one given.
      let page = await read(meta, big, { offset }, pageSize);
      const seen: number[] = [];
      while (Array.isArray(page) && page.length > 0) {
        seen.push(...page.map((s) => s.index));
        for (const s of page) expect(s.plainOffset).toBe(big.starts[s.index]);
        const next = page.at(-1)!.index + 1;
        if (next >= big.sizes.length) break;
        page = await read(meta, big, { index: next }, pageSize);
      }
      expect(page).toEqual(expect.any(Array));
      expect(seen).toEqual(Array.from({ length: big.sizes.length - first }, (_, i) => first + i));
    }),
    { numRuns: 15 }
  );
});
