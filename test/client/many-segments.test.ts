// An object of more than 300 segments end to end (small profile, 4 KiB segments, so the satellite's
// answers span several pages): the client pages through get_object, downloads byte-identical, and
// ranged reads anywhere (across page boundaries too) return exactly their bytes.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { MetainfoResponse } from '../../src/protocol/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { seededRandom } from '../fixtures/random.js';
import { collect } from '../node/fixtures/pieces.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { connectClient, startNodes, startSatellite } from '../satellite/fixtures.js';

const SEGMENT = 4096;
const SEGMENTS = 310;
const bytes = new Uint8Array(randomBytes(SEGMENTS * SEGMENT - 123));
let satellite: Satellite;
let nodes: StorageNode[];
let client: Stowage;
let pages = 0;

beforeAll(async () => {
  satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 3, total: 4 }, downloadMargin: 1 });
  ({ nodes } = await startNodes(satellite, 4));
  // Count the pages of segments the satellite answers (the real endpoint, only observed).
  const real = satellite.metainfo.handle.bind(satellite.metainfo);
  satellite.metainfo.handle = async (req) => {
    const res = await real(req);
    if (req.getObject && !req.getObject.statOnly) {
      pages++;
      expect(MetainfoResponse.encode(res).length).toBeLessThanOrEqual(256 * 1024 + 4096);
    }
    return res;
  };
  client = await connectClient(satellite, { segmentSize: SEGMENT, pieceTimeoutMs: 10_000 });
  await client.createBucket('many');
  await client.upload('many', 'big', bytes);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await Promise.all((nodes ?? []).map((n) => n.stop()));
  await satellite?.stop();
  removeTempDirs();
});

it(`downloads an object of ${SEGMENTS} segments byte-identical, over several pages`, async () => {
  expect((await client.stat('many', 'big')).segments).toBe(SEGMENTS);
  pages = 0;
  expect(Buffer.from(await collect(client.download('many', 'big'))).equals(Buffer.from(bytes))).toBe(true);
  expect(pages).toBeGreaterThan(1);
}, 120_000);

it('reads ranges anywhere in it, across segment and page boundaries', async () => {
  const rand = seededRandom(Number(process.env.STOWAGE_TEST_SEED ?? 5));
  const ranges: [number, number][] = [
    [0, 1],
    [SEGMENT - 1, 2],
    [200 * SEGMENT - 7, 3 * SEGMENT],
    [bytes.length - 1, 1],
    [bytes.length - SEGMENT - 5, SEGMENT + 5]
  ];
  for (let i = 0; i < 6; i++) {
    const offset = Math.floor(rand() * bytes.length);
    ranges.push([offset, Math.floor(rand() * Math.min(bytes.length - offset, 20 * SEGMENT))]);
  }
  for (const [offset, length] of ranges) {
    const got = await collect(client.download('many', 'big', { offset, length }));
    expect(got.length).toBe(length);
    expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);
  }
}, 120_000);
