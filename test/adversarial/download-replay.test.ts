// A downloader that replays its GET order (issue 23: a read no longer waits for its serial's
// LevelDB write before the bytes go out). Replays at once, right after the first use, and after
// the node was stopped and started again: every replay is refused, as before the change, since
// the serial is burned in memory before the first byte and the node waits for the pending writes
// before it closes its LevelDB.
import type { Libp2p } from '@libp2p/interface';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROTOCOL_DOWNLOAD, PROTOCOL_UPLOAD, PieceAction, downloadPiece, uploadPiece } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { TestSatellite, newPieceId, open, startClient, startNode } from '../node/fixtures/network.js';
import { collect, pieceBytes } from '../node/fixtures/pieces.js';

let satellite: TestSatellite;
let client: Libp2p;

beforeAll(async () => {
  satellite = await TestSatellite.create();
  client = await startClient();
});

afterAll(async () => {
  await client?.stop();
  await satellite?.stop();
  removeTempDirs();
});

const BYTES = pieceBytes(11, 700_000);

it('refuses every replay of a GET order: at once, right after, and after a restart', async () => {
  const dir = tempDir();
  const first = await startNode(dir, [satellite]);
  const pieceId = newPieceId();
  await uploadPiece(await open(client, first, PROTOCOL_UPLOAD), await satellite.order(first.peerId, PieceAction.PUT, pieceId), BYTES.length, [BYTES], { uplinkKey: satellite.uplink });

  // Eight uses of one order at once: one download, seven ORDER_REPLAYED.
  const get = await satellite.order(first.peerId, PieceAction.GET, pieceId);
  const results = await Promise.allSettled(Array.from({ length: 8 }, async () => collect(downloadPiece(await open(client, first, PROTOCOL_DOWNLOAD), get))));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ORDER_REPLAYED' });

  // Orders used once each, the node stopped right after the last (its serial write may still be
  // in flight when the stop begins), then started again on the same data: all replays refused.
  const used = [];
  for (let i = 0; i < 5; i++) {
    const order = await satellite.order(first.peerId, PieceAction.GET, pieceId);
    expect(Buffer.from(await collect(downloadPiece(await open(client, first, PROTOCOL_DOWNLOAD), order))).equals(Buffer.from(BYTES))).toBe(true);
    used.push(order);
  }
  await first.stop();
  const second = await startNode(dir, [satellite]);
  try {
    for (const order of [get, ...used]) {
      await expect(collect(downloadPiece(await open(client, second, PROTOCOL_DOWNLOAD), order))).rejects.toMatchObject({ code: 'ORDER_REPLAYED' });
    }
    // A fresh order still reads.
    const fresh = await satellite.order(second.peerId, PieceAction.GET, pieceId);
    expect((await collect(downloadPiece(await open(client, second, PROTOCOL_DOWNLOAD), fresh))).length).toBe(BYTES.length);
  } finally {
    await second.stop();
  }
});
