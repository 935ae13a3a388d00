// The relaxed-SIMD build of the kernel runs by default on Node 22+. On Node 20 it needs V8's flag,
// so a child process with the flag checks it here against the reference engine.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { erasureEngineInfo } from '../../src/erasure/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const runRelaxed = process.versions.node.split('.').map(Number)[0]! >= 22 ? [] : ['--experimental-wasm-relaxed-simd'];

function runChild(script: string, kernel: string): string {
  return execFileSync(process.execPath, [...runRelaxed, '--import', tsx, '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, STOWAGE_ERASURE_KERNEL: kernel },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  });
}

const script = `
import { randomBytes } from 'node:crypto';
import { createCodec, erasureEngineInfo } from './src/erasure/index.ts';
let checked = 0;
for (const [k, m, len] of [[1, 1, 33], [4, 2, 100001], [10, 4, 4099], [17, 3, 65536], [29, 51, 2000], [128, 128, 50], [255, 1, 77]]) {
  const simd = createCodec({ dataShards: k, parityShards: m, engine: 'simd' });
  const ref = createCodec({ dataShards: k, parityShards: m, engine: 'reference' });
  const data = Array.from({ length: k }, () => new Uint8Array(randomBytes(len)));
  const a = simd.encode(data), b = ref.encode(data);
  if (!Buffer.concat(a).equals(Buffer.concat(b))) throw new Error('parity differs at ' + k + '+' + m);
  const all = [...data, ...a];
  const given = all.map((s, i) => (i % 2 === 0 && i / 2 < m ? null : s));
  const rebuilt = simd.reconstruct(given);
  if (!Buffer.concat(rebuilt).equals(Buffer.concat(all))) throw new Error('reconstruct differs at ' + k + '+' + m);
  checked++;
}
console.log(JSON.stringify({ kernel: erasureEngineInfo().kernel, checked }));
`;

describe('kernel builds', () => {
  it('reports the engine and kernel in use', () => {
    const info = erasureEngineInfo();
    expect(info.defaultEngine).toBe('simd');
    expect(info.simd).toBe(true);
    expect(['simd128', 'relaxed']).toContain(info.kernel);
  });

  it('the relaxed-SIMD kernel gives the reference parity and reconstructs', () => {
    expect(JSON.parse(runChild(script, 'relaxed'))).toEqual({ kernel: 'relaxed', checked: 7 });
  });

  it('the plain SIMD128 kernel does too when forced', () => {
    expect(JSON.parse(runChild(script, 'simd128'))).toEqual({ kernel: 'simd128', checked: 7 });
  });

  it('an unknown kernel name is a clear error', () => {
    expect(() => runChild(script, 'avx512')).toThrow(/STOWAGE_ERASURE_KERNEL must be simd128 or relaxed/);
  });
});
