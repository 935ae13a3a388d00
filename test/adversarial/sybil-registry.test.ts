// Sybils against the satellite's registry, each a real libp2p host on loopback: ids that announce
// their own DNS names or a bogus first /ip4 but are reached on one IP count as one subnet (uploads
// cannot be spread over them); identity proof of work refuses cheap ids; per-IP rate limits refuse
// floods of check-ins and of client requests with RATE_LIMITED.
import { createHash } from 'node:crypto';
import type { Libp2p } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { checkIdentityDifficulty, grindIdentity, identityDifficulty } from '../../src/common/identity-pow.js';
import { RateLimiter, rateLimitKey } from '../../src/common/rate-limit.js';
import { multiaddr } from '@multiformats/multiaddr';
import { FramedStream, MetainfoRequest, MetainfoResponse, PROTOCOL_METAINFO } from '../../src/protocol/index.js';
import { DIAL_BACK_MESSAGES } from '../../src/satellite/contact/index.js';
import { selectNodes, subnetOf, type Satellite } from '../../src/satellite/index.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { connectClient, startSatellite } from '../satellite/fixtures.js';
import { addressOf, checkInAs, inBatches, peer, registrySize } from './registry-peers.js';

const hosts: Libp2p[] = [];
const satellites: Satellite[] = [];

afterAll(async () => {
  for (const h of hosts) await h.stop();
  await Promise.all(satellites.map((s) => s.stop()));
  removeTempDirs();
});

async function satelliteWith(overrides: Parameters<typeof startSatellite>[0]): Promise<Satellite> {
  const s = await startSatellite({ dialTimeoutMs: 1000, ...overrides });
  satellites.push(s);
  return s;
}

async function listening(ip = '127.0.0.1'): Promise<Libp2p> {
  const h = await peer({ listen: [`/ip4/${ip}/tcp/0`] });
  hosts.push(h);
  return h;
}

describe('Sybil subnets', () => {
  it('ids announcing distinct DNS names or a bogus first /ip4, reached on one IP, are one subnet', async () => {
    const satellite = await satelliteWith({ distinctSubnets: true, checkInsPerSecond: 0, profile: { minimum: 2, repair: 3, success: 4, total: 6 } });
    // One node elsewhere (127.0.1.1 is another /24 of the loopback).
    const other = await listening('127.0.1.1');
    expect(await checkInAs(other, satellite, [addressOf(other)])).toMatchObject({ reachable: true });
    const sybils = await Promise.all(Array.from({ length: 6 }, () => listening()));
    const announced = sybils.map((h, i) => {
      const port = addressOf(h).split('/')[4]!;
      return [
        [`/dns4/localhost/tcp/${port}`],
        [`/dns4/LOCALHOST/tcp/${port}`],
        [`/dns4/LocalHost/tcp/${port}`],
        // A bogus first address in another /24 (a closed port: refused at once), then the real one.
        [`/ip4/127.0.${10 + i}.1/tcp/1`, `/ip4/127.0.0.1/tcp/${port}`],
        [`/ip4/127.0.${10 + i}.1/tcp/1`, `/dns4/localhost/tcp/${port}`],
        [`/ip4/127.0.0.1/tcp/${port}`]
      ][i]!;
    });
    for (const [i, h] of sybils.entries()) expect(await checkInAs(h, satellite, announced[i]!)).toMatchObject({ reachable: true });
    for (const h of sybils) {
      const rec = (await satellite.registry.get(h.peerId.toString()))!;
      expect(rec.subnet).toBe('127.0.0.0/24');
      expect(rec.reachedAddress).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/);
    }
    expect((await satellite.registry.get(other.peerId.toString()))!.subnet).toBe('127.0.1.0/24');

    const candidates = await satellite.registry.candidates();
    expect(candidates).toHaveLength(7);
    expect(new Set(candidates.map(subnetOf)).size).toBe(2);
    const chosen = selectNodes(candidates, { count: 6, minimum: 1, pieceSize: 1000, now: Date.now(), onlineWithinMs: 3_600_000, distinctSubnets: true, newNodeShare: 0 });
    expect(chosen).toHaveLength(2);

    // Through the client API: seven nodes, two subnets, and a segment needs four.
    const client = await connectClient(satellite);
    try {
      await client.createBucket('sybil');
      await expect(client.upload('sybil', 'o', new Uint8Array(randomBytes(64 * 1024)))).rejects.toMatchObject({ code: 'SATELLITE_NOT_ENOUGH_NODES' });
    } finally {
      await client.close();
    }
  }, 60_000);
});

describe('identity proof of work', () => {
  it('difficulty is the trailing zero bits of SHA-256 over the peer id bytes', async () => {
    const key = await generateKeyPair('Ed25519');
    const id = peerIdFromPrivateKey(key);
    const hash = createHash('sha256').update(id.toMultihash().bytes).digest();
    const bits = BigInt('0x' + hash.toString('hex'));
    let expected = 0;
    while (expected < 256 && ((bits >> BigInt(expected)) & 1n) === 0n) expected++;
    expect(identityDifficulty(id)).toBe(expected);
    expect(identityDifficulty(id.toString())).toBe(expected);
  });

  it('a satellite asking for difficulty 8 refuses a cheap id (not stored) and takes a ground one', async () => {
    const satellite = await satelliteWith({ minIdentityDifficulty: 8, checkInsPerSecond: 0 });
    let weak;
    do weak = await generateKeyPair('Ed25519');
    while (identityDifficulty(peerIdFromPrivateKey(weak)) >= 8);
    const cheap = await peer({ privateKey: weak, listen: ['/ip4/127.0.0.1/tcp/0'] });
    hosts.push(cheap);
    const refused = await checkInAs(cheap, satellite, [addressOf(cheap)]);
    expect(refused.error?.code).toBe('IDENTITY_DIFFICULTY_TOO_LOW');
    expect(await satellite.registry.get(cheap.peerId.toString())).toBeUndefined();

    const started = Date.now();
    const { key, tries } = await grindIdentity(8);
    console.log(`identity of difficulty 8: ${tries} tries in ${Date.now() - started} ms`);
    expect(() => checkIdentityDifficulty(peerIdFromPrivateKey(key), 8)).not.toThrow();
    const ground = await peer({ privateKey: key, listen: ['/ip4/127.0.0.1/tcp/0'] });
    hosts.push(ground);
    expect(await checkInAs(ground, satellite, [addressOf(ground)])).toMatchObject({ reachable: true });
    expect(await satellite.registry.get(ground.peerId.toString())).toMatchObject({ reachable: true });
  }, 60_000);
});

describe('per-IP rate limits', () => {
  it('check-ins past the burst from one IP are RATE_LIMITED before any dial-back', async () => {
    const satellite = await satelliteWith({ checkInsPerSecond: 0.5, checkInBurst: 5 });
    const answers = await inBatches(15, 5, async () => {
      const h = await peer();
      try {
        return await checkInAs(h, satellite, ['/ip4/127.0.0.1/tcp/1']);
      } finally {
        await h.stop();
      }
    });
    const limited = answers.filter((a) => a.error?.code === 'RATE_LIMITED').length;
    console.log(`check-ins: ${limited} of ${answers.length} RATE_LIMITED (burst 5, 0.5/s)`);
    expect(limited).toBeGreaterThanOrEqual(9);
    expect(answers.filter((a) => a.message === DIAL_BACK_MESSAGES.notReached).length).toBe(answers.length - limited);
    expect(await registrySize(satellite)).toBe(0);
  }, 60_000);

  it('client requests past the burst from one IP are RATE_LIMITED; the client library waits them out', async () => {
    const satellite = await satelliteWith({ metainfoRequestsPerSecond: 1, metainfoBurst: 10 });
    const apiKey = (await satellite.apiKeys.create('raw')).key;
    const host = await peer();
    hosts.push(host);
    const via = multiaddr(satellite.multiaddrs()[0]);
    /** One list_buckets request on a stream of its own, as any peer may send it: the answer's error code, or 'ok'. */
    const rawList = async (): Promise<string> => {
      const framed = new FramedStream(await host.dialProtocol(via, PROTOCOL_METAINFO));
      await framed.write(MetainfoRequest, { apiKey, listBuckets: {} });
      const res = await framed.expect(MetainfoResponse, 'answer');
      return res.error?.code ?? 'ok';
    };
    // One request first (the connection is up), then 24 at once.
    const outcomes = [await rawList(), ...(await Promise.all(Array.from({ length: 24 }, rawList)))];
    const ok = outcomes.filter((o) => o === 'ok').length;
    const limited = outcomes.filter((o) => o === 'RATE_LIMITED').length;
    // A listing costs 2 tokens (requestCost): 5 fit the burst, one more per 2 s.
    console.log(`metainfo: ${ok} answered, ${limited} RATE_LIMITED (burst 10, 1/s, 2 a listing)`);
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThanOrEqual(6);
    expect(limited).toBe(25 - ok);
    // The client library, refused the same way, waits as the answer says and tries again.
    const client = await connectClient(satellite);
    try {
      const t = Date.now();
      await Promise.all(Array.from({ length: 3 }, () => client.listBuckets()));
      // The bucket was empty: 6 tokens at 1 a second.
      expect(Date.now() - t).toBeGreaterThanOrEqual(3000);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('a token bucket: burst, refill, keys by IPv4 address and IPv6 /64, and a bounded map', () => {
    let t = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => t, 4);
    expect([1, 2, 3, 4].map(() => limiter.tryTake('a'))).toEqual([true, true, true, false]);
    expect(() => limiter.check('a')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    t += 500; // one token back
    expect(limiter.tryTake('a')).toBe(true);
    expect(limiter.tryTake('a')).toBe(false);
    for (const k of ['b', 'c', 'd', 'e', 'f']) limiter.tryTake(k);
    expect(limiter.size).toBe(4);
    expect(new RateLimiter({ perSecond: 0, burst: 0 }).tryTake('x')).toBe(true);
    expect(rateLimitKey('/ip4/203.0.113.5/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA')).toBe('203.0.113.5');
    expect(rateLimitKey('/ip6/2001:db8:1:2:3:4:5:6/tcp/1')).toBe(rateLimitKey('/ip6/2001:db8:1:2::9/tcp/2'));
    expect(rateLimitKey('/ip6/2001:db8:1:2::9/tcp/2')).not.toBe(rateLimitKey('/ip6/2001:db8:1:3::9/tcp/2'));
    // IPv4 clients of a dual-stack listener are each their own key.
    expect(rateLimitKey('/ip6/::ffff:203.0.113.5/tcp/1')).toBe('203.0.113.5');
    expect(rateLimitKey('/ip6/::ffff:203.0.113.5/tcp/1')).not.toBe(rateLimitKey('/ip6/::ffff:198.51.100.7/tcp/1'));
  });
});
