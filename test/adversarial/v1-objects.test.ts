// Objects of the old format (v1: a GCM tag per segment, nothing bound but the segment's key) are
// still read; a satellite that lies about their size must not get wrong bytes returned as success.
// The v1 object is written as an old client did, through the real metainfo endpoint.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Stowage, createAccess, parseAccess } from '../../src/client/index.js';
import { ENCRYPTION_NAME, ENCRYPTION_OVERHEAD, SegmentCipher, segmentKey } from '../../src/client/crypto.js';
import type { StorageNode } from '../../src/node/index.js';
import type { MetainfoRequest, MetainfoResponse } from '../../src/protocol/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { satelliteAddress, startNodes, startSatellite } from '../satellite/fixtures.js';

let satellite: Satellite;
let nodes: StorageNode[];
let client: Stowage;
let claimedSize: bigint | undefined;
const plain = new Uint8Array(100).map((_, i) => i);

beforeAll(async () => {
  satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 4, total: 6 } });
  ({ nodes } = await startNodes(satellite, 6));
  const apiKey = (await satellite.apiKeys.create('v1')).key;
  const access = createAccess(`${satellite.id}@${satelliteAddress(satellite)}`, apiKey);
  const { secret } = parseAccess(access);
  const handle = satellite.metainfo.handle.bind(satellite.metainfo);
  const call = (req: Partial<MetainfoRequest>): Promise<Partial<MetainfoResponse>> => handle({ apiKey, ...req });
  await call({ createBucket: { name: 'old' } });
  // As a v1 client wrote it: one inline segment, AES-GCM under the per-segment key.
  const streamId = (await call({ beginObject: { bucket: 'old', key: 'note', metadata: new Uint8Array(0), encryption: ENCRYPTION_NAME, expires: 0n } })).beginObject!.streamId;
  const sealed = new Uint8Array(plain.length + ENCRYPTION_OVERHEAD);
  const cipher = new SegmentCipher(segmentKey(secret, 'old', 'note', 0), sealed);
  cipher.update(plain);
  expect(cipher.final()).toBe(sealed.length);
  await call({ commitInlineSegment: { streamId, index: 0, plainSize: BigInt(plain.length), data: sealed } });
  await call({ commitObject: { streamId } });
  // The satellite's answers pass through a filter that may change the object's size.
  satellite.metainfo.handle = async (req) => {
    const res = await handle(req);
    if (claimedSize !== undefined && res.getObject?.object) {
      res.getObject.object.size = claimedSize;
      for (const s of res.getObject.segments) s.plainSize = claimedSize;
    }
    return res;
  };
  client = await Stowage.connect(access, { pieceTimeoutMs: 5000 });
});

afterAll(async () => {
  await client?.close();
  await Promise.all((nodes ?? []).map((n) => n.stop()));
  await satellite?.stop();
  removeTempDirs();
});

it('reads a v1 object written by an old client', async () => {
  claimedSize = undefined;
  expect(Buffer.from(await collect(client.download('old', 'note'))).equals(Buffer.from(plain))).toBe(true);
});

it.each([40n, 150n])('refuses a v1 object whose size the satellite claims as %s (OBJECT_TAMPERED, no bytes)', async (size) => {
  claimedSize = size;
  const chunks: Uint8Array[] = [];
  const err = await (async () => {
    for await (const c of client.download('old', 'note')) chunks.push(c);
  })().then(
    () => undefined,
    (e: { code?: string }) => e
  );
  expect(err?.code).toBe('OBJECT_TAMPERED');
  expect(chunks).toEqual([]);
});
