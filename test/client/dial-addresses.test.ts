// The client reaches a node through any of the addresses the satellite gave, not only the first:
// a refused first address (a stale port, an IPv6 address on an IPv4-only host) or one that does not
// parse costs nothing but a failed attempt. Real node and client on loopback.
import { createServer } from 'node:net';
import type { Libp2p } from '@libp2p/interface';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialForOrder, type ClientContext } from '../../src/client/context.js';
import type { StorageNode } from '../../src/node/index.js';
import { PROTOCOL_DOWNLOAD, PROTOCOL_UPLOAD, PieceAction, downloadPiece, uploadPiece, type AddressedOrder } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { TestSatellite, newPieceId, startClient, startNode } from '../node/fixtures/network.js';
import { collect, pieceBytes } from '../node/fixtures/pieces.js';

let satellite: TestSatellite;
let node: StorageNode;
const clients: Libp2p[] = [];

/**
 * A client that has never met the node: libp2p would otherwise also try the addresses it keeps
 * from an earlier connection, and a dial could succeed whatever the order says.
 */
async function freshClient(): Promise<ClientContext> {
  const libp2p = await startClient();
  clients.push(libp2p);
  return { libp2p, secret: new Uint8Array(32), pieceTimeoutMs: 10_000, metainfo: () => Promise.reject(new Error('not used')) };
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  satellite = await TestSatellite.create();
  node = await startNode(tempDir(), [satellite]);
});

afterAll(async () => {
  for (const c of clients) await c.stop();
  await node?.stop();
  await satellite?.stop();
  removeTempDirs();
});

it('uploads and downloads through the node when its first addresses are refused or malformed', async () => {
  const real = node.multiaddrs()[0]!.replace(/\/p2p\/.*$/, '');
  const refused = `/ip4/127.0.0.1/tcp/${await closedPort()}`;
  const addresses = [refused, 'not a multiaddr', real];
  const bytes = pieceBytes(7, 300_000);
  const pieceId = newPieceId();
  const put: AddressedOrder = { nodeId: node.peerId, addresses, pieceNumber: 0, order: await satellite.order(node.peerId, PieceAction.PUT, pieceId) };
  await uploadPiece(await dialForOrder(await freshClient(), put, PROTOCOL_UPLOAD), put.order!, bytes.length, [bytes], { uplinkKey: satellite.uplink });
  const get: AddressedOrder = { nodeId: node.peerId, addresses, pieceNumber: 0, order: await satellite.order(node.peerId, PieceAction.GET, pieceId) };
  const back = await collect(downloadPiece(await dialForOrder(await freshClient(), get, PROTOCOL_DOWNLOAD), get.order!));
  expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
});

it('fails clearly when no address given works or parses', async () => {
  const order = await satellite.order(node.peerId, PieceAction.GET, newPieceId());
  await expect(dialForOrder(await freshClient(), { nodeId: node.peerId, addresses: ['garbage', ''], pieceNumber: 0, order }, PROTOCOL_DOWNLOAD)).rejects.toThrow(/no usable address for node/);
  await expect(dialForOrder(await freshClient(), { nodeId: node.peerId, addresses: [`/ip4/127.0.0.1/tcp/${await closedPort()}`], pieceNumber: 0, order }, PROTOCOL_DOWNLOAD)).rejects.toThrow();
});
