// The storage node's piece store (src/node/pieces) as a state machine (fast-check's commands):
// puts (stored, refused as existing, too large, short or over capacity), reads of any range,
// deletes, moves to the trash, emptying the trash, the expiry sweep, and reopening the store on its
// directory, in any order, against a model of maps. After every command the used and trash
// counters (per satellite too), the free space, every piece's bytes and record, each satellite's
// list, and the blob files on disk (one per piece at or above the inline threshold, live or in the
// trash; no upload's temporary left) must be the model's.
import { readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { pieceRoot } from '../../src/merkle/index.js';
import { PieceStore, type PieceStoreOptions } from '../../src/node/pieces/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

afterAll(() => removeTempDirs());

const INLINE = 256;
const SATELLITES = ['sat-a', 'sat-b'];
/** A small pool of ids, so commands keep meeting the same pieces. */
const IDS = Array.from({ length: 5 }, (_, i) => Buffer.alloc(32, 0x11 * (i + 1)).toString('hex'));
const LEAF = 64;

interface Piece {
  satellite: string;
  bytes: Uint8Array;
  expiresAt: number | null;
}
interface Model {
  capacity: number;
  pieces: Map<string, Piece>;
  /** The trash: the copy of an id moved there last, and when (the model's clock). */
  trash: Map<string, Piece & { at: number }>;
  clock: number;
}
interface Real {
  store: PieceStore;
  options: PieceStoreOptions;
}

const sum = (xs: Iterable<Piece>): number => [...xs].reduce((n, p) => n + p.bytes.length, 0);
const used = (m: Model, satellite?: string): number => sum([...m.pieces.values()].filter((p) => satellite === undefined || p.satellite === satellite));
const free = (m: Model): number => m.capacity - used(m) - sum(m.trash.values());

async function bytesOf(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const c of source) out.push(c);
  return Buffer.concat(out);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { code?: string; message?: string }) => e.code ?? `no code: ${e.message}`
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

/** Everything the store says must be the model's. */
async function agree(m: Model, r: Real): Promise<void> {
  const { store } = r;
  expect(store.usedSpace()).toBe(used(m));
  for (const s of SATELLITES) expect(store.usedSpace(s), s).toBe(used(m, s));
  expect(store.trashSpace()).toBe(sum(m.trash.values()));
  expect(store.freeSpace()).toBe(free(m));
  for (const id of IDS) {
    const p = m.pieces.get(id);
    expect(await store.has(id), id).toBe(p !== undefined);
    if (!p) {
      expect(await codeOf(store.get(id))).toBe('PIECE_NOT_FOUND');
      continue;
    }
    expect((await bytesOf(await store.get(id))).equals(Buffer.from(p.bytes)), `bytes of ${id.slice(0, 4)}`).toBe(true);
    const rec = await store.stat(id);
    expect(rec).toMatchObject({ pieceId: id, satelliteId: p.satellite, size: p.bytes.length, leafSize: LEAF, expiresAt: p.expiresAt });
    expect(Buffer.from(rec.root).equals(Buffer.from(pieceRoot(p.bytes, LEAF)))).toBe(true);
  }
  for (const s of SATELLITES) {
    const listed: string[] = [];
    for await (const rec of store.list(s)) listed.push(rec.pieceId);
    expect(listed, `list of ${s}`).toEqual([...m.pieces].filter(([, p]) => p.satellite === s).map(([id]) => id).sort());
  }
  // One blob file per piece at or above the inline threshold, live or in the trash; no temporaries.
  const blobs = [...m.pieces.values(), ...m.trash.values()].filter((p) => p.bytes.length >= INLINE).length;
  expect(filesUnder(join(r.options.dir, 'blobs')).length, 'blob files').toBe(blobs);
  expect(filesUnder(join(r.options.dir, 'tmp')), 'temporaries').toEqual([]);
}

type Cmd = fc.AsyncCommand<Model, Real, false>;

const cmd = (name: string, run: (m: Model, r: Real) => Promise<void>): Cmd => ({
  check: () => true,
  run: async (m, r) => {
    await run(m, r);
    await agree(m, r);
  },
  toString: () => name
});

/** The chunks a put streams: the bytes cut at the sizes given, in turn. */
function* chunked(bytes: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  for (let off = 0, i = 0; off < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield bytes.subarray(off, off + n);
    off += n;
  }
}

const putArb = fc
  .record({
    id: fc.constantFrom(...IDS),
    satellite: fc.constantFrom(...SATELLITES),
    bytes: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: INLINE - 2, maxLength: 700 })),
    chunks: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }),
    // ok: maxSize at or above the size, declared or not; tooLarge: maxSize below it; short: a declared size above it.
    mode: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'tooLarge', 'short'),
    slack: fc.integer({ min: 0, max: 50 }),
    declare: fc.boolean(),
    expiresAt: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null })
  })
  .map((c) =>
    cmd(`put(${c.id.slice(0, 2)}, ${c.satellite}, ${c.bytes.length} bytes, ${c.mode}, slack ${c.slack}, declare ${c.declare}, expires ${c.expiresAt})`, async (m, r) => {
      const size = c.bytes.length;
      const mode = c.mode === 'tooLarge' && size === 0 ? 'ok' : c.mode;
      const maxSize = mode === 'tooLarge' ? Math.max(0, size - 1 - c.slack) : size + c.slack + (mode === 'short' ? 1 : 0);
      const declared = mode === 'short' ? size + 1 + (c.slack % (maxSize - size)) : mode === 'ok' && c.declare ? size : undefined;
      const limit = declared ?? maxSize;
      const expected = limit > free(m) ? 'PIECE_STORE_FULL' : m.pieces.has(c.id) ? 'PIECE_EXISTS' : mode === 'tooLarge' ? 'PIECE_TOO_LARGE' : mode === 'short' ? 'PIECE_SIZE_MISMATCH' : 'ok';
      const put = r.store.put(c.id, chunked(c.bytes, c.chunks), { satelliteId: c.satellite, maxSize, size: declared, expiresAt: c.expiresAt });
      expect(await codeOf(put)).toBe(expected);
      if (expected !== 'ok') return;
      m.pieces.set(c.id, { satellite: c.satellite, bytes: c.bytes, expiresAt: c.expiresAt });
      // A copy of the id in the trash is settled by the new upload.
      m.trash.delete(c.id);
    })
  );

const getArb = fc.record({ id: fc.constantFrom(...IDS), a: fc.nat(), b: fc.nat(), whole: fc.boolean() }).map((c) =>
  cmd(`get(${c.id.slice(0, 2)}, ${c.a}, ${c.b})`, async (m, r) => {
    const p = m.pieces.get(c.id);
    if (!p) {
      expect(await codeOf(r.store.get(c.id, { offset: 0, length: 0 }))).toBe('PIECE_NOT_FOUND');
      return;
    }
    const size = p.bytes.length;
    // Mostly ranges inside the piece; now and then one past its end.
    const offset = c.a % (size + 2);
    const length = c.b % (size + 2);
    if (offset + length > size) {
      expect(await codeOf(r.store.get(c.id, { offset, length }))).toBe('PIECE_RANGE_INVALID');
      return;
    }
    const got = await bytesOf(await r.store.get(c.id, c.whole ? { offset } : { offset, length }));
    expect(got.equals(Buffer.from(p.bytes.subarray(offset, c.whole ? size : offset + length)))).toBe(true);
  })
);

const deleteArb = fc.constantFrom(...IDS).map((id) =>
  cmd(`delete(${id.slice(0, 2)})`, async (m, r) => {
    expect(await codeOf(r.store.delete(id))).toBe(m.pieces.has(id) ? 'ok' : 'PIECE_NOT_FOUND');
    m.pieces.delete(id);
  })
);

const trashArb = fc.constantFrom(...IDS).map((id) =>
  cmd(`trash(${id.slice(0, 2)})`, async (m, r) => {
    const p = m.pieces.get(id);
    const at = ++m.clock;
    expect(await codeOf(r.store.trash(id, at))).toBe(p ? 'ok' : 'PIECE_NOT_FOUND');
    if (!p) return;
    m.pieces.delete(id);
    m.trash.set(id, { ...p, at });
  })
);

const emptyTrashArb = fc.integer({ min: 0, max: 3 }).map((back) =>
  cmd(`emptyTrash(clock - ${back})`, async (m, r) => {
    const olderThan = m.clock - back;
    const due = [...m.trash].filter(([, t]) => t.at <= olderThan).map(([id]) => id);
    expect(await r.store.emptyTrash(olderThan)).toBe(due.length);
    for (const id of due) m.trash.delete(id);
  })
);

const sweepArb = fc.integer({ min: 0, max: 6 }).map((now) =>
  cmd(`sweepExpired(${now})`, async (m, r) => {
    const due = [...m.pieces].filter(([, p]) => p.expiresAt !== null && p.expiresAt <= now).map(([id]) => id);
    expect(await r.store.sweepExpired(now)).toBe(due.length);
    for (const id of due) m.pieces.delete(id);
  })
);

const reopenArb = fc.constant(
  cmd('reopen', async (_m, r) => {
    await r.store.close();
    expect(await codeOf(r.store.has(IDS[0]!))).toBe('PIECE_STORE_CLOSED');
    r.store = await PieceStore.open(r.options);
  })
);

it('any sequence of commands keeps the store, its counters and its files equal to the model, across reopens', async () => {
  // The free space is the capacity's as long as the disk has room to spare.
  const disk = statfsSync(tempDir());
  expect(disk.bavail * disk.bsize, 'free disk space for this test').toBeGreaterThan(256 * 1024 * 1024);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 300, max: 2500 }),
      fc.commands([putArb, putArb, putArb, putArb, getArb, deleteArb, trashArb, trashArb, emptyTrashArb, emptyTrashArb, sweepArb, reopenArb], { maxCommands: 40, size: 'max' }),
      async (capacity, commands) => {
        const options: PieceStoreOptions = { dir: tempDir('stowage-props-pieces-'), capacity, inlineThreshold: INLINE, leafSize: LEAF, diskReserve: 0 };
        const real: Real = { store: await PieceStore.open(options), options };
        try {
          await fc.asyncModelRun(() => ({ model: { capacity, pieces: new Map(), trash: new Map(), clock: 0 }, real }), commands);
        } finally {
          await real.store.close();
        }
      }
    ),
    { numRuns: 20 }
  );
});
