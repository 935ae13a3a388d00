// FramedStream's flow control between two real libp2p hosts: a reader that keeps stopping must
// slow the sender down, never let libp2p's read buffer overflow (which resets the stream).
import type { Libp2p } from '@libp2p/interface';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FramedStream, UploadRequest, createHost } from '../../src/protocol/index.js';

const PROTOCOL = '/stowage-test/slow-reader/1.0.0';
let server: Libp2p;
let client: Libp2p;

beforeAll(async () => {
  server = await createHost({ listen: ['/ip4/127.0.0.1/tcp/0'] });
  client = await createHost();
});

afterAll(async () => {
  await client?.stop();
  await server?.stop();
});

it('a reader that pauses often receives every byte of 48 MiB, in order, without a reset', async () => {
  const CHUNK = 256 * 1024;
  const COUNT = 192;
  const received = Promise.withResolvers<number>();
  await server.handle(PROTOCOL, async (stream) => {
    const framed = new FramedStream(stream, { idleTimeoutMs: 20_000 });
    let n = 0;
    try {
      for (;;) {
        const msg = await framed.read(UploadRequest);
        if (!msg) break;
        expect(msg.chunk[0]).toBe(n % 256);
        n++;
        // Stop for a while every few frames, as a node does while it syncs a file to disk.
        if (n % 8 === 0) await new Promise((r) => setTimeout(r, 15));
      }
      received.resolve(n);
    } catch (err) {
      received.reject(err);
    }
  });
  const stream = await client.dialProtocol(server.getMultiaddrs()[0]!, PROTOCOL);
  const framed = new FramedStream(stream);
  const chunk = new Uint8Array(CHUNK);
  for (let i = 0; i < COUNT; i++) {
    chunk.fill(i % 256);
    await framed.write(UploadRequest, { chunk });
  }
  await framed.closeWrite();
  expect(await received.promise).toBe(COUNT);
}, 60_000);
