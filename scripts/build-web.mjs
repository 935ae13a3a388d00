// Builds the dashboards' pages with Vite: web/node -> dist/web/node, web/satellite ->
// dist/web/satellite. Everything the pages need is bundled (no CDN: they work offline); asset
// paths are relative, so a page works under any path prefix.
import { build } from 'vite';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

for (const page of ['node', 'satellite']) {
  await build({
    root: join(root, 'web', page),
    base: './',
    logLevel: 'warn',
    configFile: false,
    publicDir: false,
    build: { outDir: join(root, 'dist', 'web', page), emptyOutDir: true, target: 'es2022', reportCompressedSize: false }
  });
  console.log(`dist/web/${page} built`);
}
