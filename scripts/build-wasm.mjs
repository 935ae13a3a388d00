// Compiles the WebAssembly kernel(s) in wasm/ from source with the npm-installed AssemblyScript
// compiler. Output goes to build/wasm/, which src/erasure/kernel.ts loads at run time.
import asc from 'assemblyscript/asc';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build', 'wasm');
mkdirSync(outDir, { recursive: true });

// The same source twice: plain SIMD128 (runs everywhere, Node 20 included) and relaxed SIMD
// (Node 22+ runs it with no flag; src/erasure/kernel.ts picks it when the runtime validates it).
const kernels = [
  { source: 'wasm/gf256.ts', output: 'gf256.wasm', features: ['simd'] },
  { source: 'wasm/gf256.ts', output: 'gf256-relaxed.wasm', features: ['simd', 'relaxed-simd'] }
];

for (const { source, output, features } of kernels) {
  const { error, stderr } = await asc.main(
    [
      join(root, source),
      '--outFile', join(outDir, output),
      '--textFile', join(outDir, output.replace(/\.wasm$/, '.wat')),
      '--optimizeLevel', '3',
      '--shrinkLevel', '0',
      '--runtime', 'stub',
      '--noAssert',
      ...features.flatMap((f) => ['--enable', f]),
      '--initialMemory', '1'
    ],
    {}
  );
  if (error) {
    process.stderr.write(stderr.toString());
    console.error(`build-wasm: ${source} failed: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: ${source} -> build/wasm/${output}`);
}
