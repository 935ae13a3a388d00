// libp2p pings every connection every 10 s and aborts it, with every stream on it, when a pong
// is late. A pong queues behind piece data in flight and behind a busy event loop: with libp2p's
// 5 s a client busy for longer (8 downloads at once on 2 cores, issue 23) lost its transfers with
// "The operation was aborted due to timeout". Here a real `stowage node run` process serves a piece
// to this process's host (createHost, as the client library uses it), and this process blocks its
// event loop for 16 s mid-download: both sides' pings go unanswered for longer than libp2p's 5 s
// (a 10 s ping interval always puts one within the first 11 s), and the download still completes.
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_DOWNLOAD, PROTOCOL_UPLOAD, PieceAction, createHost, downloadPiece, uploadPiece } from '../../src/protocol/index.js';
import { killChildrenAfterAll } from '../node/fixtures/children.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { TestSatellite, newPieceId } from '../node/fixtures/network.js';
import { runNodeProcess, type NodeProcess } from '../node/fixtures/node-process.js';
import { pieceBytes } from '../node/fixtures/pieces.js';

const BLOCK_MS = 16_000;

let satellite: TestSatellite;
let client: Libp2p;
let node: NodeProcess;
killChildrenAfterAll();

beforeAll(async () => {
  satellite = await TestSatellite.create();
  client = await createHost();
  node = await runNodeProcess({ satellite: `${satellite.id}@/ip4/127.0.0.1/tcp/1` });
});
afterAll(async () => {
  await client?.stop();
  node?.child.kill('SIGTERM');
  await node?.exited;
  removeTempDirs();
});

/** Blocks this thread (timers, sockets, everything) for `ms`. */
function blockEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('a connection whose peer is busy for longer than libp2p pings allow', () => {
  it('keeps its streams: a download paused by a 16 s busy event loop completes, byte for byte', { timeout: 60_000 }, async () => {
    const address = multiaddr(node.addresses[0]);
    const bytes = pieceBytes(7, 8 * 1024 * 1024);
    const pieceId = newPieceId();
    const put = await satellite.order(node.nodeId, PieceAction.PUT, pieceId);
    await uploadPiece(await client.dialProtocol(address, PROTOCOL_UPLOAD), put, bytes.length, [bytes], { uplinkKey: satellite.uplink });

    const get = await satellite.order(node.nodeId, PieceAction.GET, pieceId);
    const chunks: Uint8Array[] = [];
    let received = 0;
    let blocked = false;
    for await (const chunk of downloadPiece(await client.dialProtocol(address, PROTOCOL_DOWNLOAD), get)) {
      chunks.push(chunk);
      received += chunk.byteLength;
      if (!blocked && received >= 1024 * 1024) {
        blocked = true;
        blockEventLoop(BLOCK_MS);
      }
    }
    expect(blocked).toBe(true);
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
    // The same connection carried it all: nothing was aborted and dialled again.
    expect(client.getConnections().length).toBe(1);
  });
});
