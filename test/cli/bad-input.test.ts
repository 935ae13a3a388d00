// What a user who types something wrong sees from the object commands: one line on stderr naming
// the problem, nothing on stdout, exit code 1, never a stack trace. Against a real satellite
// (in this process) and the built CLI as a child process.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccess } from '../../src/client/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { satelliteAddress, startSatellite } from '../satellite/fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const run = promisify(execFile);
let satellite: Satellite;
let access: string;
let dir: string;

beforeAll(async () => {
  satellite = await startSatellite({});
  access = createAccess(`${satellite.id}@${satelliteAddress(satellite)}`, (await satellite.apiKeys.create('cli')).key);
  dir = tempDir();
  writeFileSync(join(dir, 'small'), 'hello');
}, 90_000);

afterAll(async () => {
  await satellite?.stop();
  removeTempDirs();
});

/** Runs the CLI expecting failure; its exit code, stdout and stderr. */
async function fails(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, STOWAGE_ACCESS: access, STOWAGE_DEVNET_DIR: join(dir, 'none') };
  const r = await run(process.execPath, [cli, ...args], { env, cwd: dir }).then(
    () => ({ code: 0, stdout: '', stderr: '' }),
    (e: { code: number; stdout: string; stderr: string }) => e
  );
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

it('put of a file that does not exist, or of a directory, names it and exits 1 without a stack', async () => {
  expect(await fails(['put', join(dir, 'nonexistent'), 'stow://demo/a'])).toEqual({ code: 1, stdout: '', stderr: `stowage: no file ${join(dir, 'nonexistent')}\n` });
  mkdirSync(join(dir, 'folder'));
  expect(await fails(['put', join(dir, 'folder'), 'stow://demo/a'])).toEqual({ code: 1, stdout: '', stderr: `stowage: ${join(dir, 'folder')} is not a file (a directory)\n` });
}, 90_000);

it('get, rm and put in a bucket that does not exist name the bucket, not the key', async () => {
  expect(await fails(['get', 'stow://nope/x', join(dir, 'out')])).toEqual({ code: 1, stdout: '', stderr: 'stowage: no bucket nope\n' });
  expect(await fails(['rm', 'stow://nope/x'])).toEqual({ code: 1, stdout: '', stderr: 'stowage: no bucket nope\n' });
  expect(await fails(['put', join(dir, 'small'), 'stow://nope/x'])).toEqual({ code: 1, stdout: '', stderr: 'stowage: no bucket nope\n' });
}, 90_000);

// Usage mistakes (the address itself) exit 2, as the CLI's usage errors do.
it('a bad address or access names what is wrong', async () => {
  expect(await fails(['get', 'http://demo/x', join(dir, 'out')])).toEqual({ code: 2, stdout: '', stderr: "stowage: 'http://demo/x' is not a stow://bucket/key address\n" });
  expect(await fails(['put', join(dir, 'small'), 'stow://demo'])).toEqual({ code: 2, stdout: '', stderr: "stowage: 'stow://demo' names no object key\n" });
  const bad = await fails(['ls', '--access', 'not-an-access']);
  expect(bad.code).toBe(1);
  expect(bad.stdout).toBe('');
  expect(bad.stderr).toMatch(/^stowage: [^\n]+\n$/);
  expect(bad.stderr).not.toMatch(/\n\s+at /);
}, 90_000);

it('put from a named pipe streams it (no size known up front), and get returns it', async () => {
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const env = { ...process.env, STOWAGE_ACCESS: access, STOWAGE_DEVNET_DIR: join(dir, 'none') };
  await run(process.execPath, [cli, 'mb', 'stow://piped'], { env });
  // The writer opens the pipe when the CLI opens it for reading.
  const writer = run('sh', ['-c', `printf 'through a pipe' > '${fifo}'`]);
  const { stdout } = await run(process.execPath, [cli, 'put', fifo, 'stow://piped/x'], { env });
  await writer;
  expect(stdout).toMatch(/^stored stow:\/\/piped\/x: 14 bytes/);
  await run(process.execPath, [cli, 'get', 'stow://piped/x', join(dir, 'back')], { env });
  expect(readFileSync(join(dir, 'back'), 'utf8')).toBe('through a pipe');
}, 90_000);

it('the object commands a user runs: access create/inspect, mb, ls, put -, get -, rm, rb, with --access or STOWAGE_ACCESS', async () => {
  const env = { ...process.env, STOWAGE_DEVNET_DIR: join(dir, 'none') };
  const key = (await satellite.apiKeys.create('cli-tour')).key;
  // access create makes the access string the other commands take; inspect shows what it holds.
  const created = (await run(process.execPath, [cli, 'access', 'create', '--satellite', `${satellite.id}@${satelliteAddress(satellite)}`, '--api-key', key], { env })).stdout.trim();
  const inspected = JSON.parse((await run(process.execPath, [cli, 'access', 'inspect', created, '--json'], { env })).stdout) as Record<string, unknown>;
  // The satellite it names; the API key shortened and the secret hidden (it may be pasted anywhere).
  expect(inspected).toMatchObject({ satellite: `${satellite.id}@${satelliteAddress(satellite)}`, secret: '(hidden)' });
  expect(JSON.stringify(inspected)).not.toContain(key);
  const viaFlag = (args: string[], input?: string) => runWithInput([...args, '--access', created], env, input);
  const viaEnv = (args: string[], input?: string) => runWithInput(args, { ...env, STOWAGE_ACCESS: created }, input);
  await viaFlag(['mb', 'stow://tour']);
  // ls without an argument lists the buckets.
  expect((await viaEnv(['ls'])).stdout).toMatch(/\stour$/m);
  // put - reads standard input; get - writes standard output.
  expect((await viaFlag(['put', '-', 'stow://tour/from-stdin'], 'piped in')).stdout).toMatch(/^stored stow:\/\/tour\/from-stdin: 8 bytes/);
  expect((await viaEnv(['get', 'stow://tour/from-stdin', '-'])).stdout).toBe('piped in');
  await viaEnv(['put', join(dir, 'small'), 'stow://tour/dir/small']);
  // --json: one JSON line an entry; ls collapses a 'folder' to its prefix, and lists inside one.
  const lines = (text: string): Record<string, unknown>[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines((await viaEnv(['ls', 'stow://tour', '--json'])).stdout).map((e) => e.prefix ?? [e.key, e.size])).toEqual(['dir/', ['from-stdin', 8]]);
  expect(lines((await viaEnv(['ls', 'stow://tour/dir/', '--json'])).stdout).map((e) => [e.key, e.size])).toEqual([['dir/small', 5]]);
  // A bucket with objects is not removed; rm then rb.
  expect((await runWithInput(['rb', 'stow://tour', '--access', created], env).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string }).toMatchObject({ code: 1, stderr: expect.stringMatching(/^stowage: [^\n]*not empty[^\n]*\n$/) as string });
  await viaEnv(['rm', 'stow://tour/from-stdin']);
  await viaFlag(['rm', 'stow://tour/dir/small']);
  expect((await viaEnv(['ls', 'stow://tour', '--json'])).stdout).toBe('');
  await viaEnv(['rb', 'stow://tour']);
  expect((await viaEnv(['ls'])).stdout).not.toMatch(/\stour$/m);
}, 180_000);

/** Runs the CLI with `input` on its standard input; rejects (with code, stdout, stderr) when it fails. */
function runWithInput(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [cli, ...args], { env, cwd: dir }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(new Error(err.message), { code: err.code, stdout, stderr }));
      else resolve({ stdout, stderr });
    });
    child.stdin!.end(input ?? '');
  });
}
