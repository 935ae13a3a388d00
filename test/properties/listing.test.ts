// Object listing and paging of the satellite's metadata store (the LevelDB Metadata) against a
// model: a plain array of the keys sorted by their UTF-8 bytes (the order the store promises),
// filtered by the prefix, cut at the delimiter. Walking every page must give exactly the model's
// entries in order, none missing or repeated, each page a run of them no longer than its limit and
// its byte budget (`fit`), as full as those allow, and its cursor the last key it consumed.
import { join } from 'node:path';
import fc from 'fast-check';
import { Level } from 'level';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Metadata, type ListOptions, type ObjectRecord } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

const P = 'project';
let db: Level<string, unknown>;
let meta: Metadata;
let buckets = 0;

beforeAll(async () => {
  db = new Level<string, unknown>(join(tempDir(), 'db'), { valueEncoding: 'json' });
  await db.open();
  meta = new Metadata(db, () => 1_700_000_000_000, 3_600_000);
});

afterAll(async () => {
  await db?.close();
  removeTempDirs();
});

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
/** The store's order: by UTF-8 bytes (not JavaScript's UTF-16 code units). */
const byBytes = (a: string, b: string): number => Buffer.compare(utf8(a), utf8(b));

/**
 * Characters keys are made of: few enough that keys share prefixes, with the delimiters, the
 * separator the store uses inside its own keys (\0), 2-, 3- and 4-byte UTF-8 (U+E000..U+FFFF sort
 * before 4-byte characters by bytes, after them by UTF-16), and now and then any code point.
 */
const char = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', '/', '/', '-', '.', 'é', '中', '\uE000', '\uFFFD', '\u{1F600}', '\u{10000}', '\u{10FFFF}', '\0', '\x01') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }
);
const keyArb = fc.array(char, { minLength: 1, maxLength: 7 }).map((cs) => cs.join(''));

interface Query {
  prefix: string;
  delimiter: string | undefined;
  /** Where the first page starts (any string; later pages follow the store's cursors). */
  cursor: string | undefined;
  limit: number;
  /** A byte budget per page; each entry costs its UTF-8 length + 3. */
  fitBytes: number | undefined;
}

function queryArb(keys: string[]): fc.Arbitrary<Query> {
  // Prefixes: none, a prefix of a stored key (cut at any code point), or anything short.
  const prefixOfKey = fc.tuple(fc.constantFrom(...keys), fc.nat()).map(([k, n]) => {
    const cps = [...k];
    return cps.slice(0, n % (cps.length + 1)).join('');
  });
  return fc.record({
    prefix: fc.oneof(fc.constant(''), prefixOfKey, keyArb),
    delimiter: fc.constantFrom(undefined, '/', '/', '//', 'a', '\u{1F600}', '\uFFFD'),
    cursor: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...keys), keyArb) }),
    limit: fc.integer({ min: 1, max: 6 }),
    fitBytes: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined })
  });
}

type Entry = { object: string } | { prefix: string };
const entrySize = (s: string): number => utf8(s).length + 3;

/** The model: entries in order, each with the last key it consumes. */
function model(keys: readonly string[], q: Query): { entry: Entry; lastKey: string }[] {
  const sorted = keys
    .filter((k) => k.startsWith(q.prefix) && (q.cursor === undefined || byBytes(k, q.cursor) > 0))
    .sort(byBytes);
  const out: { entry: Entry; lastKey: string }[] = [];
  for (const k of sorted) {
    const rest = k.slice(q.prefix.length);
    const cut = q.delimiter ? rest.indexOf(q.delimiter) : -1;
    if (cut < 0) {
      out.push({ entry: { object: k }, lastKey: k });
      continue;
    }
    const p = q.prefix + rest.slice(0, cut + q.delimiter!.length);
    const prev = out[out.length - 1];
    if (prev && 'prefix' in prev.entry && prev.entry.prefix === p) prev.lastKey = k;
    else out.push({ entry: { prefix: p }, lastKey: k });
  }
  return out;
}

/** Every page of a listing, from the query's cursor on, following nextCursor. */
async function walk(bucket: string, q: Query, maxPages: number): Promise<{ objects: ObjectRecord[]; prefixes: string[]; nextCursor: string | null }[]> {
  const pages = [];
  let cursor = q.cursor;
  for (let i = 0; i <= maxPages; i++) {
    const opts: ListOptions = { prefix: q.prefix, delimiter: q.delimiter, cursor, limit: q.limit };
    const fit = q.fitBytes === undefined ? undefined : { bytes: q.fitBytes, size: (e: ObjectRecord | string) => entrySize(typeof e === 'string' ? e : e.key) };
    const page = await meta.listObjects(P, bucket, opts, fit);
    pages.push(page);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error(`the listing did not end after ${maxPages} pages`);
}

it('walking every page gives exactly the model: sorted by UTF-8 bytes, prefixes collapsed, pages full and bounded', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(keyArb, { minLength: 1, maxLength: 24, size: 'max' }).chain((keys) => fc.tuple(fc.constant(keys), fc.array(queryArb(keys), { minLength: 1, maxLength: 4 }))),
      async ([keys, queries]) => {
        // A fresh bucket per run, in one store: committed objects with no segments.
        const bucket = `run-${++buckets}`;
        await meta.createBucket(P, bucket);
        for (const key of keys) await meta.commitObject((await meta.beginObject(P, bucket, key)).streamId);

        for (const q of queries) {
          const expected = model(keys, q);
          const pages = await walk(bucket, q, expected.length + 1);
          let at = 0;
          for (const [i, page] of pages.entries()) {
            const n = page.objects.length + page.prefixes.length;
            const slice = expected.slice(at, at + n);
            // This page is the model's next n entries (objects and prefixes each in order).
            expect(page.objects.map((o) => o.key), `page ${i} objects`).toEqual(slice.flatMap((e) => ('object' in e.entry ? [e.entry.object] : [])));
            expect(page.prefixes, `page ${i} prefixes`).toEqual(slice.flatMap((e) => ('prefix' in e.entry ? [e.entry.prefix] : [])));
            for (const o of page.objects) expect(o).toMatchObject({ bucket, status: 'committed' });
            at += n;
            expect(n).toBeLessThanOrEqual(q.limit);
            const used = slice.reduce((sum, e) => sum + entrySize('object' in e.entry ? e.entry.object : e.entry.prefix), 0);
            if (q.fitBytes !== undefined && n > 1) expect(used).toBeLessThanOrEqual(q.fitBytes);
            if (page.nextCursor === null) {
              expect(at, 'the listing ended early').toBe(expected.length);
            } else {
              // Always one entry; the cursor is the last key consumed; and the page stopped only
              // because the next entry would pass its limit or its budget.
              expect(n).toBeGreaterThanOrEqual(1);
              expect(page.nextCursor).toBe(slice[n - 1]!.lastKey);
              const next = expected[at];
              if (next) {
                const nextSize = entrySize('object' in next.entry ? next.entry.object : next.entry.prefix);
                expect(n === q.limit || (q.fitBytes !== undefined && used + nextSize > q.fitBytes), 'a page stopped short').toBe(true);
              }
            }
          }
          expect(at).toBe(expected.length);
        }
      }
    ),
    { numRuns: 60 }
  );
});

it('the byte order is not JavaScript string order', async () => {
  // U+FFFD is one UTF-16 unit above the surrogates of U+1F600, but its UTF-8 (EF BF BD) sorts
  // below U+1F600's (F0 9F 98 80): a model sorting with < would disagree with the store here.
  const bucket = `run-${++buckets}`;
  await meta.createBucket(P, bucket);
  for (const key of ['\u{1F600}', '\uFFFD', 'z']) await meta.commitObject((await meta.beginObject(P, bucket, key)).streamId);
  const page = await meta.listObjects(P, bucket);
  expect(page.objects.map((o) => o.key)).toEqual(['z', '\uFFFD', '\u{1F600}']);
  expect(['\u{1F600}', '\uFFFD', 'z'].sort()).toEqual(['z', '\u{1F600}', '\uFFFD']);
});
