// `stowage satellite run`, `api-key create`, and the operator's calls to a running satellite
// (`audits run|list`, `reputation`).
import { Level } from 'level';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { StowageError } from '../common/index.js';
import { ApiKeys, Satellite, SATELLITE_DEFAULTS, loadSatelliteConfig } from '../satellite/index.js';
import { untilStopSignal } from './signals.js';

export const SATELLITE_USAGE = `usage: stowage satellite run [options]
       stowage satellite api-key create [--name NAME] [--admin HOST:PORT] [--data-dir DIR]
       stowage satellite audits run|list [--node ID] [--admin HOST:PORT]
       stowage satellite reputation [--admin HOST:PORT]
       stowage satellite payouts close|list [--period N] [--admin HOST:PORT]
       stowage satellite ledger verify [--admin HOST:PORT]

run options (environment variable in brackets; defaults in the README):
  --data-dir DIR         identity and database [STOWAGE_SATELLITE_DATA_DIR] (./stowage-satellite)
  --listen MULTIADDR     repeatable [STOWAGE_SATELLITE_LISTEN] (/ip4/0.0.0.0/tcp/7777)
  --announce MULTIADDR   repeatable [STOWAGE_SATELLITE_ANNOUNCE]
  --admin HOST:PORT      admin HTTP API and /metrics, '' for none [STOWAGE_SATELLITE_ADMIN] (127.0.0.1:7778)
  --profile K/R/S/T      Reed-Solomon profile [STOWAGE_SATELLITE_PROFILE] (29/35/80/110)
  --log-level LEVEL      [STOWAGE_LOG_LEVEL] (info)
  --config FILE          JSON with the same settings in camelCase [STOWAGE_SATELLITE_CONFIG]

audits, reputation, payouts and ledger ask the running satellite's admin API and print JSON.
api-key create asks the running satellite's admin API; with no satellite running it writes to the
database in --data-dir. It prints the key once: the satellite keeps only its hash.`;

async function createKey(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { name: { type: 'string' }, admin: { type: 'string' }, 'data-dir': { type: 'string' } } });
  const admin = values.admin ?? process.env.STOWAGE_SATELLITE_ADMIN ?? SATELLITE_DEFAULTS.admin;
  const name = values.name ?? '';
  try {
    const res = await fetch(`http://${admin}/api/keys`, { method: 'POST', body: JSON.stringify({ name }) });
    const body = (await res.json()) as { key?: string; error?: { message: string } };
    if (!res.ok || !body.key) throw new StowageError('API_KEY_CREATE_FAILED', body.error?.message ?? `admin API answered ${res.status}`);
    console.log(body.key);
    return 0;
  } catch (err) {
    if (err instanceof StowageError) throw err;
    // No satellite answering there: write to its database directly.
  }
  const dataDir = values['data-dir'] ?? process.env.STOWAGE_SATELLITE_DATA_DIR ?? SATELLITE_DEFAULTS.dataDir;
  const db = new Level<string, unknown>(join(dataDir, 'db'), { valueEncoding: 'json' });
  try {
    await db.open();
  } catch (err) {
    throw new StowageError('API_KEY_CREATE_FAILED', `no satellite answers at ${admin} and its database in ${dataDir} cannot be opened: ${(err as Error).message}`);
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
  const { values } = parseArgs({ args: argv, strict: true, options: { admin: { type: 'string' }, node: { type: 'string' }, period: { type: 'string' } } });
  const admin = values.admin ?? process.env.STOWAGE_SATELLITE_ADMIN ?? SATELLITE_DEFAULTS.admin;
  const params = new URLSearchParams();
  if (values.node) params.set('node', values.node);
  if (values.period && method === 'GET') params.set('period', values.period);
  const query = params.size > 0 ? `?${params.toString()}` : '';
  const body = method === 'POST' && values.period ? JSON.stringify({ period: Number(values.period) }) : undefined;
  let res: Response;
  try {
    res = await fetch(`http://${admin}${path}${query}`, { method, body });
  } catch (err) {
    throw new StowageError('SATELLITE_ADMIN_UNREACHABLE', `no satellite admin API answers at ${admin}: ${(err as Error).message}`);
  }
  const answer = (await res.json()) as { error?: { code: string; message: string } };
  if (!res.ok) throw new StowageError(answer.error?.code ?? 'SATELLITE_ADMIN_ERROR', answer.error?.message ?? `admin API answered ${res.status}`);
  console.log(JSON.stringify(answer, null, 2));
  return 0;
}

/** Prints the check's result; exit code 1 when the ledger does not verify. */
async function verifyLedger(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { admin: { type: 'string' } } });
  const admin = values.admin ?? process.env.STOWAGE_SATELLITE_ADMIN ?? SATELLITE_DEFAULTS.admin;
  let result: { ok: boolean; entries: number; problem?: string };
  try {
    result = (await (await fetch(`http://${admin}/api/ledger/verify`)).json()) as typeof result;
  } catch (err) {
    throw new StowageError('SATELLITE_ADMIN_UNREACHABLE', `no satellite admin API answers at ${admin}: ${(err as Error).message}`);
  }
  console.log(JSON.stringify(result, null, 2));
  return result.ok ? 0 : 1;
}

export async function satelliteCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'api-key' && rest[0] === 'create') return createKey(rest.slice(1));
  if (sub === 'audits' && rest[0] === 'run') return adminCall('POST', '/api/audits/run', rest.slice(1));
  if (sub === 'audits' && rest[0] === 'list') return adminCall('GET', '/api/audits', rest.slice(1));
  if (sub === 'reputation') return adminCall('GET', '/api/reputation', rest);
  if (sub === 'payouts' && rest[0] === 'close') return adminCall('POST', '/api/payouts/close', rest.slice(1));
  if (sub === 'payouts' && rest[0] === 'list') return adminCall('GET', '/api/payouts', rest.slice(1));
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
