import { join } from 'node:path';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { Level } from 'level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PieceAction, verifyOrderLimit } from '../../src/protocol/index.js';
import { Metadata, OrderIssuer, derivePieceId, type PendingSegment, type ReceiptContent } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

let clock = 1_000_000;
let db: Level<string, unknown>;
let dir: string;
let meta: Metadata;
const P = 'project-1';
const profile = { minimum: 2, repair: 3, success: 4, total: 6 };
const root = new Uint8Array(32).fill(9);
const nodes = Array.from({ length: 6 }, (_, i) => ({ nodeId: `node-${i}`, number: i }));
const plan: PendingSegment = { rootPieceId: Buffer.from(root).toString('hex'), pieceSize: 1000, profile, nodes };

function receipt(i: number, over: Partial<ReceiptContent> = {}): ReceiptContent {
  return { nodeId: `node-${i}`, pieceId: derivePieceId(root, `node-${i}`, i), size: 1000, root: new Uint8Array(32).fill(i), ...over };
}

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { code?: string; message?: string }) => e.code ?? e.message ?? 'no code'
  );
}

beforeAll(async () => {
  dir = tempDir();
  db = new Level<string, unknown>(join(dir, 'db'), { valueEncoding: 'json' });
  await db.open();
  meta = new Metadata(db, () => clock, 60_000);
});
afterAll(async () => {
  await db.close();
  removeTempDirs();
});

describe('buckets', () => {
  it('are created once, listed per project, and deleted only when empty', async () => {
    // Projects of this test's own: the listings below are exact whatever ran before.
    const B = 'project-b1';
    await meta.createBucket(B, 'photos');
    expect(await code(meta.createBucket(B, 'photos'))).toBe('BUCKET_EXISTS');
    expect(await code(meta.createBucket(B, 'No_Caps'))).toBe('BUCKET_NAME_INVALID');
    expect(await code(meta.createBucket(B, 'ab'))).toBe('BUCKET_NAME_INVALID');
    await meta.createBucket('project-b2', 'photos');
    expect((await meta.listBuckets(B)).map((b) => b.name)).toEqual(['photos']);
    expect((await meta.allBuckets()).map((b) => `${b.project}/${b.name}`).filter((n) => n.startsWith('project-b'))).toEqual(['project-b1/photos', 'project-b2/photos']);
    const o = await meta.beginObject(B, 'photos', 'a.txt');
    await meta.commitInlineSegment(o.streamId, 0, 5, new Uint8Array(21), 4096);
    await meta.commitObject(o.streamId);
    expect(await code(meta.deleteBucket(B, 'photos'))).toBe('BUCKET_NOT_EMPTY');
    await meta.deleteObject(B, 'photos', 'a.txt');
    await meta.deleteBucket(B, 'photos');
    expect(await code(meta.deleteBucket(B, 'photos'))).toBe('BUCKET_NOT_FOUND');
    expect(await code(meta.beginObject(B, 'photos', 'x'))).toBe('BUCKET_NOT_FOUND');
  });
});

describe('objects and segments', () => {
  // Each test works in a bucket of its own and makes what it needs: any one runs alone, in any order.
  /** Commits `key` in `bucket` as three remote segments (0 on nodes 0-2, 4, 5; 1 and 2 on 0-3). */
  async function storeThreeSegments(bucket: string, key: string): Promise<void> {
    const o = await meta.beginObject(P, bucket, key);
    for (const [index, size, on] of [[0, 2000, [0, 1, 2, 4, 5]], [1, 2000, [0, 1, 2, 3]], [2, 10, [0, 1, 2, 3]]] as const) {
      await meta.beginSegment(o.streamId, index, plan);
      await meta.commitSegment(o.streamId, index, size, on.map((i) => receipt(i)));
    }
    await meta.commitObject(o.streamId);
  }
  async function storeInline(bucket: string, key: string): Promise<void> {
    const o = await meta.beginObject(P, bucket, key);
    await meta.commitInlineSegment(o.streamId, 0, 1, new Uint8Array(17), 4096);
    await meta.commitObject(o.streamId);
  }

  it('stay invisible until committed, then carry their pieces from the receipts', async () => {
    await meta.createBucket(P, 'data');
    const o = await meta.beginObject(P, 'data', 'big.bin', { metadata: 'bWV0YQ==', encryption: 'aes-256-gcm' });
    expect(await code(meta.getObject(P, 'data', 'big.bin'))).toBe('OBJECT_NOT_FOUND');
    expect((await meta.listObjects(P, 'data')).objects).toEqual([]);
    await meta.beginSegment(o.streamId, 0, plan);
    expect(await code(meta.commitSegment(o.streamId, 0, 2000, [receipt(0), receipt(1), receipt(2), { ...receipt(3), nodeId: 'stranger' }]))).toBe('RECEIPT_INVALID');
    expect(await code(meta.commitSegment(o.streamId, 0, 2000, [receipt(0), receipt(1), receipt(2), receipt(3, { pieceId: derivePieceId(root, 'node-3', 4) })]))).toBe('RECEIPT_INVALID');
    expect(await code(meta.commitSegment(o.streamId, 0, 2000, [receipt(0), receipt(1), receipt(2), receipt(3, { size: 999 })]))).toBe('RECEIPT_INVALID');
    expect(await code(meta.commitSegment(o.streamId, 0, 2000, [receipt(0), receipt(1), receipt(2), receipt(2)]))).toBe('SEGMENT_TOO_FEW_PIECES');
    expect(await code(meta.commitSegment(o.streamId, 0, 2001, [0, 1, 2, 3].map((i) => receipt(i))))).toBe('SEGMENT_SIZE_INVALID');
    expect(await code(meta.commitSegment(o.streamId, 0, 2000, [0, 1, 2, 3, 4, 5, 0].map((i) => receipt(i))))).toBe('RECEIPT_INVALID');
    expect(await code(meta.beginSegment(o.streamId, 1_000_001, plan))).toBe('SEGMENT_INDEX_INVALID');
    expect(await code(meta.beginObject(P, 'data', 'meta-too-big', { metadata: Buffer.alloc(9000).toString('base64') }))).toBe('OBJECT_METADATA_TOO_LARGE');
    expect(await code(meta.beginObject(P, 'data', 'x'.repeat(1025)))).toBe('OBJECT_KEY_INVALID');
    const seg = await meta.commitSegment(o.streamId, 0, 2000, [receipt(0), receipt(1), receipt(2), receipt(4), receipt(5)]);
    expect(seg.pieces.map((p) => p.nodeId)).toEqual(['node-0', 'node-1', 'node-2', 'node-4', 'node-5']);
    await meta.beginSegment(o.streamId, 2, plan);
    await meta.commitSegment(o.streamId, 2, 10, [0, 1, 2, 3].map((i) => receipt(i)));
    expect(await code(meta.commitObject(o.streamId))).toBe('OBJECT_SEGMENTS_MISSING');
    await meta.beginSegment(o.streamId, 1, plan);
    await meta.commitSegment(o.streamId, 1, 2000, [0, 1, 2, 3].map((i) => receipt(i)));
    const { object } = await meta.commitObject(o.streamId);
    expect(object).toMatchObject({ status: 'committed', size: 4010, segmentCount: 3, metadata: 'bWV0YQ==', encryption: 'aes-256-gcm' });
    const got = await meta.getObject(P, 'data', 'big.bin');
    expect(got.segments.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(got.segments[0]!.pieces[0]!.root).toBe('00'.repeat(32));
    expect(await code(meta.commitObject(o.streamId))).toBe('OBJECT_NOT_PENDING');
  });

  it('an upload left uncommitted expires', async () => {
    // Whatever earlier tests left pending goes first, so the count below is this test's own.
    clock += 60_001;
    await meta.expirePending();
    await meta.createBucket(P, 'expiring');
    const o = await meta.beginObject(P, 'expiring', 'abandoned');
    await meta.beginSegment(o.streamId, 0, plan);
    clock += 60_000;
    expect(await meta.expirePending()).toBe(0);
    clock += 1;
    expect(await meta.expirePending()).toBe(1);
    expect(await code(meta.commitSegment(o.streamId, 0, 1, [0, 1, 2, 3].map((i) => receipt(i))))).toBe('OBJECT_NOT_PENDING');
  });

  it('lists with prefix, delimiter and cursor paging', async () => {
    await meta.createBucket(P, 'listing');
    for (const key of ['a/1', 'a/2', 'a/b/3', 'b/1', 'big.bin', 'c']) await storeInline('listing', key);
    const top = await meta.listObjects(P, 'listing', { delimiter: '/' });
    expect(top.prefixes).toEqual(['a/', 'b/']);
    expect(top.objects.map((o) => o.key)).toEqual(['big.bin', 'c']);
    const inA = await meta.listObjects(P, 'listing', { prefix: 'a/', delimiter: '/' });
    expect(inA.objects.map((o) => o.key)).toEqual(['a/1', 'a/2']);
    expect(inA.prefixes).toEqual(['a/b/']);
    const keys: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await meta.listObjects(P, 'listing', { limit: 2, cursor });
      keys.push(...page.objects.map((o) => o.key));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(keys).toEqual(['a/1', 'a/2', 'a/b/3', 'b/1', 'big.bin', 'c']);
    expect(await code(meta.listObjects(P, 'listing', { limit: 0 }))).toBe('LIST_LIMIT_INVALID');
  });

  it('deletes an object and returns its pieces for the nodes', async () => {
    await meta.createBucket(P, 'deleting');
    await storeThreeSegments('deleting', 'big.bin');
    const pieces = await meta.deleteObject(P, 'deleting', 'big.bin');
    expect(pieces).toHaveLength(3);
    expect(pieces[0]!.pieces.map((p) => p.nodeId)).toEqual(['node-0', 'node-1', 'node-2', 'node-4', 'node-5']);
    expect(await code(meta.getObject(P, 'deleting', 'big.bin'))).toBe('OBJECT_NOT_FOUND');
  });

  it('survive a reopen of the database', async () => {
    await meta.createBucket(P, 'reopened');
    await storeInline('reopened', 'c');
    await db.close();
    db = new Level<string, unknown>(join(dir, 'db'), { valueEncoding: 'json' });
    await db.open();
    meta = new Metadata(db, () => clock, 60_000);
    expect((await meta.getObject(P, 'reopened', 'c')).object.status).toBe('committed');
  });
});

describe('order limits for clients', () => {
  it('are signed by the satellite, one per node, for the piece id derived for that node', async () => {
    const key = await generateKeyPair('Ed25519');
    const satelliteId = peerIdFromPrivateKey(key).toString();
    const issuer = new OrderIssuer({ key, satelliteId, now: () => clock, orderTtlMs: 3_600_000 });
    const limits = await issuer.issue(PieceAction.PUT, root, nodes.slice(0, 3), 1000);
    const decoded = await Promise.all(limits.map((l) => verifyOrderLimit(l)));
    decoded.forEach((d, i) => {
      expect(d).toMatchObject({ satelliteId, nodeId: `node-${i}`, action: PieceAction.PUT, byteLimit: 1000n, orderExpiration: BigInt(clock + 3_600_000) });
      expect(Buffer.from(d.pieceId).equals(Buffer.from(derivePieceId(root, `node-${i}`, i)))).toBe(true);
    });
    expect(new Set(decoded.map((d) => Buffer.from(d.pieceId).toString('hex'))).size).toBe(3);
    expect(new Set(decoded.map((d) => Buffer.from(d.serialNumber).toString('hex'))).size).toBe(3);
  });
});
