// Object format v4 (issue 23): pieces striped, and a source uploaded with its size sealed and sent
// as it is read. Against a real satellite and six real nodes on loopback (profile 2/3/4/6): round
// trips for sizes around the stripe, segment and inline boundaries, with the source cut into chunks
// by several seeds; ranges; a source that breaks its size; and the layout the nodes hold.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stowage, createAccess } from '../../src/client/index.js';
import { ENCRYPTION_NAME_V4, sealedSizeOf } from '../../src/client/crypto.js';
import { stripeLayout } from '../../src/client/stripes.js';
import { NODE_DEFAULTS, StorageNode } from '../../src/node/index.js';
import { SATELLITE_DEFAULTS, Satellite } from '../../src/satellite/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { until } from '../node/fixtures/until.js';

/** 1 MiB segments: 2 data pieces of 9 shares of 64 KiB, where v2 cuts 2 slices of 524,416 bytes. */
const SEGMENT = 1024 * 1024;
let satellite: Satellite;
const nodes: StorageNode[] = [];
let striped: Stowage;
let plain: Stowage;
let project: string;

beforeAll(async () => {
  satellite = await Satellite.start(
    { ...SATELLITE_DEFAULTS, dataDir: tempDir(), listen: ['/ip4/127.0.0.1/tcp/0'], admin: '', uptimeCheckIntervalMs: 0, profile: { minimum: 2, repair: 3, success: 4, total: 6 }, distinctSubnets: false, downloadMargin: 2 },
    { logger: pino({ level: 'silent' }) }
  );
  const satAddr = satellite.multiaddrs()[0]!.replace(/\/p2p\/.*$/, '');
  for (let i = 0; i < 6; i++) {
    const n = await StorageNode.start(
      { ...NODE_DEFAULTS, dashboard: '', dataDir: tempDir(), listen: ['/ip4/127.0.0.1/tcp/0'], capacity: 1e9, satellites: [{ peerId: satellite.id, address: satAddr }], checkInIntervalMs: 0 },
      { logger: pino({ level: 'silent' }) }
    );
    await until(() => n.contact.last.get(satellite.id)?.reachable === true, `node ${n.peerId} reached by the satellite`);
    nodes.push(n);
  }
  const apiKey = await satellite.apiKeys.create('client');
  project = apiKey.id;
  const access = createAccess(`${satellite.id}@${satAddr}`, apiKey.key);
  striped = await Stowage.connect(access, { segmentSize: SEGMENT, pieceTimeoutMs: 5_000, stripedUploads: true });
  plain = await Stowage.connect(access, { segmentSize: SEGMENT, pieceTimeoutMs: 5_000 });
  await striped.createBucket('four');
});

afterAll(async () => {
  await striped?.close();
  await plain?.close();
  await Promise.all(nodes.map((n) => n.stop()));
  await satellite?.stop();
  removeTempDirs();
});

/** xorshift32, seeded: chunk sizes that differ per seed. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** `bytes` as a stream of chunks of 1 byte to 200 KiB, cut by `seed` (some empty). */
function chunked(bytes: Uint8Array, seed: number): Readable {
  const next = prng(seed);
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; ) {
        const n = next() < 0.05 ? 0 : 1 + Math.floor(next() * next() * 200 * 1024);
        yield bytes.subarray(at, Math.min(bytes.length, at + n));
        at += n;
      }
    })(),
    { objectMode: true }
  );
}

describe('format v4 uploads', () => {
  // Around the inline limit, one stripe, one segment, and several segments with a short last one.
  const sizes = [0, 1, 4000, 64 * 1024 + 1, 2 * 65536 - 16, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 77_777];
  for (const seed of [1, 7, 1234]) {
    it(`round trips sizes ${sizes.join(', ')} streamed with their size (chunks cut by seed ${seed})`, async () => {
      for (const size of sizes) {
        const bytes = new Uint8Array(randomBytes(size));
        const key = `live-${seed}-${size}`;
        await striped.upload('four', key, chunked(bytes, seed), { sizeHint: size });
        // Read by a client that does not upload v4 itself: readers need no option.
        expect(Buffer.from(await collect(plain.download('four', key))).equals(Buffer.from(bytes)), `size ${size}`).toBe(true);
      }
    });
  }

  it('stores pieces striped, under the v4 name, whether streamed or read into a segment first', async () => {
    const bytes = new Uint8Array(randomBytes(2 * SEGMENT + 5000));
    await striped.upload('four', 'layout-live', chunked(bytes, 3), { sizeHint: bytes.length });
    await striped.upload('four', 'layout-held', chunked(bytes, 4));
    for (const key of ['layout-live', 'layout-held']) {
      const { object, segments } = await satellite.metadata.getObject(project, 'four', key);
      expect(object.encryption).toBe(ENCRYPTION_NAME_V4);
      const full = segments[0]!;
      const sealed = sealedSizeOf(SEGMENT);
      // Striped: 9 shares of 64 KiB a piece, not ceil(sealed / 2).
      expect(full.pieceSize).toBe(stripeLayout(sealed, 2).pieceSize);
      expect(full.pieceSize).not.toBe(Math.ceil(sealed / 2));
      expect(Buffer.from(await collect(plain.download('four', key))).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('reads ranges of a striped object: inside a share, across shares, stripes and segments', async () => {
    const bytes = new Uint8Array(randomBytes(3 * SEGMENT + 4321));
    await striped.upload('four', 'ranges', chunked(bytes, 9), { sizeHint: bytes.length });
    const next = prng(99);
    const ranges: [number, number][] = [
      [0, 1],
      [65_530, 20],
      [131_000, 200_000],
      [SEGMENT - 10, 20],
      [SEGMENT, SEGMENT],
      [bytes.length - 1, 1]
    ];
    for (let i = 0; i < 6; i++) {
      const offset = Math.floor(next() * bytes.length);
      ranges.push([offset, Math.floor(next() * (bytes.length - offset))]);
    }
    for (const [offset, length] of ranges) {
      const got = await collect(plain.download('four', 'ranges', { offset, length }));
      expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length))), `range ${offset}+${length}`).toBe(true);
    }
  });

  it('fails SOURCE_SIZE_MISMATCH for a source shorter or longer than its size, and commits nothing', async () => {
    const bytes = new Uint8Array(randomBytes(2 * SEGMENT + 100));
    for (const [key, size] of [
      ['short', bytes.length + 1],
      ['short-by-a-segment', bytes.length + SEGMENT],
      ['long', bytes.length - 1],
      ['long-by-a-segment', bytes.length - SEGMENT - 100],
      // An inline-sized size (the segment is held to be sent inline) and a size of 0.
      ['long-inline', 100],
      ['long-empty', 0]
    ] as const) {
      await expect(striped.upload('four', key, chunked(bytes, 5), { sizeHint: size }), key).rejects.toMatchObject({ code: 'SOURCE_SIZE_MISMATCH' });
      await expect(plain.stat('four', key), key).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    }
  });
});
