// The satellite operator's HTTP API (JSON) and Prometheus metrics, bound to localhost by default:
//   GET /api/info, GET /api/nodes, GET /api/nodes/:id, GET /api/buckets, GET /api/keys, POST /api/keys {name},
//   POST /api/keys/:id/revoke, POST /api/audits/run, GET /api/audits?node=, GET /api/reputation,
//   POST /api/payouts/close {period?}, GET /api/payouts[?period=], GET /api/ledger/verify,
//   POST /api/repair/check, POST /api/repair/run, GET /api/segments/health, POST /api/gc/run,
//   GET /api/gc/used, POST /api/pending/expire, GET /api/totals, GET /metrics. Any other GET outside /api/ is the operator's page
//   (dist/web/satellite/, built by Vite).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import { serveStatic, StowageError } from '../../common/index.js';
import type { ApiKeyDB } from '../apikeys/index.js';
import type { AuditRecord, AuditService } from '../audit/index.js';
import type { GarbageCollector } from '../gc/index.js';
import type { PayoutService } from '../payouts/index.js';
import type { CheckResult, RepairResult, RepairService } from '../repair/index.js';
import type { NodeReputation, ReputationStore } from '../reputation/index.js';
import { formatTokens, parseTokens } from '../payouts/index.js';
import type { MetadataDB } from '../metainfo/index.js';
import type { NodeRecord, NodeDB } from '../overlay/index.js';

export interface AdminDeps {
  registry: NodeDB;
  metadata: MetadataDB;
  apiKeys: ApiKeyDB;
  audits: AuditService;
  reputation: ReputationStore;
  payouts: PayoutService;
  repair: RepairService;
  gc: GarbageCollector;
  now: () => number;
  /** The satellite's peer id and addresses, for GET /api/info. */
  info?: () => { id: string; multiaddrs: string[] };
  checkRepair?: () => Promise<CheckResult>;
  runRepair?: () => Promise<RepairResult[]>;
  /** One audit round now, as the schedule runs it. */
  runAudits?: () => Promise<AuditRecord[]>;
}

export class SatelliteMetrics {
  readonly registry = new Registry();
  readonly checkIns = new Counter({ name: 'stowage_satellite_check_ins_total', help: 'Node check-ins by result', labelNames: ['result'], registers: [this.registry] });
  readonly nodes: Gauge;
  readonly repairQueue = new Gauge({ name: 'stowage_satellite_repair_queue', help: 'Segments waiting for repair', registers: [this.registry] });
  readonly lostSegments = new Gauge({ name: 'stowage_satellite_lost_segments', help: 'Segments with fewer healthy pieces than k, at the last check', registers: [this.registry] });
  readonly repairs = new Counter({ name: 'stowage_satellite_repairs_total', help: 'Repair attempts by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly repairedBytes = new Counter({ name: 'stowage_satellite_repaired_bytes_total', help: 'Bytes of pieces rebuilt and stored by repair', registers: [this.registry] });
  readonly audits = new Counter({ name: 'stowage_satellite_audits_total', help: 'Audits by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly errors = new Counter({ name: 'stowage_satellite_errors_total', help: 'Requests answered with an error, by protocol and code', labelNames: ['protocol', 'code'], registers: [this.registry] });

  constructor(nodeRegistry: NodeDB, sources?: { scores: () => Promise<NodeReputation[]>; usedByNode: () => Promise<Map<string, number>> }) {
    if (sources) {
      // Both walk the registry or the segments at each scrape: fine at devnet and small-network sizes.
      new Gauge({
        name: 'stowage_satellite_node_score',
        help: 'Each node\'s audit and online score',
        labelNames: ['node', 'score'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const r of await sources.scores()) {
            this.set({ node: r.nodeId, score: 'audit' }, r.auditScore);
            this.set({ node: r.nodeId, score: 'online' }, r.onlineScore);
          }
        }
      });
      new Gauge({
        name: 'stowage_satellite_used_bytes',
        help: 'Bytes of pieces the satellite counts on each node',
        labelNames: ['node'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const [node, bytes] of await sources.usedByNode()) this.set({ node }, bytes);
        }
      });
    }
    this.nodes = new Gauge({
      name: 'stowage_satellite_nodes',
      help: 'Storage nodes in the registry by state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const counts = { known: 0, reachable: 0, disqualified: 0, suspended: 0, exited: 0 };
        for await (const rec of nodeRegistry.list()) {
          counts.known++;
          if (rec.reachable) counts.reachable++;
          if (rec.flags.disqualified !== null) counts.disqualified++;
          if (rec.flags.suspended !== null) counts.suspended++;
          if (rec.flags.exited !== null) counts.exited++;
        }
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      }
    });
  }
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

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The operator page's headline numbers. */
async function totals(deps: AdminDeps) {
  const nodes = { known: 0, reachable: 0, vetted: 0, suspended: 0, disqualified: 0, exited: 0 };
  for await (const rec of deps.registry.list()) {
    nodes.known++;
    if (rec.reachable) nodes.reachable++;
    if (rec.vetted) nodes.vetted++;
    if (rec.flags.suspended !== null) nodes.suspended++;
    if (rec.flags.disqualified !== null) nodes.disqualified++;
    if (rec.flags.exited !== null) nodes.exited++;
  }
  const health = deps.repair.lastCheck ?? (await deps.repair.check());
  let storedBytes = 0;
  for (const bytes of (await deps.gc.usedByNode()).values()) storedBytes += bytes;
  const paid = Object.values(await deps.payouts.ledger.balances()).reduce((sum, t) => sum + parseTokens(t), 0n);
  return {
    nodes,
    segments: health.segments,
    lostSegments: health.lost,
    repairQueue: await deps.repair.queueLength(),
    storedBytes,
    buckets: (await deps.metadata.allBuckets()).length,
    periodsClosed: (await deps.payouts.ledger.listPeriods()).length,
    openPeriod: await deps.payouts.current(),
    tokensCredited: formatTokens(paid)
  };
}

const STATUS: Record<string, number> = { NODE_NOT_FOUND: 404, PERIOD_NOT_FOUND: 404, API_KEY_NOT_FOUND: 404, ADMIN_NOT_FOUND: 404, ADMIN_BAD_JSON: 400, ADMIN_BAD_QUERY: 400, ADMIN_BODY_TOO_LARGE: 413 };

export function createAdminServer(deps: AdminDeps, metrics: SatelliteMetrics): Server {
  const withScore = async (rec: NodeRecord) => ({ ...rec, onlineScore: await deps.registry.onlineScore(rec.id, deps.now()) });
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
        if (method === 'GET' && path === '/api/info') {
          send(res, 200, deps.info?.() ?? {});
          return;
        }
        if (method === 'GET' && path === '/api/totals') {
          send(res, 200, await totals(deps));
          return;
        }
        if (method === 'GET' && path === '/api/nodes') {
          const out = [];
          for await (const rec of deps.registry.list()) out.push(await withScore(rec));
          send(res, 200, out);
          return;
        }
        const nodeMatch = /^\/api\/nodes\/([^/]+)$/.exec(path);
        if (method === 'GET' && nodeMatch) {
          const rec = await deps.registry.get(decodeURIComponent(nodeMatch[1]!));
          if (!rec) throw new StowageError('NODE_NOT_FOUND', `no node ${nodeMatch[1]} in the registry`);
          send(res, 200, await withScore(rec));
          return;
        }
        if (method === 'GET' && path === '/api/buckets') {
          send(res, 200, await deps.metadata.allBuckets());
          return;
        }
        if (method === 'GET' && path === '/api/keys') {
          const out = [];
          for await (const rec of deps.apiKeys.list()) out.push(rec);
          send(res, 200, out);
          return;
        }
        if (method === 'POST' && path === '/api/keys') {
          const body = await readJson(req);
          send(res, 201, await deps.apiKeys.create(typeof body.name === 'string' ? body.name : ''));
          return;
        }
        const revoke = /^\/api\/keys\/([^/]+)\/revoke$/.exec(path);
        if (method === 'POST' && revoke) {
          send(res, 200, await deps.apiKeys.revoke(decodeURIComponent(revoke[1]!)));
          return;
        }
        if (method === 'POST' && path === '/api/audits/run') {
          send(res, 200, await (deps.runAudits ?? (() => deps.audits.runRound()))());
          return;
        }
        if (method === 'GET' && path === '/api/audits') {
          const limit = Number(url.searchParams.get('limit') ?? 1000);
          if (!Number.isSafeInteger(limit) || limit < 1) throw new StowageError('ADMIN_BAD_QUERY', 'limit must be a positive integer');
          send(res, 200, await deps.audits.list(url.searchParams.get('node') ?? undefined, limit));
          return;
        }
        if (method === 'GET' && path === '/api/reputation') {
          send(res, 200, await deps.reputation.all(deps.now()));
          return;
        }
        if (method === 'POST' && path === '/api/payouts/close') {
          const body = await readJson(req);
          const period = body.period === undefined ? undefined : Number(body.period);
          if (period !== undefined && !Number.isSafeInteger(period)) throw new StowageError('ADMIN_BAD_JSON', 'period must be an integer');
          const { record, created } = await deps.payouts.close(period);
          send(res, created ? 201 : 200, { ...record, created });
          return;
        }
        if (method === 'GET' && path === '/api/payouts') {
          const p = url.searchParams.get('period');
          if (p === null) {
            send(res, 200, { current: await deps.payouts.current(), periods: await deps.payouts.ledger.listPeriods(), balances: await deps.payouts.ledger.balances() });
            return;
          }
          const record = await deps.payouts.ledger.period(Number(p));
          if (!record) throw new StowageError('PERIOD_NOT_FOUND', `period ${p} is not closed (or does not exist)`);
          send(res, 200, { ...record, ledger: await deps.payouts.ledger.list({ period: record.period }) });
          return;
        }
        if (method === 'GET' && path === '/api/ledger/verify') {
          send(res, 200, await deps.payouts.ledger.verify());
          return;
        }
        if (method === 'POST' && path === '/api/repair/check') {
          send(res, 200, await (deps.checkRepair ?? (() => deps.repair.check()))());
          return;
        }
        if (method === 'POST' && path === '/api/repair/run') {
          send(res, 200, await (deps.runRepair ?? (() => deps.repair.run()))());
          return;
        }
        if (method === 'POST' && path === '/api/pending/expire') {
          send(res, 200, { expired: await deps.metadata.expirePending() });
          return;
        }
        if (method === 'POST' && path === '/api/gc/run') {
          send(res, 200, await deps.gc.run());
          return;
        }
        if (method === 'GET' && path === '/api/gc/used') {
          send(res, 200, Object.fromEntries(await deps.gc.usedByNode()));
          return;
        }
        if (method === 'GET' && path === '/api/segments/health') {
          const last = deps.repair.lastCheck ?? (await deps.repair.check());
          send(res, 200, { ...last, queue: await deps.repair.queued(), lostSegments: await deps.repair.lost() });
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

export { parseHostPort } from '../../common/index.js';
