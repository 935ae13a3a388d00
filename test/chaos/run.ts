// `npm run test:chaos`: the network acceptance run. A satellite and 12 storage nodes as separate
// processes on loopback (profile 4/7/9/12, subnet rule off; audits, uptime checks, repair and GC on
// short intervals; payout periods of a minute) while clients upload, overwrite, delete and download
// objects of 0 B to 150 MiB and a seeded schedule kills, stalls, removes and adds nodes, spoils
// three nodes' disks, kills the satellite while it repairs, fills a node's quota, fills two
// nodes' own small disks to the last byte (ENOSPC), runs two nodes with their clocks 40 s off and
// one that lies to clients (liar.ts). Payouts go on chain: a local anvil, the real contracts,
// each node a wallet of its own (derived from the seed); at the end every wallet's token balance
// must equal what the ledger credited its node, each paid at most once per period.
// The run fails on any object lost or given up, any mid-run read that fails (but while the
// satellite is down), any fault that did not happen, and on bad + down + not-yet-repaired nodes
// ever exceeding n - k. Then it checks that nothing was lost and prints a table; the results go to
// benchmarks/results/chaos.json.
//
//   npm run test:chaos                      # 10 minutes, 2 GiB of objects
//   npm run test:chaos -- --ci              # the bounded run of .ci/run (5 minutes of chaos, 400 MiB)
//   npm run test:chaos -- --seed 1234 [--duration S] [--bytes N] [--dir D] [--keep]
//   npm run test:chaos -- --sweep N [--seeds a,b,c] [--ci] [--duration S]   # N runs, see sweep.ts
import '../../src/shims/promise-with-resolvers.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { keccak256, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { PayoutChain, deployPayoutContracts, startAnvil, writePrivateKeyFile, type Address, type Anvil } from '../../src/chain/index.js';
import { createAccess, Stowage } from '../../src/client/index.js';
import { parseTokens } from '../../src/satellite/index.js';
import { withAdminToken } from '../satellite/admin-fetch.js';
import { Cluster, LIAR_ENTRY, freePort } from './cluster.js';
import { clockOffsetEnv, corruptPieces, deletePieces, fillDisk, keepDoing, mountTmpfs, unmount, zeroPieces } from './faults.js';
import { RULE_LIMIT, planChaos, type ChaosEvent, type ChaosOptions } from './schedule.js';
import { sweep } from './sweep.js';
import { MAX_TRIES, Workload } from './workload.js';

const MIB = 1024 * 1024;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUCKET = 'chaos';
/** Pieces of a 16 MiB segment with k = 4: a full disk has less than this free. */
const LARGEST_PIECE = 4 * MIB + 64 * 1024;
/** Uploads not committed within this are dropped by the satellite (their pieces become garbage). */
const PENDING_TTL_MS = 60_000;
/** Nodes keep pieces younger than this (their clock and the satellite's) whatever a GC filter says. */
const GC_SKEW_MS = 10_000;
/** Peak resident memory allowed per process. */
const RSS_BOUND = { node: 400 * MIB, satellite: 1024 * MIB };
/**
 * The network's profile (k / repair threshold / success / n). A segment the checker has not queued
 * has at least repair + 1 healthy pieces as far as the satellite knows, so it survives
 * repair + 1 - k faults the satellite does not know of yet (a node removed within the detection
 * window, nodes down for seconds, a liar, bad nodes not yet caught). 4/6/9/12 left 3, and the
 * schedule keeps up to 4 such faults at once: seed 721441098 lost a read of a segment at 7 healthy
 * pieces (two removed nodes, above the threshold, never queued) when a third node was removed, one
 * was killed and the liar answered. Storj's 29/52/80/110 repairs at 1.8 k; 7 here is 1.75 k.
 */
const PROFILE = '4/7/9/12';
const K = 4;
const N = 12;
/** Size of each disk-full node's own filesystem. */
const TMPFS_BYTES = 384 * MIB;
/** After a removal (or a bad node's disqualification), the satellite has noticed within this. */
const DETECT_MS = 12_000;
/** A removal waits at most this long for the rule to allow it (then happens, and is judged). */
const RULE_WAIT_MS = 60_000;
/**
 * The satellite's kill waits for a repair in flight to interrupt at least this long, and up to
 * 20 s before the chaos ends (repairs come in bursts: after a disqualification, after removals).
 */
const SATELLITE_KILL_WAIT_MS = 60_000;
/** After the chaos, how long the clients may take to finish their queue. */
const UPLOAD_FINISH_MS = 180_000;
/** How long after the satellite is back a read may still fail with SATELLITE_UNREACHABLE. */
const SATELLITE_GRACE_MS = 10_000;

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
    results: { type: 'string' },
    // The object format the workload writes: v4 (the default: stripedUploads, each upload with its
    // size, so segments are sent as read) or v2 (stripedUploads false).
    format: { type: 'string' }
  }
});
if (args.format !== undefined && args.format !== 'v2' && args.format !== 'v4') throw new Error(`--format must be v2 or v4, got ${args.format}`);
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
  // Filled in every run: with the bad nodes' replacements and the disk-full nodes there are ~16 nodes
  // to spread ~1.2 GB of pieces over (40 MB peaked at 34 MB once, seed 208582201).
  smallCapacity: 25e6,
  maxDisrupted: 2,
  replacements: 3,
  diskFullNodes: 2,
  clockOffsetsMs: [40_000, -40_000],
  liar: true
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

/** The satellite's admin API, with its token (read from its data directory once it has started). */
async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${admin}${path}`, withAdminToken(adminToken, init));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

let satPort = 0;
let adminPort = 0;
let admin = '';
let adminToken = '';
let satId = '';
let satConfig = '';
/** The run's chain (anvil) and its payout contracts. */
let anvil: Anvil | undefined;
let payoutChain: PayoutChain | undefined;

/** A node's wallet: an EVM address derived from the seed and its name (a run repeats exactly). */
function walletOf(name: string): Address {
  return privateKeyToAccount(keccak256(toHex(`stowage-chaos/${seed}/${name}`))).address;
}

async function startSatellite(): Promise<void> {
  const p = cluster.start('satellite', ['satellite', 'run', '--config', satConfig]);
  const line = await p.waitFor('satellite started', 60_000);
  satId = line.satelliteId as string;
  adminToken = readFileSync(join(dir, 'satellite', 'admin.token'), 'utf8').trim();
}

/** Filesystems mounted for the disk-full nodes (unmounted at the end). */
const mounts: string[] = [];
/** What went wrong with the faults themselves: each one fails the run. */
const faultProblems: string[] = [];
/** Each skewed node's clock as seen in its first log line, against ours (ms). */
const measuredOffsets = new Map<string, number>();

async function startNode(name: string, capacity: number): Promise<void> {
  let state = nodes.get(name);
  if (!state) {
    const dataDir = join(dir, name);
    if (plan.roles.diskFull.includes(name)) {
      mountTmpfs(dataDir, TMPFS_BYTES);
      mounts.push(dataDir);
    }
    const config = cluster.writeConfig(name, {
      dataDir,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      satellites: [{ peerId: satId, address: `/ip4/127.0.0.1/tcp/${satPort}` }],
      capacity,
      dashboard: '127.0.0.1:0',
      checkInIntervalMs: 5000,
      gcSkewMs: GC_SKEW_MS,
      trashTtlMs: 60_000,
      historyIntervalMs: 0,
      wallet: walletOf(name),
      logLevel: 'info'
    });
    state = { name, dataDir, config, removed: false, bad: false };
    nodes.set(name, state);
  }
  const skew = plan.roles.skewed.find((r) => r.node === name);
  const p = cluster.start(name, ['node', 'run', '--config', state.config], skew ? clockOffsetEnv(skew.offsetMs) : {}, name === plan.roles.liar ? LIAR_ENTRY : undefined);
  const line = await p.waitFor('storage node started', 60_000);
  if (skew && !measuredOffsets.has(name)) measuredOffsets.set(name, Number(line.time) - Date.now());
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
const diskFills: { name: string; bytes: number }[] = [];
/** When the chaos (the plan's time 0) began. */
let chaosStart = 0;

// The rule the plan keeps, watched as the run goes: nodes whose pieces cannot be counted on (bad
// ones until disqualified and repaired around, removed ones until repaired around, and nodes down
// now) never exceed n - k. "Repaired around": no queued segment has a piece on the node any more,
// once the satellite had time to notice (DETECT_MS after a removal or a disqualification).
const exposures: { node: string; kind: 'bad' | 'removed'; since: number; settleAfter?: number; settledAt?: number }[] = [];
const downNow = new Set<string>();
const ruleViolations: string[] = [];
let maxExposure = 0;
/** Segments below k at some check (pieces on nodes down for a moment count: unavailable, not lost). */
let maxLostSeen = 0;
/** When the satellite was away, from its kill to its restart plus SATELLITE_GRACE_MS (ms since start). */
const satelliteDown: { from: number; to: number }[] = [];

/**
 * The plan never has more than maxDisrupted honest nodes down at once, but a loaded runner can
 * restart a node many seconds late (seed 1262970187: n12 back 21 s after its planned time, while
 * two more were killed, and a read of a segment at 9 pieces found 3): a kill or stall waits (up to
 * DISRUPT_WAIT_MS) until the nodes really down are fewer than the plan's bound, and is skipped
 * when they are not by then (more down at once than the plan allows proves nothing but the bound).
 * `claim` marks the node down before the next disruption decides (decisions take turns).
 */
async function roomToDisrupt(node: string, claim: () => void): Promise<boolean> {
  const t0 = Date.now();
  // Nor past the run's own rule: bad + down + unrepaired <= n - k (a kill while 8 were exposed
  // made 9 in CI with seed 7; removals already wait for it, roomForOneMore), nor while a segment
  // would keep fewer than k pieces without it (segmentsKeepEnough).
  const full = (): boolean => downNow.size >= options.maxDisrupted || exposure() + 1 > RULE_LIMIT(N, K);
  const room = await decideWhen(async () => !full() && (await segmentsKeepEnough(node)), t0 + DISRUPT_WAIT_MS, claim);
  if (!room) note(Date.now() - chaosStart, `skip ${node}`, `${[...downNow].join(' ') || 'none'} down and ${exposure()} exposed after ${DISRUPT_WAIT_MS / 1000} s (${lastGuard}): not disrupted (at most ${options.maxDisrupted} down at once, ${RULE_LIMIT(N, K)} exposed, k pieces left)`);
  else if (Date.now() - t0 >= 1000) note(Date.now() - chaosStart, `delay ${node}`, `waited ${((Date.now() - t0) / 1000).toFixed(1)} s for room (at most ${options.maxDisrupted} down at once, ${RULE_LIMIT(N, K)} exposed, k pieces left)`);
  return room;
}

/**
 * Polls `ready` (every second, until `until`); kills, stalls and removals decide one after
 * another, and the one that finds room is counted (`claim`) before the next one looks.
 */
let decisions: Promise<unknown> = Promise.resolve();
async function decideWhen(ready: () => Promise<boolean>, until: number, claim: () => void): Promise<boolean> {
  for (;;) {
    const decided = decisions.then(async () => {
      if (!(await ready())) return false;
      claim();
      return true;
    });
    decisions = decided.catch(() => undefined);
    if (await decided) return true;
    if (Date.now() >= until) return false;
    await sleep(1000);
  }
}

/**
 * The node rule counts nodes, but a segment holds 8 or 9 pieces, not n: 8 exposed nodes can hold
 * 5 of one segment's pieces and leave it 3 (CI, seed 1717346124: a mid-run read failed
 * NOT_ENOUGH_PIECES while the rule held). So a disruption also waits until every committed
 * segment would keep at least k pieces on nodes that are not bad, lying, removed, down, or the
 * one about to go (k + 1 held kills and removals back until repair fell behind: seed 1717346124
 * then made 7 removals, not 9), counted by the satellite from the segments' records
 * (GET /api/segments/health?without=). An unanswered question (the satellite away) is a no.
 */
async function segmentsKeepEnough(node: string): Promise<boolean> {
  const names = new Set([...downNow, node, ...[...nodes.values()].filter((n) => n.bad || n.removed).map((n) => n.name), ...(plan.roles.liar ? [plan.roles.liar] : [])]);
  const ids = [...names].map((name) => nodes.get(name)?.peerId).filter((id): id is string => id !== undefined);
  try {
    const r = await json<{ fewestLeft: number | null; belowMinimum: number }>(`/api/segments/health?without=${ids.join(',')}`, { signal: AbortSignal.timeout(15_000) });
    lastGuard = `fewest pieces left ${r.fewestLeft ?? 'none'} without ${ids.length} nodes`;
    return r.fewestLeft === null || r.fewestLeft >= K;
  } catch (err) {
    lastGuard = `satellite not answering: ${(err as Error).message}`;
    return false;
  }
}
let lastGuard = 'not asked';
const DISRUPT_WAIT_MS = 30_000;

const exposure = (): number => exposures.filter((e) => e.settledAt === undefined).length + downNow.size;

async function metric(name: string): Promise<number | null> {
  return (await metrics([name]))[0]!;
}

/** Several of the satellite's metrics from one scrape. */
async function metrics(names: string[]): Promise<(number | null)[]> {
  const text = await (await fetch(`${admin}/metrics`, { signal: AbortSignal.timeout(3000) })).text();
  return names.map((name) => {
    const m = new RegExp(`^${name} (\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  });
}

let ticks = 0;
let watching = false;
async function watch(): Promise<void> {
  if (watching) return;
  watching = true;
  try {
    await watchOnce();
  } finally {
    watching = false;
  }
}

async function watchOnce(): Promise<void> {
  ticks++;
  const now = Date.now();
  try {
    const lost = await metric('stowage_satellite_lost_segments');
    maxLostSeen = Math.max(maxLostSeen, lost ?? 0);
    if (ticks % 5 === 0) {
      const reputation = await json<{ nodeId: string; disqualified: number | null }[]>('/api/reputation');
      for (const e of exposures) {
        if (e.kind !== 'bad' || e.settleAfter !== undefined) continue;
        const id = nodes.get(e.node)?.peerId;
        // A bad node disqualified (3 failed audits here) settles as a removed one does, once no
        // queued segment has a piece on it. Counting it until the chaos was over (to slow
        // removals: seed 7 in CI once had 5 removed nodes unrepaired and a read failed) left 4
        // of the 8 places to the liar and the bad nodes, so removals waited past RULE_WAIT_MS
        // and broke the rule, or never came (seed 987654: 8 removals, 9 exposed); the segment
        // guard (segmentsKeepEnough) is what keeps removals from outpacing repair now.
        if (reputation.find((r) => r.nodeId === id)?.disqualified != null) e.settleAfter = now + DETECT_MS;
      }
    }
    // Repaired around: once the satellite had time to notice, no queued segment still has a piece
    // on the node (segments above the repair threshold are not queued: they hold repair + 1
    // healthy pieces without it, which is what the profile is chosen for).
    for (const e of exposures) {
      if (e.settledAt !== undefined || e.settleAfter === undefined || now < e.settleAfter) continue;
      const id = nodes.get(e.node)?.peerId;
      if (!id) continue;
      const { queuedOnNode } = await json<{ queuedOnNode: number }>(`/api/segments/health?node=${id}`);
      if (queuedOnNode === 0) e.settledAt = Date.now();
    }
  } catch {
    // the satellite is away: nothing settles meanwhile
  }
  const x = exposure();
  maxExposure = Math.max(maxExposure, x);
  if (x > RULE_LIMIT(N, K) && ruleViolations.length < 20) {
    ruleViolations.push(`${(since() / 1000).toFixed(0)} s: ${x} (${exposures.filter((e) => e.settledAt === undefined).map((e) => `${e.kind} ${e.node}`).join(', ')}${downNow.size ? `, down ${[...downNow].join(' ')}` : ''})`);
  }
}

/**
 * Waits (up to RULE_WAIT_MS) until one more node can go without breaking the rule, and (until the
 * chaos is over) until every segment keeps k pieces without it: a removal past the rule is
 * judged by the rule's check, one that would leave a segment short is not made (the count of
 * removals then says repair did not keep up). `claim` counts it before the next decision.
 */
async function roomForOneMore(node: string, claim: () => void): Promise<{ waited: number; removed: boolean }> {
  const t0 = Date.now();
  const ruleOk = (): boolean => exposure() + 1 <= RULE_LIMIT(N, K) || Date.now() - t0 >= RULE_WAIT_MS;
  while (!ruleOk()) await sleep(1000);
  const removed = await decideWhen(async () => ruleOk() && (await segmentsKeepEnough(node)), chaosStart + options.durationMs, claim);
  return { waited: Date.now() - t0, removed };
}

async function perform(e: ChaosEvent): Promise<void> {
  const label = `${e.kind}${'node' in e ? ` ${e.node}` : ''}`;
  switch (e.kind) {
    case 'corrupt': {
      const n = nodes.get(e.node)!;
      n.bad = true;
      exposures.push({ node: e.node, kind: 'bad', since: since() });
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
      exposures.push({ node: e.node, kind: 'bad', since: since() });
      faults.push({ ...keepDoing(() => deletePieces(n.dataDir), 2000), node: e.node, kind: 'deleted' });
      return note(e.at, label, 'deleting its piece files every 2 s');
    }
    case 'kill': {
      if (!(await roomToDisrupt(e.node, () => downNow.add(e.node)))) return;
      await cluster.kill(e.node);
      note(e.at, label, `SIGKILL, back in ${e.downMs} ms`);
      await sleep(e.downMs);
      // Down until it runs again: a node that does not come back keeps counting (and fails the run).
      await startNode(e.node, 10e9);
      downNow.delete(e.node);
      return note(e.at, `restart ${e.node}`, 'running again (same identity and data)');
    }
    case 'stall': {
      if (!(await roomToDisrupt(e.node, () => downNow.add(e.node)))) return;
      cluster.stall(e.node);
      note(e.at, label, `SIGSTOP for ${e.forMs} ms`);
      await sleep(e.forMs);
      cluster.resume(e.node);
      downNow.delete(e.node);
      return note(e.at, `resume ${e.node}`, 'SIGCONT');
    }
    case 'remove': {
      // Counted before the kill is awaited: a kill or stall deciding meanwhile must see it.
      const removal: (typeof exposures)[number] = { node: e.node, kind: 'removed', since: since() };
      const n = nodes.get(e.node)!;
      const { waited, removed } = await roomForOneMore(e.node, () => {
        exposures.push(removal);
        n.removed = true;
      });
      if (!removed) return note(e.at, `skip ${label}`, `a segment would keep fewer than k pieces without it until the chaos ended (${lastGuard}): not removed`);
      removal.since = since();
      await cluster.kill(e.node);
      removal.settleAfter = Date.now() + DETECT_MS;
      cluster.removeData(n.dataDir);
      return note(e.at, label, `SIGKILL and its disk wiped: gone for good${waited >= 1000 ? ` (waited ${(waited / 1000).toFixed(0)} s for the repair of the nodes before)` : ''}`);
    }
    case 'disk-full': {
      const fills = await Promise.all(e.nodes.map(async (name) => ({ name, bytes: await fillDisk(join(nodes.get(name)!.dataDir, 'chaos-filler')) })));
      diskFills.push(...fills);
      note(e.at, `disk-full ${e.nodes.join(' ')}`, `their own disks filled to the last byte (${fills.map((f) => `${f.name} +${(f.bytes / MIB).toFixed(1)} MiB`).join(', ')}), freed in ${e.forMs} ms`);
      await sleep(e.forMs);
      for (const name of e.nodes) await rm(join(nodes.get(name)!.dataDir, 'chaos-filler'), { force: true });
      return note(e.at, `disk freed ${e.nodes.join(' ')}`, 'the filler removed');
    }
    case 'add': {
      await startNode(e.node, 10e9);
      return note(e.at, label, `fresh node ${nodes.get(e.node)!.peerId} checked in`);
    }
    case 'satellite-restart': {
      // Killed in the middle of a repair: as soon as a segment is being repaired (the removal
      // before this one, the bad nodes' pieces), waiting up to SATELLITE_KILL_WAIT_MS for one.
      // After SATELLITE_KILL_WAIT_MS a repair queue that is not empty will do: segments repaired
      // partially or waiting for a retry, which the restarted satellite must take up again (late
      // in a run repairs come seldom: seeds 987654 and 1717346124 found none in flight in 118 to
      // 152 s while segments stayed queued for want of eligible nodes).
      const t0 = Date.now();
      let repairing = 0;
      let queued = 0;
      const waitUntil = Math.max(t0 + SATELLITE_KILL_WAIT_MS, chaosStart + options.durationMs - e.downMs - 20_000);
      while (Date.now() < waitUntil) {
        const [inFlight, inQueue] = await metrics(['stowage_satellite_repairs_in_flight', 'stowage_satellite_repair_queue']).catch(() => [0, 0]);
        repairing = inFlight ?? 0;
        if (repairing > 0) break;
        if (Date.now() - t0 >= SATELLITE_KILL_WAIT_MS && (queued = inQueue ?? 0) > 0) break;
        // Not faster: a scrape walks every segment (used bytes per node), and scrapes back to back
        // took 12 s each on the loaded satellite, which starved its repairs and the guard's questions.
        await sleep(500);
      }
      if (repairing === 0 && queued === 0) faultProblems.push(`satellite-restart: no repair in flight or queued to interrupt in ${((Date.now() - t0) / 1000).toFixed(0)} s of waiting`);
      repairedBeforeRestart = await repairedSoFar().catch(() => 0);
      // From a moment before the signal: a request the dying satellite drops may end just before
      // the kill returns.
      const from = since() - 2000;
      await cluster.kill('satellite');
      note(e.at, 'kill satellite', `SIGKILL with ${repairing > 0 ? `${repairing} segments being repaired` : `${queued} segments queued for repair, none in flight`} (waited ${((Date.now() - t0) / 1000).toFixed(1)} s), back in ${e.downMs} ms`);
      await sleep(e.downMs);
      await startSatellite();
      satelliteDown.push({ from, to: since() + SATELLITE_GRACE_MS });
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
  console.log(`roles: corrupting ${plan.roles.corrupt[0]}; keeping zeros ${plan.roles.corrupt[1]}; deleting ${plan.roles.deletes}; small disk ${plan.roles.full}; own disks filled ${plan.roles.diskFull.join(' ')}; clocks off ${plan.roles.skewed.map((r) => `${r.node} ${r.offsetMs / 1000} s`).join(', ')}; lying to clients ${plan.roles.liar ?? 'none'}`);
  satPort = await freePort();
  adminPort = await freePort();
  admin = `http://127.0.0.1:${adminPort}`;
  anvil = await startAnvil();
  const payerKeyFile = join(dir, 'payer.key');
  const payer = writePrivateKeyFile(payerKeyFile, anvil.accounts[0]!.privateKey);
  const contracts = await deployPayoutContracts(anvil.rpcUrl, payer.privateKey, { mint: [{ to: payer.address, amount: 10n ** 30n }] });
  payoutChain = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, ...contracts });
  satConfig = cluster.writeConfig('satellite', {
    dataDir: join(dir, 'satellite'),
    listen: [`/ip4/127.0.0.1/tcp/${satPort}`],
    admin: `127.0.0.1:${adminPort}`,
    profile: PROFILE,
    distinctSubnets: false,
    dialTimeoutMs: 3000,
    checkInIntervalMs: 5000,
    uptimeCheckIntervalMs: 2000,
    // Detection lag for a node gone: repair must finish before the next loss (see README).
    onlineWithinMs: 8000,
    pendingTtlMs: PENDING_TTL_MS,
    auditIntervalMs: 1000,
    audit: { timeoutMs: 5000 },
    // Disqualified after 3 failed audits, not ~41 (alpha0 1000): a node here holds tens of pieces,
    // not millions, and repair moves a distrusted node's pieces away (uploads avoid it too), so
    // with the default a cheater ran out of auditable pieces at 18 failures (seed 7, a slow run)
    // and stayed undisqualified, isolated. Honest nodes fail no audit here (0 in that run).
    reputation: { alpha0: 50 },
    // Three at a time keeps up with the CI run's removals 17 s apart; the longer run has 34 s
    // between them and more data, so two (the satellite's memory grows with each).
    repair: { checkIntervalMs: 2000, repairIntervalMs: 2000, pieceTimeoutMs: 20_000, concurrency: args.ci ? 3 : 2 },
    gc: { intervalMs: 30_000, falsePositiveRate: 0.01, timeoutMs: 20_000 },
    payout: { periodMs: 60_000, storageRate: '1000000000000' },
    // Each closed period published and pushed on the run's chain, 8 wallets a transaction.
    chain: { rpcUrl: anvil.rpcUrl, token: contracts.token, distributor: contracts.distributor, payerKeyFile, claimBatchSize: 8, retryMs: 5000 },
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
  // The liar is bad for every reader, for good (audits never catch it): it counts against n - k.
  if (plan.roles.liar) exposures.push({ node: plan.roles.liar, kind: 'bad', since: 0 });

  // The small disk's fill, sampled through its dashboard.
  let fullPeak = 0;
  const fullSampler = setInterval(() => {
    const url = nodes.get(plan.roles.full)?.dashboardUrl;
    if (!url || !cluster.alive(plan.roles.full)) return;
    fetch(`${url}/api/disk`, { signal: AbortSignal.timeout(2000) })
      .then(async (r) => (fullPeak = Math.max(fullPeak, ((await r.json()) as { used: number }).used)))
      .catch(() => undefined);
  }, 2000);
  const workload = new Workload(seed, plan.objects, () => access, BUCKET, started, args.format === 'v2' ? { stripedUploads: false } : { stripedUploads: true });
  workload.start(2, 1);
  const watcher = setInterval(() => void watch(), 1000);
  chaosStart = Date.now();
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
    const key = 'node' in e ? e.node : e.kind === 'disk-full' ? 'disk-full' : 'satellite';
    const next = (chains.get(key) ?? Promise.resolve())
      .then(() => perform(e))
      .catch((err: unknown) => {
        faultProblems.push(`${e.kind}${'node' in e ? ` ${e.node}` : ''} at ${(e.at / 1000).toFixed(1)} s failed: ${(err as Error).message}`);
        note(e.at, `${e.kind} failed`, (err as Error).message);
      });
    chains.set(key, next);
    running.push(next);
  }
  await until(chaosStart + options.durationMs);
  await Promise.all(running);
  for (const f of faults) await f.stop();
  clearInterval(fullSampler);
  note(options.durationMs, 'chaos over', `${workload.written.size} objects written, ${workload.deleted.size} deleted; the clients finish their queue (${workload.pending} left)`);
  // Uploads failed late in the run get their remaining tries (the faults are over now).
  await workload.stop(Date.now() + UPLOAD_FINISH_MS);
  clearInterval(watcher);
  note(since(), 'clients done', `${workload.written.size} objects written, ${workload.deleted.size} deleted, ${workload.abandoned.length} given up after ${MAX_TRIES} tries, ${workload.pending} never done`);

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

  // On chain: every closed period published and pushed (the publisher retries every 5 s, and at
  // once after a close; the satellite's kill may have cut one short), then each node's wallet
  // holds exactly what the ledger credited the node, and no wallet was paid twice for a period.
  type ChainView = { backlog: number[]; publications: { period: number; state: string; error?: string }[] };
  let onChain: ChainView = { backlog: [-1], publications: [] };
  const publishBy = Date.now() + 120_000;
  while (Date.now() < publishBy) {
    onChain = await json<ChainView>('/api/payouts/chain');
    if (onChain.backlog.length === 0 && onChain.publications.length === payouts.periods.length) break;
    await sleep(1000);
  }
  const scale = 10n ** BigInt((await payoutChain.decimals()) - 6);
  const chainPay = await Promise.all(
    [...nodes.values()]
      .filter((n) => n.peerId !== undefined)
      .map(async (n) => {
        const wallet = walletOf(n.name);
        const events = await payoutChain!.claimEvents(wallet);
        return { name: n.name, owed: parseTokens(payouts.balances[n.peerId!] ?? '0') * scale, balance: await payoutChain!.balanceOf(wallet), payments: events.length, periodsPaid: new Set(events.map((e) => e.period)).size };
      })
  );
  const payMismatch = chainPay.filter((c) => c.balance !== c.owed);
  const paidTwice = chainPay.filter((c) => c.periodsPaid !== c.payments);
  const paidOnChain = chainPay.reduce((sum, c) => sum + c.balance, 0n);

  // Uploads that never committed keep their pieces until they expire (PENDING_TTL_MS); expire
  // them, then GC, then used space on every live honest node equals the satellite's count.
  // A node keeps what it stored less than GC_SKEW_MS before the filter by its own clock too: one
  // whose clock is ahead sees its latest garbage that much younger (seed 987654: n08, 40 s ahead,
  // held 4 MiB more than the satellite counted), so the wait after the last
  // piece was written (an expired upload's included) covers the clocks ahead as well.
  const aheadMs = Math.max(0, ...plan.roles.skewed.map((r) => r.offsetMs));
  await sleep(Math.max(0, workload.lastUploadStart + PENDING_TTL_MS + 1000 - Date.now()));
  await json('/api/pending/expire', { method: 'POST' });
  await sleep(GC_SKEW_MS + aheadMs + 1000);
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
  // Why a bad node was not disqualified (a failure here must say: seed 7 once missed the
  // zero-keeper with no trace): its score, its audits by outcome and the last reasons.
  const missedWhy: string[] = [];
  for (const id of missedDq) {
    const name = [...nodes.values()].find((n) => n.peerId === id)?.name ?? id.slice(-6);
    const rep = reputation.find((r) => r.nodeId === id);
    const audits = await json<{ outcome: string; reason: string; time: number }[]>(`/api/audits?node=${encodeURIComponent(id)}&limit=1000`).catch(() => []);
    const byOutcome: Record<string, number> = {};
    for (const a of audits) byOutcome[a.outcome] = (byOutcome[a.outcome] ?? 0) + 1;
    const last = audits.slice(-3).map((a) => `${((a.time - chaosStart) / 1000).toFixed(0)} s ${a.outcome}${a.reason ? ` (${a.reason.slice(0, 80)})` : ''}`);
    missedWhy.push(`${name}: score ${rep?.auditScore.toFixed(3) ?? 'none'}, audits ${JSON.stringify(byOutcome)}; last: ${last.join('; ') || 'none'}`);
  }
  for (const why of missedWhy) note(since(), 'not disqualified', why);
  const removed = [...nodes.values()].filter((n) => n.removed).length;
  // Reads during the chaos: every failure is a failed check, but SATELLITE_UNREACHABLE while the
  // satellite was away, and reads raced by an overwrite or delete of their object.
  const whileAway = (o: { at: number; ms: number }): boolean => satelliteDown.some((w) => o.at <= w.to && o.at + o.ms >= w.from);
  const badReads = workload.ops.filter((o) => o.op === 'download' && !o.ok && !o.raced && !(o.code === 'SATELLITE_UNREACHABLE' && whileAway(o)));
  const reads = workload.ops.filter((o) => o.op === 'download');
  // Faults that did nothing: a bad disk that spoiled no piece, a skewed clock that is not.
  for (const f of faults) if (f.count() === 0) faultProblems.push(`${f.kind} ${f.node}: touched no piece`);
  for (const r of plan.roles.skewed) {
    const seen = measuredOffsets.get(r.node);
    if (seen === undefined || Math.abs(seen - r.offsetMs) > 5000) faultProblems.push(`clock of ${r.node}: ${seen === undefined ? 'never seen' : `${(seen / 1000).toFixed(1)} s off`}, planned ${r.offsetMs / 1000} s`);
  }
  if (plan.roles.diskFull.length > 0 && diskFills.length !== plan.roles.diskFull.length) faultProblems.push(`disk-full: ${diskFills.length} of ${plan.roles.diskFull.length} disks filled`);
  const logCount = (name: string, pattern: RegExp): number => {
    try {
      return (readFileSync(join(dir, 'logs', `${name}.log`), 'utf8').match(pattern) ?? []).length;
    } catch {
      return 0;
    }
  };
  const diskFullRefusals = plan.roles.diskFull.map((name) => logCount(name, /PIECE_DISK_FULL/g));
  // The liar's lies to clients (each detected by the client: reads stay byte-identical).
  const lies = plan.roles.liar ? logCount(plan.roles.liar, /"msg":"lied to a client"/g) : 0;
  if (plan.roles.liar && lies === 0) faultProblems.push(`the liar ${plan.roles.liar} was never asked for a piece by a client`);

  const checks: [string, boolean, string][] = [
    ['objects read back byte-identical = written', verified.identical === workload.written.size && workload.mismatches.length === 0, `${verified.identical} / ${workload.written.size}; mid-run mismatches ${workload.mismatches.length}`],
    ['every planned upload, overwrite and delete done', workload.abandoned.length === 0 && workload.pending === 0, `${workload.abandoned.length} given up after ${MAX_TRIES} tries${workload.abandoned.length ? ` (${workload.abandoned.slice(0, 5).join(', ')})` : ''}, ${workload.pending} never done`],
    ['deleted objects are gone', verified.deletedFound.length === 0, `${verified.deletedGone} / ${workload.deleted.size} refused as not found${verified.deletedFound.length ? `; ${verified.deletedFound.map((d) => `${d.key} ${d.code}`).join(', ')}` : ''}`],
    ['mid-run reads succeeded (but while the satellite was away)', badReads.length === 0, `${reads.length - badReads.length} / ${reads.length}${badReads.length ? `; ${badReads.slice(0, 5).map((o) => `${o.key} ${o.code} at ${(o.at / 1000).toFixed(0)} s`).join(', ')}` : ''}`],
    ['every fault happened as planned', faultProblems.length === 0, faultProblems.slice(0, 5).join('; ') || `${faults.map((f) => `${f.kind} ${f.count()}`).join(', ')} pieces; disks filled ${diskFills.map((f) => `${f.name} +${(f.bytes / MIB).toFixed(1)} MiB`).join(', ') || 'none'} (${diskFullRefusals.join('+')} disk-full refusals logged); clocks ${[...measuredOffsets].map(([n, o]) => `${n} ${(o / 1000).toFixed(0)} s`).join(', ')}; ${lies} lies to clients`],
    [`bad + down + unrepaired nodes <= n - k (${RULE_LIMIT(N, K)}) throughout`, ruleViolations.length === 0, ruleViolations.slice(0, 3).join('; ') || `at most ${maxExposure}`],
    ['failed operations all typed', untyped.length === 0, `${failedOps.length} failed, ${untyped.length} untyped`],
    ['no process crashed', cluster.crashes.length === 0, cluster.crashes.map((c) => `${c.name} (${c.code ?? c.signal})`).join(', ') || 'none'],
    ['the three corrupting nodes disqualified', missedDq.length === 0, `${bad.length - missedDq.length} / ${bad.length}${missedWhy.length ? `; ${missedWhy.join('; ')}` : ''}`],
    ['no honest node disqualified', honestDq.length === 0, honestDq.join(', ') || 'none'],
    ['nodes removed > n - k (8)', removed > 8, String(removed)],
    ['segments repaired', repaired > 0, String(repaired)],
    ['no segment lost', health.lost === 0 && health.queued === 0, `lost ${health.lost}, queued ${health.queued}`],
    ['ledger verifies', ledger.ok, `${ledger.entries} entries${ledger.problem ? `: ${ledger.problem}` : ''}`],
    ['honest nodes holding pieces were paid', unpaid.length === 0, unpaid.join(', ') || `${space.filter((s) => s.satellite > 0).length} paid`],
    [
      'every period published and pushed on chain',
      onChain.backlog.length === 0 && onChain.publications.length === payouts.periods.length,
      `${onChain.publications.filter((p) => p.state === 'pushed').length} / ${payouts.periods.length} pushed${onChain.backlog.length ? `; backlog ${onChain.backlog.join(', ')}: ${onChain.publications.find((p) => p.error)?.error ?? ''}` : ''}`
    ],
    ['on-chain balances = ledger, every node', payMismatch.length === 0, payMismatch.map((c) => `${c.name} holds ${c.balance}, owed ${c.owed}`).join(', ') || `${chainPay.length} wallets, ${paidOnChain} base units in all`],
    ['no wallet paid twice for a period', paidTwice.length === 0, paidTwice.map((c) => `${c.name}: ${c.payments} payments for ${c.periodsPaid} periods`).join(', ') || `${chainPay.reduce((n, c) => n + c.payments, 0)} payments`],
    ['disqualified nodes not paid after disqualification', paidAfterDq.length === 0, paidAfterDq.join(', ') || 'none'],
    ['used space on nodes = satellite after GC', spaceMismatch.length === 0, spaceMismatch.map((s) => `${s.name} ${s.node} vs ${s.satellite}`).join(', ') || `${space.length} nodes agree`],
    ['the small disk filled, never past its capacity', fullPeak >= options.smallCapacity - LARGEST_PIECE && fullPeak <= options.smallCapacity, `peak ${fullPeak} of ${options.smallCapacity} bytes`],
    ['memory within bounds', overBound.length === 0, overBound.join(', ') || `peak node ${Math.max(...Object.entries(rss).filter(([n]) => n !== 'satellite').map(([, v]) => v))} MiB, satellite ${rss.satellite} MiB`]
  ];
  const passed = checks.every(([, ok]) => ok);
  const results = {
    seed,
    format: args.format ?? 'v4',
    passed,
    durationS: options.durationMs / 1000,
    objects: { planned: plan.objects.length, written: workload.written.size, abandoned: workload.abandoned, notTried: workload.pending, bytesWritten: [...workload.written.values()].reduce((s, w) => s + w.size, 0), readBackIdentical: verified.identical, different: verified.different, failedReads: verified.failed },
    operations: { total: workload.ops.length, failed: failedOps.length, byCode: codes, untyped: untyped.slice(0, 20), failures: failedOps.slice(0, 200).map((o) => ({ op: o.op, key: o.key, atS: Math.round(o.at / 100) / 10, code: o.code, raced: o.raced })) },
    nodes: { started: nodes.size, removed, disqualified: dqIds, disqualifiedAtS: Object.fromEntries([...nodes.values()].filter((n) => dqAt.has(n.peerId!)).map((n) => [n.name, Math.round((dqAt.get(n.peerId!)! - chaosStart) / 1000)])), corrupting: bad, honestDisqualified: honestDq, notDisqualified: missedWhy, fullNode: { name: plan.roles.full, peakUsed: fullPeak, usedAtEnd: full?.node ?? null, capacity: options.smallCapacity } },
    repair: { segmentsRepaired: repaired, final: health, maxLostSeenMidRun: maxLostSeen },
    faults: { problems: faultProblems, diskFills, diskFullRefusals, liesToClients: lies, clockOffsetsMs: Object.fromEntries(measuredOffsets), satelliteAway: satelliteDown },
    rule: { limit: RULE_LIMIT(N, K), max: maxExposure, violations: ruleViolations },
    reads: { total: reads.length, failed: badReads.length, failures: badReads.slice(0, 20) },
    deleted: { count: workload.deleted.size, gone: verified.deletedGone, found: verified.deletedFound },
    ledger,
    payouts: { periods: payouts.periods.length, balances: payouts.balances, paidAfterDq, unpaid, chain: { publications: onChain.publications, wallets: chainPay.map((c) => ({ ...c, owed: String(c.owed), balance: String(c.balance) })) } },
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
  await anvil?.stop();
  for (const m of mounts) unmount(m);
}
if (code === 0 && !args.keep && !args.dir) rmSync(dir, { recursive: true, force: true });
process.exit(code);
