// An IP that keeps opening streams no honest client opens is shut out for a while (abuse.ts):
// fresh peer ids from 127.0.0.1 open the satellites-only retain protocol. Past the threshold their
// connections are closed and new ones from that IP refused, while a client on ::1 keeps
// uploading (after aborting twice the threshold of streams without a request, as an honest
// client's cancelled long tail does: not counted) and the trusted satellite, on 127.0.0.1 too,
// still gets through. A blocked IP no trusted satellite uses is refused before the handshake (a
// redial costs the node a TCP accept, not a Noise handshake). The tracker's own rules run on an
// injected clock.
import { connect } from 'node:net';
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AbuseTracker } from '../../src/node/abuse.js';
import type { StorageNode } from '../../src/node/index.js';
import { PROTOCOL_AUDIT, PROTOCOL_RETAIN, PROTOCOL_UPLOAD, PieceAction, uploadPiece } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { TestSatellite, newPieceId, startClient, startNode } from '../node/fixtures/network.js';
import { until } from '../node/fixtures/until.js';

const THRESHOLD = 10;
let satellite: TestSatellite;
let node: StorageNode;
let honest: Libp2p;
const hosts: Libp2p[] = [];

beforeAll(async () => {
  satellite = await TestSatellite.create();
  node = await startNode(tempDir('stowage-abuse-'), [satellite], {
    abuseThreshold: THRESHOLD,
    abuseWindowMs: 60_000,
    abuseBlockMs: 60_000,
    firstMessageTimeoutMs: 500,
    listen: ['/ip4/127.0.0.1/tcp/0', '/ip6/::1/tcp/0']
  });
  honest = await startClient();
});

afterAll(async () => {
  for (const h of hosts.splice(0)) await h.stop();
  await honest?.stop();
  await satellite?.stop();
  await node?.stop();
  removeTempDirs();
});

it('blocks an IP after THRESHOLD streams no honest client opens; other IPs and the satellite are served', async () => {
  const via4 = multiaddr(node.multiaddrs().find((a) => a.startsWith('/ip4/')));
  const via6 = multiaddr(node.multiaddrs().find((a) => a.startsWith('/ip6/')));
  // What an honest client does when its upload's long tail is cancelled: streams opened and
  // aborted before the request. Never counted.
  for (let i = 0; i < 2 * THRESHOLD; i++) (await honest.dialProtocol(via6, PROTOCOL_UPLOAD)).abort(new Error('long tail cancelled'));
  await new Promise((r) => setTimeout(r, 200));
  expect(node.abuse?.blockedCount).toBe(0);
  // Retain streams (satellites only) from fresh peer ids on one IP.
  for (let i = 0; i < THRESHOLD; i++) {
    const attacker = await startClient();
    hosts.push(attacker);
    await attacker.dialProtocol(via4, PROTOCOL_RETAIN).catch(() => undefined);
  }
  await until(() => (node.abuse?.blockedCount ?? 0) === 1, 'the attackers\' IP blocked', 10_000);
  // Its connections are gone, and a fresh id from that IP cannot connect.
  await until(() => node.libp2p.getConnections().every((c) => !c.remoteAddr.toString().startsWith('/ip4/127.0.0.1') || c.remotePeer.equals(satellite.id)), 'the blocked IP\'s connections closed', 10_000);
  const fresh = await startClient();
  hosts.push(fresh);
  await expect(fresh.dialProtocol(via4, PROTOCOL_UPLOAD, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();

  // A client on ::1 stores a piece meanwhile.
  const bytes = new Uint8Array(1000).fill(7);
  const order = await satellite.order(node.peerId, PieceAction.PUT, newPieceId());
  const receipt = await uploadPiece(await honest.dialProtocol(via6, PROTOCOL_UPLOAD), order, bytes.length, [bytes], { uplinkKey: satellite.uplink });
  expect(receipt.receiptContent.size).toBe(1000n);

  // The trusted satellite dials in from the blocked IP on a new connection and is let through.
  const sat = await satellite.host();
  const stream = await sat.dialProtocol(via4, PROTOCOL_AUDIT, { signal: AbortSignal.timeout(5000) });
  expect(stream.status).toBe('open');
  stream.abort(new Error('done'));
});

/** What the node does with a raw TCP connection from ::1 within `ms`: 'closed' at once (refused before the handshake) or 'open' (waiting for it). */
function rawConnect(port: number, ms: number): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    const socket = connect({ host: '::1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('open');
    }, ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    socket.once('error', () => undefined);
  });
}

it('a blocked IP that no trusted satellite uses is refused before the handshake', async () => {
  // The satellite is on 127.0.0.1; the attackers come from ::1.
  const other = await startNode(tempDir('stowage-abuse-pre-'), [satellite], {
    abuseThreshold: THRESHOLD,
    abuseWindowMs: 60_000,
    abuseBlockMs: 60_000,
    listen: ['/ip4/127.0.0.1/tcp/0', '/ip6/::1/tcp/0']
  });
  try {
    const via6 = other.multiaddrs().find((a) => a.startsWith('/ip6/'))!;
    const port = Number(multiaddr(via6).getComponents().find((c) => c.name === 'tcp')!.value);
    // Before any block the node waits for the handshake.
    expect(await rawConnect(port, 1000)).toBe('open');
    for (let i = 0; i < THRESHOLD; i++) {
      const attacker = await startClient();
      hosts.push(attacker);
      await attacker.dialProtocol(multiaddr(via6), PROTOCOL_RETAIN).catch(() => undefined);
    }
    await until(() => (other.abuse?.blockedCount ?? 0) === 1, 'the attackers\' IP blocked', 10_000);
    expect(await rawConnect(port, 1000)).toBe('closed');
    // 127.0.0.1, the satellite's IP, is not blocked and still waits for a handshake as before.
    const via4 = other.multiaddrs().find((a) => a.startsWith('/ip4/'))!;
    const sat = await satellite.host();
    const stream = await sat.dialProtocol(multiaddr(via4), PROTOCOL_AUDIT, { signal: AbortSignal.timeout(5000) });
    expect(stream.status).toBe('open');
    stream.abort(new Error('done'));
  } finally {
    await other.stop();
  }
});

it('counts within a window, blocks for the block time, and is off at threshold 0', () => {
  let clock = 0;
  const tracker = new AbuseTracker({ abuseThreshold: 3, abuseWindowMs: 1000, abuseBlockMs: 5000 }, () => clock);
  const a = '/ip4/198.51.100.7/tcp/1';
  const sameNet6 = ['/ip6/2001:db8:1:2::1/tcp/1', '/ip6/2001:db8:1:2::ffff/tcp/1', '/ip6/2001:db8:1:2:aaaa::1/tcp/1'];
  expect([tracker.note(a), tracker.note(a)]).toEqual([false, false]);
  clock = 1001; // the window passed: counting starts again
  expect([tracker.note(a), tracker.note(a), tracker.note(a)]).toEqual([false, false, true]);
  expect(tracker.isBlocked(a)).toBe(true);
  expect(tracker.isBlocked('/ip4/198.51.100.8/tcp/1')).toBe(false);
  clock = 1001 + 4999;
  expect(tracker.isBlocked(a)).toBe(true);
  clock = 1001 + 5000;
  expect(tracker.isBlocked(a)).toBe(false);
  // IPv6: one /64 is one address.
  expect(sameNet6.map((x) => tracker.note(x))).toEqual([false, false, true]);
  expect(tracker.isBlocked('/ip6/2001:db8:1:2::42/tcp/9')).toBe(true);
  expect(tracker.isBlocked('/ip6/2001:db8:1:3::42/tcp/9')).toBe(false);
  const off = new AbuseTracker({ abuseThreshold: 0, abuseWindowMs: 1000, abuseBlockMs: 5000 }, () => clock);
  for (let i = 0; i < 100; i++) expect(off.note(a)).toBe(false);
  expect(tracker.blockedCount).toBe(2);
});
