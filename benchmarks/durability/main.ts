// npm run sim:durability [-- --quick] [--seed N] [--out DIR] [--replot]: the durability simulation's sweep
// (sim.ts: the satellite's checker, selection, repair and reputation code against 10,000 simulated
// nodes with churn). For the default profile and a small one, every repair threshold x mean node
// lifetime: segments lost, repair traffic per stored byte, the repair queue. A progress line per
// scenario; writes benchmarks/results/durability.json and durability.svg (--quick: a tiny sweep
// that writes nothing unless --out is given; --replot: only the SVG again, from the JSON).
import '../../src/shims/promise-with-resolvers.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RESULTS_DIR, machine, table } from '../lib.js';
import { MONTH, defaultConfig } from './model.js';
import { plotDurability } from './plot.js';
import { simulate, type SimResult } from './sim.js';

interface Sweep {
  minimum: number;
  success: number;
  total: number;
  thresholds: number[];
  lifetimesMonths: number[];
  nodes: number;
  segments: number;
  years: number;
}

const FULL: Sweep[] = [
  { minimum: 29, success: 80, total: 110, thresholds: [30, 35, 40, 50, 60], lifetimesMonths: [3, 6, 12, 24], nodes: 10_000, segments: 5_000, years: 1 },
  { minimum: 4, success: 8, total: 10, thresholds: [4, 5, 6, 7], lifetimesMonths: [3, 6, 12, 24], nodes: 10_000, segments: 5_000, years: 1 }
];

const QUICK: Sweep[] = [
  { minimum: 29, success: 80, total: 110, thresholds: [35], lifetimesMonths: [6], nodes: 400, segments: 100, years: 0.05 },
  { minimum: 4, success: 8, total: 10, thresholds: [5], lifetimesMonths: [6], nodes: 400, segments: 200, years: 0.05 }
];

/** What the numbers rest on (repeated in the README's "Durability simulation"). */
const MODEL = {
  realCode: [
    'healthyPieces / isHealthyNode (src/satellite/repair/health.ts): which pieces count, for the checker and the repairer',
    'selectNodes / isEligible (src/satellite/overlay/selection.ts): upload and repair targets',
    'repairSources (src/satellite/repair/sources.ts) with NodeBackoff (src/satellite/repair/backoff.ts): which pieces a repair downloads, in which order',
    'applyAudit / hasRecentFailures / auditScore (src/satellite/reputation/score.ts) with REPUTATION_DEFAULTS: distrust and disqualification of corrupting nodes'
  ],
  copied: [
    'the checker rule healthy <= repair -> queued, healthy < k -> lost (RepairChecker.runCheck; test/sim/durability.test.ts checks it against the real RepairChecker)',
    "the repairer's choice of piece numbers to rebuild, its target choice around selectNodes (Repairer.selectTargets), 3 upload rounds, 'repaired' only above the threshold (else partial, retried), and a piece failing its root check dropped from the segment at once and counted a failed audit of its node (recordFailedPiece)"
  ],
  modelled: [
    'node lifetimes (exponential), outages, corruption, joins; the registry fields the real functions read (lastReached from hourly uptime checks and check-ins, reachable, vetted, disqualified)',
    'transfers: a download or upload works when the node is up; a corrupted piece fails its root check',
    'repair time: overhead + bytes / bandwidth per worker, repair.concurrency workers and repair.urgentConcurrency more for segments k to k + urgentMargin (mayTake), runs every repairIntervalMs, checker walks every checkIntervalMs',
    'audits only of corrupting nodes (an honest node passes every audit, which leaves its reputation at its starting fixed point); vetting after auditsToVet rounds once a node holds a piece; no containment (no node stalls on audits), no suspension, no graceful exit'
  ],
  assumptions: {
    lifetime:
      'exponential; 3, 6, 12, 24 months swept. Storj uses MTTF 1, 6, 12 months on 10,000 nodes in its RS-number tables (github.com/storj/whitepaper, RS-appendix-files/10000nodes.tex); about 1 % of ~23,000 nodes called a graceful exit per month on one satellite in 2023 (forum.storj.io, "Announcement: Changes to Storj Node Payouts"), plus nodes that just vanish. A node that leaves and one whose disk dies look alike here (the project has no graceful exit): its pieces are gone and it stops answering.',
    joins: 'Poisson, at nodes / mean lifetime, so the population stays near 10,000; new nodes are unvetted',
    outages: 'every 14 days per node; 70 % short (exponential, mean 30 min), 30 % long (mean 24 h): about 98 % online (Storj suspends below 60 %, asks 99.3 %)',
    corruption: '2 % of nodes start corrupting at a uniform time in their life, 10-100 % of their pieces (and of pieces they get later)',
    repair: '100 Mbit/s per repair worker, 5 s per segment on top; repair.concurrency (2) workers and 2 urgent ones',
    data: 'segments uploaded at time 0 (64 MiB, no uploads or deletes after), each at a uniform point of its repair cycle (pieces lost with probability 1 - (repair/success)^u, u uniform: the steady state); each node its own /24 (no correlated failures)',
    audits: 'one audit per node per round (auditIntervalMs 5 min), auditsAfterFailure (4) while it has recent failures; a piece the repairer finds corrupted is a failed audit at once'
  }
};

function plotTitle(sweeps: Sweep[], seed: number): string {
  const s = sweeps[0]!;
  return `Durability simulation: ${s.nodes.toLocaleString('en')} nodes, ${s.segments.toLocaleString('en')} segments, ${s.years} simulated year per scenario, seed ${seed}`;
}

function describe(r: SimResult): string {
  const traffic = r.repairPerStoredBytePerYear.toFixed(2);
  const lost = r.lost === 0 ? `0 lost (< ${(r.lossRate.upper).toPrecision(2)}/seg-yr)` : `${r.lost} lost (${r.lossRate.perSegmentYear.toPrecision(2)}/seg-yr)`;
  return `${r.profile} lifetime ${r.meanLifetimeMonths} mo: ${lost}, repair ${traffic} B/B/yr, ${r.repairs.repaired} repairs, peak queue ${r.peakQueue}, ${(r.wallMs / 1000).toFixed(1)} s`;
}

function main(): void {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, seed: { type: 'string' }, out: { type: 'string' }, replot: { type: 'boolean' } } });
  if (values.replot) {
    // Only the SVG again, from the results a run wrote.
    const dir = values.out ?? RESULTS_DIR;
    const doc = JSON.parse(readFileSync(join(dir, 'durability.json'), 'utf8')) as { seed: number; sweeps: Sweep[]; scenarios: SimResult[] };
    writeFileSync(join(dir, 'durability.svg'), plotDurability(doc.scenarios, plotTitle(doc.sweeps, doc.seed)));
    console.log(`wrote ${join(dir, 'durability.svg')}`);
    return;
  }
  const quick = values.quick ?? false;
  const seed = values.seed !== undefined ? Number(values.seed) : 18;
  const sweeps = quick ? QUICK : FULL;
  const scenarios = sweeps.flatMap((s) => s.thresholds.flatMap((repair) => s.lifetimesMonths.map((months) => ({ s, repair, months }))));
  const started = performance.now();
  const results: SimResult[] = [];
  console.log(`durability: ${scenarios.length} scenarios, seed ${seed}${quick ? ' (quick)' : ''}`);
  scenarios.forEach(({ s, repair, months }, i) => {
    const config = defaultConfig({
      seed,
      profile: { minimum: s.minimum, repair, success: s.success, total: s.total },
      nodes: s.nodes,
      segments: s.segments,
      years: s.years,
      meanLifetimeMs: months * MONTH
    });
    const r = simulate(config);
    results.push(r);
    console.log(`[${i + 1}/${scenarios.length}] ${describe(r)}`);
  });
  const wallSeconds = (performance.now() - started) / 1000;
  console.log(
    '\n' +
      table(
        ['profile', 'lifetime mo', 'segment-years', 'lost', 'lost / segment-year', 'repair B / stored B / yr', 'repairs', 'replaced intact', 'peak queue', 'mean wait s'],
        results.map((r) => [
          r.profile,
          r.meanLifetimeMonths,
          Math.round(r.segmentYears),
          r.lost,
          r.lost === 0 ? `< ${r.lossRate.upper.toPrecision(2)}` : r.lossRate.perSegmentYear.toPrecision(2),
          r.repairPerStoredBytePerYear.toFixed(2),
          r.repairs.repaired,
          r.replacedIntactPieces,
          r.peakQueue,
          (r.queueWaitMs.mean / 1000).toFixed(0)
        ])
      )
  );
  console.log(`\n${wallSeconds.toFixed(0)} s in all`);
  const outDir = values.out ?? (quick ? undefined : RESULTS_DIR);
  if (!outDir) return;
  mkdirSync(outDir, { recursive: true });
  const base = defaultConfig({ seed });
  const doc = {
    benchmark: 'durability',
    date: new Date().toISOString(),
    machine: machine(),
    command: `npm run sim:durability${quick ? ' -- --quick' : ''}${values.seed !== undefined ? ` --seed ${seed}` : ''}`,
    seed,
    wallSeconds,
    model: MODEL,
    sweeps,
    settings: { ...base, meanLifetimeMs: undefined, profile: undefined, nodes: undefined, segments: undefined, years: undefined },
    scenarios: results
  };
  const json = join(outDir, 'durability.json');
  writeFileSync(json, JSON.stringify(doc, null, 2) + '\n');
  const svg = join(outDir, 'durability.svg');
  writeFileSync(svg, plotDurability(results, plotTitle(sweeps, seed)));
  console.log(`wrote ${json} and ${svg}`);
}

main();
