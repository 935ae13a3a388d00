// `stowage satellite run` and `stowage node run` as real processes: the node checks in and is
// dialled back, the admin API lists it, API keys come from the CLI (with the admin token of the
// satellite's data directory), SIGTERM stops both cleanly.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { killChildrenAfterAll, tracked } from '../node/fixtures/children.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const run = promisify(execFile);
killChildrenAfterAll();
afterAll(() => removeTempDirs());

interface Proc {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  waitFor(msg: string): Promise<Record<string, unknown>>;
  exit: Promise<number | null>;
}

function start(args: string[]): Proc {
  const child = tracked(spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const lines: Record<string, unknown>[] = [];
  const waiters: { msg: string; resolve: (l: Record<string, unknown>) => void }[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const p of parts) {
      const line = JSON.parse(p) as Record<string, unknown>;
      lines.push(line);
      for (const w of waiters.filter((x) => x.msg === line.msg)) w.resolve(line);
    }
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exit,
    waitFor: (msg) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((l) => l.msg === msg);
        if (seen) return resolve(seen);
        waiters.push({ msg, resolve });
        void exit.then((code) => reject(new Error(`process exited (${code}) before '${msg}': ${stderr}`)));
      })
  };
}

describe('satellite and node programs', () => {
  it('a node checks in with a satellite; keys come from the CLI; both stop on SIGTERM', async () => {
    const satDir = tempDir();
    const sat = start(['satellite', 'run', '--data-dir', satDir, '--listen', '/ip4/127.0.0.1/tcp/0', '--admin', '127.0.0.1:0', '--profile', '2/3/4/6']);
    const started = await sat.waitFor('satellite started');
    const satId = started.satelliteId as string;
    const satAddr = (started.addresses as string[])[0]!.replace(/\/p2p\/.*$/, '');
    const admin = (started.admin as string).replace('http://', '');

    // The data directory is the operator's alone; the token and the identity are 0600.
    expect(statSync(satDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(satDir, 'admin.token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(satDir, 'identity.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(satDir, 'db')).mode & 0o777).toBe(0o700);
    const token = readFileSync(join(satDir, 'admin.token'), 'utf8').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { stdout: key } = await run(process.execPath, [cli, 'satellite', 'api-key', 'create', '--admin', admin, '--data-dir', satDir, '--name', 'ci']);
    expect(key.trim()).toMatch(/^stk_[A-Za-z0-9_-]{43}$/);
    const refused = await run(process.execPath, [cli, 'satellite', 'api-key', 'create', '--admin', admin, '--admin-token', 'x'.repeat(43)]).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(/refused the token \(--admin-token\)/);

    const node = start(['node', 'run', '--data-dir', tempDir(), '--listen', '/ip4/127.0.0.1/tcp/0', '--satellite', `${satId}@${satAddr}`, '--capacity', '1GB', '--dashboard', '']);
    const nodeStarted = await node.waitFor('storage node started');
    await node.waitFor('checked in');
    const nodes = (await (await fetch(`http://${admin}/api/nodes`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string; reachable: boolean; capacity: number }[];
    expect(nodes).toEqual([expect.objectContaining({ id: nodeStarted.nodeId as string, reachable: true, capacity: 1e9 })]);

    node.child.kill('SIGTERM');
    sat.child.kill('SIGTERM');
    expect(await node.exit).toBe(0);
    expect(await sat.exit).toBe(0);

    // `satellite setup` reads the identity there (Docker publishes the id so): the same peer id.
    const { stdout: setupId } = await run(process.execPath, [cli, 'satellite', 'setup', '--data-dir', satDir]);
    expect(setupId.trim()).toBe(satId);
    expect(readFileSync(join(satDir, 'admin.token'), 'utf8').trim()).toBe(token);

    // No satellite running: the CLI writes the key to the database itself.
    const { stdout: offline } = await run(process.execPath, [cli, 'satellite', 'api-key', 'create', '--admin', '127.0.0.1:9', '--data-dir', satDir]);
    expect(offline.trim()).toMatch(/^stk_/);
  });

  it('refuses a bad profile with a message and exit code 2', async () => {
    const err = await run(process.execPath, [cli, 'satellite', 'run', '--profile', '4/3/2/1']).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(/^stowage: profile '4\/3\/2\/1' must be/);
  });
});
