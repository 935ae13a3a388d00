// A satellite and real storage nodes on loopback: check-in with dial-back, the unreachable case,
// malformed check-ins, uptime windows with an injected clock, and the registry across a restart.
// Each test starts the nodes it looks at; the tests that count everything a satellite holds
// (metrics, the registry across a restart) run a satellite of their own.
import { multiaddr } from '@multiformats/multiaddr';
import type { Libp2p } from '@libp2p/interface';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_DEFAULTS, NODE_VERSION, StorageNode, type NodeConfig } from '../../src/node/index.js';
import { CheckInRequest, CheckInResponse, FramedStream, PROTOCOL_CONTACT } from '../../src/protocol/index.js';
import { SATELLITE_DEFAULTS, Satellite } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { startClient } from '../node/fixtures/network.js';
import { adminFetch } from './admin-fetch.js';
import { until } from '../node/fixtures/until.js';

const HOUR = 3_600_000;
let clock = Date.UTC(2026, 0, 1);
const now = (): number => clock;
let satellite: Satellite;
let client: Libp2p;
const nodes: StorageNode[] = [];
/** Satellites of a test's own, stopped in afterAll. */
const ownSatellites = new Set<Satellite>();

async function startSatellite(dataDir: string): Promise<Satellite> {
  return Satellite.start(
    { ...SATELLITE_DEFAULTS, dataDir, listen: ['/ip4/127.0.0.1/tcp/0'], admin: '127.0.0.1:0', dialTimeoutMs: 2_000, uptimeCheckIntervalMs: 0 },
    { now, logger: pino({ level: 'silent' }) }
  );
}

/** A satellite of the test's own, in a new data dir. */
async function ownSatellite(dataDir = tempDir()): Promise<Satellite> {
  const sat = await startSatellite(dataDir);
  ownSatellites.add(sat);
  return sat;
}

async function startNode(overrides: Partial<NodeConfig> = {}, sat = satellite): Promise<StorageNode> {
  const node = await StorageNode.start(
    {
      ...NODE_DEFAULTS,
      dashboard: '',
      dataDir: tempDir(),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      capacity: 5e9,
      wallet: '0xabc',
      email: 'op@example.com',
      satellites: [{ peerId: sat.id, address: sat.multiaddrs()[0]!.replace(/\/p2p\/.*$/, '') }],
      checkInIntervalMs: 0,
      contactTimeoutMs: 2_000,
      ...overrides
    },
    { now, logger: pino({ level: 'silent' }) }
  );
  nodes.push(node);
  return node;
}

async function firstCheckIn(node: StorageNode, sat = satellite) {
  await until(() => node.contact.last.has(sat.id), 'a check-in answered');
  return node.contact.last.get(sat.id)!;
}

beforeAll(async () => {
  satellite = await startSatellite(tempDir());
  client = await startClient();
});

afterAll(async () => {
  await client?.stop();
  await Promise.all(nodes.map((n) => n.stop()));
  await satellite?.stop();
  await Promise.all([...ownSatellites].map((s) => s.stop()));
  removeTempDirs();
});

describe('contact', () => {
  it('a node checks in at start, is dialled back, and the satellite records it', async () => {
    const node = await startNode();
    const result = await firstCheckIn(node);
    expect(result).toMatchObject({ reachable: true });
    expect(result.error).toBeUndefined();
    const rec = await satellite.registry.get(node.peerId);
    expect(rec).toMatchObject({ id: node.peerId, capacity: 5e9, version: NODE_VERSION, wallet: '0xabc', email: 'op@example.com', reachable: true, lastContact: clock });
    expect(rec!.freeSpace).toBe(node.store.freeSpace());
    expect(rec!.addresses[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/);
  });

  it('a node that announces a closed port is told it was not reached', async () => {
    const node = await startNode({ announce: ['/ip4/127.0.0.1/tcp/9'] });
    const result = await firstCheckIn(node);
    expect(result.reachable).toBe(false);
    expect(result.error).toBeUndefined();
    expect(result.message).toMatch(/could not dial back/);
    // A first check-in whose dial-back fails is not stored (issue 19: no anonymous records).
    expect(await satellite.registry.get(node.peerId)).toBeUndefined();
  });

  it('a node whose satellite is down records why', async () => {
    const node = await startNode({ satellites: [{ peerId: satellite.id, address: '/ip4/127.0.0.1/tcp/9' }] });
    const result = await firstCheckIn(node);
    expect(result.reachable).toBe(false);
    // Nothing listens on port 9: the dial is refused, and the record says so (the socket's code).
    expect(result.error).toMatchObject({ code: 'ECONNREFUSED', message: expect.stringMatching(/\S/) as string });
    expect(result.message).toBe('check-in failed');
  });

  it('refuses malformed check-ins with a code', async () => {
    const stream = await client.dialProtocol(multiaddr(satellite.multiaddrs()[0]), PROTOCOL_CONTACT);
    const framed = new FramedStream(stream);
    await framed.write(CheckInRequest, { addresses: Array.from({ length: 9 }, (_, i) => `/ip4/127.0.0.1/tcp/${1000 + i}`) });
    expect((await framed.expect(CheckInResponse, 'answer')).error?.code).toBe('PROTOCOL_MALFORMED');
    const stream2 = await client.dialProtocol(multiaddr(satellite.multiaddrs()[0]), PROTOCOL_CONTACT);
    const framed2 = new FramedStream(stream2);
    await framed2.write(CheckInRequest, { addresses: ['not a multiaddr'] });
    expect((await framed2.expect(CheckInResponse, 'answer')).error?.code).toBe('PROTOCOL_MALFORMED');
  });
});

describe('admin API and API keys', () => {
  const api = async (path: string, init?: RequestInit, sat = satellite): Promise<{ status: number; body: unknown }> => {
    const res = await adminFetch(sat, path, init);
    const text = await res.text();
    return { status: res.status, body: path === '/metrics' ? text : (JSON.parse(text) as unknown) };
  };

  it('lists nodes with their online score, and one node by id', async () => {
    const node = await startNode();
    expect(await firstCheckIn(node)).toMatchObject({ reachable: true });
    const { status, body } = await api('/api/nodes');
    expect(status).toBe(200);
    const nodes = body as { id: string; onlineScore: number; reachable: boolean }[];
    expect(nodes.length).toBeGreaterThanOrEqual(1);
    const reached = nodes.find((n) => n.id === node.peerId)!;
    expect(reached).toMatchObject({ reachable: true, onlineScore: 1 });
    expect((await api(`/api/nodes/${reached.id}`)).body).toMatchObject({ id: reached.id, onlineScore: 1 });
    expect(await api('/api/nodes/nobody')).toMatchObject({ status: 404, body: { error: { code: 'NODE_NOT_FOUND' } } });
  });

  it('creates API keys it keeps only hashes of, and revokes them', async () => {
    const created = (await api('/api/keys', { method: 'POST', body: JSON.stringify({ name: 'alice' }) })) as { status: number; body: { id: string; key: string } };
    expect(created.status).toBe(201);
    const { id, key } = created.body;
    expect(await satellite.apiKeys.verify(key)).toMatchObject({ id, name: 'alice', revokedAt: null });
    const listed = (await api('/api/keys')).body as object[];
    expect(JSON.stringify(listed)).not.toContain(key);
    await expect(satellite.apiKeys.verify(key.slice(0, -2) + 'xx')).rejects.toMatchObject({ code: 'API_KEY_INVALID' });
    await expect(satellite.apiKeys.verify('hello')).rejects.toMatchObject({ code: 'API_KEY_INVALID' });
    expect((await api(`/api/keys/${id}/revoke`, { method: 'POST' })).status).toBe(200);
    await expect(satellite.apiKeys.verify(key)).rejects.toMatchObject({ code: 'API_KEY_REVOKED' });
    expect(await api('/api/keys/nope/revoke', { method: 'POST' })).toMatchObject({ status: 404, body: { error: { code: 'API_KEY_NOT_FOUND' } } });
  });

  it('answers bad requests with JSON errors and serves Prometheus metrics', async () => {
    // A satellite of its own with one node checked in: the counts are exactly that node's.
    const sat = await ownSatellite();
    expect(await firstCheckIn(await startNode({}, sat), sat)).toMatchObject({ reachable: true });
    expect(await api('/api/keys', { method: 'POST', body: '{nope' }, sat)).toMatchObject({ status: 400, body: { error: { code: 'ADMIN_BAD_JSON' } } });
    expect(await api('/api/nothing', undefined, sat)).toMatchObject({ status: 404, body: { error: { code: 'ADMIN_NOT_FOUND' } } });
    const metrics = (await api('/metrics', undefined, sat)).body as string;
    expect(metrics).toMatch(/^stowage_satellite_nodes\{state="known"\} 1$/m);
    expect(metrics).toMatch(/^stowage_satellite_check_ins_total\{result="reachable"\} 1$/m);
  });
});

describe('uptime', () => {
  it('counts checks in windows and scores the share that succeeded over the period', async () => {
    clock = Date.UTC(2026, 1, 1);
    const node = await startNode();
    await firstCheckIn(node); // 1 check, reached
    const id = node.peerId;
    clock += HOUR;
    await satellite.checkUptime(); // 2 of 2
    expect(await satellite.registry.onlineScore(id, clock)).toBe(1);
    await node.stop();
    clock += HOUR;
    await satellite.checkUptime(); // 2 of 3
    clock += HOUR;
    await satellite.checkUptime(); // 2 of 4
    expect(await satellite.registry.onlineScore(id, clock)).toBeCloseTo(0.5);
    expect((await satellite.registry.get(id))?.reachable).toBe(false);
    // 31 days later, every one of those windows is out of the 30-day period.
    clock += 31 * 24 * HOUR;
    await satellite.checkUptime(); // 0 of 1 in the period
    expect(await satellite.registry.onlineScore(id, clock)).toBe(0);
  });

  it('the registry survives a satellite restart', async () => {
    // A satellite of its own, restarted under no other test, holding the two nodes checked in here.
    const dir = tempDir();
    let sat = await ownSatellite(dir);
    const mine = [];
    for (let i = 0; i < 2; i++) {
      const node = await startNode({}, sat);
      expect(await firstCheckIn(node, sat)).toMatchObject({ reachable: true });
      mine.push(node.peerId);
    }
    const before = [];
    for await (const rec of sat.registry.list()) before.push(rec.id);
    expect(before.length).toBeGreaterThan(0);
    expect(before.sort()).toEqual(mine.sort());
    const id = sat.id;
    await sat.stop();
    ownSatellites.delete(sat);
    sat = await ownSatellite(dir);
    expect(sat.id).toBe(id);
    const after = [];
    for await (const rec of sat.registry.list()) after.push(rec.id);
    expect(after.sort()).toEqual(before.sort());
  });
});
