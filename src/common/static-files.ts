// The dashboards' pages: static files built by Vite (`npm run build:web`) into dist/web/<page>/,
// served by the node's dashboard server and the satellite's admin server. Hashed assets are
// cached for good; index.html never, so a new build shows at the next load.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/web, found from this file whether it runs from src/ (tests) or dist/. */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2'
};

/**
 * Serves `urlPath` from dist/web/<page>/ ('/' is index.html). Returns false when no such file
 * exists (the caller answers 404); a path that climbs out of the folder is never served.
 */
export async function serveStatic(page: string, urlPath: string, res: ServerResponse, root = WEB_ROOT): Promise<boolean> {
  const dir = join(root, page);
  const rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath).replace(/^\/+/, '');
  const file = normalize(join(dir, rel));
  if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return false;
  const type = TYPES[extname(file)];
  if (!type) return false;
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) {
    if (rel === 'index.html') {
      const text = `The ${page} page is not built: run npm run build (it writes dist/web/${page}/). The JSON API under /api/ works without it.\n`;
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return true;
    }
    return false;
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': st.size,
    'cache-control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
  });
  await new Promise<void>((resolve) => {
    createReadStream(file).on('error', () => { res.destroy(); resolve(); }).pipe(res).on('finish', resolve).on('close', resolve);
  });
  return true;
}
