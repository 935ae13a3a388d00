// Hostile review F15: a "node" announcing private, loopback or other special-purpose addresses
// (or a DNS name resolving to one) must not make a public satellite connect into its own
// network. A satellite with allowPrivateAddresses false (what 'auto' gives a satellite on 0.0.0.0
// or a public IP) refuses such addresses before any dial: the check-in's answer names each one,
// its range and the setting, the node is not recorded, and neither the node's host nor a plain
// TCP service on the address ever sees a connection; later dials (uptime, audits through
// connectNode) refuse a name that resolves there too. With true (and 'auto' on loopback) the
// same node is dialled and recorded.
import { createServer, type Server, type Socket } from 'node:net';
import type { Libp2p } from '@libp2p/interface';
import { afterAll, describe, expect, it } from 'vitest';
import { connectNode, checkIn, DIAL_BACK_MESSAGES, type ContactContext } from '../../src/satellite/contact/index.js';
import { openLevelSatelliteDB, type Satellite } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { startSatellite } from '../satellite/fixtures.js';
import { addressOf, checkInAs, peer } from './registry-peers.js';

const hosts: Libp2p[] = [];
const satellites: Satellite[] = [];
const servers: Server[] = [];
const sockets: Socket[] = [];

afterAll(async () => {
  for (const h of hosts) await h.stop();
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  await Promise.all(satellites.map((s) => s.stop()));
  removeTempDirs();
});

async function satelliteWith(overrides: Parameters<typeof startSatellite>[0]): Promise<Satellite> {
  const s = await startSatellite({ dialTimeoutMs: 2000, checkInsPerSecond: 0, ...overrides });
  satellites.push(s);
  return s;
}

/** A node's host on loopback, with the remote addresses of every inbound connection it gets. */
async function watchedHost(): Promise<{ host: Libp2p; inbound: string[] }> {
  const host = await peer({ listen: ['/ip4/127.0.0.1/tcp/0'] });
  hosts.push(host);
  const inbound: string[] = [];
  host.addEventListener('connection:open', (evt) => {
    if (evt.detail.direction === 'inbound') inbound.push(evt.detail.remoteAddr.toString());
  });
  return { host, inbound };
}

/** An "internal service": a plain TCP server on loopback that counts the connections it accepts. */
async function internalService(): Promise<{ address: string; port: number; accepted: () => number }> {
  let accepted = 0;
  const server = createServer((s) => {
    accepted++;
    sockets.push(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const port = (server.address() as { port: number }).port;
  return { address: `/ip4/127.0.0.1/tcp/${port}`, port, accepted: () => accepted };
}

const portOf = (address: string): string => address.split('/')[4]!;
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

describe('allowPrivateAddresses false', () => {
  it('refuses a loopback address at check-in with the address, its range and the setting, never dials it, stores nothing', async () => {
    const satellite = await satelliteWith({ allowPrivateAddresses: false });
    const { host, inbound } = await watchedHost();
    const address = addressOf(host);
    const answer = await checkInAs(host, satellite, [address]);
    expect(answer.error).toBeUndefined();
    expect(answer.reachable).toBe(false);
    expect(answer.message).toBe(DIAL_BACK_MESSAGES.noneAllowed([{ address, reason: '127.0.0.1 is loopback, 127.0.0.0/8' }], 'allowPrivateAddresses is false'));
    expect(answer.message).toBe(
      `no announced address this satellite may dial: refused ${address} (127.0.0.1 is loopback, 127.0.0.0/8): this satellite does not dial private, loopback, link-local or other special-purpose addresses (allowPrivateAddresses is false)`
    );
    expect(await satellite.registry.get(host.peerId.toString())).toBeUndefined();
    await settle();
    expect(inbound).toEqual([]);
  });

  it('refuses names resolving to loopback, private and link-local IPs, mapped IPv6, and a TCP service behind them sees nothing', async () => {
    const satellite = await satelliteWith({ allowPrivateAddresses: false });
    const { host, inbound } = await watchedHost();
    const service = await internalService();
    const port = portOf(addressOf(host));
    const announced = [
      `/dns4/localhost/tcp/${service.port}`,
      `/dns4/node.localhost/tcp/${port}`,
      service.address,
      `/ip6/::ffff:127.0.0.1/tcp/${service.port}`,
      `/ip6/::1/tcp/${service.port}`,
      '/ip4/10.0.0.1/tcp/6379',
      '/ip4/169.254.169.254/tcp/80',
      '/ip6/fd00::1/tcp/22'
    ];
    const answer = await checkInAs(host, satellite, announced);
    expect(answer).toMatchObject({ reachable: false });
    expect(answer.message).toMatch(/^no announced address this satellite may dial: refused /);
    expect(answer.message).toContain(`/dns4/localhost/tcp/${service.port} (localhost resolves only to addresses that are loopback)`);
    expect(answer.message).toContain(`${service.address} (127.0.0.1 is loopback, 127.0.0.0/8)`);
    expect(answer.message).toMatch(/IPv4-mapped loopback, ::ffff:0:0\/96 of 127\.0\.0\.0\/8/);
    expect(answer.message).toContain('/ip4/10.0.0.1/tcp/6379 (10.0.0.1 is private, 10.0.0.0/8)');
    expect(answer.message).toContain('/ip4/169.254.169.254/tcp/80 (169.254.169.254 is link-local, 169.254.0.0/16)');
    expect(answer.message).toContain('(fd00::1 is unique local (private), fc00::/7)');
    expect(answer.message).toMatch(/\(allowPrivateAddresses is false\)$/);
    expect(await satellite.registry.get(host.peerId.toString())).toBeUndefined();
    await settle();
    expect(service.accepted()).toBe(0);
    expect(inbound).toEqual([]);
  });

  it('refuses a stored name that resolves to loopback at every later dial: uptime checks and connectNode (audits, repair, GC)', async () => {
    const satellite = await satelliteWith({ allowPrivateAddresses: false });
    const { host, inbound } = await watchedHost();
    const service = await internalService();
    const id = host.peerId.toString();
    // A record whose name resolved to a public IP when it was stored (say), and now re-resolves to loopback.
    const addresses = [`/dns4/localhost/tcp/${portOf(addressOf(host))}`, `/dns4/localhost/tcp/${service.port}`];
    const info = { addresses, capacity: 1e12, freeSpace: 1e12, version: '0.1.0', wallet: '0xabc', email: 'x@example.com' };
    await satellite.registry.checkIn(id, info, true, Date.now(), { address: '/ip4/198.51.100.7/tcp/1', subnet: '198.51.100.0/24' });
    expect(await satellite.checkUptime()).toEqual({ checked: 1, reached: 0 });
    expect((await satellite.registry.get(id))!.reachable).toBe(false);
    await expect(connectNode(satellite.libp2p, id, addresses, AbortSignal.timeout(5000))).rejects.toMatchObject({
      code: 'NODE_UNREACHABLE',
      message: expect.stringMatching(/not dialled, 127\.0\.0\.1 is loopback \(127\.0\.0\.0\/8; allowPrivateAddresses is false\)/) as unknown
    });
    // A known node checking in with nothing but refused addresses is not recorded: its record keeps what it had.
    const before = (await satellite.registry.get(id))!;
    expect(await checkInAs(host, satellite, [addressOf(host)])).toMatchObject({ reachable: false });
    expect(await satellite.registry.get(id)).toEqual(before);
    await settle();
    expect(service.accepted()).toBe(0);
    expect(inbound).toEqual([]);
  });

  it('a satellite on 0.0.0.0 refuses them by default (auto)', async () => {
    const satellite = await satelliteWith({ listen: ['/ip4/0.0.0.0/tcp/0'] });
    expect(satellite.config.allowPrivateAddresses).toBe('auto');
    const { host, inbound } = await watchedHost();
    const via = satellite.multiaddrs().find((m) => m.startsWith('/ip4/127.0.0.1/'))!;
    const answer = await checkInAs(host, satellite, [addressOf(host)], via);
    expect(answer).toMatchObject({ reachable: false });
    expect(answer.message).toContain('(127.0.0.1 is loopback, 127.0.0.0/8)');
    expect(answer.message).toContain('allowPrivateAddresses is auto');
    expect(await satellite.registry.get(host.peerId.toString())).toBeUndefined();
    await settle();
    expect(inbound).toEqual([]);
  });
});

describe('allowPrivateAddresses true, and auto on loopback', () => {
  for (const setting of [true, 'auto'] as const) {
    it(`${String(setting)}: the same node announcing 127.0.0.1 is dialled back, reached and recorded`, async () => {
      const satellite = await satelliteWith({ allowPrivateAddresses: setting });
      const { host, inbound } = await watchedHost();
      const address = addressOf(host);
      expect(await checkInAs(host, satellite, [address])).toMatchObject({ reachable: true, message: DIAL_BACK_MESSAGES.reached(address) });
      expect(await satellite.registry.get(host.peerId.toString())).toMatchObject({ addresses: [address], reachable: true });
      expect(inbound.length).toBeGreaterThan(0);
    });
  }
});

it('a check-in reached at one address records only the addresses the policy did not refuse', async () => {
  const db = await openLevelSatelliteDB(`${tempDir()}/db`, { now: Date.now, pendingTtlMs: 60_000, uptime: { windowMs: 1000, periodMs: 10_000 } });
  try {
    const refused = [{ address: '/ip4/10.0.0.1/tcp/1', reason: '10.0.0.1 is private, 10.0.0.0/8' }];
    const ctx: ContactContext = {
      registry: db.nodes,
      now: Date.now,
      checkInIntervalMs: 1000,
      dialBack: () =>
        Promise.resolve({ reachable: true, message: 'reached at /dns4/node.example.com/tcp/1', reached: { address: '/ip4/198.51.100.7/tcp/1', ip: '198.51.100.7', subnet: '198.51.100.0/24' }, refused })
    };
    const req = { addresses: ['/ip4/10.0.0.1/tcp/1', '/dns4/node.example.com/tcp/1'], capacity: 1n, freeSpace: 1n, version: 'v', wallet: 'w', email: 'e' };
    expect(await checkIn(ctx, req, 'n1')).toMatchObject({ reachable: true, stored: true });
    expect((await db.nodes.get('n1'))!.addresses).toEqual(['/dns4/node.example.com/tcp/1']);
    // Every address refused: not stored (a known node's record neither).
    const none = { ...ctx, dialBack: () => Promise.resolve({ reachable: false, message: 'no announced address ...', refused, noneAllowed: true }) };
    expect(await checkIn(none, { ...req, addresses: ['/ip4/10.0.0.1/tcp/1'] }, 'n2')).toMatchObject({ reachable: false, stored: false });
    expect(await db.nodes.get('n2')).toBeUndefined();
    expect(await checkIn(none, { ...req, addresses: ['/ip4/10.0.0.1/tcp/1'] }, 'n1')).toMatchObject({ stored: false });
    expect((await db.nodes.get('n1'))!.addresses).toEqual(['/dns4/node.example.com/tcp/1']);
  } finally {
    await db.close();
  }
});
