// `npm run test:chaos`: the network acceptance run. A satellite and 12 storage nodes as separate
// processes on loopback (profile 4/6/9/12, subnet rule off; audits, uptime checks, repair and GC on
// short intervals; payout periods of a minute) while clients upload and download objects of 0 B to
// 150 MiB and a seeded schedule kills, stalls, removes and adds nodes, spoils three nodes' disks,
// restarts the satellite and fills a node. Then it checks that nothing was lost and prints a table;
// the results go to benchmarks/results/chaos.json.
//
//   npm run test:chaos                      # 10 minutes, 2 GiB of objects
//   npm run test:chaos -- --ci              # the bounded run of .ci/run (5 minutes of chaos, 400 MiB)
//   npm run test:chaos -- --seed 1234 [--duration S] [--bytes N] [--dir D] [--keep]
//   npm run test:chaos -- --sweep N [--seeds a,b,c] [--ci] [--duration S]   # N runs, see sweep.ts
import '../../src/shims/promise-with-resolvers.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAccess, Stowage } from '../../src/client/index.js';
import { Cluster, freePort } from './cluster.js';
import { corruptPieces, deletePieces, keepDoing, zeroPieces } from './faults.js';
import { planChaos, type ChaosEvent, type ChaosOptions } from './schedule.js';
import { sweep } from './sweep.js';
import { Workload } from './workload.js';

const MIB = 1024 * 1024;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUCKET = 'chaos';
/** Pieces of a 16 MiB segment with k = 4: a full disk has less than this free. */
const LARGEST_PIECE = 4 * MIB + 64 * 1024;
/** Uploads not committed within this are dropped by the satellite (their pieces become garbage). */
const PENDING_TTL_MS = 60_000;
/** Peak resident memory allowed per process. */
const RSS_BOUND = { node: 400 * MIB, satellite: 1024 * MIB };

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string' },
    duration: { type: 'string' },
    bytes: { type: 'string' },
    dir: { type: 'string' },
    keep: { type: 'boolean' },
    ci: { type: 'boolean' },
    // N runs in a row (sweep.ts), each a child process given --results (its chaos.json's path).
    sweep: { type: 'string' },
    seeds: { type: 'string' },
    results: { type: 'string' }
  }
});
if (args.sweep !== undefined || args.seeds !== undefined) process.exit(await sweep(args));
const RESULTS = args.results ? resolve(args.results) : join(ROOT, 'benchmarks', 'results', 'chaos.json');
const seed = Number(args.seed ?? process.env.STOWAGE_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const options: ChaosOptions = {
  seed,
  durationMs: 1000 * Number(args.duration ?? (args.ci ? 300 : 600)),
  nodes: 12,
  removals: 9,
  objectBytes: Number(args.bytes ?? (args.ci ? 400 * MIB : 2 * 1024 * MIB)),
  maxObjectBytes: 150 * MIB,
  smallCapacity: 40e6,
  maxDisrupted: 2
};
const plan = planChaos(options);
const dir = args.dir ?? mkdtempSync(join(tmpdir(), 'stowage-chaos-'));
const started = Date.now();
const since = (): number => Date.now() - started;
const cluster = new Cluster(dir, started);
const eventLog: { at: number; planned: number; event: string; result: string }[] = [];
const note = (planned: number, event: string, result: string): void => {
  eventLog.push({ at: since(), planned, event, result });
  console.log(`${(since() / 1000).toFixed(1).padStart(7)} s  ${event}: ${result}`);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface NodeState {
  name: string;
  dataDir: string;
  config: string;
  peerId?: string;
  dashboardUrl?: string;
  removed: boolean;
  bad: boolean;
}
const nodes = new Map<string, NodeState>();

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${admin}${path}`, init);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

let satPort = 0;
let adminPort = 0;
let admin = '';
let satId = '';
let satConfig = '';

async function startSatellite(): Promise<void> {
  const p = cluster.start('satellite', ['satellite', 'run', '--config', satConfig]);
  const line = await p.waitFor('satellite started', 60_000);
  satId = line.satelliteId as string;
}

async function startNode(name: string, capacity: number): Promise<void> {
  let state = nodes.get(name);
  if (!state) {
    const dataDir = join(dir, name);
    const config = cluster.writeConfig(name, {
      dataDir,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      satellites: [{ peerId: satId, address: `/ip4/127.0.0.1/tcp/${satPort}` }],
      capacity,
      dashboard: '127.0.0.1:0',
      checkInIntervalMs: 5000,
      gcSkewMs: 10_000,
      trashTtlMs: 60_000,
      historyIntervalMs: 0,
      wallet: `0x${name}`,
      logLevel: 'info'
    });
    state = { name, dataDir, config, removed: false, bad: false };
    nodes.set(name, state);
  }
  const p = cluster.start(name, ['node', 'run', '--config', state.config]);
  const line = await p.waitFor('storage node started', 60_000);
  state.peerId = line.nodeId as string;
  state.dashboardUrl = line.dashboard as string;
  await p.waitFor('checked in', 60_000).catch(() => undefined);
}

async function repairedSoFar(): Promise<number> {
  const text = await (await fetch(`${admin}/metrics`)).text();
  const m = /stowage_satellite_repairs_total\{outcome="repaired"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

const faults: { stop: () => Promise<void>; count: () => number; node: string; kind: string }[] = [];
let repairedBeforeRestart = 0;

async function perform(e: ChaosEvent): Promise<void> {
  const label = `${e.kind}${'node' in e ? ` ${e.node}` : ''}`;
  switch (e.kind) {
    case 'corrupt': {
      const n = nodes.get(e.node)!;
      n.bad = true;
      const spoiled = new Set<string>();
      // The second corrupting node is a cheater that keeps zeros of the right size instead of
      // its pieces (issue 16): it must be disqualified or never paid, like the others.
      if (e.node === plan.roles.corrupt[1]) {
        faults.push({ ...keepDoing(() => zeroPieces(n.dataDir, spoiled), 2000), node: e.node, kind: 'zeroed' });
        return note(e.at, label, 'keeping zeros instead of its pieces (every piece file zeroed, every 2 s)');
      }
      faults.push({ ...keepDoing(() => corruptPieces(n.dataDir, spoiled), 2000), node: e.node, kind: 'corrupted' });
      return note(e.at, label, 'overwriting bytes of its pieces every 2 s');
    }
    case 'delete-pieces': {
      const n = nodes.get(e.node)!;
      n.bad = true;
      faults.push({ ...keepDoing(() => deletePieces(n.dataDir), 2000), node: e.node, kind: 'deleted' });
      return note(e.at, label, 'deleting its piece files every 2 s');
    }
    case 'kill': {
      await cluster.kill(e.node);
      note(e.at, label, `SIGKILL, back in ${e.downMs} ms`);
      await sleep(e.downMs);
      await startNode(e.node, 10e9);
      return note(e.at, `restart ${e.node}`, 'running again (same identity and data)');
    }
    case 'stall': {
      cluster.stall(e.node);
      note(e.at, label, `SIGSTOP for ${e.forMs} ms`);
      await sleep(e.forMs);
      cluster.resume(e.node);
      return note(e.at, `resume ${e.node}`, 'SIGCONT');
    }
    case 'remove': {
      await cluster.kill(e.node);
      const n = nodes.get(e.node)!;
      n.removed = true;
      cluster.removeData(n.dataDir);
      return note(e.at, label, 'SIGKILL and its disk wiped: gone for good');
    }
    case 'add': {
      await startNode(e.node, 10e9);
      return note(e.at, label, `fresh node ${nodes.get(e.node)!.peerId} checked in`);
    }
    case 'satellite-restart': {
      repairedBeforeRestart = await repairedSoFar().catch(() => 0);
      await cluster.kill('satellite');
      note(e.at, 'kill satellite', `SIGKILL, back in ${e.downMs} ms`);
      await sleep(e.downMs);
      await startSatellite();
      return note(e.at, 'restart satellite', 'running again (same identity and database)');
    }
  }
}

function table(rows: [string, string | number, string][]): string {
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(w[i]!)).join('  ')).join('\n');
}

async function main(): Promise<number> {
  console.log(`chaos run: seed ${seed}, ${options.durationMs / 1000} s, ${(options.objectBytes / MIB).toFixed(0)} MiB of objects, data in ${dir}`);
  console.log(`roles: corrupting ${plan.roles.corrupt[0]}; keeping zeros ${plan.roles.corrupt[1]}; deleting ${plan.roles.deletes}; small disk ${plan.roles.full}`);
  satPort = await freePort();
  adminPort = await freePort();
  admin = `http://127.0.0.1:${adminPort}`;
  satConfig = cluster.writeConfig('satellite', {
    dataDir: join(dir, 'satellite'),
    listen: [`/ip4/127.0.0.1/tcp/${satPort}`],
    admin: `127.0.0.1:${adminPort}`,
    profile: '4/6/9/12',
    distinctSubnets: false,
    dialTimeoutMs: 3000,
    checkInIntervalMs: 5000,
    uptimeCheckIntervalMs: 2000,
    // Detection lag for a node gone: repair must finish before the next loss (see README).
    onlineWithinMs: 8000,
    pendingTtlMs: PENDING_TTL_MS,
    auditIntervalMs: 1000,
    audit: { timeoutMs: 5000 },
    // Three at a time keeps up with the CI run's removals 17 s apart; the longer run has 34 s
    // between them and more data, so two (the satellite's memory grows with each).
    repair: { checkIntervalMs: 2000, repairIntervalMs: 2000, pieceTimeoutMs: 20_000, concurrency: args.ci ? 3 : 2 },
    gc: { intervalMs: 30_000, falsePositiveRate: 0.01, timeoutMs: 20_000 },
    payout: { periodMs: 60_000, storageRate: '1000000000000' },
    logLevel: 'info'
  });
  await startSatellite();
  await Promise.all(plan.nodes.map((n) => startNode(n.name, n.capacity)));
  cluster.sampleMemory();
  const key = (await json<{ key: string }>('/api/keys', { method: 'POST', body: JSON.stringify({ name: 'chaos' }) })).key;
  const access = createAccess(`${satId}@/ip4/127.0.0.1/tcp/${satPort}`, key);
  const setup = await Stowage.connect(access);
  await setup.createBucket(BUCKET);
  await setup.close();
  note(0, 'start', `satellite ${satId} and ${plan.nodes.length} nodes up`);

  // The small disk's fill, sampled through its dashboard.
  let fullPeak = 0;
  const fullSampler = setInterval(() => {
    const url = nodes.get(plan.roles.full)?.dashboardUrl;
    if (!url || !cluster.alive(plan.roles.full)) return;
    fetch(`${url}/api/disk`, { signal: AbortSignal.timeout(2000) })
      .then(async (r) => (fullPeak = Math.max(fullPeak, ((await r.json()) as { used: number }).used)))
      .catch(() => undefined);
  }, 2000);
  const workload = new Workload(seed, plan.objects, () => access, BUCKET, started);
  workload.start(2, 1);
  const chaosStart = Date.now();
  const running: Promise<void>[] = [];
  // A process that dies unasked ends the run at once: nothing after it would mean much.
  const until = async (t: number): Promise<void> => {
    while (Date.now() < t) {
      if (cluster.crashes.length > 0) throw new Error(`crashed: ${cluster.crashes.map((c) => `${c.name} (${c.code ?? c.signal}) at ${(c.at / 1000).toFixed(1)} s, see ${join(dir, 'logs', `${c.name}.log`)}`).join(', ')}`);
      await sleep(Math.min(500, t - Date.now()));
    }
  };
  // Events on one node run one after another (a removal waits for the node's start to finish).
  const chains = new Map<string, Promise<void>>();
  for (const e of plan.events) {
    await until(chaosStart + e.at);
    const key = 'node' in e ? e.node : 'satellite';
    const next = (chains.get(key) ?? Promise.resolve()).then(() => perform(e)).catch((err: unknown) => note(e.at, `${e.kind} failed`, (err as Error).message));
    chains.set(key, next);
    running.push(next);
  }
  await until(chaosStart + options.durationMs);
  await Promise.all(running);
  await workload.stop();
  for (const f of faults) await f.stop();
  clearInterval(fullSampler);
  note(options.durationMs, 'chaos over', `${workload.written.size} objects written, ${workload.abandoned.length} given up after 3 tries, ${workload.pending} not tried`);

  // The three bad nodes must be disqualified by audits (which keep running).
  const bad = [...nodes.values()].filter((n) => n.bad).map((n) => n.peerId!);
  const dqDeadline = Date.now() + 240_000;
  let reputation: { nodeId: string; auditScore: number; disqualified: number | null }[] = [];
  while (Date.now() < dqDeadline) {
    reputation = await json('/api/reputation');
    if (bad.every((id) => reputation.find((r) => r.nodeId === id)?.disqualified != null)) break;
    await sleep(2000);
  }
  note(since(), 'disqualifications', reputation.filter((r) => r.disqualified != null).map((r) => r.nodeId.slice(-6)).join(', ') || 'none');

  // Repair until nothing is queued.
  const repairDeadline = Date.now() + 180_000;
  let health = await json<{ queued: number; lost: number; histogram: Record<string, number> }>('/api/repair/check', { method: 'POST' });
  while (health.queued > 0 && Date.now() < repairDeadline) {
    await json('/api/repair/run', { method: 'POST' });
    health = await json('/api/repair/check', { method: 'POST' });
  }
  note(since(), 'repair settled', `queued ${health.queued}, lost ${health.lost}, histogram ${JSON.stringify(health.histogram)}`);
  const repaired = repairedBeforeRestart + (await repairedSoFar());

  // Every object written reads back byte-identical.
  const verified = await workload.verifyAll();
  note(since(), 'read back', `${verified.identical} identical, ${verified.different.length} different, ${verified.failed.length} failed`);

  // Payouts: close the open period; the ledger verifies; honest nodes holding pieces were paid,
  // disqualified nodes were credited nothing after their disqualification.
  await json('/api/payouts/close', { method: 'POST' });
  const ledger = await json<{ ok: boolean; entries: number; problem?: string }>('/api/ledger/verify');
  const payouts = await json<{ periods: { period: number; start: number; end: number }[]; balances: Record<string, string> }>('/api/payouts');
  const registry = await json<{ id: string; flags: { disqualified: number | null } }[]>('/api/nodes');
  const dqAt = new Map(registry.filter((n) => n.flags.disqualified !== null).map((n) => [n.id, n.flags.disqualified!]));
  const paidAfterDq: string[] = [];
  for (const p of payouts.periods) {
    const detail = await json<{ ledger: { nodeId: string; amount: string }[] }>(`/api/payouts?period=${p.period}`);
    for (const e of detail.ledger) if (dqAt.has(e.nodeId) && p.start >= dqAt.get(e.nodeId)! && Number(e.amount) > 0) paidAfterDq.push(`${e.nodeId.slice(-6)} in period ${p.period}`);
  }

  // Uploads that never committed keep their pieces until they expire (PENDING_TTL_MS); expire
  // them, then GC, then used space on every live honest node equals the satellite's count.
  await sleep(Math.max(11_000, workload.lastUploadStart + PENDING_TTL_MS + 1000 - Date.now()));
  await json('/api/pending/expire', { method: 'POST' });
  for (let i = 0; i < 3; i++) await json('/api/gc/run', { method: 'POST' });
  const used = await json<Record<string, number>>('/api/gc/used');
  const honest = [...nodes.values()].filter((n) => !n.bad && !n.removed);
  const space = await Promise.all(
    honest.map(async (n) => ({ name: n.name, id: n.peerId!, node: ((await (await fetch(`${n.dashboardUrl!}/api/disk`)).json()) as { used: number }).used, satellite: used[n.peerId!] ?? 0 }))
  );
  const unpaid = space.filter((s) => s.satellite > 0 && !(Number(payouts.balances[s.id] ?? 0) > 0)).map((s) => s.name);
  const spaceMismatch = space.filter((s) => s.node !== s.satellite);
  const full = space.find((s) => s.name === plan.roles.full);

  // Errors: every failed operation has a typed code; no process died unasked; memory stayed bounded.
  const failedOps = workload.ops.filter((o) => !o.ok);
  const codes: Record<string, number> = {};
  for (const o of failedOps) codes[`${o.op}:${o.code}`] = (codes[`${o.op}:${o.code}`] ?? 0) + 1;
  const untyped = failedOps.filter((o) => o.code === 'UNTYPED');
  const rss = Object.fromEntries([...cluster.peakRss].map(([n, b]) => [n, Math.round(b / MIB)]));
  const overBound = [...cluster.peakRss].filter(([n, b]) => b > (n === 'satellite' ? RSS_BOUND.satellite : RSS_BOUND.node)).map(([n, b]) => `${n} ${Math.round(b / MIB)} MiB`);
  const dqIds = [...dqAt.keys()];
  const badIds = new Set(bad);
  const honestDq = dqIds.filter((id) => !badIds.has(id));
  const missedDq = bad.filter((id) => !dqAt.has(id));
  const removed = [...nodes.values()].filter((n) => n.removed).length;

  const checks: [string, boolean, string][] = [
    ['objects read back byte-identical = written', verified.identical === workload.written.size && workload.mismatches.length === 0, `${verified.identical} / ${workload.written.size}; mid-run mismatches ${workload.mismatches.length}`],
    ['failed operations all typed', untyped.length === 0, `${failedOps.length} failed, ${untyped.length} untyped`],
    ['no process crashed', cluster.crashes.length === 0, cluster.crashes.map((c) => `${c.name} (${c.code ?? c.signal})`).join(', ') || 'none'],
    ['the three corrupting nodes disqualified', missedDq.length === 0, `${bad.length - missedDq.length} / ${bad.length}`],
    ['no honest node disqualified', honestDq.length === 0, honestDq.join(', ') || 'none'],
    ['nodes removed > n - k (8)', removed > 8, String(removed)],
    ['segments repaired', repaired > 0, String(repaired)],
    ['no segment lost', health.lost === 0 && health.queued === 0, `lost ${health.lost}, queued ${health.queued}`],
    ['ledger verifies', ledger.ok, `${ledger.entries} entries${ledger.problem ? `: ${ledger.problem}` : ''}`],
    ['honest nodes holding pieces were paid', unpaid.length === 0, unpaid.join(', ') || `${space.filter((s) => s.satellite > 0).length} paid`],
    ['disqualified nodes not paid after disqualification', paidAfterDq.length === 0, paidAfterDq.join(', ') || 'none'],
    ['used space on nodes = satellite after GC', spaceMismatch.length === 0, spaceMismatch.map((s) => `${s.name} ${s.node} vs ${s.satellite}`).join(', ') || `${space.length} nodes agree`],
    ['the small disk filled, never past its capacity', fullPeak >= options.smallCapacity - LARGEST_PIECE && fullPeak <= options.smallCapacity, `peak ${fullPeak} of ${options.smallCapacity} bytes`],
    ['memory within bounds', overBound.length === 0, overBound.join(', ') || `peak node ${Math.max(...Object.entries(rss).filter(([n]) => n !== 'satellite').map(([, v]) => v))} MiB, satellite ${rss.satellite} MiB`]
  ];
  const passed = checks.every(([, ok]) => ok);
  const results = {
    seed,
    passed,
    durationS: options.durationMs / 1000,
    objects: { planned: plan.objects.length, written: workload.written.size, abandoned: workload.abandoned, notTried: workload.pending, bytesWritten: [...workload.written.values()].reduce((s, w) => s + w.size, 0), readBackIdentical: verified.identical, different: verified.different, failedReads: verified.failed },
    operations: { total: workload.ops.length, failed: failedOps.length, byCode: codes, untyped: untyped.slice(0, 20) },
    nodes: { started: nodes.size, removed, disqualified: dqIds, corrupting: bad, honestDisqualified: honestDq, fullNode: { name: plan.roles.full, peakUsed: fullPeak, usedAtEnd: full?.node ?? null, capacity: options.smallCapacity } },
    repair: { segmentsRepaired: repaired, final: health },
    ledger,
    payouts: { periods: payouts.periods.length, balances: payouts.balances, paidAfterDq, unpaid },
    space,
    peakRssMiB: rss,
    crashes: cluster.crashes,
    checks: checks.map(([name, ok, detail]) => ({ name, ok, detail })),
    events: eventLog
  };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');

  console.log('\n' + table([['check', 'result', 'detail'], ...checks.map(([n, ok, d]): [string, string, string] => [n, ok ? 'ok' : 'FAILED', d])]));
  console.log(`\nfailed operations by code: ${JSON.stringify(codes)}`);
  console.log(`results: ${RESULTS}`);
  if (!passed) {
    console.log(`\nFAILED with seed ${seed} (rerun: npm run test:chaos -- --seed ${seed}${args.ci ? ' --ci' : ''}); data and logs kept in ${dir}`);
    console.log('event log:');
    for (const e of eventLog) console.log(`  ${(e.at / 1000).toFixed(1).padStart(7)} s (planned ${(e.planned / 1000).toFixed(1)} s)  ${e.event}: ${e.result}`);
  }
  return passed ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`chaos run failed: ${(err as Error).stack ?? String(err)}\nseed ${seed}; data and logs in ${dir}`);
  for (const e of eventLog) console.error(`  ${(e.at / 1000).toFixed(1).padStart(7)} s  ${e.event}: ${e.result}`);
  // In a sweep the results file says why the run stopped (a single run writes none, as before).
  if (args.results) writeFileSync(RESULTS, JSON.stringify({ seed, passed: false, error: (err as Error).message ?? String(err), crashes: cluster.crashes, events: eventLog }, null, 2) + '\n');
} finally {
  await cluster.stopAll();
}
if (code === 0 && !args.keep && !args.dir) rmSync(dir, { recursive: true, force: true });
process.exit(code);
