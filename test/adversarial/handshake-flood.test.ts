// One address opens 150 TCP connections to a Stowage host and never starts the handshake. libp2p
// holds at most 100 inbound connections in their handshake for everyone (10 s each): without a
// per-IP share every honest peer was refused until the flood's sockets timed out. With it the
// flood holds its IP's share only, a peer from another address connects at once, and every count
// goes back when the sockets close.
import { connect, type Socket } from 'node:net';
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_PENDING_INBOUND_PER_IP, PendingInboundLimiter, createHost } from '../../src/protocol/index.js';
import { until } from '../node/fixtures/until.js';

const FLOOD = 150;
let host: Libp2p;
let honest: Libp2p;
const limiter = new PendingInboundLimiter();
const sockets: Socket[] = [];

beforeAll(async () => {
  host = await createHost({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip6/::1/tcp/0'], pendingInbound: limiter });
  honest = await createHost({ listen: ['/ip6/::1/tcp/0'] });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await honest?.stop();
  await host?.stop();
});

function portOf(prefix: string): number {
  return Number(/\/tcp\/(\d+)/.exec(host.getMultiaddrs().map(String).find((a) => a.startsWith(prefix))!)![1]);
}

it(`${FLOOD} silent sockets from one IP hold its share of handshakes only; a peer from another IP connects meanwhile`, async () => {
  const port4 = portOf('/ip4/');
  // In waves of 40 (libp2p takes 200 new connections per second from one host).
  for (let i = 0; i < FLOOD; i++) {
    const s = connect(port4, '127.0.0.1');
    s.on('error', () => undefined);
    sockets.push(s);
    if (i % 40 === 39) await new Promise((r) => setTimeout(r, 300));
  }
  // Every socket connected; the host closed those past the share.
  await Promise.all(sockets.filter((s) => s.readyState === 'opening').map((s) => new Promise((r) => s.once('connect', r).once('error', r))));
  await new Promise((r) => setTimeout(r, 500));
  const open = sockets.filter((s) => !s.destroyed && !s.readableEnded).length;
  // Its share, no more (fewer if libp2p's 10 s handshake timeout already cut the first wave on a
  // slow machine); every socket past it was closed.
  expect(limiter.total).toBeLessThanOrEqual(MAX_PENDING_INBOUND_PER_IP);
  expect(limiter.total).toBeGreaterThan(0);
  expect(open).toBeLessThanOrEqual(MAX_PENDING_INBOUND_PER_IP);

  const via6 = host.getMultiaddrs().find((a) => String(a).startsWith('/ip6/'))!;
  const started = Date.now();
  const conn = await honest.dial(multiaddr(String(via6)), { signal: AbortSignal.timeout(5000) });
  console.log(`${FLOOD} silent sockets from 127.0.0.1: ${open} held (share ${MAX_PENDING_INBOUND_PER_IP}); a peer on ::1 connected in ${Date.now() - started} ms`);
  expect(conn.status).toBe('open');
  // The honest handshake finished (on the host's side a moment after the dialler's): its IP counts nothing.
  for (let i = 0; i < 40 && limiter.total > MAX_PENDING_INBOUND_PER_IP; i++) await new Promise((r) => setTimeout(r, 25));
  expect(limiter.total).toBeLessThanOrEqual(MAX_PENDING_INBOUND_PER_IP);

  // The flood's sockets close: their counts go back.
  for (const s of sockets) s.destroy();
  for (let i = 0; i < 100 && limiter.total > 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(limiter.total).toBe(0);
  // And the IP connects again.
  const again = connect(port4, '127.0.0.1');
  sockets.push(again);
  await new Promise((r) => again.once('connect', r));
  for (let i = 0; i < 40 && limiter.total === 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(limiter.total).toBe(1);
}, 60_000);

it('one IP holds at most its share of finished connections too; closing one makes room', async () => {
  const small = new PendingInboundLimiter(MAX_PENDING_INBOUND_PER_IP, 3);
  const capped = await createHost({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip6/::1/tcp/0'], pendingInbound: small });
  const peers: Libp2p[] = [];
  try {
    const via4 = multiaddr(capped.getMultiaddrs().map(String).find((a) => a.startsWith('/ip4/')));
    const via6 = multiaddr(capped.getMultiaddrs().map(String).find((a) => a.startsWith('/ip6/')));
    const results: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await createHost();
      peers.push(p);
      // A refused connection may look open to the dialler for a moment: a stream tells.
      const ok = await p
        .dialProtocol(via4, '/ipfs/ping/1.0.0', { signal: AbortSignal.timeout(3000) })
        .then((s) => (s.abort(new Error('done')), true))
        .catch(() => false);
      results.push(ok);
    }
    expect(results).toEqual([true, true, true, false, false]);
    expect(small.establishedFrom('/ip4/127.0.0.1/tcp/1')).toBe(3);
    // Another IP is not affected.
    const other = await createHost();
    peers.push(other);
    await other.dial(via6, { signal: AbortSignal.timeout(3000) });
    // One of the three goes: its count goes back, and the IP connects again.
    await peers[0]!.stop();
    await until(() => small.establishedFrom('/ip4/127.0.0.1/tcp/1') === 2, 'the closed connection given back', 5000);
    const again = await createHost();
    peers.push(again);
    await again.dialProtocol(via4, '/ipfs/ping/1.0.0', { signal: AbortSignal.timeout(3000) });
  } finally {
    for (const p of peers) await p.stop();
    await capped.stop();
  }
}, 60_000);
