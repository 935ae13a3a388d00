// The upload's long tail (README, client: "Once `success` receipts are in, the rest are
// cancelled"), against a real satellite, four nodes in this process and one real `stowage node run`
// process that the test freezes with SIGSTOP after the satellite has reached it. The frozen node's
// kernel still accepts TCP connections, so a dial to it hangs in the Noise handshake; libp2p gives
// up on each of its addresses after 6 s (ADDRESS_DIAL_TIMEOUT), one address after the other.
// Profile 2/3/4/5 with five nodes: every segment is sent to all five, the frozen one among them,
// and the four others are enough.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { Stowage, createAccess } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { PieceStore } from '../../src/node/pieces/store.js';
import { derivePieceId, type Satellite } from '../../src/satellite/index.js';
import { killChildrenAfterAll } from '../node/fixtures/children.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { runNodeProcess, type NodeProcess } from './fixtures/node-process.js';
import { collect } from '../node/fixtures/pieces.js';
import { until } from '../node/fixtures/until.js';
import { satelliteAddress, startNodes, startSatellite } from '../satellite/fixtures.js';

const SEGMENT = 256 * 1024;
/** Listen addresses of the frozen node: a dial that is not cancelled tries them all, 6 s each. */
const ADDRESSES = 8;
/** Long enough that only libp2p's own dial timeouts, never this one, end a dial to the frozen node. */
const PIECE_TIMEOUT_MS = 150_000;

killChildrenAfterAll();
afterAll(() => removeTempDirs());

/** `stowage node run` trusting `satellite`, listening on ADDRESSES loopback ports. */
const runNode = (satellite: Satellite): Promise<NodeProcess> => runNodeProcess(satellite, ADDRESSES);

it('cuts the long tail at `success` pieces: a frozen node neither holds the upload up nor gets a committed piece', { timeout: 240_000 }, async () => {
  const satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 4, total: 5 } });
  const { nodes } = await startNodes(satellite, 4);
  onTestFinished(async () => {
    await Promise.all(nodes.map((n: StorageNode) => n.stop()));
    await satellite.stop();
  });
  const frozen = await runNode(satellite);
  onTestFinished(async () => {
    // Whatever happened: running again, then gone (SIGKILL works on a stopped process too).
    frozen.child.kill('SIGCONT');
    frozen.child.kill('SIGKILL');
    await frozen.exited;
  });
  await until(async () => {
    const rec = await satellite.registry.get(frozen.nodeId);
    return rec?.lastReached != null && rec.addresses.length === ADDRESSES;
  }, `the node process reached by the satellite at its ${ADDRESSES} addresses`);

  const apiKey = await satellite.apiKeys.create('long-tail');
  const client = await Stowage.connect(createAccess(`${satellite.id}@${satelliteAddress(satellite)}`, apiKey.key), { segmentSize: SEGMENT, pieceTimeoutMs: PIECE_TIMEOUT_MS });
  onTestFinished(() => client.close());
  await client.createBucket('tail');

  expect(frozen.child.kill('SIGSTOP')).toBe(true);
  const bytes = new Uint8Array(randomBytes(SEGMENT + SEGMENT / 2));
  const started = Date.now();
  await client.upload('tail', 'cut', bytes);
  const elapsed = Date.now() - started;
  // Two segments, each sent to the frozen node too. A dial (or stream) to it that the long tail did
  // not cancel would take libp2p's 6 s per address, 8 addresses: 48 s a segment, 96 s in all; the
  // bound leaves a slow machine more than 30 s for what takes well under a second here.
  expect(elapsed).toBeLessThan(40_000);

  // Exactly `success` pieces of each segment committed, all on the four running nodes.
  const running = new Set(nodes.map((n) => n.peerId));
  const { segments } = await satellite.metadata.getObject(apiKey.id, 'tail', 'cut');
  expect(segments.map((s) => s.pieces.length)).toEqual([4, 4]);
  expect(segments.flatMap((s) => s.pieces.map((p) => p.nodeId)).filter((id) => !running.has(id))).toEqual([]);
  // The object reads back while the node is still frozen.
  expect(Buffer.from(await collect(client.download('tail', 'cut'))).equals(Buffer.from(bytes))).toBe(true);

  // Thawed and stopped cleanly, the node holds no piece of the object: the transfers to it were
  // ended, not merely left to time out later.
  frozen.child.kill('SIGCONT');
  frozen.child.kill('SIGTERM');
  expect(await frozen.exited).toBe(0);
  const store = await PieceStore.open({ dir: join(frozen.dataDir, 'pieces'), capacity: 1e9 });
  try {
    const held: string[] = [];
    for (const seg of segments) {
      const rootId = new Uint8Array(Buffer.from(seg.rootPieceId, 'hex'));
      for (let n = 0; n < 5; n++) if (await store.has(derivePieceId(rootId, frozen.nodeId, n))) held.push(`segment ${seg.index} piece ${n}`);
    }
    expect(held).toEqual([]);
  } finally {
    await store.close();
  }
});
