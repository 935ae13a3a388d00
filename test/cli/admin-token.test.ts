// Where the CLI's admin commands find the satellite's token, and where they send it: a token
// found in the default data directory (./stowage-satellite) belongs to a satellite on this
// machine and goes to loopback addresses only; one named on purpose (--admin-token, the
// environment, --data-dir) goes where the operator said.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { isLoopback, resolveAdmin } from '../../src/cli/admin-client.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

const cwd = process.cwd();
const saved = { ...process.env };
let dir: string;

beforeEach(() => {
  dir = tempDir();
  process.chdir(dir);
  for (const k of ['STOWAGE_SATELLITE_ADMIN', 'STOWAGE_SATELLITE_ADMIN_TOKEN', 'STOWAGE_SATELLITE_DATA_DIR']) delete process.env[k];
  process.env.STOWAGE_DEVNET_DIR = join(dir, 'no-devnet');
  mkdirSync(join(dir, 'stowage-satellite'));
  writeFileSync(join(dir, 'stowage-satellite', 'admin.token'), 'local-token\n');
});
afterEach(() => {
  process.chdir(cwd);
  process.env = { ...saved };
});
afterAll(() => removeTempDirs());

it('sends the default data directory\'s token to loopback addresses only', () => {
  for (const admin of ['127.0.0.1:7778', 'localhost:7778', '[::1]:7778', 'http://127.0.0.2:9000', '0.0.0.0:7778']) {
    expect([admin, resolveAdmin({ admin }).token]).toEqual([admin, 'local-token']);
  }
  for (const admin of ['sat.example.net:7778', 'http://10.0.0.5:7778', '192.168.1.2:7778', '[2001:db8::1]:7778']) {
    const target = resolveAdmin({ admin });
    expect([admin, target.token]).toEqual([admin, undefined]);
  }
});

it('sends a token named on purpose wherever the operator points it', () => {
  expect(resolveAdmin({ admin: 'sat.example.net:7778', 'admin-token': 'given' }).token).toBe('given');
  const other = join(dir, 'remote-copy');
  mkdirSync(other);
  writeFileSync(join(other, 'admin.token'), 'copied\n');
  expect(resolveAdmin({ admin: 'sat.example.net:7778', 'data-dir': other }).token).toBe('copied');
});

it('tells loopback from other hosts', () => {
  expect(['http://127.0.0.1:1', 'http://localhost:1', 'http://[::1]:1', 'http://127.9.9.9:1'].map(isLoopback)).toEqual([true, true, true, true]);
  expect(['http://128.0.0.1:1', 'http://localhost.evil.example:1', 'http://[::2]:1', 'http://10.0.0.1:1'].map(isLoopback)).toEqual([false, false, false, false]);
});
