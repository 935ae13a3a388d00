// What every benchmark shares: the machine's description, timing and medians, MB/s, plain-text
// tables, and the JSON text a result is written as.
import { cpus, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
}

/** One target a benchmark checks: what it asks, what was measured, whether it was met. */
export interface Target {
  target: string;
  value: string;
  pass: boolean;
}

/** Where a benchmark writes its header and progress lines. */
export type BenchLog = (line: string) => void;

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version
  };
}

/** MB/s, 10^6 bytes per second. */
export function mbps(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1e3);
}

export async function timeIt(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** A plain-text table with aligned columns. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The targets as a table: target, measured, met (yes / NO). */
export function targetsTable(targets: Target[]): string {
  return table(['target', 'measured', 'met'], targets.map((t) => [t.target, t.value, t.pass ? 'yes' : 'NO']));
}

/** A result as the JSON text written to benchmarks/results/ and by `stowage bench --out`. */
export function resultJson(result: unknown): string {
  return JSON.stringify(result, null, 2) + '\n';
}

/** 65536 -> "64 KiB", 1048576 -> "1 MiB". */
export function sizeLabel(bytes: number): string {
  return bytes >= 2 ** 20 && bytes % 2 ** 20 === 0 ? `${bytes / 2 ** 20} MiB` : `${bytes / 1024} KiB`;
}
