// The operator's commands against a running satellite (README "Audits, reputation and payouts"):
// `stowage satellite audits run|list --node`, `reputation`, `payouts close|list --period`,
// `ledger verify`, and a node's `stowage node earnings --period`: the built CLI as child
// processes, a real satellite with its admin API and four real nodes in this process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { SATELLITE_DEFAULTS, type Satellite } from '../../src/satellite/index.js';
import { connectClient, satelliteAddress, startNodes, startSatellite, stopAll } from '../satellite/fixtures.js';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');
const run = promisify(execFile);
let satellite: Satellite;
let nodes: StorageNode[] = [];
let dirs: string[] = [];
let client: Stowage;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  // Audits passed earn 0.5 tokens each: the period below is seconds long, so storage alone rounds to nothing.
  satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 4, total: 4 }, payout: { ...SATELLITE_DEFAULTS.payout, periodMs: 0, auditRate: '0.5' } });
  let configs;
  ({ nodes, configs } = await startNodes(satellite, 4));
  dirs = configs.map((c) => c.dataDir);
  client = await connectClient(satellite);
  await client.createBucket('ops');
  await client.upload('ops', 'one', new Uint8Array(randomBytes(100_000)));
  // Reached by an uptime check: a node never reached earns nothing for the period.
  await satellite.checkUptime();
  env = { ...process.env, STOWAGE_SATELLITE_ADMIN: new URL(satellite.adminUrl!).host, STOWAGE_SATELLITE_ADMIN_TOKEN: satellite.adminToken, STOWAGE_DEVNET_DIR: join(dirs[0]!, 'none') };
}, 60_000);

afterAll(() => stopAll({ client, nodes, satellite }));

const satelliteCli = async (...args: string[]): Promise<unknown> => JSON.parse((await run(process.execPath, [cli, 'satellite', ...args], { env })).stdout) as unknown;

it('audits run and list --node, reputation, payouts close and list --period, ledger verify, node earnings --period', async () => {
  const node = nodes[0]!;
  const ran = (await satelliteCli('audits', 'run')) as { nodeId: string; outcome: string }[];
  expect(ran.length).toBeGreaterThan(0);
  expect(ran.every((a) => a.outcome === 'success')).toBe(true);
  const listed = (await satelliteCli('audits', 'list', '--node', node.peerId)) as { nodeId: string }[];
  expect(listed.length).toBeGreaterThan(0);
  expect(listed.every((a) => a.nodeId === node.peerId)).toBe(true);
  const reputation = (await satelliteCli('reputation')) as { nodeId: string; auditScore: number }[];
  expect(reputation.map((r) => r.nodeId).sort()).toEqual(nodes.map((n) => n.peerId).sort());
  const closed = (await satelliteCli('payouts', 'close')) as { period: number };
  expect(closed.period).toBe(1);
  const period = (await satelliteCli('payouts', 'list', '--period', '1')) as { period: number; ledger: { nodeId: string }[] };
  expect(period.period).toBe(1);
  expect(period.ledger.some((e) => e.nodeId === node.peerId)).toBe(true);
  expect(await satelliteCli('ledger', 'verify')).toMatchObject({ ok: true });
  // A period not closed: the command fails, saying so.
  const missing = await run(process.execPath, [cli, 'satellite', 'payouts', 'list', '--period', '9'], { env }).catch((e: { code: number; stderr: string }) => e);
  expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/period 9/) as string });
  // The node's own view, signed by the satellite and checked by the command.
  const { stdout } = await run(process.execPath, [cli, 'node', 'earnings', '--data-dir', dirs[0]!, '--satellite', `${satellite.id}@${satelliteAddress(satellite)}`, '--period', '1', '--json'], { env });
  const statement = JSON.parse(stdout) as { period: number; satelliteId: string; total: string; entries: { kind: string }[] };
  expect(statement).toMatchObject({ period: 1, satelliteId: satellite.id });
  const credited = period.ledger.filter((e) => e.nodeId === node.peerId);
  expect(statement.entries).toHaveLength(credited.length);
}, 90_000);
