// The store contract: what every SatelliteDB backend must do, written against the interfaces only.
// store.test.ts runs it on the LevelDB backend; a later backend (PostgreSQL) runs the same suite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckInInfo } from '../../../src/protocol/index.js';
import { derivePieceId, type PendingSegment, type Publication, type ReceiptContent, type SatelliteDB, type SatelliteDBOptions } from '../../../src/satellite/index.js';

/** Opens a fresh, empty backend (and reopens the same one when `reopen` is given). */
export type OpenSatelliteDB = (options: SatelliteDBOptions, reopen?: SatelliteDB) => Promise<SatelliteDB>;

async function collectAll<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { code?: string; message?: string }) => e.code ?? e.message ?? 'no code'
  );
}

const profile = { minimum: 2, repair: 3, success: 4, total: 6 };
const rootPieceId = new Uint8Array(32).fill(7);
const plan: PendingSegment = {
  rootPieceId: Buffer.from(rootPieceId).toString('hex'),
  pieceSize: 1000,
  profile,
  nodes: Array.from({ length: 6 }, (_, i) => ({ nodeId: `node-${i}`, number: i }))
};

function receipt(i: number): ReceiptContent {
  return { nodeId: `node-${i}`, pieceId: derivePieceId(rootPieceId, `node-${i}`, i), size: 1000, root: new Uint8Array(32).fill(i + 1) };
}

const checkIn = (address: string): CheckInInfo => ({ addresses: [address], capacity: 1000, freeSpace: 500, version: '1.0.0', wallet: '0xabc', email: 'op@example.com' });

export function describeSatelliteDB(name: string, open: OpenSatelliteDB): void {
  describe(`SatelliteDB contract: ${name}`, () => {
    let clock = 1_000_000;
    const options: SatelliteDBOptions = { now: () => clock, pendingTtlMs: 60_000, uptime: { windowMs: 1000, periodMs: 10_000 } };
    let db: SatelliteDB;

    beforeEach(async () => {
      clock = 1_000_000;
      db = await open(options);
    });
    afterEach(async () => {
      await db.close();
    });

    /** Commits a one-segment object on nodes 0..3 and returns its segment key. */
    async function storedObject(key: string): Promise<string> {
      const o = await db.metadata.beginObject('p', 'bucket', key);
      await db.metadata.beginSegment(o.streamId, 0, plan);
      await db.metadata.commitSegment(o.streamId, 0, 2000, [0, 1, 2, 3].map(receipt));
      await db.metadata.commitObject(o.streamId);
      const found = await db.metadata.objectSegment('p', 'bucket', key, 0);
      return found!.key;
    }

    describe('metadata', () => {
      it('keeps an object invisible until committed, then lists, pages and deletes it', async () => {
        await db.metadata.createBucket('p', 'bucket');
        expect(await codeOf(db.metadata.createBucket('p', 'bucket'))).toBe('BUCKET_EXISTS');
        const o = await db.metadata.beginObject('p', 'bucket', 'a/1');
        expect(await codeOf(db.metadata.getObject('p', 'bucket', 'a/1'))).toBe('OBJECT_NOT_FOUND');
        await db.metadata.beginSegment(o.streamId, 0, plan);
        expect(await codeOf(db.metadata.commitSegment(o.streamId, 0, 2000, [0, 1, 2].map(receipt)))).toBe('SEGMENT_TOO_FEW_PIECES');
        const seg = await db.metadata.commitSegment(o.streamId, 0, 2000, [0, 1, 2, 3].map(receipt));
        expect(seg.pieces.map((p) => p.nodeId)).toEqual(['node-0', 'node-1', 'node-2', 'node-3']);
        await db.metadata.commitObject(o.streamId);
        const { object, segments } = await db.metadata.getObject('p', 'bucket', 'a/1');
        expect(object).toMatchObject({ key: 'a/1', status: 'committed', size: 2000, segmentCount: 1 });
        expect(segments).toHaveLength(1);
        for (const k of ['a/2', 'b/1']) {
          const x = await db.metadata.beginObject('p', 'bucket', k);
          await db.metadata.commitInlineSegment(x.streamId, 0, 3, new Uint8Array(19), 4096);
          await db.metadata.commitObject(x.streamId);
        }
        const page = await db.metadata.listObjects('p', 'bucket', { limit: 2 });
        expect(page.objects.map((x) => x.key)).toEqual(['a/1', 'a/2']);
        const rest = await db.metadata.listObjects('p', 'bucket', { cursor: page.nextCursor! });
        expect(rest.objects.map((x) => x.key)).toEqual(['b/1']);
        expect((await db.metadata.listObjects('p', 'bucket', { delimiter: '/' })).prefixes).toEqual(['a/', 'b/']);
        const gone = await db.metadata.deleteObject('p', 'bucket', 'a/1');
        expect(gone.flatMap((s) => s.pieces.map((p) => p.nodeId))).toEqual(['node-0', 'node-1', 'node-2', 'node-3']);
        expect(await codeOf(db.metadata.getObject('p', 'bucket', 'a/1'))).toBe('OBJECT_NOT_FOUND');
        expect(await codeOf(db.metadata.deleteObject('p', 'bucket', 'a/1'))).toBe('OBJECT_NOT_FOUND');
        // A bucket that does not exist (here, or only in another project) is named, not the key.
        for (const [project, bucket] of [['p', 'nope'], ['q', 'bucket']]) {
          expect(await codeOf(db.metadata.getObject(project!, bucket!, 'a/2'))).toBe('BUCKET_NOT_FOUND');
          expect(await codeOf(db.metadata.deleteObject(project!, bucket!, 'a/2'))).toBe('BUCKET_NOT_FOUND');
        }
      });

      it('pages a listing with a delimiter without repeating or skipping a prefix, keys beyond U+FFFF included', async () => {
        await db.metadata.createBucket('p', 'bucket');
        // Sorted by UTF-8 bytes: 'a/', then 'b', then '\u{FFFD}' (3 bytes), then the 4-byte ones.
        const keys = ['a/1', 'a/2', 'a/3', 'b', '\u{FFFD}x', '\u{1F600}/1', '\u{1F600}/2', '\u{1F601}', '\u{10FFFF}'];
        for (const key of keys) {
          const o = await db.metadata.beginObject('p', 'bucket', key);
          await db.metadata.commitInlineSegment(o.streamId, 0, 1, new Uint8Array(17), 4096);
          await db.metadata.commitObject(o.streamId);
        }
        for (const limit of [1, 2, 3]) {
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let page = 0; page < 20; page++) {
            const r = await db.metadata.listObjects('p', 'bucket', { delimiter: '/', limit, cursor });
            seen.push(...r.prefixes, ...r.objects.map((o) => o.key));
            if (r.nextCursor === null) break;
            cursor = r.nextCursor;
          }
          expect([limit, seen.sort()]).toEqual([limit, ['a/', 'b', '\u{FFFD}x', '\u{1F600}/', '\u{1F601}', '\u{10FFFF}'].sort()]);
        }
        // With a prefix of 4-byte characters, as well.
        expect((await db.metadata.listObjects('p', 'bucket', { prefix: '\u{1F600}/' })).objects.map((o) => o.key)).toEqual(['\u{1F600}/1', '\u{1F600}/2']);
      });

      it('walks remote segments, replaces pieces once, and refuses a stale replacement', async () => {
        await db.metadata.createBucket('p', 'bucket');
        const key = await storedObject('x');
        const walked = [];
        for await (const s of db.metadata.remoteSegments()) walked.push(s.key);
        expect(walked).toEqual([key]);
        const seg = (await db.metadata.segmentByKey(key))!;
        const moved = { ...seg.pieces[0]!, nodeId: 'node-5' };
        const after = await db.metadata.replacePieces(key, seg, [moved]);
        expect(after.pieces.find((p) => p.number === 0)!.nodeId).toBe('node-5');
        expect((await db.metadata.segmentByKey(key))!.pieces.find((p) => p.number === 0)!.nodeId).toBe('node-5');
        // Read before the first replacement: refused, and nothing changes.
        expect(await codeOf(db.metadata.replacePieces(key, seg, [{ ...seg.pieces[1]!, nodeId: 'node-4' }]))).not.toBe('ok');
        expect((await db.metadata.segmentByKey(key))!.pieces.find((p) => p.number === 1)!.nodeId).toBe('node-1');
      });

      it('drops pieces by number, and refuses a stale drop', async () => {
        await db.metadata.createBucket('p', 'bucket');
        const key = await storedObject('drop');
        const seg = (await db.metadata.segmentByKey(key))!;
        const after = await db.metadata.removePieces(key, seg, [1, 3]);
        expect(after.pieces.map((p) => p.number)).toEqual([0, 2]);
        expect((await db.metadata.segmentByKey(key))!.pieces.map((p) => p.number)).toEqual([0, 2]);
        expect(await codeOf(db.metadata.removePieces(key, seg, [0]))).toBe('SEGMENT_CHANGED');
        expect((await db.metadata.segmentByKey(key))!.pieces.map((p) => p.number)).toEqual([0, 2]);
      });

      it('counts each project\'s stored bytes and segments from begin to delete, overwrite and expiry, and refuses past its limits', async () => {
        await db.metadata.createBucket('p', 'bucket');
        await db.metadata.createBucket('q', 'bucket');
        const seg = plan.pieceSize * profile.minimum;
        const used = async (project = 'p') => {
          const u = await db.metadata.usage(project);
          return [u.storedBytes, u.segments];
        };
        expect(await used()).toEqual([0, 0]);
        // Begun: counted (its pieces are on nodes already); begun again at the same index: once.
        const o = await db.metadata.beginObject('p', 'bucket', 'a');
        await db.metadata.beginSegment(o.streamId, 0, plan);
        await db.metadata.beginSegment(o.streamId, 0, plan);
        expect(await used()).toEqual([seg, 1]);
        await db.metadata.commitSegment(o.streamId, 0, 2000, [0, 1, 2, 3].map(receipt));
        expect(await used()).toEqual([seg, 1]);
        // An inline segment counts its bytes; a segment begun past the last and never committed
        // is dropped at the object's commit and counts no more.
        await db.metadata.commitInlineSegment(o.streamId, 1, 10, new Uint8Array(30), 4096);
        await db.metadata.beginSegment(o.streamId, 2, plan);
        expect(await used()).toEqual([2 * seg + 30, 3]);
        await db.metadata.commitObject(o.streamId);
        expect(await used()).toEqual([seg + 30, 2]);
        // Another project's usage is its own.
        expect(await used('q')).toEqual([0, 0]);
        // Overwritten: the old version's segments are released at the new one's commit.
        const o2 = await db.metadata.beginObject('p', 'bucket', 'a');
        await db.metadata.commitInlineSegment(o2.streamId, 0, 1, new Uint8Array(20), 4096);
        expect(await used()).toEqual([seg + 50, 3]);
        await db.metadata.commitObject(o2.streamId);
        expect(await used()).toEqual([20, 1]);
        // Limits: checked and counted in one step; a refusal counts nothing.
        const limits = { maxStoredBytes: 20 + seg, maxSegments: 2, maxEgressBytesPerMonth: 5000, maxReplacementNodes: 0 };
        const o3 = await db.metadata.beginObject('p', 'bucket', 'b');
        expect(await codeOf(db.metadata.commitInlineSegment(o3.streamId, 0, 1, new Uint8Array(seg + 1), seg + 1, limits))).toBe('PROJECT_STORAGE_LIMIT');
        await db.metadata.beginSegment(o3.streamId, 0, plan, limits);
        expect(await used()).toEqual([20 + seg, 2]);
        expect(await codeOf(db.metadata.beginSegment(o3.streamId, 1, { ...plan, pieceSize: 1 }, limits))).toBe('PROJECT_STORAGE_LIMIT');
        expect(await codeOf(db.metadata.beginSegment(o3.streamId, 1, { ...plan, pieceSize: 0 }, limits))).toBe('PROJECT_SEGMENT_LIMIT');
        expect(await used()).toEqual([20 + seg, 2]);
        // Deleted: released.
        await db.metadata.deleteObject('p', 'bucket', 'a');
        expect(await used()).toEqual([seg, 1]);
        // Expired uploads: released with their segments.
        clock += options.pendingTtlMs + 1;
        expect(await db.metadata.expirePending()).toBe(1);
        expect(await used()).toEqual([0, 0]);
        // Egress per month: counted, refused past the limit (counting nothing), a new month anew.
        await db.metadata.addEgress('p', 3000, limits);
        expect(await codeOf(db.metadata.addEgress('p', 2001, limits))).toBe('PROJECT_BANDWIDTH_LIMIT');
        await db.metadata.addEgress('p', 2000, limits);
        expect((await db.metadata.usage('p')).egressBytes).toBe(5000);
        expect((await db.metadata.usage('q')).egressBytes).toBe(0);
        clock += 32 * 24 * 3600 * 1000;
        expect((await db.metadata.usage('p')).egressBytes).toBe(0);
        await db.metadata.addEgress('p', 5000, limits);
      });

      it('keeps usage across a reopen', async () => {
        await db.metadata.createBucket('p', 'bucket');
        const o = await db.metadata.beginObject('p', 'bucket', 'kept');
        await db.metadata.commitInlineSegment(o.streamId, 0, 1, new Uint8Array(40), 4096);
        await db.metadata.commitObject(o.streamId);
        await db.metadata.addEgress('p', 77, { maxStoredBytes: 1e12, maxSegments: 1e6, maxEgressBytesPerMonth: 1e12, maxReplacementNodes: 1 });
        db = await open(options, db);
        expect(await db.metadata.usage('p')).toMatchObject({ storedBytes: 40, segments: 1, egressBytes: 77 });
      });

      it('adds replacement nodes to a pending segment up to a bound, none lost or over it when requests race', async () => {
        await db.metadata.createBucket('p', 'bucket');
        const o = await db.metadata.beginObject('p', 'bucket', 'tail');
        await db.metadata.beginSegment(o.streamId, 0, plan);
        const results = await Promise.all([6, 7, 8, 9].map((i) => codeOf(db.metadata.addSegmentNodes(o.streamId, 0, [{ nodeId: `node-${i}`, number: i % 6 }], 8))));
        expect(results.filter((r) => r === 'ok')).toHaveLength(2);
        expect(results.filter((r) => r === 'SEGMENT_REPLACEMENT_LIMIT')).toHaveLength(2);
        const nodes = (await db.metadata.pendingSegment(o.streamId, 0)).nodes.map((n) => n.nodeId);
        expect(nodes).toHaveLength(8);
        expect(new Set(nodes).size).toBe(8);
        // Without a bound, as before.
        expect((await db.metadata.addSegmentNodes(o.streamId, 0, [{ nodeId: 'node-10', number: 0 }])).nodes).toHaveLength(9);
        expect(await codeOf(db.metadata.addSegmentNodes(o.streamId, 1, [], 8))).toBe('SEGMENT_NOT_PENDING');
      });

      it('names the project, bucket and key of an upload in progress; checks inline segments; refuses a commit into a deleted bucket', async () => {
        await db.metadata.createBucket('p', 'bucket');
        const o = await db.metadata.beginObject('p', 'bucket', 'inline');
        expect(await db.metadata.pendingPlace(o.streamId)).toEqual({ project: 'p', bucket: 'bucket', key: 'inline' });
        expect(await codeOf(db.metadata.pendingPlace('0'.repeat(32)))).toBe('OBJECT_NOT_PENDING');
        expect(await codeOf(db.metadata.commitInlineSegment(o.streamId, -1, 1, new Uint8Array(20), 4096))).toBe('SEGMENT_INDEX_INVALID');
        expect(await codeOf(db.metadata.commitInlineSegment(o.streamId, 2 ** 40, 1, new Uint8Array(20), 4096))).toBe('SEGMENT_INDEX_INVALID');
        expect(await codeOf(db.metadata.commitInlineSegment(o.streamId, 0, 2 ** 64, new Uint8Array(20), 4096))).toBe('SEGMENT_SIZE_INVALID');
        expect(await codeOf(db.metadata.commitInlineSegment(o.streamId, 0, 21, new Uint8Array(20), 4096))).toBe('SEGMENT_SIZE_INVALID');
        expect(await codeOf(db.metadata.commitInlineSegment(o.streamId, 0, 20, new Uint8Array(20), 4096))).toBe('ok');
        await db.metadata.deleteBucket('p', 'bucket');
        expect(await codeOf(db.metadata.commitObject(o.streamId))).toBe('BUCKET_NOT_FOUND');
        await db.metadata.createBucket('p', 'bucket');
        expect((await db.metadata.listObjects('p', 'bucket')).objects).toEqual([]);
        // Committed, the upload is no longer in progress.
        expect(await codeOf(db.metadata.commitObject(o.streamId))).toBe('ok');
        expect(await codeOf(db.metadata.pendingPlace(o.streamId))).toBe('OBJECT_NOT_PENDING');
      });

      it('never writes back a segment whose object was deleted or overwritten while it was repaired', async () => {
        // A repair reads the segment, works, then replaces or drops pieces; the client deletes or
        // overwrites the object meanwhile. Started at every offset of the other's steps: the
        // segment is gone afterwards (the repair's write refused or overwritten), never an orphan.
        await db.metadata.createBucket('p', 'bucket');
        const outcomes = new Set<string>();
        for (let i = 0; i < 40; i++) {
          const name = `race-${i}`;
          const key = await storedObject(name);
          const seg = (await db.metadata.segmentByKey(key))!;
          const overwrite = i % 2 === 1;
          const clientSide = async (): Promise<void> => {
            if (!overwrite) return void (await db.metadata.deleteObject('p', 'bucket', name));
            const o = await db.metadata.beginObject('p', 'bucket', name);
            await db.metadata.commitInlineSegment(o.streamId, 0, 1, new Uint8Array(17), 4096);
            await db.metadata.commitObject(o.streamId);
          };
          const repairSide = (): Promise<unknown> =>
            i % 4 < 2 ? db.metadata.replacePieces(key, seg, [{ ...seg.pieces[0]!, nodeId: 'node-9' }]) : db.metadata.removePieces(key, seg, [1]);
          // The repair's write issued a few event-loop turns into the client's (i / 4 turns).
          const delayed = (async () => {
            for (let t = 0; t < Math.floor(i / 4); t++) await new Promise((r) => setImmediate(r));
            return codeOf(repairSide());
          })();
          const [, code] = await Promise.all([clientSide(), delayed]);
          outcomes.add(code);
          expect(await db.metadata.segmentByKey(key)).toBeUndefined();
        }
        // Both orders happened: some repairs landed before the delete, some were refused after it.
        expect(outcomes).toEqual(new Set(['ok', 'SEGMENT_CHANGED']));
      });

      it('drops uploads left uncommitted past the pending TTL, and only those', async () => {
        await db.metadata.createBucket('p', 'bucket');
        const old = await db.metadata.beginObject('p', 'bucket', 'old');
        await db.metadata.beginSegment(old.streamId, 0, plan);
        clock += 50_000;
        const young = await db.metadata.beginObject('p', 'bucket', 'young');
        const planned = [];
        for await (const p of db.metadata.pendingPieces()) planned.push(p.nodeId);
        expect(planned).toHaveLength(6);
        clock += 20_000;
        expect(await db.metadata.expirePending()).toBe(1);
        expect(await codeOf(db.metadata.pendingSegment(old.streamId, 0))).not.toBe('ok');
        await db.metadata.commitInlineSegment(young.streamId, 0, 1, new Uint8Array(17), 4096);
        await db.metadata.commitObject(young.streamId);
      });

      it('keeps what was committed across a reopen', async () => {
        await db.metadata.createBucket('p', 'bucket');
        const key = await storedObject('kept');
        db = await open(options, db);
        expect((await db.metadata.segmentByKey(key))!.pieces).toHaveLength(4);
        expect((await db.metadata.listBuckets('p')).map((b) => b.name)).toEqual(['bucket']);
      });
    });

    describe('nodes', () => {
      it('records check-ins, flags and uptime checks, and scores them over the period', async () => {
        expect(await db.nodes.get('n1')).toBeUndefined();
        const rec = await db.nodes.checkIn('n1', checkIn('/ip4/127.0.0.1/tcp/1'), true, clock);
        expect(rec).toMatchObject({ id: 'n1', addresses: ['/ip4/127.0.0.1/tcp/1'], reachable: true, firstContact: clock });
        await db.nodes.checkIn('n2', checkIn('/ip4/127.0.0.1/tcp/2'), false, clock);
        expect((await db.nodes.get('n2'))!.reachable).toBe(false);
        await db.nodes.update('n2', (r) => ({ ...r, flags: { ...r.flags, disqualified: 5 } }));
        expect((await db.nodes.get('n2'))!.flags.disqualified).toBe(5);
        await db.nodes.update('nobody', (r) => r);
        expect(await db.nodes.get('nobody')).toBeUndefined();
        const ids = [];
        for await (const n of db.nodes.list()) ids.push(n.id);
        expect(ids.sort()).toEqual(['n1', 'n2']);
        // n1: the check-in and three of four later checks succeeded.
        for (const ok of [true, false, true, true]) {
          clock += 1000;
          await db.nodes.recordCheck('n1', ok, clock);
        }
        expect(await db.nodes.onlineScore('n1', clock)).toBeCloseTo(4 / 5);
        expect(await db.nodes.onlineScore('never-checked', clock)).toBe(1);
        clock += 20_000;
        expect(await db.nodes.pruneWindows(clock)).toBeGreaterThan(0);
        expect(await db.nodes.onlineScore('n1', clock)).toBe(1);
      });

      it('forgets a node with its uptime windows, reputation, containment and suspect report, only while the condition holds', async () => {
        const challenge = (nodeId: string) => ({ nodeId, segmentKey: 'seg', pieceNumber: 0, nonce: 'ab'.repeat(32) });
        const rep = { alpha: 1, beta: 0, successes: 1, failures: 0, offline: 0, contained: 0 };
        for (const id of ['n1', 'n10']) {
          await db.nodes.checkIn(id, checkIn(`/ip4/127.0.0.1/tcp/${id.length}`), true, clock);
          await db.nodes.recordCheck(id, false, clock + 1000);
          await db.reputation.put(id, rep);
          await db.audits.putContainment(`${id}!seg!0`, { challenge: challenge(id), tries: 0, since: 1 });
          await db.audits.putSuspect(id, { challenge: challenge(id), reason: 'r', reported: 1 });
          await db.audits.addRecord({ ...challenge(id), time: 5, outcome: 'success', reason: '', reverify: 0 });
        }
        // The condition fails on the record read just before: nothing goes.
        expect(await db.nodes.forget('n1', (r) => r.reachable)).toBe(false);
        expect(await db.nodes.get('n1')).toBeDefined();
        expect(await db.nodes.forget('n1', (r) => !r.reachable)).toBe(true);
        expect(await db.nodes.forget('n1', () => true)).toBe(false);
        expect(await db.nodes.forget('nobody', () => true)).toBe(false);
        expect(await db.nodes.get('n1')).toBeUndefined();
        // A node checked since has no windows: its score starts afresh.
        expect(await db.nodes.onlineScore('n1', clock + 1000)).toBe(1);
        expect(await db.reputation.get('n1')).toBeUndefined();
        expect(await db.audits.suspect('n1')).toBeUndefined();
        const contained = [];
        for await (const [key] of db.audits.containments()) contained.push(key);
        expect(contained).toEqual(['n10!seg!0']);
        // Audit records stay as history; n10 (whose id starts like n1's) keeps everything.
        expect(await db.audits.countSuccesses('n1', 0, 10)).toBe(1);
        expect(await db.nodes.get('n10')).toBeDefined();
        expect(await db.nodes.onlineScore('n10', clock + 1000)).toBe(0.5);
        expect(await db.reputation.get('n10')).toEqual(rep);
        expect((await db.audits.suspect('n10'))!.reason).toBe('r');
      });
    });

    describe('audits', () => {
      const challenge = (nodeId: string, pieceNumber: number) => ({ nodeId, segmentKey: 'seg', pieceNumber, nonce: 'ab'.repeat(32) });
      it('keeps records by node and time, counts successes in a range, lists the newest', async () => {
        for (const [node, time, outcome] of [
          ['n1', 10, 'success'],
          ['n1', 20, 'failure'],
          ['n1', 20, 'success'],
          ['n2', 15, 'success'],
          ['n1', 30, 'success']
        ] as const) {
          await db.audits.addRecord({ ...challenge(node, 0), time, outcome, reason: '', reverify: 0 });
        }
        expect(await db.audits.countSuccesses('n1', 10, 30)).toBe(2);
        expect(await db.audits.countSuccesses('n1', 0, 100)).toBe(3);
        expect(await db.audits.countSuccesses('n2', 16, 100)).toBe(0);
        expect((await db.audits.newestRecords(2, 'n1')).map((r) => r.time)).toEqual([20, 30]);
        expect((await db.audits.newestRecords(10, 'n1')).map((r) => r.time)).toEqual([10, 20, 20, 30]);
        expect((await db.audits.newestRecords(3)).map((r) => r.time)).toEqual([20, 20, 30]);
      });

      it('keeps text a node sent, NUL bytes included, in audit records, containments, suspects and its record (review 25 H2)', async () => {
        const nasty = 'NODE_BUSY \u0000 \ud83d\ude00 \\ "';
        await db.audits.addRecord({ ...challenge('n1', 0), time: 5, outcome: 'contained', reason: nasty, reverify: 0 });
        expect((await db.audits.newestRecords(1, 'n1'))[0]!.reason).toBe(nasty);
        await db.audits.putContainment('n1!seg!0', { challenge: challenge('n1', 0), tries: 1, since: 5, suspect: nasty });
        expect((await collectAll(db.audits.containments()))[0]![1].suspect).toBe(nasty);
        await db.audits.putSuspect('n1', { challenge: challenge('n1', 0), reason: nasty, reported: 5 });
        expect((await db.audits.suspect('n1'))!.reason).toBe(nasty);
        const rec = await db.nodes.checkIn('n9', { ...checkIn('/ip4/127.0.0.1/tcp/1'), email: nasty, version: nasty }, true, clock);
        expect(rec.email).toBe(nasty);
        expect((await db.nodes.get('n9'))!.email).toBe(nasty);
      });

      it('keeps containment per challenged piece and one suspect per node, newest wins', async () => {
        await db.audits.putContainment('n1!seg!0', { challenge: challenge('n1', 0), tries: 0, since: 5 });
        await db.audits.putContainment('n1!seg!1', { challenge: challenge('n1', 1), tries: 2, since: 6 });
        await db.audits.putContainment('n1!seg!0', { challenge: challenge('n1', 0), tries: 1, since: 5 });
        const contained = [];
        for await (const [key, c] of db.audits.containments()) contained.push([key, c.tries]);
        expect(contained).toEqual([
          ['n1!seg!0', 1],
          ['n1!seg!1', 2]
        ]);
        await db.audits.deleteContainment('n1!seg!0');
        const left = [];
        for await (const [key] of db.audits.containments()) left.push(key);
        expect(left).toEqual(['n1!seg!1']);
        expect(await db.audits.suspect('n1')).toBeUndefined();
        await db.audits.putSuspect('n1', { challenge: challenge('n1', 0), reason: 'first', reported: 1 });
        await db.audits.putSuspect('n1', { challenge: challenge('n1', 1), reason: 'second', reported: 2 });
        await db.audits.putSuspect('n2', { challenge: challenge('n2', 0), reason: 'other', reported: 3 });
        expect((await db.audits.suspect('n1'))!.reason).toBe('second');
        const all = [];
        for await (const [node, s] of db.audits.suspects()) all.push([node, s.reason]);
        expect(all).toEqual([
          ['n1', 'second'],
          ['n2', 'other']
        ]);
        await db.audits.deleteSuspect('n1');
        expect(await db.audits.suspect('n1')).toBeUndefined();
      });
    });

    describe('reputation', () => {
      it('keeps each node\'s reputation, and lists them all', async () => {
        const r = { alpha: 1, beta: 0, successes: 3, failures: 0, offline: 1, contained: 0 };
        expect(await db.reputation.get('n1')).toBeUndefined();
        await db.reputation.put('n1', r);
        await db.reputation.put('n2', { ...r, failures: 2 });
        await db.reputation.put('n1', { ...r, successes: 4 });
        expect(await db.reputation.get('n1')).toEqual({ ...r, successes: 4 });
        const all = [];
        for await (const [node, rep] of db.reputation.entries()) all.push([node, rep.successes, rep.failures]);
        expect(all.sort()).toEqual([
          ['n1', 4, 0],
          ['n2', 3, 2]
        ]);
      });
    });

    describe('repair queue', () => {
      it('queues by health, keeps the lost set, and commits a repair with its dequeue in one write', async () => {
        await db.metadata.createBucket('p', 'bucket');
        const a = await storedObject('a');
        const b = await storedObject('b');
        await db.repairQueue.recordCheck(a, { healthy: 3, needsRepair: true, lost: false, checkedAt: clock });
        await db.repairQueue.recordCheck(b, { healthy: 2, needsRepair: true, lost: false, checkedAt: clock });
        await db.repairQueue.recordCheck(b, { healthy: 2, needsRepair: true, lost: false, checkedAt: clock });
        expect(await db.repairQueue.length()).toBe(2);
        // The least healthy first.
        expect((await db.repairQueue.list(10)).map((q) => q.segmentKey)).toEqual([b, a]);
        await db.repairQueue.recordCheck(a, { healthy: 1, needsRepair: true, lost: true, checkedAt: clock });
        expect(await db.repairQueue.lost()).toEqual([a]);
        expect((await db.repairQueue.list(10)).map((q) => q.segmentKey)).toEqual([a, b]);
        await db.repairQueue.recordCheck(a, { healthy: 4, needsRepair: false, lost: false, checkedAt: clock });
        expect(await db.repairQueue.lost()).toEqual([]);
        expect((await db.repairQueue.list(10)).map((q) => q.segmentKey)).toEqual([b]);

        const entries = [];
        for await (const e of db.repairQueue.entries()) entries.push(e);
        expect(entries.map((e) => e.queued.segmentKey)).toEqual([b]);
        const seg = (await db.metadata.segmentByKey(b))!;
        const moved = { ...seg.pieces[2]!, nodeId: 'node-5' };
        // A stale read: refused, and the entry stays queued.
        const changed = await db.metadata.replacePieces(b, seg, [{ ...seg.pieces[3]!, nodeId: 'node-4' }]);
        expect(await codeOf(db.repairQueue.commitRepair(entries[0]!.queueKey, b, seg, [moved]))).not.toBe('ok');
        expect(await db.repairQueue.length()).toBe(1);
        const done = await db.repairQueue.commitRepair(entries[0]!.queueKey, b, changed, [moved]);
        expect(done.pieces.find((p) => p.number === 2)!.nodeId).toBe('node-5');
        expect(await db.repairQueue.length()).toBe(0);
        await db.repairQueue.recordCheck(a, { healthy: 3, needsRepair: true, lost: false, checkedAt: clock });
        const [entry] = await (async () => {
          const out = [];
          for await (const e of db.repairQueue.entries()) out.push(e);
          return out;
        })();
        await db.repairQueue.remove(entry!.queueKey, a);
        expect(await db.repairQueue.length()).toBe(0);
      });
    });

    describe('repair queue across a restart', () => {
      it('keeps its entries in order and the lost set when the store is reopened', async () => {
        await db.metadata.createBucket('p', 'bucket');
        const [a, b, c] = [await storedObject('qa'), await storedObject('qb'), await storedObject('qc')];
        await db.repairQueue.recordCheck(a, { healthy: 3, needsRepair: true, lost: false, checkedAt: clock });
        await db.repairQueue.recordCheck(b, { healthy: 1, needsRepair: true, lost: true, checkedAt: clock });
        await db.repairQueue.recordCheck(c, { healthy: 2, needsRepair: true, lost: false, checkedAt: clock });
        const before = (await db.repairQueue.list(10)).map((q) => q.segmentKey);
        expect(before).toEqual([b, c, a]);
        db = await open(options, db);
        expect((await db.repairQueue.list(10)).map((q) => q.segmentKey)).toEqual(before);
        expect(await db.repairQueue.length()).toBe(3);
        expect(await db.repairQueue.lost()).toEqual([b]);
      });
    });

    describe('payout publications', () => {
      it('keeps each period\'s publication, the last by period, replaced in place, across a reopen', async () => {
        expect(await db.publications.lastPublication()).toBeUndefined();
        const pub = (period: number, state: 'built' | 'published' | 'pushed'): Publication => ({
          period,
          root: `0x${String(period).repeat(64).slice(0, 64)}`,
          total: String(period * 100),
          wallets: { [`0x${'ab'.repeat(20)}`]: String(period * 100) },
          unassigned: period === 2 ? { n: '5' } : {},
          nodeWallets: { 'node-0': `0x${'ab'.repeat(20)}` },
          scale: '1',
          state,
          pushTxs: []
        });
        // Period 10 after 9: the order is by number, not by text ('10' < '9').
        for (const p of [1, 2, 9, 10]) await db.publications.putPublication(pub(p, 'built'));
        expect((await db.publications.lastPublication())?.period).toBe(10);
        await db.publications.putPublication({ ...pub(2, 'pushed'), publishTx: `0x${'cd'.repeat(32)}`, pushTxs: [`0x${'ef'.repeat(32)}`] });
        db = await open(options, db);
        expect(await db.publications.publication(2)).toEqual({ ...pub(2, 'pushed'), publishTx: `0x${'cd'.repeat(32)}`, pushTxs: [`0x${'ef'.repeat(32)}`] });
        expect(await db.publications.publication(3)).toBeUndefined();
        expect((await db.publications.lastPublication())?.period).toBe(10);
      });
    });

    describe('api keys', () => {
      it('hands a key out once, verifies it, and refuses it once revoked', async () => {
        const { id, key } = await db.apiKeys.create('ci');
        expect((await db.apiKeys.verify(key)).id).toBe(id);
        expect(await codeOf(db.apiKeys.verify(key + 'x'))).toBe('API_KEY_INVALID');
        expect(await codeOf(db.apiKeys.verify(42))).toBe('API_KEY_INVALID');
        const listed = [];
        for await (const k of db.apiKeys.list()) listed.push(k);
        expect(listed).toEqual([expect.objectContaining({ id, name: 'ci', revokedAt: null })]);
        // Only the digest is kept: nothing listed holds the key.
        expect(JSON.stringify(listed)).not.toContain(key.slice(4));
        clock += 5;
        expect((await db.apiKeys.revoke(id)).revokedAt).toBe(clock);
        expect(await codeOf(db.apiKeys.verify(key))).toBe('API_KEY_REVOKED');
        expect(await codeOf(db.apiKeys.revoke('nope'))).toBe('API_KEY_NOT_FOUND');
      });
    });

    describe('settlements', () => {
      const order = (serial: string, nodeId: string, action: 'GET' | 'REPAIR_GET', amount: number) => ({ serial, nodeId, action, amount, created: clock - 10 });

      it('settles a serial once, even when the same serial is settled twice at once, and sums egress by settlement time (the store stamps it)', async () => {
        clock = 1000;
        const both = await Promise.all([db.settlements.settle(order('aa', 'n1', 'GET', 100), 5000), db.settlements.settle(order('aa', 'n1', 'GET', 999), 5000)]);
        expect(both.filter(Boolean)).toHaveLength(1);
        clock = 1002;
        expect(await db.settlements.settle(order('bb', 'n1', 'REPAIR_GET', 50), 5000)).toBe(true);
        clock = 2000;
        expect(await db.settlements.settle(order('cc', 'n2', 'GET', 7), 5000)).toBe(true);
        const first = both[0] ? 100 : 999;
        expect(await db.settlements.egress(1000, 2000)).toEqual([
          { nodeId: 'n1', action: 'GET', bytes: first, orders: 1 },
          { nodeId: 'n1', action: 'REPAIR_GET', bytes: 50, orders: 1 }
        ]);
        expect(await db.settlements.egress(0, 3000, 'n2')).toEqual([{ nodeId: 'n2', action: 'GET', bytes: 7, orders: 1 }]);
        expect(await db.settlements.isSettled('aa')).toBe(true);
        expect(await db.settlements.isSettled('dd')).toBe(false);
      });

      it('counts a settlement asked for before a read in that read', async () => {
        clock = 1000;
        const settling = db.settlements.settle(order('ab', 'n1', 'GET', 10), 5000);
        // Asked while the write is queued: the read waits for it.
        expect(await db.settlements.egress(0, 1001)).toEqual([{ nodeId: 'n1', action: 'GET', bytes: 10, orders: 1 }]);
        expect(await settling).toBe(true);
      });

      it('forgets serials after their keep time, keeping the egress they credited', async () => {
        clock = 1000;
        await db.settlements.settle(order('ee', 'n1', 'GET', 10), 4000);
        await db.settlements.settle(order('ff', 'n1', 'GET', 20), 6000);
        expect(await db.settlements.pruneSerials(4000)).toBe(0);
        expect(await db.settlements.pruneSerials(4001)).toBe(1);
        expect(await db.settlements.isSettled('ee')).toBe(false);
        expect(await db.settlements.isSettled('ff')).toBe(true);
        expect((await db.settlements.egress(0, 2000))[0]!.bytes).toBe(30);
        // Once their period is credited, the settled orders go; later ones stay.
        clock = 3000;
        await db.settlements.settle(order('gg', 'n1', 'GET', 5), 6000);
        expect(await db.settlements.pruneEgress(2000)).toBe(2);
        expect(await db.settlements.egress(0, 4000)).toEqual([{ nodeId: 'n1', action: 'GET', bytes: 5, orders: 1 }]);
      });
    });
  });
}
