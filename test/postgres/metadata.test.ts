// The PostgreSQL metadata store beyond the contract: multipart uploads, reads from a byte offset,
// listings compared key for key with LevelDB's, and concurrent writers on one database (two
// commits of one key, limits checked under a race).
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metadata, derivePieceId, type MetadataDB, type PendingSegment, type ReceiptContent } from '../../src/satellite/index.js';
import { PgMetadata } from '../../src/satellite/store/postgres/metadata.js';
import { migrate } from '../../src/satellite/store/postgres/schema.js';
import { createPool, type Pool } from '../../src/satellite/store/postgres/sql.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { codeOf } from '../satellite/store/contract.js';
import { freshDatabase } from './databases.js';

const clock = 1_000_000;
const DAY = 24 * 3600 * 1000;
const profile = { minimum: 2, repair: 3, success: 4, total: 6 };
let pool: Pool;
let meta: PgMetadata;
let level: Level<string, unknown>;
let lmeta: Metadata;

beforeAll(async () => {
  pool = createPool(await freshDatabase('meta'), 20);
  await migrate(pool);
  meta = new PgMetadata(pool, () => clock, DAY, 7 * DAY);
  level = new Level<string, unknown>(join(tempDir(), 'db'), { valueEncoding: 'json' });
  await level.open();
  lmeta = new Metadata(level, () => clock, DAY, 7 * DAY);
});
afterAll(async () => {
  await pool.end();
  await level.close();
  removeTempDirs();
});

let rootSeed = 1;
async function remoteSegment(m: MetadataDB, stream: string, index: number, plainSize: number): Promise<void> {
  const root = new Uint8Array(32).fill(rootSeed++ % 250);
  const nodes = Array.from({ length: 6 }, (_, i) => ({ nodeId: `node-${i}`, number: i }));
  const plan: PendingSegment = { rootPieceId: Buffer.from(root).toString('hex'), pieceSize: 1000, profile, nodes };
  await m.beginSegment(stream, index, plan);
  const receipts: ReceiptContent[] = [0, 1, 2, 3].map((i) => ({ nodeId: `node-${i}`, pieceId: derivePieceId(root, `node-${i}`, i), size: 1000, root: new Uint8Array(32).fill(i) }));
  await m.commitSegment(stream, index, plainSize, receipts);
}

async function inlineObject(m: MetadataDB, project: string, key: string, sizes = [1]): Promise<void> {
  const o = await m.beginObject(project, 'bucket', key);
  for (const [i, n] of sizes.entries()) await m.commitInlineSegment(o.streamId, i, n, new Uint8Array(n + 16), 4096);
  await m.commitObject(o.streamId);
}

describe('PgMetadata', () => {
  it('counts parts once: replaced, completed from a subset, the rest freed; the object reads in part order', async () => {
    const P = 'mp';
    await meta.createBucket(P, 'bucket');
    const up = await meta.beginObject(P, 'bucket', 'obj', { multipart: true, encryptedKey: 'a2V5' });
    expect(await codeOf(meta.commitObject(up.streamId))).toBe('OBJECT_IS_MULTIPART');
    const p1 = await meta.beginPart(up.streamId, 1);
    await remoteSegment(meta, p1.streamId, 0, 1500);
    await remoteSegment(meta, p1.streamId, 1, 700);
    await meta.commitPart(p1.streamId, { salt: 'aa', info: '' });
    const p2a = await meta.beginPart(up.streamId, 2);
    await remoteSegment(meta, p2a.streamId, 0, 1800);
    await meta.commitPart(p2a.streamId, { salt: 'bb', info: '' });
    const p2b = await meta.beginPart(up.streamId, 2);
    await meta.commitInlineSegment(p2b.streamId, 0, 10, new Uint8Array(26), 4096);
    expect((await meta.commitPart(p2b.streamId, { salt: 'cc', info: '' })).replaced).toHaveLength(4);
    const p3 = await meta.beginPart(up.streamId, 3);
    await remoteSegment(meta, p3.streamId, 0, 1900);
    await meta.commitPart(p3.streamId, { salt: 'dd', info: '' });
    const p4 = await meta.beginPart(up.streamId, 4);
    await remoteSegment(meta, p4.streamId, 0, 100);
    expect(await meta.usage(P)).toMatchObject({ storedBytes: 4 * 2000 + 26, segments: 5 });
    expect((await meta.listUploads(P, 'bucket', {})).uploads.map((u) => u.streamId)).toEqual([up.streamId]);
    const { parts } = await meta.listParts(up.streamId, {});
    expect(parts.map((p) => [p.number, p.size, p.segmentCount, p.salt])).toEqual([[1, 2200, 2, 'aa'], [2, 10, 1, 'cc'], [3, 1900, 1, 'dd']]);
    const done = await meta.completeMultipart(P, 'bucket', 'obj', up.streamId, parts.slice(0, 2).map((p) => ({ number: p.number, streamId: p.streamId })), {});
    expect(done.object).toMatchObject({ size: 2210, segmentCount: 3, partCount: 2, status: 'committed' });
    // Part 3 and the part 4 upload freed.
    expect(done.replaced).toHaveLength(8);
    expect(await meta.usage(P)).toMatchObject({ storedBytes: 2 * 2000 + 26, segments: 3 });
    const { segments } = await meta.getObject(P, 'bucket', 'obj');
    expect(segments.map((s) => [s.index, s.plainSize, s.part?.number, s.part?.partOffset])).toEqual([[0, 1500, 1, 0], [1, 700, 1, 0], [2, 10, 2, 2200]]);
    expect(await meta.partRange(done.object, 2)).toMatchObject({ offset: 2200, size: 10 });
    const read = [];
    for await (const s of meta.segmentsFrom(done.object, { offset: 2205 })) read.push([s.segment.index, s.plainOffset]);
    expect(read).toEqual([[2, 2200]]);
    expect(await codeOf(meta.listParts(up.streamId, {}))).toBe('NO_SUCH_UPLOAD');
    expect((await meta.completeMultipart(P, 'bucket', 'obj', up.streamId, [], {})).already).toBe(true);
    const pending = [];
    for await (const p of meta.pendingPieces()) pending.push(p);
    expect(pending).toEqual([]);
    await meta.deleteObject(P, 'bucket', 'obj');
    expect(await meta.usage(P)).toMatchObject({ storedBytes: 0, segments: 0 });
    // An aborted upload frees its parts; a bucket goes with its uploads.
    const up2 = await meta.beginObject(P, 'bucket', 'obj2', { multipart: true });
    const q1 = await meta.beginPart(up2.streamId, 1);
    await remoteSegment(meta, q1.streamId, 0, 10);
    await meta.commitPart(q1.streamId, { salt: '', info: '' });
    expect((await meta.abortMultipart(up2.streamId)).flatMap((x) => x.pieces)).toHaveLength(4);
    const up3 = await meta.beginObject(P, 'bucket', 'obj3', { multipart: true });
    await remoteSegment(meta, (await meta.beginPart(up3.streamId, 1)).streamId, 0, 10);
    expect((await meta.deleteBucket(P, 'bucket')).flatMap((x) => x.pieces)).toHaveLength(4);
    expect(await meta.usage(P)).toMatchObject({ storedBytes: 0, segments: 0 });
  });

  it('reads an object from any segment or byte, in pages, with the starts of each', async () => {
    await meta.createBucket('r', 'bucket');
    const sizes = Array.from({ length: 90 }, (_, i) => (i % 7 === 3 ? 0 : 1 + ((i * 37) % 50)));
    await inlineObject(meta, 'r', 'big', sizes);
    const { object } = await meta.getObject('r', 'bucket', 'big', { segments: false });
    const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    for (const index of [0, 1, 17, 89]) {
      const got = [];
      for await (const s of meta.segmentsFrom(object, { index })) got.push(s.plainOffset);
      expect(got).toEqual(starts.slice(index));
    }
    for (const offset of [0, 1, starts[4]!, starts[50]! + 1, object.size - 1]) {
      const it = meta.segmentsFrom(object, { offset });
      const first = await it.next();
      await it.return(undefined);
      if (first.done) throw new Error(`nothing read from byte ${offset}`);
      const { segment, plainOffset } = first.value;
      expect(plainOffset).toBeLessThanOrEqual(offset);
      expect(plainOffset + segment.plainSize).toBeGreaterThan(offset);
      expect(plainOffset).toBe(starts[segment.index]);
    }
    expect(await codeOf(meta.segmentsFrom(object, { offset: object.size }).next())).toBe('OBJECT_RANGE_INVALID');
  });

  it('lists as LevelDB does: prefixes, delimiters, limits and cursors, page by page', async () => {
    const keys: string[] = ['x'];
    for (let i = 0; i < 40; i++) keys.push(`a/${String(i).padStart(2, '0')}`);
    for (let i = 0; i < 12; i++) keys.push(`b/${i % 3}/${i}`, `b${i}`, `c/${i}/d/e`);
    keys.push('a', 'a/', 'a//', '\u{1F600}/1', '\u{FFFD}', 'é/x', 'b/');
    for (const m of [meta, lmeta]) {
      await m.createBucket('l', 'bucket');
      for (const k of keys) await inlineObject(m, 'l', k);
    }
    const pages = async (m: MetadataDB, opts: { prefix?: string; delimiter?: string; limit?: number }): Promise<unknown[]> => {
      const out = [];
      let cursor: string | undefined;
      for (let n = 0; n < 200; n++) {
        const r = await m.listObjects('l', 'bucket', { ...opts, cursor });
        out.push({ objects: r.objects.map((o) => o.key), prefixes: r.prefixes, next: r.nextCursor });
        if (r.nextCursor === null) break;
        cursor = r.nextCursor;
      }
      return out;
    };
    for (const prefix of [undefined, '', 'a', 'a/', 'b/', 'c/', 'z', '\u{1F600}']) {
      for (const delimiter of [undefined, '/', 'd/']) {
        for (const limit of [1, 2, 7, 1000]) {
          const opts = { prefix, delimiter, limit };
          expect([opts, await pages(meta, opts)]).toEqual([opts, await pages(lmeta, opts)]);
        }
      }
    }
    // A cursor anywhere, prefixes included.
    for (const cursor of ['a', 'a/', 'a/1', 'b', 'b/1/', 'zzz', '']) {
      const opts = { delimiter: '/', limit: 3, cursor };
      const keysOf = (r: { objects: { key: string }[]; prefixes: string[]; nextCursor: string | null }): unknown => ({ ...r, objects: r.objects.map((o) => o.key) });
      expect(keysOf(await meta.listObjects('l', 'bucket', opts))).toEqual(keysOf(await lmeta.listObjects('l', 'bucket', opts)));
    }
  });

  it('two commits of one key at once: one replaces the other, every piece accounted for', async () => {
    await meta.createBucket('c', 'bucket');
    for (let round = 0; round < 5; round++) {
      const uploads = await Promise.all([0, 1, 2].map(() => meta.beginObject('c', 'bucket', 'same')));
      for (const u of uploads) await remoteSegment(meta, u.streamId, 0, 100);
      const results = await Promise.all(uploads.map((u) => meta.commitObject(u.streamId)));
      const replaced = results.reduce((n, r) => n + r.replaced.length, 0);
      // Every version but the last standing (and, after round 0, the one before) was replaced.
      expect(replaced).toBe(round === 0 ? 8 : 12);
      expect(await meta.usage('c')).toMatchObject({ storedBytes: 2000, segments: 1 });
    }
  });

  it('checks a project\'s limits under concurrent uploads: never past them', async () => {
    await meta.createBucket('lim', 'bucket');
    const limits = { maxStoredBytes: 10 * 2000, maxSegments: 1000, maxEgressBytesPerMonth: 1000, maxReplacementNodes: 0 };
    const uploads = await Promise.all(Array.from({ length: 16 }, () => meta.beginObject('lim', 'bucket', 'k')));
    const plan: PendingSegment = { rootPieceId: '00'.repeat(32), pieceSize: 1000, profile, nodes: [] };
    const codes = await Promise.all(uploads.map((u) => codeOf(meta.beginSegment(u.streamId, 0, plan, limits))));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(10);
    expect(codes.filter((c) => c === 'PROJECT_STORAGE_LIMIT')).toHaveLength(6);
    expect(await meta.usage('lim')).toMatchObject({ storedBytes: 20_000, segments: 10 });
    const egress = await Promise.all(Array.from({ length: 8 }, () => codeOf(meta.addEgress('lim', 300, limits))));
    expect(egress.filter((c) => c === 'ok')).toHaveLength(3);
    expect((await meta.usage('lim')).egressBytes).toBe(900);
  });
});

describe('walks read one snapshot (review 25 H1)', () => {
  it('pendingPieces gives every planned piece of the walk\'s start, whatever is deleted while it walks (past a page of 500 rows)', async () => {
    let now = clock;
    const m = new PgMetadata(pool, () => now, DAY, 7 * DAY);
    await m.createBucket('snap', 'bucket');
    const plan = (i: number): PendingSegment => ({ rootPieceId: Buffer.alloc(32, i % 250).toString('hex'), pieceSize: 100, profile, nodes: Array.from({ length: 6 }, (_, n) => ({ nodeId: `node-${n}`, number: n })) });
    for (const key of ['a', 'b']) {
      const o = await m.beginObject('snap', 'bucket', key);
      for (let i = 0; i < 260; i++) await m.beginSegment(o.streamId, i, plan(i));
    }
    // Planned pieces of every pending segment (other tests' too: one database for the file).
    const before = (await pool.query<{ n: number }>("SELECT sum(json_array_length((record::json)->'nodes'))::int AS n FROM pending_segments")).rows[0]!.n;
    expect(before).toBeGreaterThanOrEqual(520 * 6);
    let seen = 0;
    for await (const piece of m.pendingPieces()) {
      expect(piece.nodeId).toMatch(/^node-/);
      if (seen++ === 0) {
        // Every upload expires while the walk is at its first piece.
        now += DAY + 1;
        expect(await m.expirePending()).toBeGreaterThanOrEqual(2);
      }
    }
    expect(seen).toBe(before);
  });
});
