// A satellite and storage nodes in this process, on loopback, for the satellite's tests: every
// schedule off (tests call the rounds themselves), subnet rule off, real LevelDB in temp dirs.
import { pino } from 'pino';
import { Stowage, createAccess, type ClientOptions } from '../../src/client/index.js';
import { NODE_DEFAULTS, StorageNode, type NodeConfig } from '../../src/node/index.js';
import { SATELLITE_DEFAULTS, Satellite, type SatelliteConfig, type SatelliteOptions } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { until } from '../node/fixtures/until.js';

export const silent = pino({ level: 'silent' });

export async function startSatellite(overrides: Partial<SatelliteConfig>, options: SatelliteOptions = {}): Promise<Satellite> {
  return Satellite.start(
    {
      ...SATELLITE_DEFAULTS,
      dataDir: tempDir(),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      admin: '127.0.0.1:0',
      uptimeCheckIntervalMs: 0,
      auditIntervalMs: 0,
      distinctSubnets: false,
      repair: { ...SATELLITE_DEFAULTS.repair, checkIntervalMs: 0, repairIntervalMs: 0, pieceTimeoutMs: 5000 },
      gc: { ...SATELLITE_DEFAULTS.gc, intervalMs: 0, timeoutMs: 5000 },
      payout: { ...SATELLITE_DEFAULTS.payout, periodMs: 0 },
      ...overrides
    },
    { logger: silent, ...options }
  );
}

/** The satellite's libp2p address without its peer id. */
export function satelliteAddress(satellite: Satellite): string {
  return satellite.multiaddrs()[0]!.replace(/\/p2p\/.*$/, '');
}

export function nodeConfig(satellite: Satellite, overrides: Partial<NodeConfig> = {}): NodeConfig {
  return {
    ...NODE_DEFAULTS,
    dataDir: tempDir(),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    capacity: 1e9,
    satellites: [{ peerId: satellite.id, address: satelliteAddress(satellite) }],
    checkInIntervalMs: 0,
    dashboard: '127.0.0.1:0',
    // No chart samples: they would fill the node's cache of its satellite stats before a test asks.
    historyIntervalMs: 0,
    ...overrides
  };
}

/** Starts a node and waits until the satellite has reached it. */
export async function startNode(satellite: Satellite, config: NodeConfig): Promise<StorageNode> {
  const node = await StorageNode.start(config, { logger: silent });
  await until(() => node.contact.last.get(satellite.id)?.reachable === true, `node ${node.peerId} reached by the satellite`);
  return node;
}

/** `count` nodes, each with its own config (`overrides(i)` changes it). */
export async function startNodes(satellite: Satellite, count: number, overrides: (i: number) => Partial<NodeConfig> = () => ({})): Promise<{ nodes: StorageNode[]; configs: NodeConfig[] }> {
  const configs = Array.from({ length: count }, (_, i) => nodeConfig(satellite, overrides(i)));
  const nodes: StorageNode[] = [];
  for (const c of configs) nodes.push(await startNode(satellite, c));
  return { nodes, configs };
}

/** A client with its own API key. */
export async function connectClient(satellite: Satellite, options: ClientOptions = {}): Promise<Stowage> {
  const key = (await satellite.apiKeys.create('test')).key;
  return Stowage.connect(createAccess(`${satellite.id}@${satelliteAddress(satellite)}`, key), { pieceTimeoutMs: 5000, ...options });
}

/** Tears down what a suite started: the client, the nodes, the satellite, then the temp dirs. */
export async function stopAll(parts: { client?: Stowage; nodes?: StorageNode[]; satellite?: Satellite }): Promise<void> {
  await parts.client?.close();
  await Promise.all((parts.nodes ?? []).map((n) => n.stop()));
  await parts.satellite?.stop();
  removeTempDirs();
}
