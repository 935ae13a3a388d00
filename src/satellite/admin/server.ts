// The satellite operator's HTTP server, bound to localhost by default: the JSON API (routes.ts),
// Prometheus metrics at GET /metrics, and, for any other GET outside /api/, the operator's page
// (dist/web/satellite/, built by Vite). Request bodies are JSON objects of at most 64 KiB; errors
// are answered as { error: { code, message } }.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { serveStatic, StowageError } from '../../common/index.js';
import type { SatelliteMetrics } from './metrics.js';
import { adminRoutes, matchRoute, type AdminDeps } from './routes.js';

const MAX_BODY = 64 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new StowageError('ADMIN_BODY_TOO_LARGE', `request body over ${MAX_BODY} bytes`);
    parts.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const value: unknown = JSON.parse(Buffer.concat(parts).toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new StowageError('ADMIN_BAD_JSON', `request body is not a JSON object: ${(err as Error).message}`);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const STATUS: Record<string, number> = { NODE_NOT_FOUND: 404, PERIOD_NOT_FOUND: 404, API_KEY_NOT_FOUND: 404, ADMIN_NOT_FOUND: 404, ADMIN_BAD_JSON: 400, ADMIN_BAD_QUERY: 400, ADMIN_BODY_TOO_LARGE: 413, SATELLITE_STOPPED: 503 };

export function createAdminServer(deps: AdminDeps, metrics: SatelliteMetrics): Server {
  const routes = adminRoutes(deps);
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://admin');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const method = req.method ?? 'GET';
      try {
        if (method === 'GET' && path === '/metrics') {
          const text = await metrics.registry.metrics();
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
          return;
        }
        const found = matchRoute(routes, method, path);
        if (found) {
          const answer = await found.route.handle({ params: found.params, query: url.searchParams, body: () => readJson(req) });
          send(res, answer.status, answer.body);
          return;
        }
        if (method === 'GET' && !path.startsWith('/api/') && (await serveStatic('satellite', url.pathname, res))) return;
        throw new StowageError('ADMIN_NOT_FOUND', `no route ${method} ${path}`);
      } catch (err) {
        if (err instanceof StowageError) send(res, STATUS[err.code] ?? 400, { error: { code: err.code, message: err.message } });
        else send(res, 500, { error: { code: 'ADMIN_INTERNAL_ERROR', message: 'the satellite failed to answer' } });
      }
    })();
  });
}
