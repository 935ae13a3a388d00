// An uploader that stored a parity piece inconsistent with its data pieces (its own root signed
// over the wrong bytes, so every node check passes), read by a client whose first k pieces
// include that parity piece: the blocks before the bad one authenticate and are given as they
// open; the first block rebuilt from the bad parity does not, the segment is fetched whole, its
// pieces disagree, and another subset opens it. The read must give every byte once, in order,
// right: none twice (the blocks given before the failure), none skipped. Real satellite, nodes
// and client on loopback; the satellite hands out orders for pieces 0 and 2 first (its choice to
// make), every piece when asked again. Format v2 (`stripedUploads: false`): the v4 read of the
// same case is in striped-read.test.ts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENCRYPTION_NAME_V2, SEALED_BLOCK_SIZE, createObjectKey, sealSegment } from '../../src/client/crypto.js';
import type { ClientContext } from '../../src/client/context.js';
import { uploadSegments, type ParityCoder } from '../../src/client/upload.js';
import type { MetainfoRequest, MetainfoResponse, RedundancyScheme } from '../../src/protocol/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { connectClient, startNodes, startSatellite, stopAll } from '../satellite/fixtures.js';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import type { Satellite } from '../../src/satellite/index.js';

// 256 KiB segments in 2 data pieces: each piece holds exactly two sealed blocks of 64 KiB; the
// bad parity byte is rebuilt into the first byte of data piece 1, that is block 2.
const SEGMENT = 256 * 1024;

const parts: { client?: Stowage; nodes?: StorageNode[]; satellite?: Satellite } = {};
beforeAll(async () => {
  parts.satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 4, total: 4 } });
  ({ nodes: parts.nodes } = await startNodes(parts.satellite, 4));
  parts.client = await connectClient(parts.satellite, { segmentSize: SEGMENT, downloadMargin: 0, stripedUploads: false });
  await parts.client.createBucket('sub');
});
afterAll(() => stopAll(parts));

/**
 * The client's parity coder, with the first byte of parity row 0 flipped in the first segment
 * only: a segment's pieces are 128 KiB, one column range (parity.ts), so the first range coded
 * is the first segment's.
 */
function hostileCoder(client: Stowage): (scheme: RedundancyScheme) => ParityCoder {
  const inner = client as unknown as { codec(s: RedundancyScheme): { encode(d: readonly Uint8Array[], i: readonly Uint8Array[]): void; encodeRows(d: readonly Uint8Array[], r: readonly number[], i: readonly Uint8Array[]): void } };
  let ranges = 0;
  return (scheme) => ({
    shared: false,
    encode: (data, into) => {
      inner.codec(scheme).encode(data, into);
      if (ranges++ === 0) into[0]![0]! ^= 0xff;
    },
    encodeRows: () => {
      throw new Error('no stream should fall behind the kept parity ranges here');
    }
  });
}

for (const segments of [1, 3]) {
  it(`a bad parity piece in the first k (${segments} segment(s)): the blocks given before it are not given again, the rest comes from another subset`, { timeout: 60_000 }, async () => {
    const { satellite, client } = parts as Required<typeof parts>;
    // The first segment full (its pieces then split at a block boundary); the last one short.
    const size = segments === 1 ? SEGMENT : segments * SEGMENT - 100;
    const data = new Uint8Array(randomBytes(size));
    const key = `o${segments}`;
    const honest = (client as unknown as { coder: unknown }).coder;
    (client as unknown as { coder: unknown }).coder = hostileCoder(client);
    try {
      await client.upload('sub', key, data);
    } finally {
      (client as unknown as { coder: unknown }).coder = honest;
    }
    // First answers carry orders for pieces 0 and 2 only; asked for every piece, all of them.
    const real = satellite.metainfo.handle.bind(satellite.metainfo);
    let everyPiece = 0;
    satellite.metainfo.handle = async (req: MetainfoRequest): Promise<Partial<MetainfoResponse>> => {
      const res = await real(req);
      const g = req.getObject;
      if (g && g.key === key && !g.statOnly) {
        if (g.allPieces) everyPiece++;
        else for (const seg of res.getObject?.segments ?? []) seg.pieces = seg.pieces.filter((p) => p.order && [0, 2].includes(p.order.pieceNumber));
      }
      return res;
    };
    try {
      const chunks: Uint8Array[] = [];
      let askedAtFirstChunk = -1;
      for await (const chunk of client.download('sub', key)) {
        if (chunks.length === 0) askedAtFirstChunk = everyPiece;
        chunks.push(new Uint8Array(chunk));
      }
      const got = Buffer.concat(chunks);
      expect(got.length).toBe(size);
      expect(got.equals(Buffer.from(data))).toBe(true);
      // The first blocks were given as they opened, before the bad one sent the segment to the
      // retry; only the first segment went there (the next one's pieces, fetched into the
      // region meanwhile, were not overwritten by the retry: they open from {0, 2}).
      expect(askedAtFirstChunk).toBe(0);
      expect(everyPiece).toBe(1);
      // A range inside the second piece's blocks (the failing ones), one across the boundary, and
      // one in the good blocks before it: that one never opens the bad block, so needs no retry.
      for (const [offset, length, retries] of [
        [SEGMENT / 2 + 10, 1000, 1],
        [SEGMENT / 2 - 500, 1000, 1],
        [0, size, 1],
        [10, SEGMENT / 2 - 20, 0]
      ] as const) {
        const before = everyPiece;
        const part = Buffer.from(await collect(client.download('sub', key, { offset, length })));
        expect(part.equals(Buffer.from(data.subarray(offset, offset + length)))).toBe(true);
        expect(everyPiece - before).toBe(retries);
      }
    } finally {
      satellite.metainfo.handle = real;
    }
  });
}

it('a first answer with fewer than k orders: the client asks for every order and reads (review 22 M1)', { timeout: 60_000 }, async () => {
  const { satellite, client } = parts as Required<typeof parts>;
  const data = new Uint8Array(randomBytes(2 * SEGMENT));
  await client.upload('sub', 'few', data);
  const real = satellite.metainfo.handle.bind(satellite.metainfo);
  let everyPiece = 0;
  satellite.metainfo.handle = async (req: MetainfoRequest): Promise<Partial<MetainfoResponse>> => {
    const res = await real(req);
    const g = req.getObject;
    if (g && g.key === 'few' && !g.statOnly) {
      if (g.allPieces) everyPiece++;
      else for (const seg of res.getObject?.segments ?? []) seg.pieces = seg.pieces.filter((p) => p.order?.pieceNumber === 0);
    }
    return res;
  };
  try {
    expect(Buffer.from(await collect(client.download('sub', 'few'))).equals(Buffer.from(data))).toBe(true);
    expect(everyPiece).toBe(2);
  } finally {
    satellite.metainfo.handle = real;
  }
});

it('an uploader that sealed a block twice: the retry\'s subset holds another version of a block given, OBJECT_TAMPERED rather than a splice (review 22 L6)', { timeout: 60_000 }, async () => {
  const { satellite, client } = parts as Required<typeof parts>;
  // The upload as the client makes it (runUpload), but this uploader keeps its content key.
  const ctx = (client as unknown as { ctx: ClientContext }).ctx;
  const objectKey = createObjectKey(ctx.secret, 'sub', 'twice');
  const data = new Uint8Array(randomBytes(3 * SEGMENT));
  // Segment 0 sealed again over other plaintext: its block 2 authenticates as well as the true one.
  const other = sealSegment(objectKey.contentKey, objectKey.version, { index: 0, plainOffset: 0, last: false }, new Uint8Array(randomBytes(SEGMENT)));
  const otherBlock2 = other.subarray(2 * SEALED_BLOCK_SIZE, 3 * SEALED_BLOCK_SIZE);
  const inner = client as unknown as { codec(s: RedundancyScheme): { encode(d: readonly Uint8Array[], i: readonly Uint8Array[]): void } };
  let ranges = 0;
  // Parity row 0 of segment 0 is coded over a data piece 1 whose block 2 is the other version and
  // whose block 3 is broken; row 1 over the true data. So {0, 2} gives blocks 0 and 1, the other
  // block 2, then fails at block 3; {0, 1} opens with the true block 2.
  const coder = (scheme: RedundancyScheme): ParityCoder => ({
    shared: false,
    encode: (d, into) => {
      inner.codec(scheme).encode(d, into);
      if (ranges++ !== 0) return;
      const forged = new Uint8Array(d[1]!);
      forged.set(otherBlock2, 0);
      forged[SEALED_BLOCK_SIZE + 5]! ^= 0xff;
      const rows = [new Uint8Array(into[0]!.length), new Uint8Array(into[1]!.length)];
      inner.codec(scheme).encode([d[0]!, forged], rows);
      into[0]!.set(rows[0]!);
    },
    encodeRows: () => {
      throw new Error('no stream should fall behind the kept parity ranges here');
    }
  });
  const begun = (
    await ctx.metainfo({ beginObject: { bucket: 'sub', key: 'twice', metadata: new Uint8Array(0), encryption: ENCRYPTION_NAME_V2, expires: 0n, encryptedKey: new Uint8Array(objectKey.encryptedKey) } })
  ).beginObject!;
  await uploadSegments({ ctx, segmentSize: SEGMENT, coder }, { streamId: begun.streamId, scheme: begun.scheme!, maxInline: Number(begun.maxInline), contentKey: objectKey.contentKey, version: objectKey.version }, data, {});
  await ctx.metainfo({ commitObject: { streamId: begun.streamId } });

  const real = satellite.metainfo.handle.bind(satellite.metainfo);
  satellite.metainfo.handle = async (req: MetainfoRequest): Promise<Partial<MetainfoResponse>> => {
    const res = await real(req);
    const g = req.getObject;
    if (g && g.key === 'twice' && !g.statOnly && !g.allPieces) {
      for (const seg of res.getObject?.segments ?? []) seg.pieces = seg.pieces.filter((p) => p.order && [0, 2].includes(p.order.pieceNumber));
    }
    return res;
  };
  try {
    let given = 0;
    const outcome = await (async () => {
      for await (const chunk of client.download('sub', 'twice')) given += chunk.length;
    })().then(
      () => 'no error',
      (err: { code?: string; message?: string }) => `${err.code}: ${err.message}`
    );
    expect(outcome).toMatch(/^OBJECT_TAMPERED: segment 0: its pieces decode to two different versions/);
    // Blocks 0, 1 and the other block 2 were given before the failure; nothing after them.
    expect(given).toBe(3 * 64 * 1024);
    // The true data reads back from pieces that agree (no satellite filter): {0, 1} first.
    satellite.metainfo.handle = real;
    expect(Buffer.from(await collect(client.download('sub', 'twice'))).equals(Buffer.from(data))).toBe(true);
  } finally {
    satellite.metainfo.handle = real;
  }
});
