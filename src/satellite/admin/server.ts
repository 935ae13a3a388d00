// The satellite operator's HTTP server, bound to localhost by default: the JSON API (routes.ts),
// Prometheus metrics at GET /metrics, and, for any other GET outside /api/, the operator's page
// (dist/web/satellite/, built by Vite). Request bodies are JSON objects of at most 64 KiB; errors
// are answered as { error: { code, message } }.
//
// Every request, in this order, before anything is read or done:
// 1. Host must be one the server answers for (checkHostAndOrigin: loopback names, the address the
//    connection arrived on, the listen host, `hosts`), else 421 ADMIN_HOST_REFUSED (DNS rebinding);
//    an Origin header must be the server's own origin, else 403 ADMIN_ORIGIN_REFUSED.
// 2. Anything under /api/ (and /metrics with `metricsAuth`) must carry `Authorization: Bearer
//    <admin token>`, else 401 ADMIN_UNAUTHORIZED (compared in constant time, token.ts).
// 3. A POST that has a body or names a Content-Type must be application/json, else 415
//    ADMIN_UNSUPPORTED_MEDIA_TYPE (no text/plain or form posts, which a page may send anywhere).
// The page itself and, by default, /metrics (Prometheus sends no token unless told to) are
// served without the token; both still pass step 1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { checkHostAndOrigin, requestUrl, serveStatic, StowageError } from '../../common/index.js';
import type { SatelliteMetrics } from './metrics.js';
import { adminRoutes, matchRoute, type AdminDeps } from './routes.js';
import { bearerMatches } from './token.js';

export interface AdminServerOptions {
  /** The bearer token every /api/ request must carry (DATA_DIR/admin.token). */
  token: string;
  /** Host names the server answers for (allowedHosts: loopback, the listen host, the configured ones). */
  hosts: ReadonlySet<string>;
  /** GET /metrics needs the token too (default: open, Host-checked only). */
  metricsAuth?: boolean;
}

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

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

/** A POST may carry only JSON: true when it has no body and names no type, or names application/json. */
function jsonOrEmpty(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (type === undefined) return !hasBody;
  return type.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

const STATUS: Record<string, number> = {
  ADMIN_UNAUTHORIZED: 401,
  ADMIN_UNSUPPORTED_MEDIA_TYPE: 415,
  NODE_NOT_FOUND: 404,
  PERIOD_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  ADMIN_NOT_FOUND: 404,
  ADMIN_BAD_JSON: 400,
  ADMIN_BAD_QUERY: 400,
  ADMIN_BODY_TOO_LARGE: 413,
  SATELLITE_STOPPED: 503,
  CHAIN_NOT_CONFIGURED: 409,
  CHAIN_UNREACHABLE: 503,
  CHAIN_REVERTED: 502,
  CHAIN_INSUFFICIENT_FUNDS: 502,
  CHAIN_TX_FAILED: 502
};

export function createAdminServer(deps: AdminDeps, metrics: SatelliteMetrics, options: AdminServerOptions): Server {
  const routes = adminRoutes(deps);
  const authorize = (req: IncomingMessage): void => {
    if (!bearerMatches(req.headers.authorization, options.token)) {
      throw new StowageError('ADMIN_UNAUTHORIZED', 'the admin API needs the token of DATA_DIR/admin.token as "Authorization: Bearer <token>"');
    }
  };
  return createServer((req, res) => {
    void (async () => {
      const refused = checkHostAndOrigin(req, options.hosts, 'ADMIN');
      if (refused) {
        req.resume();
        return send(res, refused.status, { error: { code: refused.code, message: refused.message } }, { connection: 'close' });
      }
      const url = requestUrl(req);
      if (!url) {
        req.resume();
        return send(res, 400, { error: { code: 'ADMIN_BAD_REQUEST', message: 'the request target is not a path' } }, { connection: 'close' });
      }
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const method = req.method ?? 'GET';
      try {
        if (method === 'GET' && path === '/metrics') {
          if (options.metricsAuth) authorize(req);
          const text = await metrics.registry.metrics();
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
          return;
        }
        const found = matchRoute(routes, method, path);
        if (found || path === '/api' || path.startsWith('/api/')) authorize(req);
        if (method === 'POST' && !jsonOrEmpty(req)) {
          throw new StowageError('ADMIN_UNSUPPORTED_MEDIA_TYPE', `a POST carries JSON only (Content-Type: application/json), not ${req.headers['content-type'] ?? 'an untyped body'}`);
        }
        if (found) {
          const answer = await found.route.handle({ params: found.params, query: url.searchParams, body: () => readJson(req) });
          send(res, answer.status, answer.body);
          return;
        }
        if (method === 'GET' && !path.startsWith('/api/') && (await serveStatic('satellite', url.pathname, res))) return;
        throw new StowageError('ADMIN_NOT_FOUND', `no route ${method} ${path}`);
      } catch (err) {
        if (err instanceof StowageError) {
          const status = STATUS[err.code] ?? 400;
          if (status === 401 || status === 415) req.resume();
          send(res, status, { error: { code: err.code, message: err.message } }, status === 401 ? { 'www-authenticate': 'Bearer realm="stowage-admin"' } : {});
        } else send(res, 500, { error: { code: 'ADMIN_INTERNAL_ERROR', message: 'the satellite failed to answer' } });
      }
    })().catch(() => {
      // Nothing a request does may end the process: whatever escaped above closes this one.
      if (!res.headersSent) send(res, 500, { error: { code: 'ADMIN_INTERNAL_ERROR', message: 'the satellite failed to answer' } });
      else res.destroy();
    });
  });
}
