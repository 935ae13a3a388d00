// How the CLI reaches a running satellite's admin API: the address from --admin, else
// STOWAGE_SATELLITE_ADMIN, else the devnet's devnet.json, else 127.0.0.1:7778; the bearer token
// from --admin-token, else STOWAGE_SATELLITE_ADMIN_TOKEN, else the admin.token file of the
// satellite's data directory (--data-dir, else STOWAGE_SATELLITE_DATA_DIR, else the devnet's
// satellite, else ./stowage-satellite).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StowageError } from '../common/index.js';
import { ADMIN_TOKEN_FILE, SATELLITE_DEFAULTS } from '../satellite/index.js';
import { DEFAULT_DEVNET_DIR } from './objects.js';

/** The flags every admin command takes. */
export const ADMIN_OPTIONS = { admin: { type: 'string' }, 'admin-token': { type: 'string' }, 'data-dir': { type: 'string' } } as const;

export interface AdminTarget {
  /** http://host:port */
  url: string;
  token: string | undefined;
  /** Where the token came from, for messages. */
  tokenFrom: string;
}

function devnetSatellite(): { adminUrl: string; dataDir: string } | undefined {
  const file = join(process.env.STOWAGE_DEVNET_DIR ?? DEFAULT_DEVNET_DIR, 'devnet.json');
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { satellite: { adminUrl: string; dataDir: string } }).satellite;
  } catch {
    return undefined;
  }
}

/** host:port or http://host:port -> http://host:port, a wildcard listen host read as loopback. */
function adminUrl(address: string): string {
  const bare = address.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return `http://${bare.replace(/^0\.0\.0\.0:/, '127.0.0.1:').replace(/^\[::\]:/, '[::1]:')}`;
}

/** Whether an admin URL names this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function readAdminToken(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, ADMIN_TOKEN_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function resolveAdmin(values: { admin?: string; 'admin-token'?: string; 'data-dir'?: string }): AdminTarget {
  const devnet = devnetSatellite();
  const given = values.admin ?? process.env.STOWAGE_SATELLITE_ADMIN;
  const url = adminUrl(given ?? devnet?.adminUrl ?? SATELLITE_DEFAULTS.admin);
  const token = values['admin-token'] ?? process.env.STOWAGE_SATELLITE_ADMIN_TOKEN;
  if (token) return { url, token, tokenFrom: values['admin-token'] ? '--admin-token' : 'STOWAGE_SATELLITE_ADMIN_TOKEN' };
  const dirs: string[] = [];
  const dataDir = values['data-dir'] ?? process.env.STOWAGE_SATELLITE_DATA_DIR;
  if (dataDir) dirs.push(dataDir);
  else {
    // The devnet's satellite when that is the one asked (or none was named).
    if (devnet && (given === undefined || adminUrl(given) === adminUrl(devnet.adminUrl))) dirs.push(devnet.dataDir);
    // The default data directory's token belongs to a satellite on this machine: it is never sent
    // to another host (over plain HTTP) just because that host was named with --admin.
    if (isLoopback(url)) dirs.push(SATELLITE_DEFAULTS.dataDir);
  }
  for (const dir of dirs) {
    const found = readAdminToken(dir);
    if (found) return { url, token: found, tokenFrom: join(dir, ADMIN_TOKEN_FILE) };
  }
  return { url, token: undefined, tokenFrom: `no ${ADMIN_TOKEN_FILE} in ${dirs.join(' or ')}` };
}

/** Headers for an admin request: the token, and the JSON type when there is a body. */
export function adminHeaders(target: AdminTarget, json: boolean): Record<string, string> {
  return { ...(target.token ? { authorization: `Bearer ${target.token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) };
}

/** Calls the admin API; its typed error becomes a StowageError (401 with where the token came from). */
export async function adminRequest<T>(target: AdminTarget, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, { method, headers: adminHeaders(target, body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new StowageError('SATELLITE_ADMIN_UNREACHABLE', `no satellite admin API answers at ${target.url}: ${(err as Error).message}`);
  }
  const answer = (await res.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (res.status === 401) {
    throw new StowageError('ADMIN_UNAUTHORIZED', `the admin API at ${target.url} refused the token (${target.tokenFrom}): give --admin-token, STOWAGE_SATELLITE_ADMIN_TOKEN, or --data-dir of that satellite`);
  }
  if (!res.ok) throw new StowageError(answer.error?.code ?? 'SATELLITE_ADMIN_ERROR', answer.error?.message ?? `admin API answered ${res.status}`);
  return answer;
}
