// The satellite's admin API against a web page in the operator's browser and anyone else who can
// reach its port: without the token, with a wrong one, from another site's page (Origin), through
// a name that is not the satellite's (DNS rebinding: Host) and with a body that is not JSON, every
// request is refused with its status and code, and nothing changes (no API key made, no payout
// period closed). With the token it works. The node's dashboard refuses foreign hosts and origins.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodeConfig, type StorageNode } from '../../src/node/index.js';
import { bearerMatches } from '../../src/satellite/admin/token.js';
import { loadOrCreateAdminToken, type Satellite } from '../../src/satellite/index.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { startNodes, startSatellite } from '../satellite/fixtures.js';

let satellite: Satellite;
let strict: Satellite;
let node: StorageNode;

beforeAll(async () => {
  satellite = await startSatellite({});
  // A second satellite: /metrics behind the token, and one more host name allowed.
  strict = await startSatellite({ adminMetricsAuth: true, adminHosts: ['sat.example.net'] });
  node = (await startNodes(satellite, 1)).nodes[0]!;
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await satellite?.stop();
  await strict?.stop();
  removeTempDirs();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
  text: string;
}

/** One HTTP request with exactly these headers (fetch would not let a test set Host). */
function raw(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    // host: '' in `headers` sends no Host header at all.
    const { host, ...headers } = options.headers ?? {};
    const req = request({ host: u.hostname, port: u.port, path, method: options.method ?? 'GET', headers: host ? { ...headers, host } : headers, setHost: host !== '' }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body = {} as Answer['body'];
        try {
          body = JSON.parse(text) as Answer['body'];
        } catch {
          // the page or the metrics
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const json = { 'content-type': 'application/json' };

async function keyCount(): Promise<number> {
  let n = 0;
  for await (const _ of satellite.apiKeys.list()) n++;
  return n;
}
const periodsClosed = async (): Promise<number> => (await satellite.payouts.ledger.listPeriods()).length;

/** Runs `attempt` and checks that no key was made and no period closed by it. */
async function changesNothing(attempt: () => Promise<void>): Promise<void> {
  const keys = await keyCount();
  const periods = await periodsClosed();
  await attempt();
  expect(await keyCount()).toBe(keys);
  expect(await periodsClosed()).toBe(periods);
}

/** The two writes an attacker wants: an API key (its secret in the answer) and a closed period. */
const writes = [
  { path: '/api/keys', body: JSON.stringify({ name: 'mallory' }) },
  { path: '/api/payouts/close', body: '{}' }
];

describe('the admin API refuses', () => {
  it('requests without the token: 401 ADMIN_UNAUTHORIZED, with a Bearer challenge', async () => {
    await changesNothing(async () => {
      for (const w of writes) {
        const a = await raw(satellite.adminUrl!, w.path, { method: 'POST', headers: json, body: w.body });
        expect(a.status).toBe(401);
        expect(a.body.error?.code).toBe('ADMIN_UNAUTHORIZED');
        expect(a.headers['www-authenticate']).toMatch(/^Bearer /);
      }
    });
    // Reads too, and paths that match no route (nothing is told about what exists).
    for (const path of ['/api/keys', '/api/info', '/api/nodes', '/api/nothing', '/api']) {
      const a = await raw(satellite.adminUrl!, path);
      expect([path, a.status, a.body.error?.code]).toEqual([path, 401, 'ADMIN_UNAUTHORIZED']);
    }
  });

  it('a wrong token, however it is sent: 401', async () => {
    const token = satellite.adminToken;
    const wrong = [
      bearer(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')),
      bearer(token.slice(0, 20)),
      bearer(`${token}x`),
      bearer(''),
      { authorization: token },
      { authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` },
      { authorization: `Bearer ${token} ${token}` },
      { 'x-admin-token': token }
    ];
    await changesNothing(async () => {
      for (const headers of wrong) {
        for (const w of writes) {
          const a = await raw(satellite.adminUrl!, w.path, { method: 'POST', headers: { ...json, ...headers }, body: w.body });
          expect([headers, a.status, a.body.error?.code]).toEqual([headers, 401, 'ADMIN_UNAUTHORIZED']);
        }
      }
    });
    // The token of another satellite is not this one's.
    const a = await raw(satellite.adminUrl!, '/api/keys', { method: 'POST', headers: { ...json, ...bearer(strict.adminToken) }, body: '{}' });
    expect(a.status).toBe(401);
  });

  it("a page of another origin, even with the token: 403 ADMIN_ORIGIN_REFUSED (the preflight too)", async () => {
    const port = new URL(satellite.adminUrl!).port;
    await changesNothing(async () => {
      for (const origin of ['http://evil.example', 'null', `https://127.0.0.1:${port}`, `http://127.0.0.1:${Number(port) + 1}`, `http://localhost:${port}`]) {
        for (const w of writes) {
          const a = await raw(satellite.adminUrl!, w.path, { method: 'POST', headers: { ...json, ...bearer(satellite.adminToken), origin }, body: w.body });
          expect([origin, a.status, a.body.error?.code]).toEqual([origin, 403, 'ADMIN_ORIGIN_REFUSED']);
        }
      }
      const preflight = await raw(satellite.adminUrl!, '/api/keys', {
        method: 'OPTIONS',
        headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' }
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  it('a Host that is not the satellite (DNS rebinding), even with the token: 421 ADMIN_HOST_REFUSED, page and metrics too', async () => {
    const port = new URL(satellite.adminUrl!).port;
    await changesNothing(async () => {
      for (const host of [`rebind.example:${port}`, 'rebind.example', `127.0.0.1.rebind.example:${port}`, `localhost.:${port}`, `0.0.0.0:${port}`]) {
        for (const w of writes) {
          // As a rebinding page sends it: its own origin, the attacker's name, and (say) a stolen token.
          const a = await raw(satellite.adminUrl!, w.path, { method: 'POST', headers: { ...json, ...bearer(satellite.adminToken), host, origin: `http://${host}` }, body: w.body });
          expect([host, a.status, a.body.error?.code]).toEqual([host, 421, 'ADMIN_HOST_REFUSED']);
        }
        expect((await raw(satellite.adminUrl!, '/', { headers: { host } })).status).toBe(421);
        expect((await raw(satellite.adminUrl!, '/metrics', { headers: { host } })).status).toBe(421);
      }
    });
    // With no Host at all: refused as well (Node's HTTP server answers 400 before the API sees it).
    const bare = await raw(satellite.adminUrl!, '/api/keys', { headers: { ...bearer(satellite.adminToken), host: '' } });
    expect(bare.status).toBe(400);
  });

  it('a body that is not JSON, even with the token: 415 ADMIN_UNSUPPORTED_MEDIA_TYPE', async () => {
    await changesNothing(async () => {
      for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', undefined]) {
        for (const w of writes) {
          const headers = { ...bearer(satellite.adminToken), ...(type ? { 'content-type': type } : {}) };
          const a = await raw(satellite.adminUrl!, w.path, { method: 'POST', headers, body: w.body });
          expect([type, a.status, a.body.error?.code]).toEqual([type, 415, 'ADMIN_UNSUPPORTED_MEDIA_TYPE']);
        }
      }
    });
  });
});

describe('the admin API works', () => {
  it('with the token: an API key made (201), a period closed (201), from loopback names and its own origin', async () => {
    const port = new URL(satellite.adminUrl!).port;
    const keys = await keyCount();
    const periods = await periodsClosed();
    const made = await raw(satellite.adminUrl!, '/api/keys', { method: 'POST', headers: { ...json, ...bearer(satellite.adminToken) }, body: JSON.stringify({ name: 'alice' }) });
    expect(made.status).toBe(201);
    expect(made.body.key).toMatch(/^stk_/);
    // The page's own fetch: its origin, and a JSON type with parameters.
    const fromPage = await raw(satellite.adminUrl!, '/api/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...bearer(satellite.adminToken), host: `localhost:${port}`, origin: `http://localhost:${port}` },
      body: JSON.stringify({ name: 'page' })
    });
    expect(fromPage.status).toBe(201);
    // An empty POST needs no type; [::1] and 127.0.0.1 are the satellite's names too.
    const closed = await raw(satellite.adminUrl!, '/api/payouts/close', { method: 'POST', headers: { ...bearer(satellite.adminToken), host: `[::1]:${port}` } });
    expect(closed.status).toBe(201);
    expect(await keyCount()).toBe(keys + 2);
    expect(await periodsClosed()).toBe(periods + 1);
    const info = await raw(satellite.adminUrl!, '/api/info', { headers: { ...bearer(satellite.adminToken), host: `127.0.0.1:${port}` } });
    expect(info.body.id).toBe(satellite.id);
    // The page itself and /metrics need no token (Host-checked).
    expect((await raw(satellite.adminUrl!, '/')).status).not.toBe(401);
    const metrics = await raw(satellite.adminUrl!, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/stowage_satellite_nodes/);
  });

  it('with adminMetricsAuth, /metrics needs the token; adminHosts adds a name', async () => {
    const port = new URL(strict.adminUrl!).port;
    expect((await raw(strict.adminUrl!, '/metrics')).status).toBe(401);
    expect((await raw(strict.adminUrl!, '/metrics', { headers: bearer(strict.adminToken) })).status).toBe(200);
    const named = await raw(strict.adminUrl!, '/api/info', { headers: { ...bearer(strict.adminToken), host: `sat.example.net:${port}` } });
    expect(named.status).toBe(200);
    expect((await raw(strict.adminUrl!, '/api/info', { headers: { ...bearer(strict.adminToken), host: `other.example.net:${port}` } })).status).toBe(421);
  });
});

describe('the admin token', () => {
  it('is made once, 0600, 32 random bytes in base64url, and kept across starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-token-'));
    try {
      const token = await loadOrCreateAdminToken(dir);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(statSync(join(dir, 'admin.token')).mode & 0o777).toBe(0o600);
      expect(await loadOrCreateAdminToken(dir)).toBe(token);
      expect(await loadOrCreateAdminToken(mkdtempSync(join(tmpdir(), 'stowage-token-')))).not.toBe(token);
      // A short token in the file is refused rather than used.
      writeFileSync(join(dir, 'admin.token'), 'secret\n');
      await expect(loadOrCreateAdminToken(dir)).rejects.toMatchObject({ code: 'ADMIN_TOKEN_INVALID' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the satellite's is in its data directory, and the data directory is 0700", () => {
    const dir = satellite.config.dataDir;
    expect(readFileSync(join(dir, 'admin.token'), 'utf8').trim()).toBe(satellite.adminToken);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'identity.key')).mode & 0o777).toBe(0o600);
  });

  it('bearerMatches: only the exact token after "Bearer"', () => {
    const t = 'a'.repeat(43);
    expect(bearerMatches(`Bearer ${t}`, t)).toBe(true);
    expect(bearerMatches(`bearer ${t}`, t)).toBe(true);
    for (const h of [undefined, '', 'Bearer', 'Bearer ', `Bearer ${t}b`, `Bearer ${t.slice(1)}`, t, `Token ${t}`]) expect(bearerMatches(h, t)).toBe(false);
  });
});

describe('request targets that are not paths', () => {
  // `//` once ended the satellite and the node (URL parsing threw outside the handler's try): any
  // page in the operator's browser could send it (<img src="http://127.0.0.1:7778//">), no token needed.
  it('get a typed 4xx from the admin API and the dashboard, and both go on answering', async () => {
    const targets = ['//', '//evil.example/x', '///', '//:99999', '*'];
    for (const path of targets) {
      for (const base of [satellite.adminUrl!, node.dashboardUrl!]) {
        const a = await raw(base, path);
        expect([path, a.status >= 400 && a.status < 500, typeof a.body.error?.code]).toEqual([path, true, 'string']);
      }
    }
    // Not a path at all: 400.
    expect((await raw(satellite.adminUrl!, '*')).body.error?.code).toBe('ADMIN_BAD_REQUEST');
    expect((await raw(node.dashboardUrl!, '*')).body.error?.code).toBe('DASHBOARD_BAD_REQUEST');
    expect((await raw(satellite.adminUrl!, '/api/info', { headers: bearer(satellite.adminToken) })).status).toBe(200);
    expect((await raw(node.dashboardUrl!, '/api/node')).body.id).toBe(node.peerId);
  });
});

describe("the node's dashboard", () => {
  it('refuses a foreign Host (421) and a foreign Origin (403); answers its own names', async () => {
    const url = node.dashboardUrl!;
    const port = new URL(url).port;
    for (const path of ['/api/node', '/', '/metrics']) {
      const a = await raw(url, path, { headers: { host: `rebind.example:${port}` } });
      expect([path, a.status]).toEqual([path, 421]);
      if (path.startsWith('/api/')) expect(a.body.error?.code).toBe('DASHBOARD_HOST_REFUSED');
    }
    const foreign = await raw(url, '/api/node', { headers: { origin: 'http://evil.example' } });
    expect([foreign.status, foreign.body.error?.code]).toEqual([403, 'DASHBOARD_ORIGIN_REFUSED']);
    expect((await raw(url, '/api/node', { method: 'POST', headers: { origin: 'http://evil.example' } })).status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const a = await raw(url, '/api/node', { headers: { host, origin: `http://${host}` } });
      expect([host, a.status, a.body.id]).toEqual([host, 200, node.peerId]);
    }
  });

  it('answers the names its operator gives (dashboardHosts, --dashboard-host, STOWAGE_NODE_DASHBOARD_HOSTS), and only those', async () => {
    const named = (await startNodes(satellite, 1, () => ({ dashboardHosts: ['mynode.lan'] }))).nodes[0]!;
    try {
      const url = named.dashboardUrl!;
      const port = new URL(url).port;
      const mine = await raw(url, '/api/node', { headers: { host: `mynode.lan:${port}`, origin: `http://mynode.lan:${port}` } });
      expect([mine.status, mine.body.id]).toEqual([200, named.peerId]);
      expect((await raw(url, '/api/node', { headers: { host: `othernode.lan:${port}` } })).status).toBe(421);
    } finally {
      await named.stop();
    }
    const sat = ['--satellite', `${satellite.id}@/ip4/127.0.0.1/tcp/1`];
    expect(loadNodeConfig([...sat, '--dashboard-host', 'a.lan', '--dashboard-host', 'b.lan'], {}).dashboardHosts).toEqual(['a.lan', 'b.lan']);
    expect(loadNodeConfig(sat, { STOWAGE_NODE_DASHBOARD_HOSTS: 'c.lan,d.lan' }).dashboardHosts).toEqual(['c.lan', 'd.lan']);
    expect(loadNodeConfig(sat, {}).dashboardHosts).toEqual([]);
  });
});

describe('the admin API with the token', () => {
  it('refuses a body over 64 KiB with 413 ADMIN_BODY_TOO_LARGE and makes nothing', async () => {
    await changesNothing(async () => {
      const big = JSON.stringify({ name: 'x'.repeat(64 * 1024) });
      const a = await raw(satellite.adminUrl!, '/api/keys', { method: 'POST', headers: { ...json, ...bearer(satellite.adminToken) }, body: big });
      expect([a.status, a.body.error?.code]).toEqual([413, 'ADMIN_BODY_TOO_LARGE']);
    });
    // Just under the limit is read (and then judged on its content, not its size).
    const fits = JSON.stringify({ name: 'y'.repeat(64 * 1024 - 20) });
    const b = await raw(satellite.adminUrl!, '/api/keys', { method: 'POST', headers: { ...json, ...bearer(satellite.adminToken) }, body: fits });
    expect(b.status).not.toBe(413);
  });

  it('answers a period that is not closed with 404 PERIOD_NOT_FOUND', async () => {
    for (const period of [999_999, 0, -1]) {
      const a = await raw(satellite.adminUrl!, `/api/payouts?period=${period}`, { headers: bearer(satellite.adminToken) });
      expect([period, a.status, a.body.error?.code]).toEqual([period, 404, 'PERIOD_NOT_FOUND']);
    }
  });
});
