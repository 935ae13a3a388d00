// The node operator's HTTP API on the dashboard address (default 127.0.0.1:14002, as Storj):
//   GET /api/node        id, version, started, uptime, addresses, reachability per satellite
//   GET /api/satellites  per satellite: audit and online score, vetted, suspended, disqualified,
//                        audit counts, bytes the satellite counts here (asked at most every 30 s)
//   GET /api/disk        used / trash / free / capacity bytes
//   GET /api/bandwidth   bytes in and out today, this month, per day (last 31 days)
//   GET /api/earnings    the verified payout statements this node keeps, per satellite
//   GET /api/payouts     pay on chain per satellite: per period amount, leaf under the root,
//                        transactions, claimed or pending; the wallet's pay vs its statements
//   GET /api/history     samples for the charts: space and scores over time (?since=ms)
//   GET /metrics         Prometheus (prom-client): transfers, bytes, errors by code, used space
// Anything else is the page (dist/web/node/, built by Vite).
// Before anything, every request's Host must be one the dashboard answers for (localhost,
// 127.0.0.1, [::1], the address the connection arrived on, `hosts`): others get 421
// DASHBOARD_HOST_REFUSED (DNS rebinding); a request carrying another site's Origin gets 403
// DASHBOARD_ORIGIN_REFUSED (common/http-guard.ts).
import { createServer, type Server, type ServerResponse } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { BandwidthLog } from './bandwidth.js';
import type { CheckInResult } from './contact.js';
import type { Earnings } from './earnings.js';
import type { PayoutViewer } from './payout-view.js';
import type { DashboardHistory } from './history.js';
import { allowedHosts, checkHostAndOrigin, requestUrl, serveStatic } from '../common/index.js';
import type { PieceStore } from './pieces/index.js';
import type { SatelliteStatsCache } from './satellite-stats.js';

export interface DashboardDeps {
  nodeId: string;
  version: string;
  startedAt: number;
  capacity: number;
  addresses: () => string[];
  satellites: () => { peerId: string; address: string }[];
  lastCheckIns: () => Map<string, CheckInResult>;
  store: PieceStore;
  bandwidth: BandwidthLog;
  earnings: Earnings;
  payouts: PayoutViewer;
  satelliteStats: SatelliteStatsCache;
  history: DashboardHistory;
  now: () => number;
  /** Host names the dashboard answers for; default: the loopback names (plus, always, the address a connection arrives on). */
  hosts?: ReadonlySet<string>;
}

export class NodeMetrics {
  readonly registry = new Registry();
  readonly transfers = new Counter({ name: 'stowage_node_transfers_total', help: 'Finished transfers by action', labelNames: ['action'], registers: [this.registry] });
  readonly bytes = new Counter({ name: 'stowage_node_bytes_total', help: 'Bytes received (ingress) and sent (egress)', labelNames: ['direction'], registers: [this.registry] });
  readonly errors = new Counter({ name: 'stowage_node_errors_total', help: 'Refused or failed requests by action and error code', labelNames: ['action', 'code'], registers: [this.registry] });
  /** Set from each answer of the satellites (the dashboard's satellite stats). */
  readonly scores = new Gauge({ name: 'stowage_node_score', help: 'This node\'s audit and online score on each satellite', labelNames: ['satellite', 'score'], registers: [this.registry] });

  constructor(store: PieceStore) {
    new Gauge({
      name: 'stowage_node_space_bytes',
      help: 'Bytes of pieces by state (used, trash) and free capacity',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.set({ state: 'used' }, store.usedSpace());
        this.set({ state: 'trash' }, store.trashSpace());
        this.set({ state: 'free' }, store.freeSpace());
      }
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function createDashboardServer(d: DashboardDeps, metrics: NodeMetrics): Server {
  const hosts = d.hosts ?? allowedHosts('');
  return createServer((req, res) => {
    void (async () => {
      const refused = checkHostAndOrigin(req, hosts, 'DASHBOARD');
      if (refused) {
        req.resume();
        return send(res, refused.status, { error: { code: refused.code, message: refused.message } });
      }
      const url = requestUrl(req);
      if (!url) return send(res, 400, { error: { code: 'DASHBOARD_BAD_REQUEST', message: 'the request target is not a path' } });
      const path = url.pathname.replace(/\/+$/, '') || '/';
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: { code: 'DASHBOARD_METHOD', message: 'the dashboard API is read-only (GET)' } });
      try {
        if (path === '/api/history') {
          const since = Number(url.searchParams.get('since') ?? 0);
          if (!Number.isSafeInteger(since) || since < 0) return send(res, 400, { error: { code: 'DASHBOARD_BAD_QUERY', message: 'since must be a time in ms since the epoch' } });
          return send(res, 200, await d.history.list(since));
        }
        if (path === '/api/node') {
          const checkIns = d.lastCheckIns();
          return send(res, 200, {
            id: d.nodeId,
            version: d.version,
            startedAt: d.startedAt,
            uptimeMs: d.now() - d.startedAt,
            addresses: d.addresses(),
            satellites: d.satellites().map((s) => {
              const last = checkIns.get(s.peerId);
              return {
                id: s.peerId,
                address: s.address,
                lastCheckIn: last?.at ?? null,
                reachable: last?.reachable ?? null,
                // In words, for the page: why the satellite could not reach this node.
                message: last ? (last.error ? `check-in failed: ${last.error.message}` : last.message) : 'not checked in yet'
              };
            })
          });
        }
        if (path === '/api/satellites') {
          const stats = await d.satelliteStats.all();
          const checkIns = d.lastCheckIns();
          return send(
            res,
            200,
            d.satellites().map((s) => ({
              id: s.peerId,
              reachable: checkIns.get(s.peerId)?.reachable ?? null,
              ...(stats.get(s.peerId)?.stats ?? {}),
              statsError: stats.get(s.peerId)?.error ?? null
            }))
          );
        }
        if (path === '/api/disk') {
          return send(res, 200, { capacity: d.capacity, used: d.store.usedSpace(), trash: d.store.trashSpace(), free: d.store.freeSpace() });
        }
        if (path === '/api/bandwidth') return send(res, 200, await d.bandwidth.summary(d.now()));
        if (path === '/api/earnings') return send(res, 200, await d.earnings.list());
        if (path === '/api/payouts') return send(res, 200, await d.payouts.view());
        if (path === '/metrics') {
          const text = await metrics.registry.metrics();
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
          return;
        }
        if (!path.startsWith('/api/') && (await serveStatic('node', url.pathname, res))) return;
        send(res, 404, { error: { code: 'DASHBOARD_NOT_FOUND', message: `no route GET ${path}` } });
      } catch {
        send(res, 500, { error: { code: 'DASHBOARD_INTERNAL_ERROR', message: 'the node failed to answer' } });
      }
    })().catch(() => {
      // Nothing a request does may end the process: whatever escaped above closes this one.
      if (!res.headersSent) send(res, 500, { error: { code: 'DASHBOARD_INTERNAL_ERROR', message: 'the node failed to answer' } });
      else res.destroy();
    });
  });
}
