// FramedStream's AbortSignal between two real libp2p hosts: a read waiting on a silent peer gives
// up when its signal aborts (long before the idle timeout), an aborted signal fails a call before
// it reads or sends anything, and a signal that never fires changes nothing.
import { getEventListeners } from 'node:events';
import type { Libp2p, Stream } from '@libp2p/interface';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FramedStream, PayoutStatementRequest, UploadRequest, createHost } from '../../src/protocol/index.js';

const SILENT = '/stowage-test/silent/1.0.0';
const SPEAKS = '/stowage-test/speaks/1.0.0';
const LISTENS = '/stowage-test/listens/1.0.0';
const PAUSED = '/stowage-test/paused/1.0.0';
let server: Libp2p;
let client: Libp2p;
/** What the LISTENS handler read, in order. */
let heard: Promise<bigint[]>;

beforeAll(async () => {
  server = await createHost({ listen: ['/ip4/127.0.0.1/tcp/0'] });
  client = await createHost();
  // Accepts the stream and never writes.
  await server.handle(SILENT, () => undefined);
  // Accepts the stream and stops reading it: the sender's window and buffer fill.
  await server.handle(PAUSED, (stream: Stream) => stream.pause());
  // Sends one message after a short while, then closes its side.
  await server.handle(SPEAKS, async (stream: Stream) => {
    const framed = new FramedStream(stream);
    await new Promise((r) => setTimeout(r, 50));
    await framed.write(PayoutStatementRequest, { period: 7n });
    await framed.closeWrite();
  });
  const listened = Promise.withResolvers<bigint[]>();
  heard = listened.promise;
  await server.handle(LISTENS, async (stream: Stream) => {
    const framed = new FramedStream(stream);
    const periods: bigint[] = [];
    try {
      for (let msg = await framed.read(PayoutStatementRequest); msg; msg = await framed.read(PayoutStatementRequest)) periods.push(msg.period);
      listened.resolve(periods);
    } catch (err) {
      listened.reject(err);
    }
  });
});

afterAll(async () => {
  await client?.stop();
  await server?.stop();
});

async function open(protocol: string): Promise<FramedStream> {
  return new FramedStream(await client.dialProtocol(server.getMultiaddrs()[0]!, protocol), { idleTimeoutMs: 20_000 });
}

it('a read blocked on a silent peer rejects promptly when its signal aborts', async () => {
  const framed = await open(SILENT);
  const controller = new AbortController();
  const reason = new Error('the caller gave up');
  const started = performance.now();
  setTimeout(() => controller.abort(reason), 100);
  const err = await framed.read(PayoutStatementRequest, { signal: controller.signal }).catch((e: unknown) => e);
  expect(performance.now() - started).toBeLessThan(2_000);
  expect(err).toMatchObject({ code: 'PROTOCOL_TIMEOUT', cause: reason });
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  framed.abort(new Error('done'));
});

it('an already-aborted signal rejects before reading: the message stays for the next read', async () => {
  const framed = await open(SPEAKS);
  // Wait until the message is buffered (the FramedStream's own listener runs first).
  await new Promise((resolve) => framed.stream.addEventListener('message', resolve, { once: true }));
  const signal = AbortSignal.abort(new Error('already over'));
  await expect(framed.read(PayoutStatementRequest, { signal })).rejects.toMatchObject({ code: 'PROTOCOL_TIMEOUT', message: 'read aborted: already over' });
  await expect(framed.expect(PayoutStatementRequest, 'request', { signal })).rejects.toMatchObject({ code: 'PROTOCOL_TIMEOUT' });
  expect(await framed.read(PayoutStatementRequest)).toEqual({ period: 7n });
  expect(await framed.read(PayoutStatementRequest)).toBeUndefined();
  await framed.closeWrite();
});

it('a read with a signal that never fires returns the message', async () => {
  const framed = await open(SPEAKS);
  const controller = new AbortController();
  expect(await framed.read(PayoutStatementRequest, { signal: controller.signal })).toEqual({ period: 7n });
  expect(await framed.read(PayoutStatementRequest, { signal: controller.signal })).toBeUndefined();
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  await framed.closeWrite();
});

it('an already-aborted write sends nothing; a write with a live signal sends', async () => {
  const framed = await open(LISTENS);
  await expect(framed.write(PayoutStatementRequest, { period: 1n }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'PROTOCOL_TIMEOUT' });
  await framed.write(PayoutStatementRequest, { period: 2n }, { signal: new AbortController().signal });
  await framed.closeWrite();
  expect(await heard).toEqual([2n]);
});

it('a write to a peer that stopped reading fails PROTOCOL_TIMEOUT after the idle timeout (it waited for drain forever)', async () => {
  const framed = new FramedStream(await client.dialProtocol(server.getMultiaddrs()[0]!, PAUSED), { idleTimeoutMs: 1_000 });
  const chunk = new Uint8Array(64 * 1024);
  const started = performance.now();
  let sent = 0;
  const err = await (async () => {
    for (;;) {
      await framed.write(UploadRequest, { chunk });
      sent += chunk.length;
      if (sent > 256 * 1024 * 1024) return new Error('a quarter GiB was taken by a peer that reads nothing');
    }
  })().catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 'PROTOCOL_TIMEOUT', message: expect.stringMatching(/took nothing for 1000 ms/) as string });
  expect(performance.now() - started).toBeLessThan(10_000);
  framed.abort(new Error('done'));
});
