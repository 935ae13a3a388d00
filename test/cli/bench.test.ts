// `stowage bench` as an operator with only the installed package runs it: the built CLI as a child
// process, quick sizes. pieces measures the directory it is given in a scratch directory of its own
// and leaves everything else there as it was; the JSON has the fields of the saved results.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const run = promisify(execFile);

afterAll(() => removeTempDirs());

async function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [cli, 'bench', ...args], { maxBuffer: 16 * 1024 * 1024 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr })
  );
}

/** Every path under `dir` with its size and modification time. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      out.push(`${relative(dir, p)} ${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

const saved = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, 'benchmarks', 'results', `${name}.json`), 'utf8')) as Record<string, unknown>;
const keysOf = (rows: unknown): string[] => [...new Set((rows as Record<string, unknown>[]).flatMap((r) => Object.keys(r)))].sort();

it('bench pieces --dir --json: the saved results\' fields, and the directory left as it was', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'identity.key'), 'not touched');
  mkdirSync(join(dir, 'pieces'));
  writeFileSync(join(dir, 'pieces', 'a'), 'kept');
  const before = snapshot(dir);
  const out = join(tempDir(), 'pieces.json');
  const r = await bench(['pieces', '--dir', dir, '--json', '--slices', '1', '--out', out]);
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout) as Record<string, unknown>;
  const expected = saved('pieces');
  expect(Object.keys(result)).toEqual(Object.keys(expected));
  expect(result.benchmark).toBe('pieces');
  expect(keysOf(result.results)).toEqual(keysOf(expected.results));
  expect(keysOf(result.targets)).toEqual(keysOf(expected.targets));
  const methods = (rows: unknown): string[] => (rows as { piece: string; method: string }[]).map((x) => `${x.piece} ${x.method}`);
  expect(methods(result.results)).toEqual(methods(expected.results));
  expect(readFileSync(out, 'utf8')).toBe(r.stdout);
  // Progress on stderr, naming the scratch directory inside the one measured.
  expect(r.stderr).toMatch(/quick sizes/);
  expect(r.stderr).toContain(join(dir, 'stowage-bench-pieces-'));
  expect(snapshot(dir)).toEqual(before);
}, 60_000);

it('bench merkle --json: quick sizes, the saved results\' fields', async () => {
  const r = await bench(['merkle', '--json']);
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout) as Record<string, unknown>;
  const expected = saved('merkle');
  expect(Object.keys(result)).toEqual(Object.keys(expected));
  expect(Object.keys(result.proofs as object)).toEqual(Object.keys(expected.proofs as object));
  expect(keysOf(result.roots)).toEqual(keysOf(expected.roots));
  expect((result.roots as { piece: string }[]).map((x) => x.piece)).toEqual(['2 MiB', '16 MiB']);
  expect(result.rounds).toBe(3);
}, 60_000);

it('bench merkle prints the tables, saying the sizes are quick', async () => {
  const r = await bench(['merkle', '--rounds', '1']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^quick sizes: .*--full/);
  expect(r.stdout).toMatch(/piece\s+one-shot MB\/s\s+merkleRoot MB\/s/);
  expect(r.stdout).toMatch(/target\s+measured\s+met/);
}, 60_000);

it('an unknown benchmark or a misused option exits 2 with one line; a --dir that is a file exits 1', async () => {
  const bad = await bench(['frobnicate']);
  expect(bad).toEqual({ code: 2, stdout: '', stderr: "stowage: unknown benchmark 'frobnicate': one of erasure, merkle, pieces (stowage bench --help)\n" });
  const slices = await bench(['pieces', '--slices', '3']);
  expect(slices.code).toBe(2);
  expect(slices.stderr).toMatch(/^stowage: --slices 3 does not divide [^\n]*\n$/);
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, 'x');
  const notDir = await bench(['pieces', '--dir', file]);
  expect(notDir.code).toBe(1);
  expect(notDir.stderr).toMatch(/stowage: cannot measure .*a-file: not a directory\n$/);
  expect(notDir.stderr).not.toMatch(/\n\s+at /);
  expect(readFileSync(file, 'utf8')).toBe('x');
}, 60_000);
