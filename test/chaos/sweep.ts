// `npm run test:chaos -- --sweep N`: N chaos runs one after another, each with its own seed (random
// unless given with --seeds) in its own fresh directory, and a summary of them all in
// benchmarks/results/chaos-sweep.json (the single run's chaos.json is left alone).
//
// Each run is a child process, `node --import tsx test/chaos/run.ts --seed S --dir D --results F`:
// the single run keeps its state in module variables, ends with process.exit, and when a process
// crashes mid-chaos it stops by throwing while the clients, the bad-disk timers and the event
// chains are still going. In a child none of that can reach the next run, and the single run's
// code path stays the one CI runs.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const RUN = join(HERE, 'run.ts');
export const SWEEP_RESULTS = join(ROOT, 'benchmarks', 'results', 'chaos-sweep.json');
/** What a passing run keeps of its directory (the nodes' data goes unless --keep). */
const KEPT = new Set(['logs', 'run.log', 'chaos.json']);

export interface SweepArgs {
  sweep?: string;
  seeds?: string;
  seed?: string;
  duration?: string;
  bytes?: string;
  dir?: string;
  keep?: boolean;
  ci?: boolean;
}

/** The parts of a run's results (run.ts) the sweep reads; a run that threw has only a few. */
interface RunResults {
  seed: number;
  passed: boolean;
  error?: string;
  objects?: { planned: number; written: number; abandoned: string[]; notTried: number; bytesWritten: number; readBackIdentical: number };
  operations?: { failed: number };
  nodes?: { disqualified: string[]; corrupting: string[]; honestDisqualified: string[] };
  repair?: { segmentsRepaired: number; final: { segments: number; queued: number; lost: number } };
  peakRssMiB?: Record<string, number>;
  crashes?: { name: string; code: number | null; signal: string | null }[];
  checks?: { name: string; ok: boolean; detail: string }[];
}

export interface SweepRecord {
  run: number;
  seed: number;
  passed: boolean;
  exit: string;
  /** Why a run stopped early (the first line); absent when it ran to the end. */
  error?: string;
  wallS: number;
  objects: { planned: number; written: number; verified: number; givenUp: number; notTried: number; bytesWritten: number } | null;
  segments: { total: number; lost: number; queued: number; repaired: number } | null;
  disqualified: { bad: number; of: number; honest: number } | null;
  failedOperations: number | null;
  peakRssMiB: { satellite: number; node: number } | null;
  failedChecks: { name: string; detail: string }[];
  /** From DIR/logs/satellite.log, see satelliteLogSummary. */
  satelliteLog: SatelliteLogSummary;
  dir: string;
  rerun: string;
}

function usage(msg: string): number {
  console.error(`chaos sweep: ${msg}\nusage: npm run test:chaos -- --sweep N [--seeds a,b,c] [--duration S] [--bytes N] [--ci] [--dir D] [--keep]`);
  return 2;
}

/** The command that repeats one run of the sweep on its own. */
function rerunCommand(seed: number, args: SweepArgs): string {
  const extra = [args.ci ? '--ci' : '', args.duration ? `--duration ${args.duration}` : '', args.bytes ? `--bytes ${args.bytes}` : ''].filter(Boolean);
  return ['npm run test:chaos -- --seed', String(seed), ...extra].join(' ');
}

export interface SatelliteLogSummary {
  /** Distinct segments a repair check ever logged lost (below k), for a moment or for good. */
  segmentsEverLost: number;
  repairFailed: number;
  /** Failed repairs by reason, numbers and ids folded (N, …). */
  repairFailedReasons: Record<string, number>;
  /** Rounds of uptime checks and the longest time between two (a node not reached within onlineWithinMs counts as down). */
  uptimeRounds: number;
  uptimeMaxGapS: number;
}

/** Reads the satellite's log (JSON lines): which segments it called lost, why repairs failed, how often it checked uptime. */
export function satelliteLogSummary(path: string): SatelliteLogSummary {
  const out: SatelliteLogSummary = { segmentsEverLost: 0, repairFailed: 0, repairFailedReasons: {}, uptimeRounds: 0, uptimeMaxGapS: 0 };
  if (!existsSync(path)) return out;
  const lost = new Set<string>();
  let lastRound: number | undefined;
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (!/segment lost|repair failed|uptime checks done|satellite started/.test(text)) continue;
    let line: { msg?: string; time?: number; segment?: string; reason?: string };
    try {
      line = JSON.parse(text) as typeof line;
    } catch {
      continue;
    }
    if (line.msg?.startsWith('segment lost')) lost.add(String(line.segment));
    else if (line.msg === 'satellite started') lastRound = undefined;
    else if (line.msg === 'uptime checks done' && typeof line.time === 'number') {
      out.uptimeRounds++;
      if (lastRound !== undefined) out.uptimeMaxGapS = Math.max(out.uptimeMaxGapS, Math.round((line.time - lastRound) / 100) / 10);
      lastRound = line.time;
    } else if (line.msg === 'repair failed') {
      out.repairFailed++;
      // Reasons name nodes, segments and counts: folded so the same cause counts once.
      const reason = String(line.reason ?? 'no reason')
        .replace(/[A-Za-z0-9+/_=-]{20,}/g, '…')
        .replace(/\d+/g, 'N')
        .slice(0, 160);
      out.repairFailedReasons[reason] = (out.repairFailedReasons[reason] ?? 0) + 1;
    }
  }
  out.segmentsEverLost = lost.size;
  return out;
}

function record(run: number, seed: number, { exit, error: stderrError }: { exit: string; error?: string }, wallS: number, dir: string, args: SweepArgs, r: RunResults | undefined): SweepRecord {
  const bad = new Set(r?.nodes?.corrupting ?? []);
  const rss = Object.entries(r?.peakRssMiB ?? {});
  const rec: SweepRecord = {
    run,
    seed,
    passed: r?.passed === true && exit === 'exit 0',
    exit,
    error: undefined,
    wallS,
    objects: r?.objects
      ? { planned: r.objects.planned, written: r.objects.written, verified: r.objects.readBackIdentical, givenUp: r.objects.abandoned.length, notTried: r.objects.notTried, bytesWritten: r.objects.bytesWritten }
      : null,
    segments: r?.repair ? { total: r.repair.final.segments, lost: r.repair.final.lost, queued: r.repair.final.queued, repaired: r.repair.segmentsRepaired } : null,
    disqualified: r?.nodes ? { bad: r.nodes.disqualified.filter((id) => bad.has(id)).length, of: bad.size, honest: r.nodes.honestDisqualified.length } : null,
    failedOperations: r?.operations?.failed ?? null,
    peakRssMiB: rss.length > 0 ? { satellite: r?.peakRssMiB?.satellite ?? 0, node: Math.max(0, ...rss.filter(([n]) => n !== 'satellite').map(([, v]) => v)) } : null,
    failedChecks: (r?.checks ?? []).filter((c) => !c.ok).map(({ name, detail }) => ({ name, detail })),
    satelliteLog: satelliteLogSummary(join(dir, 'logs', 'satellite.log')),
    dir,
    rerun: rerunCommand(seed, args)
  };
  const error = r?.error ?? (r ? undefined : `no results written (${exit}${stderrError ? `: ${stderrError}` : ''}); see ${join(dir, 'run.log')}`);
  if (error !== undefined) rec.error = error.split('\n')[0]!;
  return rec;
}

function summaryLine(r: SweepRecord, runs: number): string {
  const o = r.objects;
  const s = r.segments;
  const d = r.disqualified;
  return [
    `run ${r.run}/${runs} seed ${r.seed}: ${r.passed ? 'PASS' : 'FAIL'}`,
    o ? `objects ${o.written} written, ${o.verified} verified, ${o.givenUp} given up` : 'objects ?',
    s ? `segments ${s.lost} lost, ${s.queued} queued, ${s.repaired} repaired` : 'segments ?',
    d ? `bad nodes disqualified ${d.bad}/${d.of}${d.honest > 0 ? ` (+${d.honest} honest)` : ''}` : 'disqualified ?',
    `${r.wallS} s`,
    ...(r.failedChecks.length > 0 ? [`failed: ${r.failedChecks.map((c) => c.name).join('; ')}`] : []),
    ...(r.error ? [`error: ${r.error}`] : [])
  ].join(' | ');
}

/** One run as a child process, its output shown and kept in DIR/run.log; returns how it exited and its stderr's first error line. */
async function runOnce(seed: number, dir: string, results: string, args: SweepArgs): Promise<{ exit: string; error?: string }> {
  const argv = ['--seed', String(seed), '--dir', dir, '--results', results];
  if (args.ci) argv.push('--ci');
  if (args.duration) argv.push('--duration', args.duration);
  if (args.bytes) argv.push('--bytes', args.bytes);
  const log = createWriteStream(join(dir, 'run.log'));
  const child = spawn(process.execPath, [...process.execArgv, RUN, ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => {
    process.stdout.write(d);
    log.write(d);
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    process.stderr.write(d);
    log.write(d);
    if (stderr.length < 64 * 1024) stderr += d.toString();
  });
  const exit = await new Promise<string>((res) => {
    child.on('error', (err) => res(`spawn failed: ${err.message}`));
    child.on('close', (code, signal) => res(signal ? `signal ${signal}` : `exit ${code}`));
  });
  await new Promise<void>((res) => log.end(res));
  return { exit, error: /^(chaos run failed: .*|\w*Error\b.*)$/m.exec(stderr)?.[1] };
}

export async function sweep(args: SweepArgs): Promise<number> {
  if (args.seed !== undefined) return usage('--seed is for one run; give a sweep its seeds with --seeds a,b,c');
  const given = (args.seeds ?? '').split(',').filter((s) => s.trim() !== '').map((s) => Number(s.trim()));
  if (given.some((s) => !Number.isSafeInteger(s) || s < 0)) return usage(`--seeds must be non-negative integers, got '${args.seeds}'`);
  const runs = args.sweep !== undefined ? Number(args.sweep) : given.length;
  if (!Number.isSafeInteger(runs) || runs < 1) return usage(`--sweep needs a number of runs >= 1, got '${args.sweep}'`);
  if (given.length > runs) return usage(`${given.length} seeds given for ${runs} runs`);
  const seeds = [...given];
  while (seeds.length < runs) seeds.push(Math.floor(Math.random() * 2 ** 31));

  const root = args.dir ? resolve(args.dir) : mkdtempSync(join(tmpdir(), 'stowage-chaos-sweep-'));
  mkdirSync(root, { recursive: true });
  const started = new Date();
  const git = (...a: string[]): string => {
    try {
      return execFileSync('git', a, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const settings = {
    // The code the runs ran: the commit and how many files differed from it.
    commit: git('rev-parse', 'HEAD') || null,
    uncommittedFiles: git('status', '--porcelain').split('\n').filter(Boolean).length,
    runs,
    seeds: { given, random: seeds.slice(given.length) },
    ci: args.ci ?? false,
    durationS: Number(args.duration ?? (args.ci ? 300 : 600)),
    bytes: args.bytes !== undefined ? Number(args.bytes) : args.ci ? '400 MiB' : '2 GiB',
    dir: root,
    keep: args.keep ?? false
  };
  console.log(`chaos sweep: ${runs} run(s), seeds ${seeds.join(', ')}; one after another in ${root}`);
  const records: SweepRecord[] = [];
  const write = (finished: boolean): void => {
    const failed = records.filter((r) => !r.passed);
    const out = {
      date: started.toISOString(),
      finished: finished ? new Date().toISOString() : null,
      settings,
      summary: { passed: records.length - failed.length, of: runs, done: records.length, failedSeeds: failed.map((r) => r.seed) },
      runs: records
    };
    mkdirSync(dirname(SWEEP_RESULTS), { recursive: true });
    writeFileSync(SWEEP_RESULTS, JSON.stringify(out, null, 2) + '\n');
  };

  for (const [i, seed] of seeds.entries()) {
    const dir = join(root, `run-${i + 1}-seed-${seed}`);
    mkdirSync(dir, { recursive: true });
    const results = join(dir, 'chaos.json');
    console.log(`\n=== chaos sweep: run ${i + 1} of ${runs}, seed ${seed} (alone: ${rerunCommand(seed, args)}) ===`);
    const t0 = Date.now();
    const exited = await runOnce(seed, dir, results, args);
    const wallS = Math.round((Date.now() - t0) / 1000);
    let r: RunResults | undefined;
    try {
      r = JSON.parse(readFileSync(results, 'utf8')) as RunResults;
    } catch {
      r = undefined;
    }
    const rec = record(i + 1, seed, exited, wallS, dir, args, r);
    records.push(rec);
    write(false);
    // A passing run keeps its logs and results; its nodes' data goes unless --keep.
    if (rec.passed && !args.keep) for (const f of readdirSync(dir)) if (!KEPT.has(f)) rmSync(join(dir, f), { recursive: true, force: true });
    console.log(`\n${summaryLine(rec, runs)}`);
  }
  write(true);

  const failed = records.filter((r) => !r.passed);
  console.log(`\n=== chaos sweep: passed ${records.length - failed.length} of ${runs} ===`);
  for (const r of records) console.log(summaryLine(r, runs));
  if (failed.length > 0) {
    console.log(`\nfailed seeds: ${failed.map((r) => r.seed).join(', ')}`);
    for (const r of failed) console.log(`  ${r.rerun}    (data and logs: ${r.dir})`);
  }
  console.log(`results: ${SWEEP_RESULTS}`);
  return failed.length > 0 ? 1 : 0;
}
