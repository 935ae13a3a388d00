// The committed contract artifacts (src/chain/artifacts.ts) are what contracts/*.sol compile to
// with the pinned solc: a contract edited without `npm run build:contracts` fails here.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

it('src/chain/artifacts.ts is what contracts/ compile to', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-contracts.mjs'), '--check'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/contract artifacts up to date/);
  expect(r.status).toBe(0);
}, 120_000);
