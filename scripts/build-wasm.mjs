// Compiles the WebAssembly kernel(s) in wasm/ from source with the npm-installed AssemblyScript
// compiler. Output goes to build/wasm/, which src/erasure/kernel.ts loads at run time.
import asc from 'assemblyscript/asc';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build', 'wasm');
mkdirSync(outDir, { recursive: true });

const kernels = [{ source: 'wasm/gf256.ts', output: 'gf256.wasm' }];

for (const { source, output } of kernels) {
  const { error, stderr } = await asc.main(
    [
      join(root, source),
      '--outFile', join(outDir, output),
      '--textFile', join(outDir, output.replace(/\.wasm$/, '.wat')),
      '--optimizeLevel', '3',
      '--shrinkLevel', '0',
      '--runtime', 'stub',
      '--noAssert',
      '--enable', 'simd',
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
