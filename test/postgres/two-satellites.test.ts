// Two satellite processes over one PostgreSQL database, sharing one identity (issue 24): clients
// spread over both upload and download; every chore runs in one of them under its lease; one is
// SIGKILLed mid-upload and mid-repair, and the other takes its chores over within the lease's
// time to live and a round: no object is lost, no audit round runs in both. Real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Stowage, createAccess, parseAccess, serializeAccess } from '../../src/client/index.js';
import { NODE_DEFAULTS, StorageNode } from '../../src/node/index.js';
import { killChildrenAfterAll, tracked } from '../node/fixtures/children.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { until } from '../node/fixtures/until.js';
import { collect } from '../node/fixtures/pieces.js';
import { freshDatabase } from './databases.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'main.js');
killChildrenAfterAll();
const silent = pino({ level: 'silent' });
const LEASE_TTL_MS = 3000;
const ROUND_MS = 1000;

interface LogLine {
  msg: string;
  time: number;
  [k: string]: unknown;
}

interface SatelliteProcess {
  child: ChildProcess;
  lines: LogLine[];
  address: string;
  admin: string;
  id: string;
  exit: Promise<void>;
}

async function startSatellite(dataDir: string, database: string, configFile: string): Promise<SatelliteProcess> {
  const args = ['satellite', 'run', '--data-dir', dataDir, '--database', database, '--listen', '/ip4/127.0.0.1/tcp/0', '--admin', '127.0.0.1:0', '--profile', '2/3/4/5', '--config', configFile];
  const child = tracked(spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const lines: LogLine[] = [];
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<LogLine>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const cut = out.lastIndexOf('\n');
      for (const line of out.slice(0, cut + 1).split('\n')) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as LogLine;
        lines.push(parsed);
        if (parsed.msg === 'satellite started') resolve(parsed);
      }
      out = out.slice(cut + 1);
    });
    void exit.then(() => reject(new Error(`the satellite exited before it started: ${err}`)));
  });
  const s = await started;
  const address = (s.addresses as string[])[0]!.replace(/\/p2p\/.*$/, '');
  return { child, lines, address, admin: s.admin as string, id: s.satelliteId as string, exit };
}

async function admin<T>(sat: SatelliteProcess, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sat.admin}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const nodes: StorageNode[] = [];
const clients: Stowage[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(nodes.map((n) => n.stop()));
  removeTempDirs();
});

describe('two satellite processes on one PostgreSQL database', () => {
  it('share the work, run each chore once, and survive a SIGKILL of either mid-upload and mid-repair', async () => {
    const database = await freshDatabase('two');
    const dirA = tempDir();
    const dirB = tempDir();
    const configFile = join(tempDir(), 'satellite.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        distinctSubnets: false,
        leaseTtlMs: LEASE_TTL_MS,
        // Nodes are checked every second: one unreached for 3 s is down (its pieces unhealthy).
        onlineWithinMs: 3000,
        // Each process's view of the registry (nodes check in at one of them) is re-read this often.
        selectionCacheMs: 500,
        uptimeCheckIntervalMs: ROUND_MS,
        auditIntervalMs: ROUND_MS,
        repair: { checkIntervalMs: ROUND_MS, repairIntervalMs: ROUND_MS, pieceTimeoutMs: 5000 },
        payout: { periodMs: 0 }
      })
    );
    // One identity: the first process makes it, the second is given a copy.
    const a = await startSatellite(dirA, database, configFile);
    copyFileSync(join(dirA, 'identity.key'), join(dirB, 'identity.key'));
    const b = await startSatellite(dirB, database, configFile);
    expect(b.id).toBe(a.id);
    const sats = [a, b];
    const tokenA = readFileSync(join(dirA, 'admin.token'), 'utf8').trim();
    const tokenB = readFileSync(join(dirB, 'admin.token'), 'utf8').trim();

    for (let i = 0; i < 6; i++) {
      const node = await StorageNode.start(
        {
          ...NODE_DEFAULTS,
          dataDir: tempDir(),
          listen: ['/ip4/127.0.0.1/tcp/0'],
          capacity: 1e9,
          satellites: [{ peerId: a.id, address: a.address, addresses: [a.address, b.address] }],
          checkInIntervalMs: 1000,
          dashboard: '',
          historyIntervalMs: 0
        },
        { logger: silent }
      );
      nodes.push(node);
    }
    await until(() => nodes.every((n) => n.contact.last.get(a.id)?.reachable === true), 'every node reached', 30_000);

    // One key, made through A, works at B: the keys are in the shared database.
    const { key } = await admin<{ key: string }>(a, tokenA, 'POST', '/api/keys', { name: 'two' });
    const secret = createAccess(`${a.id}@${a.address}`, key);
    const viaA = await Stowage.connect(secret, { pieceTimeoutMs: 5000, segmentSize: 64 * 1024 });
    const viaB = await Stowage.connect(serializeWith(secret, b.address), { pieceTimeoutMs: 5000, segmentSize: 64 * 1024 });
    const viaBoth = await Stowage.connect(serializeWith(secret, `${a.address},${b.address}`), { pieceTimeoutMs: 5000, segmentSize: 64 * 1024 });
    clients.push(viaA, viaB, viaBoth);
    await viaA.createBucket('shared');
    const stored = new Map<string, Uint8Array>();
    for (let i = 0; i < 6; i++) {
      const data = new Uint8Array(randomBytes(100_000 + i));
      await (i % 2 === 0 ? viaA : viaB).upload('shared', `o-${i}`, data);
      stored.set(`o-${i}`, data);
    }
    // Each read through the process that did not write it.
    for (const [name, data] of stored) {
      const down = Number(name.slice(2)) % 2 === 0 ? viaB : viaA;
      expect(Buffer.from(await collect(down.download('shared', name)))).toEqual(Buffer.from(data));
    }

    // Every chore is leased once; the lease names which process runs it.
    const dbc = new pg.Client({ connectionString: database });
    await dbc.connect();
    try {
      // The chores scheduled every second here: uptime checks, audits, repair and GC (one lease).
      await until(async () => (await dbc.query("SELECT name FROM chore_leases WHERE name = 'durability'")).rowCount === 1, 'chore leases taken', 20_000);
      const holders = async (): Promise<Map<string, number>> => {
        const { rows } = await dbc.query<{ name: string; holder: string }>('SELECT name, holder FROM chore_leases');
        return new Map(rows.map((r) => [r.name, Number(r.holder.split(':').at(-2))]));
      };
      const before = await holders();
      const auditHolder = before.get('durability')!;
      expect([a.child.pid, b.child.pid]).toContain(auditHolder);
      const victim = sats.find((s) => s.child.pid === auditHolder)!;
      const survivor = sats.find((s) => s !== victim)!;
      // While both run, only the holder's audit rounds happen.
      await until(() => victim.lines.filter((l) => l.msg === 'audit round done').length >= 2, 'audit rounds in the holder', 20_000);
      expect(survivor.lines.filter((l) => l.msg === 'audit round done')).toEqual([]);

      // A payout period closed through both processes at once is closed and credited once.
      type Closed = { period: number; end: number; entries: number; created: boolean };
      const closes = await Promise.all([admin<Closed>(a, tokenA, 'POST', '/api/payouts/close', { period: 1 }), admin<Closed>(b, tokenB, 'POST', '/api/payouts/close', { period: 1 })]);
      expect(closes.filter((c) => c.created)).toHaveLength(1);
      expect(closes[0].end).toBe(closes[1].end);
      const payouts = await admin<{ periods: { period: number }[] }>(b, tokenB, 'GET', '/api/payouts');
      expect(payouts.periods.map((p) => p.period)).toEqual([1]);
      expect(await admin<{ ok: boolean }>(a, tokenA, 'GET', '/api/ledger/verify')).toMatchObject({ ok: true });
      const credited = (await dbc.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries')).rows[0]!.n;
      expect(credited).toBe(closes.find((c) => c.created)!.entries);

      // Mid-repair: two nodes down leave every segment at 3 healthy pieces of 5 (the threshold).
      const down = nodes.splice(4, 2);
      await Promise.all(down.map((n) => n.stop()));
      await until(() => sats.some((s) => s.lines.some((l) => l.msg === 'repair check done' && Number(l.queued) > 0)), 'segments queued for repair', 30_000);
      // Mid-upload: an upload through both addresses is under way when the victim dies.
      const big = new Uint8Array(randomBytes(3 * 1024 * 1024));
      const uploading = viaBoth.upload('shared', 'big', big).then(
        () => 'ok',
        (err: Error) => err.message
      );
      await new Promise((r) => setTimeout(r, 300));
      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      await victim.exit;
      const outcome = await uploading;
      // Stored through the survivor, or failed cleanly: then the user's retry goes there.
      if (outcome !== 'ok') await viaBoth.upload('shared', 'big', big);
      stored.set('big', big);

      // The survivor takes every chore within the lease's time to live and a round.
      await until(
        async () => {
          const h = await holders();
          return h.size >= before.size && [...h.values()].every((pid) => pid === survivor.child.pid);
        },
        'the survivor holds every lease',
        LEASE_TTL_MS + ROUND_MS + 15_000
      );
      const takenAt = survivor.lines.find((l) => l.msg === 'chore lease taken: its rounds run here' && l.lease === 'durability')!.time;
      expect(takenAt - killedAt).toBeLessThan(LEASE_TTL_MS + ROUND_MS + 2000);
      // Audit rounds never overlapped: every survivor round is after the victim's death.
      const survivorRounds = survivor.lines.filter((l) => l.msg === 'audit round done');
      expect(survivorRounds.every((l) => l.time > killedAt)).toBe(true);

      // The repair finishes in the survivor: the queue empties.
      const tokenS = survivor === b ? tokenB : tokenA;
      await until(async () => (await admin<{ repairQueue?: number }>(survivor, tokenS, 'GET', '/api/totals')).repairQueue === 0, 'repair queue drained', 60_000);
      // Nothing lost: every object downloads, through the survivor.
      const reader = survivor === a ? viaA : viaB;
      for (const [name, data] of stored) expect(Buffer.from(await collect(reader.download('shared', name)))).toEqual(Buffer.from(data));
      survivor.child.kill('SIGTERM');
      await survivor.exit;
    } finally {
      await dbc.end();
    }
  }, 240_000);
});

/** The same access with another satellite address (or several, comma-separated). */
function serializeWith(access: string, address: string): string {
  return serializeAccess({ ...parseAccess(access), satelliteAddress: address });
}
