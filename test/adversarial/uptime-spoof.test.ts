// A node that announces an address nobody can reach but keeps its own connection to the satellite
// open must not count as reachable: uptime checks ping only over connections the satellite dialled
// to an announced address (else they dial back afresh), so the node stays unreachable, and a node
// that is reachable at its address stays reachable. (A node the satellite never reached is not
// recorded at all, so the liar first checks in honestly, then announces a closed port.)
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StorageNode } from '../../src/node/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { startNodes, startSatellite } from '../satellite/fixtures.js';
import { checkInAs } from './registry-peers.js';

let satellite: Satellite;
let nodes: StorageNode[] = [];

beforeAll(async () => {
  satellite = await startSatellite({ dialTimeoutMs: 2000 });
  ({ nodes } = await startNodes(satellite, 2));
  // Node 0 checks in again announcing a closed port (TCP port 1 on loopback refuses); node 1 is honest.
  const again = await checkInAs(nodes[0]!.libp2p, satellite, ['/ip4/127.0.0.1/tcp/1']);
  if (again.reachable) throw new Error('the closed port was reached');
}, 30_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  await satellite?.stop();
  removeTempDirs();
});

it('a node reachable only over the connection it opened itself is not reachable; an honest one is', async () => {
  const [liar, honest] = nodes;
  // The liar's check-in connection to the satellite is open.
  expect(satellite.libp2p.getConnections().some((c) => c.remotePeer.toString() === liar!.peerId && c.status === 'open')).toBe(true);
  expect((await satellite.registry.get(liar!.peerId))?.reachable).toBe(false);
  for (let round = 0; round < 2; round++) {
    await satellite.checkUptime();
    expect((await satellite.registry.get(liar!.peerId))?.reachable).toBe(false);
    expect((await satellite.registry.get(honest!.peerId))?.reachable).toBe(true);
  }
}, 30_000);
