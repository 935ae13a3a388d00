// Bandwidth orders on the download path (issue 21, PROTOCOL.md Egress): the downloader signs
// allowances as bytes arrive, the node sends nothing beyond the highest it holds and keeps that
// order (in LevelDB, across a restart) for settlement. Real node, real libp2p, real LevelDB.
import { generateKeyPair } from '@libp2p/crypto/keys';
import { afterEach, describe, expect, it } from 'vitest';
import type { StorageNode } from '../../src/node/index.js';
import { DownloadAllowance, DownloadRequest, DownloadResponse, FramedStream, OrderLimit, PROTOCOL_DOWNLOAD, PROTOCOL_UPLOAD, PieceAction, downloadPiece, signBandwidthOrder, uploadPiece } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';
import { TestSatellite, newPieceId, open, startClient, startNode } from './fixtures/network.js';
import { collect, pieceBytes } from './fixtures/pieces.js';

const MIB = 1024 * 1024;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve().then(c).catch(() => undefined);
  removeTempDirs();
});

async function world(overrides = {}) {
  const satellite = await TestSatellite.create();
  cleanups.push(() => satellite.stop());
  const dir = tempDir();
  const node = await startNode(dir, [satellite], overrides);
  cleanups.push(() => node.stop());
  const client = await startClient();
  cleanups.push(() => client.stop());
  const upload = async (bytes: Uint8Array) => {
    const pieceId = newPieceId();
    const order = await satellite.order(node.peerId, PieceAction.PUT, pieceId, { byteLimit: BigInt(bytes.length) });
    await uploadPiece(await open(client, node, PROTOCOL_UPLOAD), order, bytes.length, [bytes], { uplinkKey: satellite.uplink });
    return pieceId;
  };
  return { satellite, node, client, dir, upload };
}

const kept = async (node: StorageNode, satelliteId: string) => node.context.unsettled!.of(satelliteId, 100);

/** Reads a download's answer to its end: the piece bytes received and the node's error code ('none'). */
async function readAnswer(framed: FramedStream): Promise<{ received: number; code: string }> {
  let received = 0;
  let code = 'none';
  for (;;) {
    const msg = await framed.read(DownloadResponse).catch(() => undefined);
    if (!msg) break;
    if (msg.error) code = msg.error.code;
    received += msg.chunk.length;
  }
  return { received, code };
}

describe('bandwidth orders on downloads', () => {
  it('a 5 MiB piece with a 1 MiB window: the bytes arrive whole, the node keeps one order for exactly the piece', async () => {
    const { satellite, node, client, upload } = await world();
    const bytes = pieceBytes(3, 5 * MIB + 123);
    const pieceId = await upload(bytes);
    const get = await satellite.order(node.peerId, PieceAction.GET, pieceId, { byteLimit: BigInt(bytes.length) });
    const got = await collect(downloadPiece(await open(client, node, PROTOCOL_DOWNLOAD), get, {}, { allowanceWindowBytes: MIB }));
    expect(Buffer.from(got).equals(Buffer.from(bytes))).toBe(true);
    await expect.poll(async () => (await kept(node, satellite.id)).length).toBe(1);
    const [order] = await kept(node, satellite.id);
    expect(order!.amount).toBe(String(bytes.length));
    expect(order!.serial).toBe(Buffer.from(OrderLimit.decode(get.limit).serialNumber).toString('hex'));
    // A ranged read signs for its range only.
    const ranged = await satellite.order(node.peerId, PieceAction.GET, pieceId, { byteLimit: BigInt(bytes.length) });
    const part = await collect(downloadPiece(await open(client, node, PROTOCOL_DOWNLOAD), ranged, { offset: 1000, length: 300_000 }));
    expect(Buffer.from(part).equals(Buffer.from(bytes.subarray(1000, 301_000)))).toBe(true);
    await expect.poll(async () => (await kept(node, satellite.id)).map((o) => o.amount).sort()).toEqual([String(bytes.length), '300000'].sort());
  });

  it('refuses a download without an allowance, or with one another key signed, and keeps nothing', async () => {
    const { satellite, node, client, upload } = await world();
    const pieceId = await upload(pieceBytes(4, 100_000));
    const bare = await satellite.order(node.peerId, PieceAction.GET, pieceId);
    await expect(collect(downloadPiece(await open(client, node, PROTOCOL_DOWNLOAD), { limit: bare.limit, signature: bare.signature }))).rejects.toMatchObject({ code: 'ORDER_NO_ALLOWANCE' });
    const forged = await satellite.order(node.peerId, PieceAction.GET, pieceId);
    await expect(collect(downloadPiece(await open(client, node, PROTOCOL_DOWNLOAD), { ...forged, orderKey: await generateKeyPair('Ed25519') }))).rejects.toMatchObject({ code: 'ORDER_BAD_SIGNATURE' });
    expect(await kept(node, satellite.id)).toEqual([]);
  });

  it('sends no byte past the allowance of a downloader that stops signing, and keeps what it signed', async () => {
    // The transfer rate floor is off so the wait for an allowance ends at the transfer deadline.
    const { satellite, node, client, upload } = await world({ minTransferRate: 0, maxTransferMs: 3000 });
    const bytes = pieceBytes(5, 2 * MIB);
    const pieceId = await upload(bytes);
    const get = await satellite.order(node.peerId, PieceAction.GET, pieceId, { byteLimit: BigInt(bytes.length) });
    const limit = OrderLimit.decode(get.limit);
    // A downloader that signs for 300,001 bytes once and then only reads.
    const framed = new FramedStream(await open(client, node, PROTOCOL_DOWNLOAD));
    const allowance = await signBandwidthOrder(get.orderKey!, { serialNumber: limit.serialNumber, amount: 300_001n });
    await framed.write(DownloadRequest, { order: { limit: get.limit, signature: get.signature }, offset: 0n, length: 0n, allowance });
    let received = 0;
    let error: string | undefined;
    for (;;) {
      const msg = await framed.read(DownloadResponse).catch((err: Error) => {
        error = err.message;
        return undefined;
      });
      if (!msg) break;
      if (msg.error) error = msg.error.code;
      received += msg.chunk.length;
    }
    expect(received).toBe(300_001);
    expect(error).toBeDefined();
    await expect.poll(async () => (await kept(node, satellite.id)).map((o) => o.amount)).toEqual(['300001']);
  });

  it('ends the transfer at an allowance that does not raise the amount, keeps the highest it held, and keeps it across a restart', async () => {
    const { satellite, node, client, dir, upload } = await world();
    const bytes = pieceBytes(6, 600_000);
    const pieceId = await upload(bytes);
    const get = await satellite.order(node.peerId, PieceAction.GET, pieceId, { byteLimit: BigInt(bytes.length) });
    const limit = OrderLimit.decode(get.limit);
    const sign = (amount: number) => signBandwidthOrder(get.orderKey!, { serialNumber: limit.serialNumber, amount: BigInt(amount) });
    const framed = new FramedStream(await open(client, node, PROTOCOL_DOWNLOAD));
    await framed.write(DownloadRequest, { order: { limit: get.limit, signature: get.signature }, offset: 0n, length: 0n, allowance: await sign(200_000) });
    // A higher one (read when the first runs out), then one lower than it (an older order
    // replayed): the lower one ends the transfer.
    await framed.write(DownloadAllowance, { allowance: await sign(400_000) });
    await framed.write(DownloadAllowance, { allowance: await sign(300_000) });
    const { received, code } = await readAnswer(framed);
    expect(received).toBe(400_000);
    expect(code).toBe('ORDER_NO_ALLOWANCE');
    await expect.poll(async () => (await kept(node, satellite.id)).map((o) => o.amount)).toEqual(['400000']);
    await node.stop();
    const again = await startNode(dir, [satellite]);
    cleanups.push(() => again.stop());
    expect((await kept(again, satellite.id)).map((o) => o.amount)).toEqual(['400000']);
  });

  it('refuses a raise smaller than 64 KiB unless it reaches the end of the range', async () => {
    const { satellite, node, client, upload } = await world();
    const bytes = pieceBytes(7, 300_000);
    const pieceId = await upload(bytes);
    for (const [second, expected] of [
      [200_000 + 65_535, { received: 200_000, code: 'ORDER_NO_ALLOWANCE' }],
      [200_000 + 65_536, { received: 265_536, code: 'ORDER_NO_ALLOWANCE' }],
      [300_000, { received: 300_000, code: 'none' }]
    ] as const) {
      const get = await satellite.order(node.peerId, PieceAction.GET, pieceId, { byteLimit: BigInt(bytes.length) });
      const limit = OrderLimit.decode(get.limit);
      const sign = (amount: number) => signBandwidthOrder(get.orderKey!, { serialNumber: limit.serialNumber, amount: BigInt(amount) });
      const framed = new FramedStream(await open(client, node, PROTOCOL_DOWNLOAD));
      await framed.write(DownloadRequest, { order: { limit: get.limit, signature: get.signature }, offset: 0n, length: 0n, allowance: await sign(200_000) });
      await framed.write(DownloadAllowance, { allowance: await sign(second) });
      // The 265,536 case then stops signing: the node waits for more and ends at its deadline
      // (this test's node: 3 s without a byte); the client closes its side to end it sooner.
      if (second === 200_000 + 65_536) await framed.closeWrite();
      const { received, code } = await readAnswer(framed);
      expect({ received, code }).toEqual(expected);
    }
  });
});
