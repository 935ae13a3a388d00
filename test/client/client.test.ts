// The client library against a real satellite and six real nodes on loopback (profile 2/3/4/6,
// small segments so several-segment objects stay small).
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Stowage, createAccess, parseAccess } from '../../src/client/index.js';
import { DEFAULT_DOWNLOAD_MARGIN } from '../../src/client/client.js';
import { NODE_DEFAULTS, StorageNode } from '../../src/node/index.js';
import { SATELLITE_DEFAULTS, Satellite, derivePieceId, type SegmentRecord } from '../../src/satellite/index.js';
import { PieceHasher } from '../../src/merkle/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { settledEgress } from '../node/fixtures/egress.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { until } from '../node/fixtures/until.js';

const SEGMENT = 256 * 1024;
let satellite: Satellite;
const nodes: StorageNode[] = [];
const nodeDirs: string[] = [];
let client: Stowage;
let access: string;

beforeAll(async () => {
  satellite = await Satellite.start(
    { ...SATELLITE_DEFAULTS, dataDir: tempDir(), listen: ['/ip4/127.0.0.1/tcp/0'], admin: '', uptimeCheckIntervalMs: 0, profile: { minimum: 2, repair: 3, success: 4, total: 6 }, distinctSubnets: false, downloadMargin: 2 },
    { logger: pino({ level: 'silent' }) }
  );
  for (let i = 0; i < 6; i++) {
    const dir = tempDir();
    nodeDirs.push(dir);
    nodes.push(await startNodeAt(dir));
  }
  const satAddr = satellite.multiaddrs()[0]!.replace(/\/p2p\/.*$/, '');
  const apiKey = await satellite.apiKeys.create('client');
  project = apiKey.id;
  access = createAccess(`${satellite.id}@${satAddr}`, apiKey.key);
  client = await Stowage.connect(access, { segmentSize: SEGMENT, pieceTimeoutMs: 5_000 });
  await client.createBucket('test');
});

afterAll(async () => {
  await client?.close();
  await Promise.all(nodes.map((n) => n.stop()));
  await satellite?.stop();
  removeTempDirs();
});

/** A node on `dir` (a new one, or one stopped by a test and started again), reached by the satellite. */
async function startNodeAt(dir: string): Promise<StorageNode> {
  const satAddr = satellite.multiaddrs()[0]!.replace(/\/p2p\/.*$/, '');
  const n = await StorageNode.start(
    { ...NODE_DEFAULTS, dashboard: '', dataDir: dir, listen: ['/ip4/127.0.0.1/tcp/0'], capacity: 1e9, satellites: [{ peerId: satellite.id, address: satAddr }], checkInIntervalMs: 0 },
    { logger: pino({ level: 'silent' }) }
  );
  await until(() => n.contact.last.get(satellite.id)?.reachable === true, `node ${n.peerId} reached by the satellite`);
  return n;
}

/** The client's project (its API key's id): the satellite's records of its objects are read by it. */
let project: string;

const BIG = 3 * SEGMENT + 12345;
const uploads = new Map<string, Promise<Uint8Array>>();
/**
 * The object `key` of `size` random bytes, uploaded the first time a test asks for it: each test
 * names the objects it needs and runs alone or in any order (vitest --sequence.shuffle).
 */
function object(key: string, size: number): Promise<Uint8Array> {
  let p = uploads.get(key);
  if (!p) {
    p = (async () => {
      const bytes = new Uint8Array(randomBytes(size));
      await client.upload('test', key, bytes);
      return bytes;
    })();
    uploads.set(key, p);
  }
  return p;
}

/** The node whose piece files the corruption test flips (one holding a full-size piece of its object). */
let corrupt = 0;

/** 1 when the corrupt node holds a piece of `seg` whose bytes hash to the root the client gave, else 0. */
async function goodOnCorruptNode(seg: SegmentRecord): Promise<number> {
  const p = seg.pieces.find((x) => x.nodeId === nodes[corrupt]!.peerId);
  if (!p) return 0;
  const id = derivePieceId(new Uint8Array(Buffer.from(seg.rootPieceId, 'hex')), p.nodeId, p.number);
  const hasher = new PieceHasher();
  for await (const chunk of await nodes[corrupt]!.store.get(id)) hasher.update(chunk);
  return Buffer.from(hasher.digest().root).toString('hex') === p.root ? 1 : 0;
}

describe('client round trips', () => {
  const sizes = [0, 1, 4079, 4080, 4081, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 12345];
  for (const size of sizes) {
    it(`${size} bytes`, async () => {
      const bytes = new Uint8Array(randomBytes(size));
      const key = `obj-${size}`;
      const progress: number[] = [];
      const stat = await client.upload('test', key, bytes, { onProgress: (n) => progress.push(n) });
      expect(stat.size).toBe(size);
      expect(progress[progress.length - 1]).toBe(size);
      const back = await collect(client.download('test', key));
      expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('stores objects up to 4080 bytes (4 KiB sealed: one block and its tag) inline and larger ones on nodes', async () => {
    await object('inline-4080', 4080);
    expect((await client.stat('test', 'inline-4080')).segments).toBe(1);
    const used = nodes.reduce((n, node) => n + node.store.usedSpace(), 0);
    const small = new Uint8Array(4080);
    await client.upload('test', 'inline-check', small);
    expect(nodes.reduce((n, node) => n + node.store.usedSpace(), 0)).toBe(used);
    await client.upload('test', 'not-inline', new Uint8Array(4081));
    expect(nodes.reduce((n, node) => n + node.store.usedSpace(), 0)).toBeGreaterThan(used);
  });

  it('uploads from a stream of chunks of any size', async () => {
    const bytes = new Uint8Array(randomBytes(2 * SEGMENT + 777));
    async function* chunks() {
      for (let off = 0; off < bytes.length; off += 10_000) yield bytes.subarray(off, off + 10_000);
    }
    await client.upload('test', 'streamed', chunks());
    expect(Buffer.from(await collect(client.download('test', 'streamed'))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('reads ranges at segment boundaries, fetching only the segments they touch', async () => {
    const key = 'ranged';
    const bytes = await object(key, BIG);
    const { segments } = await satellite.metadata.getObject(project, 'test', key);
    expect(segments).toHaveLength(4);
    for (const [offset, length, touched] of [
      [0, 1, [0]],
      [SEGMENT - 1, 2, [0, 1]],
      [SEGMENT, SEGMENT, [1]],
      [3 * SEGMENT, 12345, [3]],
      [bytes.length - 1, 1, [3]],
      [1000, 0, []]
    ] as const) {
      const before = await settledEgress(nodes);
      const got = await collect(client.download('test', key, { offset, length }));
      expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);
      const sent = (await settledEgress(nodes)) - before;
      // The nodes sent whole pieces of the touched segments only: k of each at least, and no more
      // than the client asks for (k + its margin); one segment more would add k pieces of its own.
      const touchedPieces = (per: number): number => (touched as readonly number[]).reduce((n, i) => n + per * segments[i]!.pieceSize, 0);
      expect(sent, `range ${offset}+${length}`).toBeGreaterThanOrEqual(touchedPieces(2));
      expect(sent, `range ${offset}+${length}`).toBeLessThanOrEqual(touchedPieces(2 + DEFAULT_DOWNLOAD_MARGIN));
    }
    await expect(collect(client.download('test', key, { offset: bytes.length, length: 1 }))).rejects.toMatchObject({ code: 'RANGE_INVALID' });
  });

  it('codes uploads on the worker pool when asked, with the same result', async () => {
    // Segments large enough for the pool to take them (below 32 MiB of multiply-adds a call runs
    // on the calling thread): 8 MiB at 2/6 is 4 MiB shards x 2 inputs x 4 outputs.
    const big = 8 * 1024 * 1024;
    const pooled = await Stowage.connect(access, { segmentSize: big, pieceTimeoutMs: 30_000, codecThreads: 1 });
    try {
      const bytes = new Uint8Array(randomBytes(big + 5));
      await pooled.upload('test', 'pooled', bytes);
      // The segment's parity went to the workers in one 4 MiB column range (2 x 4 x 4 MiB of
      // multiply-adds); its last few columns and the 5-byte tail segment did not.
      expect(pooled.pooledCodecCalls).toBe(1);
      expect(Buffer.from(await collect(client.download('test', 'pooled'))).equals(Buffer.from(bytes))).toBe(true);
    } finally {
      await pooled.close();
    }
  });

  it('stops early when the consumer does, and aborts on a signal with a typed error', async () => {
    const key = 'early';
    await object(key, BIG);
    for await (const chunk of client.download('test', key)) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    // The client is still fine afterwards.
    expect((await collect(client.download('test', key, { offset: 5, length: 10 }))).length).toBe(10);

    const controller = new AbortController();
    async function* endless() {
      for (let i = 0; ; i++) {
        if (i === 3) controller.abort();
        yield new Uint8Array(SEGMENT / 2);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    await expect(client.upload('test', 'aborted', endless(), { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(client.stat('test', 'aborted')).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    const gone = new AbortController();
    gone.abort();
    await expect(collect(client.download('test', key, { signal: gone.signal }))).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('lists in pages and deletes', async () => {
    // A bucket of its own, so the listing is known exactly: every key once, in order, across pages.
    await client.createBucket('paging');
    const keys = ['a', 'a/b', 'a0', 'b', 'c/d/e', 'z', '\u00e9', '\u{1F600}', 'k1', 'k10', 'k2'];
    for (const k of keys) await client.upload('paging', k, new Uint8Array([1]));
    const listAll = async (): Promise<string[]> => {
      const out: string[] = [];
      for await (const page of client.list('paging', { pageSize: 3 })) {
        expect(page.objects.length).toBeLessThanOrEqual(3);
        out.push(...page.objects.map((o) => o.key));
      }
      return out;
    };
    const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
    expect(await listAll()).toEqual([...keys].sort(byBytes));
    await client.delete('paging', 'b');
    await expect(collect(client.download('paging', 'b'))).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    expect(await listAll()).toEqual(keys.filter((k) => k !== 'b').sort(byBytes));
  });

  it('finds a corrupted piece by its root and still downloads from the others', async () => {
    const key = 'corrupted';
    const bytes = await object(key, BIG);
    // Flip a byte in every piece file of one node: one that holds a piece of the first three
    // segments (128 KiB pieces, kept as files; the last segment's small pieces live inline in the
    // node's database and are not touched).
    const { segments } = await satellite.metadata.getObject(project, 'test', key);
    corrupt = nodes.findIndex((n) => segments.slice(0, 3).some((seg) => seg.pieces.some((p) => p.nodeId === n.peerId)));
    expect(corrupt).toBeGreaterThanOrEqual(0);
    const blobs = join(nodeDirs[corrupt]!, 'pieces', 'blobs');
    const files = readdirSync(blobs, { recursive: true }).map(String).filter((f) => statSync(join(blobs, f)).isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const fd = openSync(join(blobs, f), 'r+');
      const b = Buffer.alloc(1);
      readSync(fd, b, 0, 1, 100);
      b[0]! ^= 0xff;
      writeSync(fd, b, 0, 1, 100);
      closeSync(fd);
    }
    // At least one of its pieces of this object is now bad.
    let bad = 0;
    for (const seg of segments) if (seg.pieces.some((p) => p.nodeId === nodes[corrupt]!.peerId) && (await goodOnCorruptNode(seg)) === 0) bad++;
    expect(bad).toBeGreaterThan(0);
    expect(Buffer.from(await collect(client.download('test', key))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('downloads with nodes gone, and says how many pieces were found when too many are', async () => {
    const key = 'nodes-gone';
    const bytes = await object(key, BIG);
    const others = nodes.filter((_, i) => i !== corrupt);
    // The nodes stopped here are started again afterwards, whatever happens: the tests after this
    // one (in any order) have six nodes.
    onTestFinished(async () => {
      for (let i = 0; i < nodes.length; i++) if (others.includes(nodes[i]!)) nodes[i] = await startNodeAt(nodeDirs[i]!);
    });
    await others[0]!.stop();
    await others[1]!.stop();
    // Up to 4 pieces of each segment were stored on 6 nodes; with 2 nodes gone, the good pieces are
    // those on the 3 other live nodes and those of the corrupt node the corruption missed (small
    // pieces are kept inline in its database, not in the files it flipped): each read back and
    // hashed here. The download succeeds exactly when every segment has 2 good ones (k), and
    // names the shortage otherwise.
    const live = new Set(others.slice(2).map((n) => n.peerId));
    const { segments } = await satellite.metadata.getObject(project, 'test', key);
    expect(segments.length).toBe(4);
    let enough = true;
    for (const seg of segments) if (seg.pieces.filter((p) => live.has(p.nodeId)).length + (await goodOnCorruptNode(seg)) < 2) enough = false;
    if (enough) {
      const got = await collect(client.download('test', key));
      expect(Buffer.from(got).equals(Buffer.from(bytes))).toBe(true);
    } else {
      await expect(collect(client.download('test', key))).rejects.toMatchObject({ code: 'NOT_ENOUGH_PIECES' });
    }
    console.log(`  2 nodes gone, 1 corrupt: ${enough ? 'every segment had 2 good pieces, downloaded' : 'a segment had fewer than 2 good pieces, NOT_ENOUGH_PIECES'}`);
    // Every node but the corrupt one gone: it holds at most one piece of a segment, fewer than k
    // whatever its corruption missed. (With one other node left the download could still succeed:
    // CI, 2026-12-01, when that node and the corrupt one held 2 good pieces of every segment.)
    for (const n of others.slice(2)) await n.stop();
    await expect(collect(client.download('test', key))).rejects.toMatchObject({
      code: 'NOT_ENOUGH_PIECES',
      message: expect.stringMatching(/good pieces found of the 2 needed/) as string
    });
  });

  it('refuses a malformed access with a clear error', () => {
    expect(() => parseAccess('hello')).toThrow(expect.objectContaining({ code: 'ACCESS_INVALID' }) as Error);
    expect(parseAccess(access).satelliteId).toBe(satellite.id);
  });
});
