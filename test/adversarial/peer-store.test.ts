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
    await until(() => server.getConnections().length === 11, 'fresh peers connected', 10_000);
    await until(async () => (await server.peerStore.all()).length === 11, 'fresh peers in the peer store', 10_000);
    await Promise.all(fresh.map(async (h) => h.stop()));
  }
  await until(async () => (await server.peerStore.all()).length === 1, 'only the connected peer left in the peer store', 10_000);
  expect((await server.peerStore.all()).map((p) => p.id.toString())).toEqual([stays.peerId.toString()]);
});
