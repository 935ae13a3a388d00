// A satellite whose redundancy scheme is its own choice and the client's memory: with k = 1 and
// n = 8 every piece is as large as the segment. Hostile review 20 (H2): a read missing one data
// piece rebuilt every lost shard, parity included ((n - k) pieces more), and the retry of a
// segment that does not open fetched all n. Now a read rebuilds only its lost data pieces, in
// place, and a client refuses a scheme that expands the data more than its `maxExpansion`
// (REDUNDANCY_REFUSED) before anything is allocated or fetched. Real satellite, real nodes on
// loopback, the real codec (wrapped only to record which shards it is asked for).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stowage, createAccess } from '../../src/client/index.js';
import { downloadObject } from '../../src/client/download.js';
import type { ClientContext } from '../../src/client/context.js';
import { createCodec, type ErasureCodec } from '../../src/erasure/index.js';
import type { StorageNode } from '../../src/node/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { satelliteAddress, startNodes, startSatellite } from '../satellite/fixtures.js';

const SEGMENT = 256 * 1024;
const SIZE = 2 * SEGMENT + 777;

let satellite: Satellite;
let nodes: StorageNode[];
let wide: Stowage;
let strict: Stowage;
let project: string;
const body = new Uint8Array(randomBytes(SIZE));

beforeAll(async () => {
  // 1 of 8: expansion 8, twice the default maxExpansion.
  satellite = await startSatellite({ profile: { minimum: 1, repair: 2, success: 3, total: 8 }, downloadMargin: 1 });
  ({ nodes } = await startNodes(satellite, 8));
  // One access, two clients: the same project and secret, told different limits.
  const key = await satellite.apiKeys.create('hostile-scheme');
  project = key.id;
  const access = createAccess(`${satellite.id}@${satelliteAddress(satellite)}`, key.key);
  wide = await Stowage.connect(access, { segmentSize: SEGMENT, pieceTimeoutMs: 5000, maxExpansion: 8 });
  strict = await Stowage.connect(access, { segmentSize: SEGMENT, pieceTimeoutMs: 5000 });
  await wide.createBucket('wide');
  await wide.upload('wide', 'doc', body);
}, 60_000);

afterAll(async () => {
  await wide?.close();
  await strict?.close();
  await Promise.all((nodes ?? []).map((n) => n.stop()));
  await satellite?.stop();
  removeTempDirs();
});

describe('a satellite whose scheme expands the data 8 times', () => {
  it('a client at the default maxExpansion (4) refuses to read or write it, with nothing fetched', async () => {
    const read = await collect(strict.download('wide', 'doc')).then(
      () => undefined,
      (err: { code?: string; message?: string }) => err
    );
    expect(read?.code).toBe('REDUNDANCY_REFUSED');
    expect(read?.message).toMatch(/1\/8 expands the data 8\.0 times, more than the 4/);
    const write = await strict.upload('wide', 'other', randomBytes(SEGMENT + 5)).then(
      () => undefined,
      (err: { code?: string }) => err
    );
    expect(write?.code).toBe('REDUNDANCY_REFUSED');
    // An upload is refused before its first segment is read, however small (its buffers are
    // sized for the scheme); a read takes only the segments it touches, and inline ones have none.
    expect((await strict.upload('wide', 'tiny', randomBytes(100)).catch((err: { code?: string }) => err))).toMatchObject({ code: 'REDUNDANCY_REFUSED' });
    const tiny = new Uint8Array(randomBytes(100));
    await wide.upload('wide', 'tiny', tiny);
    expect(Buffer.from(await collect(strict.download('wide', 'tiny'))).equals(Buffer.from(tiny))).toBe(true);
    // Nor a range of the large object that lies in its inline last segment... which it has not:
    // every segment but the last is remote, so a range in the first is refused.
    expect((await collect(strict.download('wide', 'doc', { offset: 10, length: 10 })).catch((err: { code?: string }) => err))).toMatchObject({ code: 'REDUNDANCY_REFUSED' });
  });

  it('a read missing its data piece rebuilds that piece alone, none of the 7 parity pieces', async () => {
    // The node holding piece 0 (the only data piece of every segment) goes away.
    const segments = (await satellite.metainfo.getObject(project, 'wide', 'doc', { allPieces: true })).segments;
    expect(segments).toHaveLength(3);
    expect(segments.every((s) => s.pieces.length >= 3)).toBe(true);
    // (A piece number 0 is protobuf's default: absent on the wire.)
    const holders = new Set(segments.flatMap((s) => s.pieces.filter((p) => (p.order?.pieceNumber ?? 0) === 0).map((p) => p.order!.nodeId)));
    for (const n of nodes.filter((n) => holders.has(n.peerId))) await n.stop();

    const calls: string[] = [];
    const recorded = (codec: ErasureCodec): ErasureCodec => ({
      ...codec,
      encode: (...a) => (calls.push('encode'), codec.encode(...a)),
      encodeRows: (...a) => (calls.push('encodeRows'), codec.encodeRows(...a)),
      reconstruct: (shards) => (calls.push(`reconstruct ${shards.filter((s) => !s).length} lost`), codec.reconstruct(shards)),
      reconstructRows: (shards, rows, into) => (calls.push(`reconstructRows ${rows.join(',')}`), codec.reconstructRows(shards, rows, into))
    });
    // The client's own context (its satellite connection and secret), the download path as it is.
    const ctx = (wide as unknown as { ctx: ClientContext }).ctx;
    const got = await collect(
      downloadObject({ ctx, bucket: 'wide', key: 'doc', margin: 1, maxExpansion: 8, codec: (s) => recorded(createCodec({ dataShards: s.minimum, parityShards: s.total - s.minimum })) }, {})
    );
    expect(Buffer.from(got).equals(Buffer.from(body))).toBe(true);
    // One rebuild per segment, of piece 0 only (a segment over the satellite's inline limit has
    // pieces, the last one's 777 bytes included).
    // v4 reads a batch of stripes at a time: data piece 0 is rebuilt batch by batch, alone.
    expect(new Set(calls)).toEqual(new Set(['reconstructRows 0']));
    expect(calls.length).toBeGreaterThanOrEqual(segments.length);
    // And the library's own download does the same and reads back right.
    expect(Buffer.from(await collect(wide.download('wide', 'doc'))).equals(Buffer.from(body))).toBe(true);
  });
});
