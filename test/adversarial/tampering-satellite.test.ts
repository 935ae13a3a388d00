// A satellite that lies about an object's segments: it drops, reorders, repeats or swaps them
// (with segments of another version of the same key), and answers consistently (object size,
// offsets, pages and the "every piece" orders a client asks for after a failure all agree with
// the lie). Real nodes and the real client library on loopback; the satellite's metainfo answers
// pass through a hostile filter. Every whole-object read must end in OBJECT_TAMPERED; ranged
// reads either return the right bytes (the segments they touch were not altered) or fail with
// OBJECT_TAMPERED, never wrong bytes as a success.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import type { PrivateKey } from '@libp2p/interface';
import { loadOrCreateIdentity } from '../../src/common/index.js';
import { type GetObjectResponse, type MetainfoRequest, type MetainfoResponse, type SegmentInfo } from '../../src/protocol/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { connectClient, startNodes, startSatellite } from '../satellite/fixtures.js';
import { sizeOf, withFreshOrders, withOffsets } from './fixtures/lying-satellite.js';

const SEGMENT = 64 * 1024;
// Four segments, the last one short: 3 full + 1000 bytes.
const SIZE = 3 * SEGMENT + 1000;

type Lie = (truth: SegmentInfo[], size: bigint) => { segments: SegmentInfo[]; size: bigint };

let satellite: Satellite;
let nodes: StorageNode[];
let client: Stowage;
let lie: Lie | undefined;
let older: SegmentInfo[] = [];
const versionA = new Uint8Array(randomBytes(SIZE));
const versionB = new Uint8Array(randomBytes(SIZE));

const relabel = (seg: SegmentInfo, as: SegmentInfo): SegmentInfo => ({ ...seg, index: as.index, plainOffset: as.plainOffset });

const LIES: Record<string, Lie> = {
  'drops the last segment (size cut to match)': (t) => ({ segments: t.slice(0, -1), size: sizeOf(t.slice(0, -1)) }),
  'says the object ends inside its second segment': (t) => ({ segments: t, size: BigInt(SEGMENT + 100) }),
  'says the object is empty': (t) => ({ segments: t, size: 0n }),
  'starts its answer a segment late (the first one left out, nothing renumbered)': (t, size) => ({ segments: t.slice(1), size }),
  'drops a middle segment and renumbers the rest': (t) => {
    const segs = withOffsets([t[0]!, ...t.slice(2)]);
    return { segments: segs, size: sizeOf(segs) };
  },
  'swaps two segments under each other\u2019s labels': (t, size) => ({ segments: [relabel(t[1]!, t[0]!), relabel(t[0]!, t[1]!), ...t.slice(2)], size }),
  'repeats a segment in place of the next': (t, size) => ({ segments: [t[0]!, t[1]!, relabel(t[1]!, t[2]!), t[3]!], size }),
  'splices in a segment of the older version': (t, size) => ({ segments: [t[0]!, relabel(older[1]!, t[1]!), t[2]!, t[3]!], size }),
  'serves the older version\u2019s last segment as the newest\u2019s': (t, size) => ({ segments: [...t.slice(0, 3), relabel(older[3]!, t[3]!)], size })
};

let satelliteKey: PrivateKey;

/** The lying satellite signs fresh orders (new serials) for whatever segment it hands out. */
const fresh = (seg: SegmentInfo): Promise<SegmentInfo> => withFreshOrders(satelliteKey, seg);

const SIZE_ONLY = new Set(['says the object ends inside its second segment', 'says the object is empty']);

/** The truth (every piece, one page) through the real endpoint, then the lie, then the page asked for. */
function hostile(real: (req: MetainfoRequest) => Promise<Partial<MetainfoResponse>>): (req: MetainfoRequest) => Promise<Partial<MetainfoResponse>> {
  return async (req) => {
    const g = req.getObject;
    if (!lie || !g || g.statOnly) {
      const res = await real(req);
      if (lie && g?.statOnly && res.getObject?.object) {
        const truth = (await real({ ...req, getObject: { ...g, statOnly: false, allPieces: true, firstSegment: 0, offset: 0n, segmentLimit: 0 } })).getObject!;
        res.getObject.object.size = lie(truth.segments, truth.object!.size).size;
      }
      return res;
    }
    const truth: GetObjectResponse = (await real({ ...req, getObject: { ...g, allPieces: true, firstSegment: 0, offset: 0n, segmentLimit: 0 } })).getObject!;
    expect(truth.more).toBeFalsy();
    const told = lie(truth.segments, truth.object!.size);
    const first = g.firstSegment ? told.segments.findIndex((s) => s.index === g.firstSegment) : told.segments.findIndex((s) => s.plainOffset! + s.plainSize > (g.offset ?? 0n));
    const page = await Promise.all(
      (first < 0 ? [] : told.segments.slice(first, g.segmentLimit ? first + g.segmentLimit : undefined)).map((s) => fresh(g.allPieces ? s : { ...s, pieces: s.pieces.slice(0, 3) }))
    );
    return { getObject: { object: { ...truth.object!, size: told.size, segmentCount: told.segments.length }, segments: page, more: false, nextSegment: 0 } };
  };
}

beforeAll(async () => {
  satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 4, total: 6 }, downloadMargin: 1 });
  ({ nodes } = await startNodes(satellite, 6));
  client = await connectClient(satellite, { segmentSize: SEGMENT, pieceTimeoutMs: 5000 });
  await client.createBucket('tam');
  await client.upload('tam', 'doc', versionA);
  satelliteKey = await loadOrCreateIdentity(satellite.config.dataDir);
  const real = satellite.metainfo.handle.bind(satellite.metainfo);
  // Version A's segments with orders for every piece, kept before B replaces it (its pieces stay
  // on the nodes: garbage collection never runs here).
  let project = '';
  for await (const k of satellite.apiKeys.list()) project = k.id;
  older = (await satellite.metainfo.getObject(project, 'tam', 'doc', { allPieces: true })).segments;
  expect(older).toHaveLength(4);
  await client.upload('tam', 'doc', versionB);
  satellite.metainfo.handle = hostile(real);
});

afterAll(async () => {
  await client?.close();
  await Promise.all((nodes ?? []).map((n) => n.stop()));
  await satellite?.stop();
  removeTempDirs();
});

describe('a satellite that tampers with an object\u2019s segments', () => {
  it('passes an honest answer through unchanged: the newest version reads back right', async () => {
    lie = undefined;
    expect(Buffer.from(await collect(client.download('tam', 'doc'))).equals(Buffer.from(versionB))).toBe(true);
  });

  for (const [name, how] of Object.entries(LIES)) {
    it(`${name}: OBJECT_TAMPERED, never wrong bytes`, async () => {
      lie = how;
      const whole = await collect(client.download('tam', 'doc')).then(
        () => 'no error',
        (err: { code?: string }) => err.code
      );
      expect(whole).toBe('OBJECT_TAMPERED');
      // Ranges: right bytes or OBJECT_TAMPERED, whatever the range.
      let tampered = 0;
      for (const [offset, length] of [
        [0, 100],
        [SEGMENT - 10, 20],
        [SEGMENT + 5, SEGMENT],
        [3 * SEGMENT - 1, 2]
      ] as const) {
        const told = (await client.stat('tam', 'doc')).size;
        if (offset + length > told) continue;
        try {
          const got = await collect(client.download('tam', 'doc', { offset, length }));
          expect(Buffer.from(got).equals(Buffer.from(versionB.subarray(offset, offset + length)))).toBe(true);
        } catch (err) {
          expect((err as { code?: string }).code).toBe('OBJECT_TAMPERED');
          tampered++;
        }
      }
      // Lies about the size alone leave the segments a range touches intact: right bytes there.
      if (!SIZE_ONLY.has(name)) expect(tampered).toBeGreaterThan(0);
      lie = undefined;
    });
  }
});
