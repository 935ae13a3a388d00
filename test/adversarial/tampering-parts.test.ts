// A satellite that lies about the parts of an object completed from parts (format v3, review 17
// M2): it drops a part, swaps two, hands one part's proof to another, strips the proofs, or says
// a part lies where another does, and renumbers offsets and sizes to match. Real nodes and the
// real client library on loopback; the satellite's metainfo answers pass through a hostile
// filter. Every read, ranged or whole, returns the right bytes or fails OBJECT_TAMPERED; the reads
// that would have returned wrong bytes before the parts tree fail.
import { randomBytes } from 'node:crypto';
import type { PrivateKey } from '@libp2p/interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import { loadOrCreateIdentity } from '../../src/common/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { type GetObjectResponse, type MetainfoRequest, type MetainfoResponse, type SegmentInfo } from '../../src/protocol/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { collect } from '../node/fixtures/pieces.js';
import { connectClient, startNodes, startSatellite } from '../satellite/fixtures.js';
import { sizeOf, withFreshOrders, withOffsets } from './fixtures/lying-satellite.js';

const SEGMENT = 64 * 1024;
// Parts 1..4: three segments, one, two, one.
const SIZES = [2 * SEGMENT + 100, 5000, SEGMENT + 7, 3000];
const bodies = SIZES.map((n) => new Uint8Array(randomBytes(n)));
const whole = Buffer.concat(bodies);
const starts = SIZES.map((_, i) => SIZES.slice(0, i).reduce((a, b) => a + b, 0));

type Lie = (truth: SegmentInfo[]) => SegmentInfo[];

let satellite: Satellite;
let nodes: StorageNode[];
let client: Stowage;
let satelliteKey: PrivateKey;
let lie: Lie | undefined;
/** Rewrites the satellite's answer to where a part lies (get_object stat_only with part_number). */
let partLie: ((res: GetObjectResponse) => GetObjectResponse) | undefined;

const ofPart = (segs: SegmentInfo[], n: number): SegmentInfo[] => segs.filter((s) => s.part!.number === n);
const consistent = withOffsets;

const LIES: Record<string, Lie> = {
  'drops part 2, offsets and size to match': (t) => consistent(t.filter((s) => s.part!.number !== 2)),
  'drops part 1, offsets and size to match': (t) => consistent(t.filter((s) => s.part!.number !== 1)),
  'swaps parts 2 and 3, offsets to match': (t) => consistent([...ofPart(t, 1), ...ofPart(t, 3), ...ofPart(t, 2), ...ofPart(t, 4)]),
  'gives part 3 the place, leaf and proof of part 2 with its own offsets': (t) => {
    const p2 = ofPart(t, 2)[0]!.part!;
    return consistent([...ofPart(t, 1), ...ofPart(t, 3).map((s) => ({ ...s, part: { ...s.part!, leaf: p2.leaf, proof: p2.proof, partOffset: p2.partOffset } })), ...ofPart(t, 4)]);
  },
  'strips the proofs (a satellite from before the parts tree)': (t) => t.map((s) => ({ ...s, part: { ...s.part!, proof: [], leaf: 0, partOffset: 0n } })),
  'says part 3 starts one byte later': (t) => t.map((s) => (s.part!.number === 3 ? { ...s, part: { ...s.part!, partOffset: s.part!.partOffset + 1n }, plainOffset: s.plainOffset! + 1n } : s))
};

/** The lying satellite signs fresh orders (new serials) for whatever segment it hands out. */
const fresh = (seg: SegmentInfo): Promise<SegmentInfo> => withFreshOrders(satelliteKey, seg);

/** The truth (every piece, one page) through the real endpoint, then the lie, then the page asked for. */
function hostile(real: (req: MetainfoRequest) => Promise<Partial<MetainfoResponse>>): (req: MetainfoRequest) => Promise<Partial<MetainfoResponse>> {
  return async (req) => {
    const g = req.getObject;
    if (partLie && g?.statOnly && g.partNumber) {
      const res = await real(req);
      return { getObject: partLie(res.getObject!) };
    }
    if (!lie || !g) return real(req);
    const truth: GetObjectResponse = (await real({ ...req, getObject: { ...g, statOnly: false, partNumber: undefined, allPieces: true, firstSegment: 0, offset: 0n, segmentLimit: 0 } })).getObject!;
    expect(truth.more).toBeFalsy();
    const told = lie(truth.segments);
    const object = { ...truth.object!, size: sizeOf(told), segmentCount: told.length };
    if (g.statOnly) return { getObject: { object, segments: [], more: false, nextSegment: 0 } };
    const first = g.firstSegment ? told.findIndex((s) => s.index === g.firstSegment) : told.findIndex((s) => s.plainOffset! + s.plainSize > (g.offset ?? 0n));
    const page = await Promise.all((first < 0 ? [] : told.slice(first)).map((s) => fresh(g.allPieces ? s : { ...s, pieces: s.pieces.slice(0, 3) })));
    return { getObject: { object, segments: page, more: false, nextSegment: 0 } };
  };
}

beforeAll(async () => {
  satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 4, total: 6 }, downloadMargin: 1, maxInlineBytes: 1024 });
  ({ nodes } = await startNodes(satellite, 6));
  client = await connectClient(satellite, { segmentSize: SEGMENT, pieceTimeoutMs: 5000 });
  await client.createBucket('tam');
  const id = await client.beginMultipart('tam', 'parts');
  // Part 2 first uploaded with other bytes, then again: the first upload is discarded.
  await client.uploadPart('tam', 'parts', id, 2, new Uint8Array(randomBytes(SIZES[1]!)));
  const parts = [];
  for (const [i, body] of bodies.entries()) parts.push(await client.uploadPart('tam', 'parts', id, i + 1, body));
  await client.completeMultipart('tam', 'parts', id, parts);
  satelliteKey = await loadOrCreateIdentity(satellite.config.dataDir);
  satellite.metainfo.handle = hostile(satellite.metainfo.handle.bind(satellite.metainfo));
}, 60_000);

afterAll(async () => {
  await client?.close();
  await Promise.all((nodes ?? []).map((n) => n.stop()));
  await satellite?.stop();
  removeTempDirs();
});

/** The bytes, or the error code. */
async function read(opts: { offset?: number; length?: number; part?: number }): Promise<Buffer | string> {
  return collect(client.download('tam', 'parts', opts)).then(
    (b) => Buffer.from(b),
    (err: { code?: string }) => err.code ?? 'no code'
  );
}

describe('a satellite that lies about the parts of an object', () => {
  it('passes the truth through: whole, ranged across every part boundary, and each part by number', async () => {
    lie = undefined;
    expect(await read({})).toEqual(whole);
    for (const at of starts.slice(1)) expect(await read({ offset: at - 10, length: 20 })).toEqual(whole.subarray(at - 10, at + 10));
    for (const [i, at] of starts.entries()) {
      expect(await client.partRange('tam', 'parts', i + 1)).toEqual({ offset: at, size: SIZES[i] });
      expect(await read({ offset: at, length: SIZES[i]!, part: i + 1 })).toEqual(Buffer.from(bodies[i]!));
    }
  });

  for (const [name, how] of Object.entries(LIES)) {
    it(`${name}: right bytes or OBJECT_TAMPERED, for whole and ranged reads`, async () => {
      lie = how;
      const ranges: [number, number][] = [[0, 0], [0, 100], ...starts.slice(1).map((at): [number, number] => [at - 10, 20]), [starts[2]! + 5, 100], [starts[3]!, 50]];
      const told = (await client.stat('tam', 'parts')).size;
      let tampered = 0;
      for (const [offset, length] of ranges) {
        if (offset >= told) continue; // past the end the liar claims: nothing to read
        const got = await read(length === 0 ? {} : { offset, length: Math.min(length, told - offset) });
        if (typeof got === 'string') {
          expect(got).toBe('OBJECT_TAMPERED');
          tampered++;
        } else {
          expect(got).toEqual(length === 0 ? whole : whole.subarray(offset, offset + Math.min(length, told - offset)));
        }
      }
      expect(tampered).toBeGreaterThan(0);
      lie = undefined;
    });
  }

  it('where a part lies is proved: a part said to be empty, elsewhere, another part or unproved is OBJECT_TAMPERED (review 18)', async () => {
    lie = undefined;
    const lies: Record<string, (res: GetObjectResponse) => GetObjectResponse> = {
      'empty': (r) => ({ ...r, partSize: 0n }),
      'a byte late': (r) => ({ ...r, partOffset: r.partOffset! + 1n }),
      'where part 3 lies': (r) => ({ ...r, partOffset: BigInt(starts[2]!), partSize: BigInt(SIZES[2]!) }),
      'with part 3 as its proof': (r) => ({ ...r, partOffset: BigInt(starts[2]!), partSize: BigInt(SIZES[2]!), partPlace: { ...r.partPlace!, number: 3, partOffset: BigInt(starts[2]!), size: BigInt(SIZES[2]!), leaf: 2 } }),
      'without a proof': (r) => ({ ...r, partPlace: undefined })
    };
    try {
      for (const [name, how] of Object.entries(lies)) {
        partLie = how;
        const got = await client.partRange('tam', 'parts', 2).then(
          () => 'no error',
          (err: { code?: string }) => err.code
        );
        expect([name, got]).toEqual([name, 'OBJECT_TAMPERED']);
      }
    } finally {
      partLie = undefined;
    }
    expect(await client.partRange('tam', 'parts', 2)).toEqual({ offset: starts[1], size: SIZES[1] });
  });

  it('a part asked for by number where another lies, or with a size cut, fails OBJECT_TAMPERED', async () => {
    lie = undefined;
    // What a lying partRange could name: part 3's bytes as part 2, part 2 cut short, part 2 from a byte late.
    expect(await read({ offset: starts[2]!, length: SIZES[2]!, part: 2 })).toBe('OBJECT_TAMPERED');
    expect(await read({ offset: starts[1]!, length: SIZES[1]! - 1, part: 2 })).toBe('OBJECT_TAMPERED');
    expect(await read({ offset: starts[1]! + 1, length: SIZES[1]! - 1, part: 2 })).toBe('OBJECT_TAMPERED');
    expect(await read({ offset: starts[1]!, length: SIZES[1]! + SIZES[2]!, part: 2 })).toBe('OBJECT_TAMPERED');
  });
});
