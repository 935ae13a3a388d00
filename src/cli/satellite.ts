// `stowage satellite run`, `setup`, `migrate` (LevelDB to PostgreSQL), `api-key create`, and the
// operator's calls to a running satellite (`audits run|list`, `reputation`, `payouts`, `ledger
// verify`) through its admin API, with the admin token (admin-client.ts says where it is found).
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { Level } from 'level';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { StowageError, loadOrCreateIdentity } from '../common/index.js';
import { ApiKeys, openPostgresSatelliteDB, Satellite, SATELLITE_DEFAULTS, loadOrCreateAdminToken, loadSatelliteConfig, migrateLevelToPostgres } from '../satellite/index.js';
import { ADMIN_OPTIONS, adminRequest, resolveAdmin } from './admin-client.js';
import { untilStopSignal } from './signals.js';

export const SATELLITE_USAGE = `usage: stowage satellite run [options]
       stowage satellite setup [--data-dir DIR]
       stowage satellite migrate --from-leveldb DIR --database URL
       stowage satellite api-key create [--name NAME] [--database URL] [ADMIN OPTIONS]
       stowage satellite audits run|list [--node ID] [ADMIN OPTIONS]
       stowage satellite reputation [ADMIN OPTIONS]
       stowage satellite payouts close|list [--period N] [ADMIN OPTIONS]
       stowage satellite payouts publish|chain [ADMIN OPTIONS]
       stowage satellite ledger verify [ADMIN OPTIONS]

run options (environment variable in brackets; defaults in the README):
  --data-dir DIR         identity and database [STOWAGE_SATELLITE_DATA_DIR] (./stowage-satellite)
  --database URL         postgres://... : the stores on PostgreSQL, shared by every satellite
                         process given the same URL and identity [STOWAGE_SATELLITE_DATABASE]
                         ('': the embedded LevelDB in the data directory)
  --listen MULTIADDR     repeatable [STOWAGE_SATELLITE_LISTEN] (/ip4/0.0.0.0/tcp/7777)
  --announce MULTIADDR   repeatable [STOWAGE_SATELLITE_ANNOUNCE]
  --admin HOST:PORT      admin HTTP API and /metrics, '' for none [STOWAGE_SATELLITE_ADMIN] (127.0.0.1:7778)
  --admin-host NAME      repeatable: a host name the admin API answers for besides localhost,
                         127.0.0.1, [::1] and its listen host [STOWAGE_SATELLITE_ADMIN_HOSTS]
  --profile K/R/S/T      Reed-Solomon profile [STOWAGE_SATELLITE_PROFILE] (29/35/80/110)
  --allow-private-addresses true|false|auto
                         dial nodes at private, loopback, link-local and other special-purpose
                         addresses [STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES] (auto: only when
                         every listen and announce address is loopback; link-local never)
  --chain-rpc URL        pay on an EVM chain through this JSON-RPC endpoint [STOWAGE_SATELLITE_CHAIN_RPC]
  --token ADDRESS        the ERC-20 paid out [STOWAGE_SATELLITE_TOKEN]
  --distributor ADDRESS  the PayoutDistributor the payer owns [STOWAGE_SATELLITE_DISTRIBUTOR]
  --payer-key-file FILE  the payer's private key, mode 0600 [STOWAGE_SATELLITE_PAYER_KEY_FILE]
                         (all four or none: without them payouts are ledger only)
  --log-level LEVEL      [STOWAGE_LOG_LEVEL] (info)
  --config FILE          JSON with the same settings in camelCase [STOWAGE_SATELLITE_CONFIG]

migrate copies a stopped satellite's LevelDB (DIR is its data directory, or the db in it) into an
empty PostgreSQL database, then checks the copy (counts and the ledger's hash chain).

setup creates the identity and the admin token in the data directory (if missing) and prints the
satellite's peer id, the id nodes name it by.

ADMIN OPTIONS (audits, reputation, payouts, ledger and api-key ask the running satellite's admin
API and print JSON):
  --admin HOST:PORT      [STOWAGE_SATELLITE_ADMIN], else the devnet's, else 127.0.0.1:7778
  --admin-token TOKEN    [STOWAGE_SATELLITE_ADMIN_TOKEN], else DATA_DIR/admin.token
  --data-dir DIR         the satellite's data directory [STOWAGE_SATELLITE_DATA_DIR], else the
                         devnet's satellite, else ./stowage-satellite
api-key create, with no satellite answering, writes to the database: --database (or
STOWAGE_SATELLITE_DATABASE) when given, else the LevelDB in --data-dir. It prints the
key once: the satellite keeps only its hash.`;

async function createKey(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { name: { type: 'string' }, database: { type: 'string' }, ...ADMIN_OPTIONS } });
  const target = resolveAdmin(values);
  const name = values.name ?? '';
  const database = values.database ?? process.env.STOWAGE_SATELLITE_DATABASE ?? '';
  try {
    const body = await adminRequest<{ key?: string }>(target, 'POST', '/api/keys', { name });
    if (!body.key) throw new StowageError('API_KEY_CREATE_FAILED', 'the admin API answered no key');
    console.log(body.key);
    return 0;
  } catch (err) {
    if (!(err instanceof StowageError) || err.code !== 'SATELLITE_ADMIN_UNREACHABLE') throw err;
    // No satellite answering there: write to its database directly.
  }
  if (database !== '') {
    const pg = await openPostgresSatelliteDB(database, { now: Date.now, pendingTtlMs: SATELLITE_DEFAULTS.pendingTtlMs, uptime: { windowMs: SATELLITE_DEFAULTS.uptimeWindowMs, periodMs: SATELLITE_DEFAULTS.uptimePeriodMs } });
    try {
      console.log((await pg.apiKeys.create(name)).key);
    } finally {
      await pg.close();
    }
    return 0;
  }
  const dataDir = values['data-dir'] ?? process.env.STOWAGE_SATELLITE_DATA_DIR ?? SATELLITE_DEFAULTS.dataDir;
  const db = new Level<string, unknown>(join(dataDir, 'db'), { valueEncoding: 'json' });
  try {
    await db.open();
  } catch (err) {
    throw new StowageError('API_KEY_CREATE_FAILED', `no satellite answers at ${target.url} and its database in ${dataDir} cannot be opened: ${(err as Error).message}`);
  }
  try {
    const { key } = await new ApiKeys(db, Date.now).create(name);
    console.log(key);
  } finally {
    await db.close();
  }
  return 0;
}

/** Calls the running satellite's admin API and prints its JSON answer. */
async function adminCall(method: 'GET' | 'POST', path: string, argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { ...ADMIN_OPTIONS, node: { type: 'string' }, period: { type: 'string' } } });
  const params = new URLSearchParams();
  if (values.node) params.set('node', values.node);
  if (values.period && method === 'GET') params.set('period', values.period);
  const query = params.size > 0 ? `?${params.toString()}` : '';
  const body = method === 'POST' && values.period ? { period: Number(values.period) } : undefined;
  const answer = await adminRequest<unknown>(resolveAdmin(values), method, `${path}${query}`, body);
  console.log(JSON.stringify(answer, null, 2));
  return 0;
}

/** Prints the check's result; exit code 1 when the ledger does not verify. */
async function verifyLedger(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: ADMIN_OPTIONS });
  const result = await adminRequest<{ ok: boolean; entries: number; problem?: string }>(resolveAdmin(values), 'GET', '/api/ledger/verify');
  console.log(JSON.stringify(result, null, 2));
  return result.ok ? 0 : 1;
}

/**
 * Copies a stopped satellite's LevelDB into an empty PostgreSQL database: progress on stderr, the
 * summary as JSON on stdout; exit code 1 when the copy's ledger does not verify.
 */
async function migrateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { 'from-leveldb': { type: 'string' }, database: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(SATELLITE_USAGE);
    return 0;
  }
  const from = values['from-leveldb'];
  const url = values.database;
  if (!from || !url) throw new StowageError('CLI_USAGE', `satellite migrate needs --from-leveldb DIR and --database URL\n\n${SATELLITE_USAGE}`);
  const summary = await migrateLevelToPostgres(from, url, { onProgress: (what, count) => console.error(`migrate: ${what} ${count}`) });
  console.log(JSON.stringify(summary, null, 2));
  if (summary.ledger.target.ok) return 0;
  console.error(`stowage: the copy's ledger does not verify: ${summary.ledger.target.problem ?? 'no reason given'}${summary.ledger.source.ok ? '' : ' (nor did the source ledger)'}`);
  return 1;
}

/** Creates the satellite's identity and admin token (or reads the ones there) and prints its peer id. */
async function setup(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { 'data-dir': { type: 'string' } } });
  const dir = values['data-dir'] ?? process.env.STOWAGE_SATELLITE_DATA_DIR ?? SATELLITE_DEFAULTS.dataDir;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const key = await loadOrCreateIdentity(dir);
  await loadOrCreateAdminToken(dir);
  console.log(peerIdFromPrivateKey(key).toString());
  return 0;
}

export async function satelliteCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'setup') return setup(rest);
  if (sub === 'migrate') return migrateCommand(rest);
  if (sub === 'api-key' && rest[0] === 'create') return createKey(rest.slice(1));
  if (sub === 'audits' && rest[0] === 'run') return adminCall('POST', '/api/audits/run', rest.slice(1));
  if (sub === 'audits' && rest[0] === 'list') return adminCall('GET', '/api/audits', rest.slice(1));
  if (sub === 'reputation') return adminCall('GET', '/api/reputation', rest);
  if (sub === 'payouts' && rest[0] === 'close') return adminCall('POST', '/api/payouts/close', rest.slice(1));
  if (sub === 'payouts' && rest[0] === 'list') return adminCall('GET', '/api/payouts', rest.slice(1));
  if (sub === 'payouts' && rest[0] === 'publish') return adminCall('POST', '/api/payouts/publish', rest.slice(1));
  if (sub === 'payouts' && rest[0] === 'chain') return adminCall('GET', '/api/payouts/chain', rest.slice(1));
  if (sub === 'ledger' && rest[0] === 'verify') return verifyLedger(rest.slice(1));
  if (sub !== 'run' || rest.includes('--help') || rest.includes('-h')) {
    console.log(SATELLITE_USAGE);
    return sub === 'run' || sub === undefined || sub === '--help' ? 0 : 2;
  }
  const satellite = await Satellite.start(loadSatelliteConfig(rest));
  await untilStopSignal();
  await satellite.stop();
  return 0;
}
