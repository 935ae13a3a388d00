// Runs `npm run build` when an output (the WASM kernels, dist/, the pages) is missing or older than any
// source it comes from. `npm test` calls it first, so a fresh clone tests what it builds.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

function oldest(paths) {
  return Math.min(...paths.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
}

const sources = Math.max(
  ...['src', 'wasm', 'web', 'contracts', 'scripts/build-contracts.mjs', 'scripts/build-wasm.mjs', 'scripts/build-web.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) => newest(join(root, p)))
);
const outputs = oldest([
  join(root, 'build/wasm/gf256.wasm'),
  join(root, 'build/wasm/gf256-relaxed.wasm'),
  join(root, 'dist/erasure/index.js'),
  join(root, 'dist/web/node/index.html'),
  join(root, 'dist/web/satellite/index.html')
]);

if (outputs < sources) {
  console.log('build outputs are missing or stale: npm run build');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
