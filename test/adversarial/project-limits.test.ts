// A client with a valid API key that wants more than its share: it stores past its project's
// limit, downloads past its month's egress, and asks for replacement nodes again and again. Each
// is refused with its typed error before any order is signed, and nothing of the refused request
// counts. Limits are set per key through the admin API. Real satellite, nodes and client. Each
// test is a project (API key) of its own, its limits set by the test itself, so its usage and its
// limits are its own whatever ran before.
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stowage, createAccess } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { FramedStream, MetainfoRequest, MetainfoResponse, PROTOCOL_METAINFO } from '../../src/protocol/index.js';
import { PROJECT_LIMIT_DEFAULTS, loadSatelliteConfig, type Satellite } from '../../src/satellite/index.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../node/fixtures/dirs.js';
import { startClient } from '../node/fixtures/network.js';
import { adminFetch, adminJson } from '../satellite/admin-fetch.js';
import { satelliteAddress, startNodes, startSatellite, stopAll } from '../satellite/fixtures.js';

let satellite: Satellite;
let nodes: StorageNode[];
let raw: Libp2p;
/** Every project's client, closed in afterAll. */
const clients: Stowage[] = [];

const LIMITS = { maxStoredBytes: 100_000, maxSegments: 10, maxEgressBytesPerMonth: 250_000, maxReplacementNodes: 3 };

beforeAll(async () => {
  satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 4, total: 6 }, downloadMargin: 1 });
  ({ nodes } = await startNodes(satellite, 10));
  raw = await startClient();
}, 60_000);

afterAll(async () => {
  await raw?.stop();
  await Promise.all(clients.map((c) => c.close()));
  await stopAll({ nodes, satellite });
});

type Usage = { usage: { storedBytes: number; segments: number; egressBytes: number }; limits: typeof LIMITS; own: Partial<typeof LIMITS> };

interface Project {
  key: { id: string; key: string };
  client: Stowage;
  /** A metainfo request with the project's key, on a raw stream. */
  call: (req: Partial<MetainfoRequest>) => Promise<MetainfoResponse>;
  /** The project's usage and limits from the admin API. */
  usage: () => Promise<Usage>;
}

/** A new project (API key) with its client; `limits` set on it through the admin API when given. */
async function project(name: string, limits?: typeof LIMITS): Promise<Project> {
  const key = await satellite.apiKeys.create(name);
  if (limits) {
    const set = await adminJson<{ own: unknown }>(satellite, `/api/keys/${key.id}/limits`, { method: 'POST', body: JSON.stringify(limits) });
    expect(set.own).toEqual(limits);
  }
  const client = await Stowage.connect(createAccess(`${satellite.id}@${satelliteAddress(satellite)}`, key.key), { pieceTimeoutMs: 5000 });
  clients.push(client);
  const call = async (req: Partial<MetainfoRequest>): Promise<MetainfoResponse> => {
    const framed = new FramedStream(await raw.dialProtocol(multiaddr(satellite.multiaddrs()[0]), PROTOCOL_METAINFO));
    await framed.write(MetainfoRequest, { apiKey: key.key, ...req });
    const res = await framed.expect(MetainfoResponse, 'answer');
    await framed.closeWrite();
    return res;
  };
  const usage = (): Promise<Usage> => adminJson<Usage>(satellite, `/api/keys/${key.id}/usage`);
  return { key, client, call, usage };
}

const codeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: { code?: string }) => e.code ?? 'no code');

describe('per-project limits', () => {
  it('are set per key through the admin API, checked, and shown with the usage', async () => {
    const { key, usage } = await project('greedy');
    const before = await usage();
    expect(before.own).toEqual({});
    expect(before.limits.maxStoredBytes).toBeGreaterThan(1e12);
    for (const bad of [{ maxStoredBytes: -1 }, { maxSegments: 1.5 }, { maxStoredBytes: '5' }, { unlimited: 1 }]) {
      const res = await adminFetch(satellite, `/api/keys/${key.id}/limits`, { method: 'POST', body: JSON.stringify(bad) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ADMIN_BAD_JSON');
    }
    expect((await adminFetch(satellite, '/api/keys/nope/limits', { method: 'POST', body: JSON.stringify(LIMITS) })).status).toBe(404);
    const set = await adminJson<{ own: unknown; limits: unknown }>(satellite, `/api/keys/${key.id}/limits`, { method: 'POST', body: JSON.stringify(LIMITS) });
    expect(set.own).toEqual(LIMITS);
    expect((await usage()).limits).toEqual(LIMITS);
  });

  it('refuses a segment past the stored-bytes limit, and counts nothing of it', async () => {
    const { client, usage } = await project('greedy-storage', LIMITS);
    await client.createBucket('mine');
    await client.upload('mine', 'first', new Uint8Array(60_000).fill(1));
    const after = (await usage()).usage;
    expect(after.segments).toBe(1);
    expect(after.storedBytes).toBeGreaterThanOrEqual(60_000);
    expect(after.storedBytes).toBeLessThanOrEqual(LIMITS.maxStoredBytes);
    expect(await codeOf(client.upload('mine', 'second', new Uint8Array(60_000).fill(2)))).toBe('PROJECT_STORAGE_LIMIT');
    expect((await usage()).usage).toMatchObject({ storedBytes: after.storedBytes, segments: 1 });
    // Small objects still fit (inline), and deleting frees room for the big one.
    await client.upload('mine', 'small', new Uint8Array(100));
    await client.delete('mine', 'first');
    await client.upload('mine', 'second', new Uint8Array(60_000).fill(2));
    expect((await usage()).usage.segments).toBe(2);
  });

  it('refuses GET orders past the month\'s egress', async () => {
    const { client, usage } = await project('greedy-egress', LIMITS);
    await client.createBucket('mine');
    await client.upload('mine', 'second', new Uint8Array(60_000).fill(2));
    const egress0 = (await usage()).usage.egressBytes;
    let downloads = 0;
    let code = 'ok';
    while (code === 'ok' && downloads < 20) {
      code = await codeOf(
        (async () => {
          for await (const chunk of client.download('mine', 'second')) void chunk;
        })()
      );
      if (code === 'ok') downloads++;
    }
    expect(code).toBe('PROJECT_BANDWIDTH_LIMIT');
    const egress = (await usage()).usage.egressBytes;
    expect(downloads).toBeGreaterThan(0);
    // Each download's orders are k + 1 pieces of the segment: counted until the next would not fit.
    const each = (egress - egress0) / downloads;
    expect(egress).toBeLessThanOrEqual(LIMITS.maxEgressBytesPerMonth);
    expect(egress + each).toBeGreaterThan(LIMITS.maxEgressBytesPerMonth);
  });

  it('refuses replacement nodes past maxReplacementNodes per segment', async () => {
    const { client, call } = await project('greedy-replacements', LIMITS);
    await client.createBucket('mine');
    const streamId = (await call({ beginObject: { bucket: 'mine', key: 'spam', metadata: new Uint8Array(0), encryption: '', expires: 0n } })).beginObject!.streamId;
    const begun = await call({ beginSegment: { streamId, index: 0, pieceSize: 1000n } });
    expect(begun.beginSegment?.orders).toHaveLength(6);
    const first = await call({ replacementOrders: { streamId, index: 0, pieceNumbers: [0, 1, 2] } });
    expect(first.replacementOrders?.orders).toHaveLength(3);
    const again = await call({ replacementOrders: { streamId, index: 0, pieceNumbers: [3] } });
    expect(again.error?.code).toBe('SEGMENT_REPLACEMENT_LIMIT');
    expect(again.replacementOrders).toBeUndefined();
  });
});

describe('the satellite\'s own project limits', () => {
  it('come from the config file, the rest kept at their defaults; bad values stop the satellite with the setting named', () => {
    const file = join(tempDir(), 'satellite.json');
    writeFileSync(file, JSON.stringify({ projectLimits: { maxSegments: 5 } }));
    expect(loadSatelliteConfig(['--config', file], {}).projectLimits).toEqual({ ...PROJECT_LIMIT_DEFAULTS, maxSegments: 5 });
    writeFileSync(file, JSON.stringify({ projectLimits: { maxSegments: -5 } }));
    expect(() => loadSatelliteConfig(['--config', file], {})).toThrow(/projectLimits\.maxSegments must be a whole number of 0 or more/);
    writeFileSync(file, JSON.stringify({ projectLimits: { maxBytes: 5 } }));
    expect(() => loadSatelliteConfig(['--config', file], {})).toThrow(/unknown limit 'maxBytes'/);
  });
});
