// The storage node's configuration: one typed object, read from flags, then environment
// variables, then a JSON file (--config), then the defaults below (all in the README).
import { parseArgs } from 'node:util';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { isAddress } from 'viem';
import { ConfigError, readConfigFile, splitList } from '../common/index.js';

export { ConfigError };

export interface TrustedSatellite {
  peerId: string;
  /** Where to reach it (used by check-in, the satellite issue): the first of `addresses`. */
  address: string;
  /**
   * Every address of this satellite id, when several satellite processes share its identity
   * (issue 24): each dial tries them all and keeps the first that connects. Absent: `address` alone.
   */
  addresses?: string[];
}

/** Every address to dial a trusted satellite at, with its peer id. */
export function satelliteAddrs(s: TrustedSatellite): Multiaddr[] {
  return (s.addresses ?? [s.address]).map((a) => multiaddr(a).encapsulate(`/p2p/${s.peerId}`));
}

/** One entry per satellite id: several `--satellite id@addr` of one id become one with their addresses, in order. */
export function mergeSatellites(list: readonly TrustedSatellite[]): TrustedSatellite[] {
  const byId = new Map<string, TrustedSatellite>();
  for (const s of list) {
    const seen = byId.get(s.peerId);
    const addresses = s.addresses ?? [s.address];
    if (!seen) byId.set(s.peerId, { peerId: s.peerId, address: addresses[0]!, ...(addresses.length > 1 ? { addresses: [...addresses] } : {}) });
    else seen.addresses = [...new Set([...(seen.addresses ?? [seen.address]), ...addresses])];
  }
  return [...byId.values()];
}

export interface NodeConfig {
  dataDir: string;
  /** Where identity.key lives; '' means the data directory. */
  identityDir: string;
  listen: string[];
  announce: string[];
  /** Bytes of pieces the node may hold. */
  capacity: number;
  satellites: TrustedSatellite[];
  wallet: string;
  email: string;
  /**
   * An EVM JSON-RPC endpoint the node reads its pay from (the roots, payments and balance the
   * distributor and token hold), to check its statements against them; '' for none.
   */
  chainRpc: string;
  /** The payout distributor this node trusts; '' takes the satellite's word (the view says so). */
  distributor: string;
  /** The payout token this node trusts; '' takes the one the distributor pays. */
  token: string;
  clockSkewMs: number;
  idleTimeoutMs: number;
  maxPieceSize: number;
  maxConcurrentUploads: number;
  maxConcurrentReads: number;
  /** Streams one peer id may have open at once on the node's protocols (trusted satellites: no limit). */
  maxStreamsPerPeer: number;
  /** Streams all peers from one IP (IPv4 address, IPv6 /64) may have open at once on them. */
  maxStreamsPerIp: number;
  /** The first message of a stream (the request and its order) must arrive within this. */
  firstMessageTimeoutMs: number;
  /**
   * Streams from one IP that open a satellites-only protocol or pass the stream caps, within
   * `abuseWindowMs`, that block the IP for `abuseBlockMs` (abuse.ts); 0: never.
   */
  abuseThreshold: number;
  abuseWindowMs: number;
  abuseBlockMs: number;
  /** Longest an upload or download may take, from its verified order to its last byte; 0: no limit. */
  maxTransferMs: number;
  /** Bytes per second an upload or download must move over each rate window; 0: no minimum. */
  minTransferRate: number;
  /** Window of the minimum rate (the first one is the grace period). */
  rateWindowMs: number;
  /** Bytes all incoming streams may hold buffered at once; verified streams past it are paused. */
  maxBufferedBytes: number;
  /** Of those, bytes of streams not verified yet (no order checked); past it they are refused. */
  maxUnverifiedBufferedBytes: number;
  /** Delay between check-ins with each satellite; 0: only at start. */
  checkInIntervalMs: number;
  /** How long a check-in may wait for the satellite's dial and answer. */
  contactTimeoutMs: number;
  /** Delay between egress settlements with the satellites (and one at shutdown); 0: only at shutdown. */
  settleIntervalMs: number;
  /** Bandwidth orders under limits older than this are dropped unsettled (the satellites' window). */
  settlementWindowMs: number;
  /** Garbage collection keeps pieces created less than this before a filter was made. */
  gcSkewMs: number;
  /** How long pieces stay in the trash before they are deleted. */
  trashTtlMs: number;
  /** host:port of the dashboard and its JSON API; '' turns it off. */
  dashboard: string;
  /**
   * Host names the dashboard answers besides loopback names, its listen host and the address a
   * request arrived on (a name the operator browses it by, say `mynode.lan`); others get 421.
   */
  dashboardHosts: string[];
  /** How often the dashboard samples space and scores for its charts; 0: never. */
  historyIntervalMs: number;
  logLevel: string;
}

export const NODE_DEFAULTS: NodeConfig = {
  dataDir: './stowage-node',
  identityDir: '',
  listen: ['/ip4/0.0.0.0/tcp/28967'],
  announce: [],
  capacity: 1e12,
  satellites: [],
  wallet: '',
  email: '',
  chainRpc: '',
  distributor: '',
  token: '',
  clockSkewMs: 60_000,
  idleTimeoutMs: 30_000,
  maxPieceSize: 64 * 1024 * 1024,
  maxConcurrentUploads: 64,
  maxConcurrentReads: 256,
  maxStreamsPerPeer: 32,
  maxStreamsPerIp: 128,
  firstMessageTimeoutMs: 5_000,
  abuseThreshold: 64,
  abuseWindowMs: 60_000,
  abuseBlockMs: 10 * 60_000,
  maxTransferMs: 60 * 60 * 1000,
  minTransferRate: 1024,
  rateWindowMs: 15_000,
  maxBufferedBytes: 64 * 1024 * 1024,
  maxUnverifiedBufferedBytes: 16 * 1024 * 1024,
  checkInIntervalMs: 60 * 60 * 1000,
  contactTimeoutMs: 10_000,
  settleIntervalMs: 60 * 60 * 1000,
  settlementWindowMs: 48 * 60 * 60 * 1000,
  gcSkewMs: 60 * 60 * 1000,
  trashTtlMs: 7 * 24 * 60 * 60 * 1000,
  dashboard: '127.0.0.1:14002',
  dashboardHosts: [],
  historyIntervalMs: 15 * 60 * 1000,
  logLevel: 'info'
};


const UNITS: Record<string, number> = { '': 1, B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };

/** "2TB", "500 GB", "1.5TiB", "1048576" -> bytes. */
export function parseSize(text: string, what = 'size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2]!.toUpperCase()] : undefined;
  if (!m || unit === undefined) throw new ConfigError(`${what} '${text}' is not a size like 2TB, 500GB or 1048576`);
  return Math.floor(Number(m[1]) * unit);
}

/** "<peerId>@<multiaddr>" */
export function parseSatellite(text: string): TrustedSatellite {
  const at = text.indexOf('@');
  if (at <= 0 || at === text.length - 1) throw new ConfigError(`satellite '${text}' must be <peerId>@<multiaddr>`);
  return { peerId: text.slice(0, at), address: text.slice(at + 1) };
}

const int = (v: string | undefined, what: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new ConfigError(`${what} must be a non-negative integer, got '${v}'`);
  return n;
};

/** A size from the environment (text: "64MiB") or the file (a number of bytes or such text). */
function sizeSetting(env: string | undefined, file: unknown, what: string): number | undefined {
  if (env !== undefined) return parseSize(env, what);
  if (typeof file === 'string') return parseSize(file, what);
  if (typeof file === 'number') return file;
  return undefined;
}

/** Builds the config from command-line arguments (after `node run`) and an environment. */
export function loadNodeConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      'identity-dir': { type: 'string' },
      dashboard: { type: 'string' },
      'dashboard-host': { type: 'string', multiple: true },
      listen: { type: 'string', multiple: true },
      announce: { type: 'string', multiple: true },
      capacity: { type: 'string' },
      satellite: { type: 'string', multiple: true },
      wallet: { type: 'string' },
      email: { type: 'string' },
      'chain-rpc': { type: 'string' },
      distributor: { type: 'string' },
      token: { type: 'string' },
      'log-level': { type: 'string' }
    }
  });
  const configFile = values.config ?? env.STOWAGE_NODE_CONFIG;
  const file = readConfigFile(configFile);
  const fromFile = <K extends keyof NodeConfig>(k: K): NodeConfig[K] | undefined => file[k] as NodeConfig[K] | undefined;
  const capacity = values.capacity ?? env.STOWAGE_NODE_CAPACITY;
  const satellites = values.satellite ?? splitList(env.STOWAGE_NODE_SATELLITES);
  const config: NodeConfig = {
    dataDir: values['data-dir'] ?? env.STOWAGE_NODE_DATA_DIR ?? fromFile('dataDir') ?? NODE_DEFAULTS.dataDir,
    identityDir: values['identity-dir'] ?? env.STOWAGE_NODE_IDENTITY_DIR ?? fromFile('identityDir') ?? NODE_DEFAULTS.identityDir,
    listen: values.listen ?? splitList(env.STOWAGE_NODE_LISTEN) ?? fromFile('listen') ?? NODE_DEFAULTS.listen,
    announce: values.announce ?? splitList(env.STOWAGE_NODE_ANNOUNCE) ?? fromFile('announce') ?? NODE_DEFAULTS.announce,
    capacity: capacity !== undefined ? parseSize(capacity, 'capacity') : typeof file.capacity === 'string' ? parseSize(file.capacity, 'capacity') : (fromFile('capacity') ?? NODE_DEFAULTS.capacity),
    satellites: mergeSatellites(satellites ? satellites.map(parseSatellite) : (fromFile('satellites') ?? NODE_DEFAULTS.satellites)),
    wallet: values.wallet ?? env.STOWAGE_NODE_WALLET ?? fromFile('wallet') ?? NODE_DEFAULTS.wallet,
    email: values.email ?? env.STOWAGE_NODE_EMAIL ?? fromFile('email') ?? NODE_DEFAULTS.email,
    chainRpc: values['chain-rpc'] ?? env.STOWAGE_NODE_CHAIN_RPC ?? fromFile('chainRpc') ?? NODE_DEFAULTS.chainRpc,
    distributor: values.distributor ?? env.STOWAGE_NODE_DISTRIBUTOR ?? fromFile('distributor') ?? NODE_DEFAULTS.distributor,
    token: values.token ?? env.STOWAGE_NODE_TOKEN ?? fromFile('token') ?? NODE_DEFAULTS.token,
    clockSkewMs: int(env.STOWAGE_NODE_CLOCK_SKEW_MS, 'STOWAGE_NODE_CLOCK_SKEW_MS') ?? fromFile('clockSkewMs') ?? NODE_DEFAULTS.clockSkewMs,
    idleTimeoutMs: int(env.STOWAGE_NODE_IDLE_TIMEOUT_MS, 'STOWAGE_NODE_IDLE_TIMEOUT_MS') ?? fromFile('idleTimeoutMs') ?? NODE_DEFAULTS.idleTimeoutMs,
    maxPieceSize: fromFile('maxPieceSize') ?? NODE_DEFAULTS.maxPieceSize,
    maxConcurrentUploads: fromFile('maxConcurrentUploads') ?? NODE_DEFAULTS.maxConcurrentUploads,
    maxConcurrentReads: fromFile('maxConcurrentReads') ?? NODE_DEFAULTS.maxConcurrentReads,
    maxStreamsPerPeer: int(env.STOWAGE_NODE_MAX_STREAMS_PER_PEER, 'STOWAGE_NODE_MAX_STREAMS_PER_PEER') ?? fromFile('maxStreamsPerPeer') ?? NODE_DEFAULTS.maxStreamsPerPeer,
    maxStreamsPerIp: int(env.STOWAGE_NODE_MAX_STREAMS_PER_IP, 'STOWAGE_NODE_MAX_STREAMS_PER_IP') ?? fromFile('maxStreamsPerIp') ?? NODE_DEFAULTS.maxStreamsPerIp,
    firstMessageTimeoutMs: int(env.STOWAGE_NODE_FIRST_MESSAGE_TIMEOUT_MS, 'STOWAGE_NODE_FIRST_MESSAGE_TIMEOUT_MS') ?? fromFile('firstMessageTimeoutMs') ?? NODE_DEFAULTS.firstMessageTimeoutMs,
    abuseThreshold: int(env.STOWAGE_NODE_ABUSE_THRESHOLD, 'STOWAGE_NODE_ABUSE_THRESHOLD') ?? fromFile('abuseThreshold') ?? NODE_DEFAULTS.abuseThreshold,
    abuseWindowMs: int(env.STOWAGE_NODE_ABUSE_WINDOW_MS, 'STOWAGE_NODE_ABUSE_WINDOW_MS') ?? fromFile('abuseWindowMs') ?? NODE_DEFAULTS.abuseWindowMs,
    abuseBlockMs: int(env.STOWAGE_NODE_ABUSE_BLOCK_MS, 'STOWAGE_NODE_ABUSE_BLOCK_MS') ?? fromFile('abuseBlockMs') ?? NODE_DEFAULTS.abuseBlockMs,
    maxTransferMs: int(env.STOWAGE_NODE_MAX_TRANSFER_MS, 'STOWAGE_NODE_MAX_TRANSFER_MS') ?? fromFile('maxTransferMs') ?? NODE_DEFAULTS.maxTransferMs,
    minTransferRate: int(env.STOWAGE_NODE_MIN_TRANSFER_RATE, 'STOWAGE_NODE_MIN_TRANSFER_RATE') ?? fromFile('minTransferRate') ?? NODE_DEFAULTS.minTransferRate,
    rateWindowMs: int(env.STOWAGE_NODE_RATE_WINDOW_MS, 'STOWAGE_NODE_RATE_WINDOW_MS') ?? fromFile('rateWindowMs') ?? NODE_DEFAULTS.rateWindowMs,
    maxBufferedBytes: sizeSetting(env.STOWAGE_NODE_MAX_BUFFERED_BYTES, file.maxBufferedBytes, 'maxBufferedBytes') ?? NODE_DEFAULTS.maxBufferedBytes,
    maxUnverifiedBufferedBytes:
      sizeSetting(env.STOWAGE_NODE_MAX_UNVERIFIED_BUFFERED_BYTES, file.maxUnverifiedBufferedBytes, 'maxUnverifiedBufferedBytes') ?? NODE_DEFAULTS.maxUnverifiedBufferedBytes,
    checkInIntervalMs: int(env.STOWAGE_NODE_CHECK_IN_INTERVAL_MS, 'STOWAGE_NODE_CHECK_IN_INTERVAL_MS') ?? fromFile('checkInIntervalMs') ?? NODE_DEFAULTS.checkInIntervalMs,
    contactTimeoutMs: fromFile('contactTimeoutMs') ?? NODE_DEFAULTS.contactTimeoutMs,
    settleIntervalMs: int(env.STOWAGE_NODE_SETTLE_INTERVAL_MS, 'STOWAGE_NODE_SETTLE_INTERVAL_MS') ?? fromFile('settleIntervalMs') ?? NODE_DEFAULTS.settleIntervalMs,
    settlementWindowMs: int(env.STOWAGE_NODE_SETTLEMENT_WINDOW_MS, 'STOWAGE_NODE_SETTLEMENT_WINDOW_MS') ?? fromFile('settlementWindowMs') ?? NODE_DEFAULTS.settlementWindowMs,
    gcSkewMs: fromFile('gcSkewMs') ?? NODE_DEFAULTS.gcSkewMs,
    dashboard: values.dashboard ?? env.STOWAGE_NODE_DASHBOARD ?? fromFile('dashboard') ?? NODE_DEFAULTS.dashboard,
    dashboardHosts: values['dashboard-host'] ?? splitList(env.STOWAGE_NODE_DASHBOARD_HOSTS) ?? fromFile('dashboardHosts') ?? NODE_DEFAULTS.dashboardHosts,
    historyIntervalMs: int(env.STOWAGE_NODE_HISTORY_INTERVAL_MS, 'STOWAGE_NODE_HISTORY_INTERVAL_MS') ?? fromFile('historyIntervalMs') ?? NODE_DEFAULTS.historyIntervalMs,
    trashTtlMs: int(env.STOWAGE_NODE_TRASH_TTL_MS, 'STOWAGE_NODE_TRASH_TTL_MS') ?? fromFile('trashTtlMs') ?? NODE_DEFAULTS.trashTtlMs,
    logLevel: values['log-level'] ?? env.STOWAGE_LOG_LEVEL ?? fromFile('logLevel') ?? NODE_DEFAULTS.logLevel
  };
  if (!(config.abuseThreshold >= 0)) throw new ConfigError(`abuseThreshold must be 0 (off) or more, got ${String(config.abuseThreshold)}`);
  for (const k of ['maxStreamsPerPeer', 'maxStreamsPerIp', 'firstMessageTimeoutMs', 'rateWindowMs', 'maxBufferedBytes', 'maxUnverifiedBufferedBytes', 'abuseWindowMs', 'abuseBlockMs', 'settlementWindowMs'] as const) {
    if (!(config[k] > 0)) throw new ConfigError(`${k} must be a positive number, got ${String(config[k])}`);
  }
  if (!(config.settleIntervalMs >= 0)) throw new ConfigError(`settleIntervalMs must be 0 (only at shutdown) or more, got ${String(config.settleIntervalMs)}`);
  // Orders older than the window are dropped unsettled: a node settling less often would drop all.
  if (config.settleIntervalMs >= config.settlementWindowMs) {
    throw new ConfigError(`settleIntervalMs (${config.settleIntervalMs}) must be shorter than settlementWindowMs (${config.settlementWindowMs}), or every order would be dropped before it is settled`);
  }
  if (typeof config.chainRpc !== 'string' || (config.chainRpc !== '' && !/^https?:\/\/[^\s/]/.test(config.chainRpc))) {
    throw new ConfigError(`chainRpc must be an http(s) URL of an EVM JSON-RPC endpoint or '' for none, got '${String(config.chainRpc)}'`);
  }
  for (const k of ['distributor', 'token'] as const) {
    // A mixed-case address must carry its EIP-55 checksum: a typo is refused, not trusted.
    if (typeof config[k] !== 'string' || (config[k] !== '' && !isAddress(config[k], { strict: true }))) {
      throw new ConfigError(`${k} must be a 0x address of 40 hex digits (mixed case: with a valid checksum) or '', got '${String(config[k])}'`);
    }
  }
  if (config.satellites.length === 0) {
    throw new ConfigError('no trusted satellite: give --satellite <peerId>@<multiaddr> (or STOWAGE_NODE_SATELLITES)');
  }
  return config;
}
