// A downloader that replays one signed allowance as fast as it can (hostile review 13 #1): the
// node used to check the signature of every copy, and one stream stalled its event loop for 9 s
// (4 streams: 28-42 s: no pings, audits or other transfers meanwhile). Now an allowance that does
// not raise the amount by at least 64 KiB (or to the end) ends the transfer before any signature
// work: the node answers ORDER_NO_ALLOWANCE at once and its event loop never stalls.
import { afterEach, describe, expect, it } from 'vitest';
import { DownloadAllowance, DownloadRequest, DownloadResponse, FramedStream, OrderLimit, PROTOCOL_DOWNLOAD, PROTOCOL_UPLOAD, PieceAction, encodeFrame, signBandwidthOrder, uploadPiece } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { TestSatellite, newPieceId, open, startClient, startNode } from '../node/fixtures/network.js';
import { pieceBytes } from '../node/fixtures/pieces.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve().then(c).catch(() => undefined);
  removeTempDirs();
});

describe('a downloader replaying one allowance', () => {
  for (const streams of [1, 4]) {
    it(`is cut at once with ORDER_NO_ALLOWANCE, and the node's event loop is never held (${streams} stream${streams > 1 ? 's' : ''})`, async () => {
      const satellite = await TestSatellite.create();
      cleanups.push(() => satellite.stop());
      const node = await startNode(tempDir(), [satellite]);
      cleanups.push(() => node.stop());
      const client = await startClient();
      cleanups.push(() => client.stop());
      const bytes = pieceBytes(1, 1 << 20);
      const pieceId = newPieceId();
      await uploadPiece(await open(client, node, PROTOCOL_UPLOAD), await satellite.order(node.peerId, PieceAction.PUT, pieceId, { byteLimit: BigInt(bytes.length) }), bytes.length, [bytes], { uplinkKey: satellite.uplink });

      // The node runs in this process: a stalled event loop shows as timer lag here.
      let lagMax = 0;
      let last = performance.now();
      const lag = setInterval(() => {
        const now = performance.now();
        lagMax = Math.max(lagMax, now - last - 50);
        last = now;
      }, 50);
      cleanups.push(() => clearInterval(lag));
      const outcomes = await Promise.all(
        Array.from({ length: streams }, async () => {
          const get = await satellite.order(node.peerId, PieceAction.GET, pieceId, { byteLimit: BigInt(bytes.length) });
          const limit = OrderLimit.decode(get.limit);
          const low = await signBandwidthOrder(get.orderKey!, { serialNumber: limit.serialNumber, amount: 1000n });
          const stream = await open(client, node, PROTOCOL_DOWNLOAD);
          const framed = new FramedStream(stream);
          await framed.write(DownloadRequest, { order: { limit: get.limit, signature: get.signature }, offset: 0n, length: 0n, allowance: low });
          const frame = encodeFrame(DownloadAllowance, { allowance: low }).subarray();
          const batch = new Uint8Array(frame.length * 100);
          for (let i = 0; i < 100; i++) batch.set(frame, i * frame.length);
          let received = 0;
          let code = 'none';
          const t0 = performance.now();
          const reading = (async () => {
            try {
              for (;;) {
                const m = await framed.read(DownloadResponse);
                if (!m) break;
                if (m.error) code = m.error.code;
                received += m.chunk.length;
              }
            } catch {
              // the stream reset after the answer
            }
          })();
          let frames = 0;
          let done = false;
          void reading.then(() => (done = true));
          while (!done && stream.status === 'open' && performance.now() - t0 < 20_000 && frames < 200_000) {
            if (!stream.send(batch)) await Promise.race([new Promise((r) => stream.addEventListener('drain', r, { once: true })), new Promise((r) => setTimeout(r, 20))]);
            frames += 100;
          }
          await reading;
          return { code, received, ms: performance.now() - t0 };
        })
      );
      for (const o of outcomes) {
        expect(o.code).toBe('ORDER_NO_ALLOWANCE');
        expect(o.received).toBe(1000);
        // Cut when the first replay was read, not at a deadline (those are 10 s and more).
        expect(o.ms).toBeLessThan(5000);
      }
      expect(lagMax).toBeLessThan(1000);
      // It keeps the 1000 bytes it was paid for.
      await expect.poll(async () => (await node.context.unsettled!.of(satellite.id, 10)).map((o) => o.amount)).toEqual(Array.from({ length: streams }, () => '1000'));
    });
  }
});
