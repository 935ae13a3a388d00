// Nodes that accept an upload and then stop reading it (their disk writes never return, so yamux's
// window and the client's send buffer fill and the client's writes wait for 'drain' forever),
// among nodes that cut a stream idle past a 2 s rate window (hostile review 24 H2: the upload
// never ended, and the healthy streams were cut while the client waited). With a write deadline
// (the piece timeout) the frozen streams fail, the others carry the segment, and the upload ends
// stored. Both object formats; real satellite and nodes on loopback.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { FileBlobStore } from '../../src/node/pieces/blobs.js';
import type { Satellite } from '../../src/satellite/index.js';
import { collect } from '../node/fixtures/pieces.js';
import { tempDir } from '../node/fixtures/dirs.js';
import { connectClient, startNodes, startSatellite, stopAll } from '../satellite/fixtures.js';

const MiB = 1024 * 1024;
const parts: { satellite?: Satellite; nodes?: StorageNode[]; client?: Stowage } = {};
let restore: (() => void) | undefined;

beforeAll(async () => {
  parts.satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 3, total: 5 } });
  // Nodes 0 and 1 freeze (and have no rate guard of their own); 2-4 want 64 KiB/s over 2 s.
  const { nodes, configs } = await startNodes(parts.satellite, 5, (i) => (i < 2 ? { minTransferRate: 0 } : { rateWindowMs: 2000, minTransferRate: 64 * 1024 }));
  parts.nodes = nodes;
  const frozen = configs.slice(0, 2).map((c) => c.dataDir);
  // The blob writer's class, from a writer of a store of its own; its write hangs for the frozen nodes.
  const probe = new FileBlobStore(tempDir());
  await probe.init();
  const writer = await probe.create();
  const proto = Object.getPrototypeOf(writer) as { write(this: { tempPath?: string }, chunk: Uint8Array): Promise<void> };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its writer as `this`
  const real = proto.write;
  const hung: ((err: Error) => void)[] = [];
  proto.write = function (chunk) {
    if (frozen.some((d) => String(this.tempPath).startsWith(d))) return new Promise<void>((_, reject) => hung.push(reject));
    return real.call(this, chunk);
  };
  restore = () => {
    proto.write = real;
    for (const fail of hung) fail(new Error('thawed for the test\'s end'));
  };
  await (writer as unknown as { abort(): Promise<void> }).abort().catch(() => undefined);
}, 60_000);

afterAll(async () => {
  restore?.();
  await stopAll(parts);
});

for (const striped of [false, true]) {
  it(`${striped ? 'v4 (live)' : 'v2'}: two nodes that stop reading do not hold the upload; it is stored`, { timeout: 90_000 }, async () => {
    const client = await connectClient(parts.satellite!, { segmentSize: 16 * MiB, stripedUploads: striped, pieceTimeoutMs: 3000 });
    try {
      await client.createBucket('frozen');
      const data = new Uint8Array(randomBytes(16 * MiB));
      const started = Date.now();
      await client.upload('frozen', 'o', [data], { sizeHint: data.length });
      expect(Date.now() - started).toBeLessThan(45_000);
      expect(Buffer.from(await collect(client.download('frozen', 'o'))).equals(Buffer.from(data))).toBe(true);
    } finally {
      await client.close();
    }
  });
}
