// Shared helpers of the benchmarks: timing, medians, the machine's description (from src/bench,
// which `stowage bench` shares), result files.
import { mkdirSync, writeFileSync } from 'node:fs';
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
