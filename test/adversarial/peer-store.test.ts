// Fresh peer ids cost nothing: a server (node or satellite host) that kept every peer that ever
// connected grew without bound. 60 fresh peers connect, identify and go; the server's peer store
// holds none of them afterwards, while a peer still connected stays.
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHost } from '../../src/protocol/index.js';
import { until } from '../node/fixtures/until.js';

let server: Libp2p;
let stays: Libp2p;

beforeAll(async () => {
  server = await createHost({ listen: ['/ip4/127.0.0.1/tcp/0'] });
  stays = await createHost({ listen: ['/ip4/127.0.0.1/tcp/0'] });
});
afterAll(async () => {
  await stays?.stop();
  await server?.stop();
});

it('forgets each peer when its last connection closes, and keeps those still connected', async () => {
  const addr = multiaddr(server.getMultiaddrs()[0]!.toString());
  await stays.dial(addr);
  for (let round = 0; round < 6; round++) {
    const fresh = await Promise.all(Array.from({ length: 10 }, () => createHost({ listen: ['/ip4/127.0.0.1/tcp/0'] })));
    await Promise.all(fresh.map(async (h) => h.dial(addr)));
    // Connected, and identify has run: the server knows them now.
    // Every fresh peer in the store (a peer of the round before may still be on its way out, and
    // identify on a loaded machine took longer than 10 s once: CI of 6eeaf62).
    await until(() => server.getConnections().length === 11, 'fresh peers connected', 30_000);
    await until(async () => {
      const known = new Set((await server.peerStore.all()).map((p) => p.id.toString()));
      return fresh.every((h) => known.has(h.peerId.toString()));
    }, 'fresh peers in the peer store', 30_000);
    await Promise.all(fresh.map(async (h) => h.stop()));
  }
  await until(async () => (await server.peerStore.all()).length === 1, 'only the connected peer left in the peer store', 30_000);
  expect((await server.peerStore.all()).map((p) => p.id.toString())).toEqual([stays.peerId.toString()]);
});
