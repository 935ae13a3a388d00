// Multipart uploads in the LevelDB metadata store: parts as streams of their own, usage counted
// once whatever happens to them (replaced, completed into the object, left out, aborted,
// expired), the object's segments in part order with their place in each part, and the usage
// counter equal to a recount from the records.
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metadata, derivePieceId, type PendingSegment, type ReceiptContent } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

let clock = 1_000_000;
let db: Level<string, unknown>;
let meta: Metadata;
const profile = { minimum: 2, repair: 3, success: 4, total: 6 };
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  db = new Level<string, unknown>(join(tempDir(), 'db'), { valueEncoding: 'json' });
  await db.open();
  meta = new Metadata(db, () => clock, DAY, 7 * DAY);
});
afterAll(async () => {
  await db.close();
  removeTempDirs();
});

let rootSeed = 1;
/** A remote segment of `pieceSize`-byte pieces committed at `index` of `stream` (4 receipts). */
async function remoteSegment(stream: string, index: number, plainSize: number, pieceSize = 1000): Promise<void> {
  const root = new Uint8Array(32).fill(rootSeed++ % 250);
  const nodes = Array.from({ length: 6 }, (_, i) => ({ nodeId: `node-${i}`, number: i }));
  const plan: PendingSegment = { rootPieceId: Buffer.from(root).toString('hex'), pieceSize, profile, nodes };
  await meta.beginSegment(stream, index, plan);
  const receipts: ReceiptContent[] = [0, 1, 2, 3].map((i) => ({ nodeId: `node-${i}`, pieceId: derivePieceId(root, `node-${i}`, i), size: pieceSize, root: new Uint8Array(32).fill(i) }));
  await meta.commitSegment(stream, index, plainSize, receipts);
}

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? 'no code'
  );
}

/** The usage counter, and the same recounted from the records (the counter dropped first). */
async function usageAndRecount(project: string): Promise<[{ storedBytes: number; segments: number }, { storedBytes: number; segments: number }]> {
  const kept = await meta.usage(project);
  await db.sublevel('usage', { valueEncoding: 'json' }).del(project);
  const recounted = await meta.usage(project);
  return [{ storedBytes: kept.storedBytes, segments: kept.segments }, { storedBytes: recounted.storedBytes, segments: recounted.segments }];
}

describe('multipart uploads in the store', () => {
  it('counts parts once: replaced, completed from a subset, the rest freed; the object reads in part order', async () => {
    const P = 'mp-project-1';
    await meta.createBucket(P, 'bucket');
    const up = await meta.beginObject(P, 'bucket', 'obj', { multipart: true, encryptedKey: 'a2V5' });
    expect(await code(meta.beginSegment(up.streamId, 0, { rootPieceId: '00', pieceSize: 1, profile, nodes: [] }))).toBe('OBJECT_IS_MULTIPART');
    expect(await code(meta.commitObject(up.streamId))).toBe('OBJECT_IS_MULTIPART');
    // Part 1: two remote segments; part 2: one, then uploaded again (inline); part 3: one remote.
    const p1 = await meta.beginPart(up.streamId, 1);
    expect(p1.encryptedKey).toBe('a2V5');
    await remoteSegment(p1.streamId, 0, 1500);
    await remoteSegment(p1.streamId, 1, 700);
    expect(await code(meta.commitObject(p1.streamId))).toBe('OBJECT_IS_PART');
    await meta.commitPart(p1.streamId, { salt: 'aa', info: '' });
    const p2a = await meta.beginPart(up.streamId, 2);
    await remoteSegment(p2a.streamId, 0, 1800);
    await meta.commitPart(p2a.streamId, { salt: 'bb', info: '' });
    const p2b = await meta.beginPart(up.streamId, 2);
    await meta.commitInlineSegment(p2b.streamId, 0, 10, new Uint8Array(26), 4096);
    const replaced = await meta.commitPart(p2b.streamId, { salt: 'cc', info: 'aW5mbw==' });
    expect(replaced.replaced).toHaveLength(4);
    const p3 = await meta.beginPart(up.streamId, 3);
    await remoteSegment(p3.streamId, 0, 1900);
    await meta.commitPart(p3.streamId, { salt: 'dd', info: '' });
    // A part upload still in progress when the upload completes: dropped with it.
    const p4 = await meta.beginPart(up.streamId, 4);
    await remoteSegment(p4.streamId, 0, 100);
    // 4 remote segments (2000 bytes each counted: 2 x 1000; part 2's first upload freed) + 1
    // inline of 26 bytes, before.
    const [before, beforeRecount] = await usageAndRecount(P);
    expect(before).toEqual({ storedBytes: 4 * 2000 + 26, segments: 5 });
    expect(beforeRecount).toEqual(before);
    const { parts } = await meta.listParts(up.streamId, {});
    expect(parts.map((p) => [p.number, p.size, p.segmentCount, p.salt])).toEqual([[1, 2200, 2, 'aa'], [2, 10, 1, 'cc'], [3, 1900, 1, 'dd']]);
    // Parts 1 and 2 (part 3 and the part 4 upload freed).
    const done = await meta.completeMultipart(P, 'bucket', 'obj', up.streamId, [parts[0]!, parts[1]!].map((p) => ({ number: p.number, streamId: p.streamId })), { metadata: 'bWV0YQ==' });
    expect(done.already).toBe(false);
    expect(done.object).toMatchObject({ size: 2210, segmentCount: 3, partCount: 2, metadata: 'bWV0YQ==', status: 'committed' });
    const [after, afterRecount] = await usageAndRecount(P);
    expect(after).toEqual({ storedBytes: 2 * 2000 + 26, segments: 3 });
    expect(afterRecount).toEqual(after);
    const { segments } = await meta.getObject(P, 'bucket', 'obj');
    // Each with its part's leaf in the parts tree and its proof (one sibling in a tree of two).
    expect(segments.map((s) => [s.index, s.plainSize, { ...s.part, proof: s.part?.proof?.length }])).toEqual([
      [0, 1500, { number: 1, index: 0, offset: 0, size: 2200, salt: 'aa', partOffset: 0, leaf: 0, proof: 1 }],
      [1, 700, { number: 1, index: 1, offset: 1500, size: 2200, salt: 'aa', partOffset: 0, leaf: 0, proof: 1 }],
      [2, 10, { number: 2, index: 0, offset: 0, size: 10, salt: 'cc', partOffset: 2200, leaf: 1, proof: 1 }]
    ]);
    expect(await meta.partRange(done.object, 2)).toMatchObject({ offset: 2200, size: 10, place: { number: 2, leaf: 1, partOffset: 2200 } });
    expect(await code(meta.partRange(done.object, 3))).toBe('PART_NOT_FOUND');
    // Nothing of the upload is left: no part records, no part streams, no pending plans.
    expect(await code(meta.listParts(up.streamId, {}))).toBe('NO_SUCH_UPLOAD');
    expect(await code(meta.beginPart(up.streamId, 5))).toBe('NO_SUCH_UPLOAD');
    expect((await meta.listUploads(P, 'bucket', {})).uploads).toEqual([]);
    const pendingLeft: string[] = [];
    for await (const p of meta.pendingPieces()) pendingLeft.push(p.rootPieceId);
    expect(pendingLeft).toEqual([]);
    // Completed again: the same object, nothing changed.
    const again = await meta.completeMultipart(P, 'bucket', 'obj', up.streamId, [], {});
    expect(again).toMatchObject({ already: true, object: { streamId: up.streamId } });
    // Deleting the object frees its segments.
    await meta.deleteObject(P, 'bucket', 'obj');
    expect((await usageAndRecount(P))[0]).toEqual({ storedBytes: 0, segments: 0 });
  });

  it('finds any part of an object by a search of its segments, for parts of 1 to 7 segments and numbers with gaps (review 17 H3)', async () => {
    const P = 'mp-project-range';
    await meta.createBucket(P, 'bucket');
    const up = await meta.beginObject(P, 'bucket', 'ranges', { multipart: true, encryptedKey: 'a2V5' });
    // Part n (odd numbers only) holds (n * 5) % 7 + 1 inline segments of n + i bytes.
    const numbers = Array.from({ length: 40 }, (_, i) => 2 * i + 1);
    const expected = new Map<number, { offset: number; size: number }>();
    let offset = 0;
    for (const n of numbers) {
      const part = await meta.beginPart(up.streamId, n);
      let size = 0;
      for (let i = 0; i < ((n * 5) % 7) + 1; i++) {
        await meta.commitInlineSegment(part.streamId, i, n + i, new Uint8Array(n + i + 16), 4096);
        size += n + i;
      }
      await meta.commitPart(part.streamId, { salt: 'ab', info: '' });
      expected.set(n, { offset, size });
      offset += size;
    }
    const { parts } = await meta.listParts(up.streamId, {});
    const done = await meta.completeMultipart(P, 'bucket', 'ranges', up.streamId, parts.map((p) => ({ number: p.number, streamId: p.streamId })), {});
    expect(done.object.size).toBe(offset);
    for (const [leaf, n] of numbers.entries()) expect(await meta.partRange(done.object, n)).toMatchObject({ ...expected.get(n), place: { number: n, leaf } });
    for (const n of [2, 40, 80, 81, 10_000, 0, -1, 1.5]) expect(await code(meta.partRange(done.object, n))).toBe('PART_NOT_FOUND');
    // An object completed before segments kept their part's offset: found by the walk, the same.
    const segments = db.sublevel<string, { part?: { partOffset?: number } }>('segments', { valueEncoding: 'json' });
    for await (const [k, seg] of segments.iterator({ gte: up.streamId + '\x00', lt: up.streamId + '\x01' })) {
      delete seg.part!.partOffset;
      await segments.put(k, seg);
    }
    for (const n of [1, 39, 79]) expect(await meta.partRange(done.object, n)).toEqual(expected.get(n)); // (no place: nothing to prove it by)
    expect(await code(meta.partRange(done.object, 4))).toBe('PART_NOT_FOUND');
  });

  it('refuses parts out of order, missing or replaced since listed, and a Complete for another key', async () => {
    const P = 'mp-project-2';
    await meta.createBucket(P, 'bucket');
    const up = await meta.beginObject(P, 'bucket', 'k', { multipart: true });
    const a = await meta.beginPart(up.streamId, 1);
    await meta.commitInlineSegment(a.streamId, 0, 1, new Uint8Array(17), 4096);
    const pa = (await meta.commitPart(a.streamId, { salt: '', info: '' })).part;
    const b = await meta.beginPart(up.streamId, 2);
    await meta.commitInlineSegment(b.streamId, 0, 1, new Uint8Array(17), 4096);
    const pb = (await meta.commitPart(b.streamId, { salt: '', info: '' })).part;
    const complete = (parts: { number: number; streamId: string }[], key = 'k'): Promise<string> => code(meta.completeMultipart(P, 'bucket', key, up.streamId, parts, {}));
    expect(await complete([pb, pa])).toBe('PART_ORDER_INVALID');
    expect(await complete([pa, pa])).toBe('PART_ORDER_INVALID');
    expect(await complete([pa, { number: 3, streamId: pb.streamId }])).toBe('PART_NOT_FOUND');
    expect(await complete([])).toBe('PART_ORDER_INVALID');
    expect(await complete([pa], 'other')).toBe('NO_SUCH_UPLOAD');
    expect(await code(meta.completeMultipart('another-project', 'bucket', 'k', up.streamId, [pa], {}))).toBe('NO_SUCH_UPLOAD');
    const b2 = await meta.beginPart(up.streamId, 2);
    await meta.commitInlineSegment(b2.streamId, 0, 1, new Uint8Array(17), 4096);
    await meta.commitPart(b2.streamId, { salt: '', info: '' });
    expect(await complete([pa, pb])).toBe('PART_NOT_FOUND');
    expect(await code(meta.beginPart(up.streamId, 0))).toBe('PART_NUMBER_INVALID');
    expect(await code(meta.beginPart(up.streamId, 10_001))).toBe('PART_NUMBER_INVALID');
    expect(await code(meta.commitPart(a.streamId, { salt: 'zz', info: '' }))).toBe('PART_SALT_INVALID');
    await meta.abortMultipart(up.streamId);
    expect((await usageAndRecount(P))[0]).toEqual({ storedBytes: 0, segments: 0 });
    expect(await complete([pa])).toBe('NO_SUCH_UPLOAD');
  });

  it('expires an upload after its lifetime with everything of it, and lists uploads in progress by key', async () => {
    const P = 'mp-project-3';
    await meta.createBucket(P, 'bucket');
    const ids: string[] = [];
    for (const key of ['b', 'a/1', 'a/2', 'a/2']) ids.push((await meta.beginObject(P, 'bucket', key, { multipart: true })).streamId);
    const listed = await meta.listUploads(P, 'bucket', {});
    expect(listed.uploads.map((u) => u.key)).toEqual(['a/1', 'a/2', 'a/2', 'b']);
    expect((await meta.listUploads(P, 'bucket', { prefix: 'a/' })).uploads.map((u) => u.key)).toEqual(['a/1', 'a/2', 'a/2']);
    const page1 = await meta.listUploads(P, 'bucket', { limit: 2 });
    expect(page1.more).toBe(true);
    const last = page1.uploads[1]!;
    const page2 = await meta.listUploads(P, 'bucket', { keyMarker: last.key, uploadMarker: last.streamId, limit: 5 });
    expect([...page1.uploads, ...page2.uploads].map((u) => u.streamId).sort()).toEqual([...ids].sort());
    expect((await meta.listUploads(P, 'bucket', { keyMarker: 'a/2' })).uploads.map((u) => u.key)).toEqual(['b']);
    // One upload with a committed part and a part upload in flight, then 8 days pass.
    const part = await meta.beginPart(ids[0]!, 1);
    await remoteSegment(part.streamId, 0, 10);
    await meta.commitPart(part.streamId, { salt: '', info: '' });
    const flying = await meta.beginPart(ids[0]!, 2);
    await remoteSegment(flying.streamId, 0, 10);
    expect((await meta.usage(P)).segments).toBe(2);
    clock += 2 * DAY;
    // Past the part upload's own lifetime (a day) but not the upload's (a week).
    await meta.expirePending();
    expect((await meta.listParts(ids[0]!, {})).parts.map((p) => p.number)).toEqual([1]);
    expect((await usageAndRecount(P))[0].segments).toBe(1);
    clock += 6 * DAY;
    await meta.expirePending();
    expect((await meta.listUploads(P, 'bucket', {})).uploads).toEqual([]);
    expect(await code(meta.listParts(ids[0]!, {}))).toBe('NO_SUCH_UPLOAD');
    expect((await usageAndRecount(P))[0]).toEqual({ storedBytes: 0, segments: 0 });
  });

  it('deletes a bucket with its uploads in progress: parts, part uploads in flight and usage go with it (review 17 L4)', async () => {
    const P = 'mp-project-4';
    await meta.createBucket(P, 'bucket');
    const up = await meta.beginObject(P, 'bucket', 'k', { multipart: true });
    const part = await meta.beginPart(up.streamId, 1);
    await remoteSegment(part.streamId, 0, 10);
    await meta.commitPart(part.streamId, { salt: '', info: '' });
    const flying = await meta.beginPart(up.streamId, 2);
    await remoteSegment(flying.streamId, 0, 10);
    const other = await meta.beginObject(P, 'bucket', 'k2', { multipart: true });
    const plain = await meta.beginObject(P, 'bucket', 'plain');
    await meta.commitInlineSegment(plain.streamId, 0, 5, new Uint8Array(21), 4096);
    await meta.commitObject(plain.streamId);
    expect(await code(meta.deleteBucket(P, 'bucket'))).toBe('BUCKET_NOT_EMPTY');
    await meta.deleteObject(P, 'bucket', 'plain');
    const freed = await meta.deleteBucket(P, 'bucket');
    expect(freed.flatMap((x) => x.pieces)).toHaveLength(8);
    expect((await usageAndRecount(P))[0]).toEqual({ storedBytes: 0, segments: 0 });
    for (const id of [up.streamId, other.streamId]) expect(await code(meta.beginPart(id, 3))).toBe('NO_SUCH_UPLOAD');
    // The bucket made again is empty of uploads too.
    await meta.createBucket(P, 'bucket');
    expect((await meta.listUploads(P, 'bucket', {})).uploads).toEqual([]);
  });
});
