// Stream floods against the satellite's endpoints (hostile review F3): 20 fresh peer ids from one
// IP open 20 metainfo streams each and send most of a 260 KiB frame, then nothing. libp2p caps
// streams per connection and protocol only, so before the endpoint guard every stream was held
// with its buffer. Now one IP holds at most its stream share, its buffered bytes stay inside its
// share of the pool, a client from another IP is served meanwhile, and everything is given back
// when the flood's peers go. A stream that dribbles its request (a byte a second: the idle timeout
// never fired) is reset at the request deadline.
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Stowage, createAccess } from '../../src/client/index.js';
import { PROTOCOL_METAINFO, encodeVarint } from '../../src/protocol/index.js';
import { ENDPOINT_LIMITS, type Satellite } from '../../src/satellite/index.js';
import { startSatellite } from '../satellite/fixtures.js';
import { until } from '../node/fixtures/until.js';
import { peer } from './registry-peers.js';

const PEERS = 20;
const STREAMS_EACH = 20;
const FRAME = 260 * 1024;
let satellite: Satellite;
const attackers: Libp2p[] = [];

beforeAll(async () => {
  satellite = await startSatellite({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip6/::1/tcp/0'], metainfoRequestsPerSecond: 0 });
}, 30_000);

afterAll(async () => {
  await Promise.all(attackers.map(async (a) => a.stop()));
  await satellite?.stop();
});

it(`${PEERS * STREAMS_EACH} stalled metainfo frames from one IP: its share is held, bytes stay in the pool, another client is served`, async () => {
  const via4 = multiaddr(satellite.multiaddrs().find((a) => a.startsWith('/ip4/')));
  attackers.push(...(await Promise.all(Array.from({ length: PEERS }, () => peer()))));
  // Connected first: the streams then share each peer's one connection.
  await Promise.all(attackers.map((a) => a.dial(via4)));
  const errors: string[] = [];
  let opened = 0;
  let refused = 0;
  await Promise.all(
    attackers.flatMap((a) =>
      Array.from({ length: STREAMS_EACH }, async () => {
        try {
          const stream = await a.dialProtocol(via4, PROTOCOL_METAINFO, { signal: AbortSignal.timeout(10_000) });
          opened++;
          stream.send(encodeVarint(FRAME));
          stream.send(new Uint8Array(FRAME - 10 * 1024));
        } catch (err) {
          refused++;
          errors.push((err as Error).message);
        }
      })
    )
  );
  if (errors.length > 0) console.log(`streams libp2p did not open: ${errors.length}, first: ${errors[0]}`);
  // The satellite has seen them all: its share open, the rest reset.
  await until(() => satellite.guard.streams.refused + satellite.guard.streams.open >= PEERS * STREAMS_EACH - refused, 'every flood stream counted or refused');
  // Their frames arrive: the held streams' bytes sit in the pool (about 250 KiB each).
  await until(() => satellite.guard.budget.stats().used > satellite.guard.streams.open * 100 * 1024, 'the held streams\' bytes buffered', 10_000);
  const held = satellite.guard.streams.open;
  const stats = satellite.guard.budget.stats();
  console.log(
    `${PEERS * STREAMS_EACH} flood streams (${opened} opened by libp2p): ${held} held, ${satellite.guard.streams.refused} refused by the cap; ${(stats.used / 2 ** 20).toFixed(1)} MiB buffered (pool ${ENDPOINT_LIMITS.bufferBytes / 2 ** 20} MiB), ${stats.refused} reset by the pool`
  );
  expect(held).toBeLessThanOrEqual(ENDPOINT_LIMITS.maxStreamsPerIp);
  expect(satellite.guard.streams.refused).toBeGreaterThan(0);
  // One IP's share of the pool, not half of it (two IPs filled it before the shares).
  expect(stats.peak).toBeLessThanOrEqual(ENDPOINT_LIMITS.bufferBytesPerIp);
  // The IP's share is full: streams past it were reset (128 x 250 KiB would be 32 MiB).
  await until(() => satellite.guard.streams.open < ENDPOINT_LIMITS.maxStreamsPerIp, 'streams past the IP\'s share reset', 8000);
  expect(satellite.guard.budget.stats().peak).toBeLessThanOrEqual(ENDPOINT_LIMITS.bufferBytesPerIp);

  // A client from ::1 creates a bucket, stores an inline object and reads it back meanwhile.
  const via6 = satellite.multiaddrs().find((a) => a.startsWith('/ip6/'))!.replace(/\/p2p\/.*$/, '');
  const client = await Stowage.connect(createAccess(`${satellite.id}@${via6}`, (await satellite.apiKeys.create('honest')).key));
  try {
    await client.createBucket('honest');
    await client.upload('honest', 'small', new Uint8Array([1, 2, 3]));
    expect((await client.stat('honest', 'small')).size).toBe(3);
  } finally {
    await client.close();
  }

  // The flood's peers go: every stream and byte is given back.
  await Promise.all(attackers.map(async (a) => a.stop()));
  await until(() => satellite.guard.streams.open === 0 && satellite.guard.budget.stats().used === 0, 'every flood stream and byte given back');
}, 90_000);

it('a request dribbled a byte a second is reset at the request deadline; an honest request meanwhile is answered', async () => {
  const via4 = multiaddr(satellite.multiaddrs().find((a) => a.startsWith('/ip4/')));
  const slow = await peer();
  attackers.push(slow);
  const stream = await slow.dialProtocol(via4, PROTOCOL_METAINFO, { signal: AbortSignal.timeout(10_000) });
  const opened = Date.now();
  let closedAt = 0;
  let answered = false;
  stream.addEventListener('message', () => (answered = true));
  stream.addEventListener('close', () => (closedAt = Date.now()), { once: true });
  stream.send(encodeVarint(1000));
  const dribble = setInterval(() => {
    if (stream.status === 'open') stream.send(new Uint8Array([0]));
  }, 1000);
  try {
    await until(() => satellite.guard.streams.open === 1, 'the dribbling stream counted');
    // Meanwhile a client is served (the honest path is not slowed by the deadline).
    const via6 = satellite.multiaddrs().find((a) => a.startsWith('/ip6/'))!.replace(/\/p2p\/.*$/, '');
    const client = await Stowage.connect(createAccess(`${satellite.id}@${via6}`, (await satellite.apiKeys.create('honest2')).key));
    try {
      await client.createBucket('honest2');
    } finally {
      await client.close();
    }
    // At the deadline the stream is answered (PROTOCOL_TIMEOUT) and its count and share given
    // back; the peer, still not closing, is reset after the linger.
    await until(() => satellite.guard.streams.open === 0 && satellite.guard.sharesHeld === 0, 'its count and share given back', ENDPOINT_LIMITS.requestTimeoutMs + 10_000);
    const released = Date.now() - opened;
    expect(released).toBeGreaterThanOrEqual(ENDPOINT_LIMITS.requestTimeoutMs - 100);
    expect(answered).toBe(true);
    await until(() => closedAt > 0, 'the dribbling stream reset', ENDPOINT_LIMITS.lingerMs + 10_000);
    console.log(`dribbling request released after ${released} ms (deadline ${ENDPOINT_LIMITS.requestTimeoutMs} ms), reset after ${closedAt - opened} ms`);
  } finally {
    clearInterval(dribble);
  }
}, 60_000);
