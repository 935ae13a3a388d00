// The satellite operator's HTTP API (JSON), route by route:
//   GET /api/info, GET /api/nodes, GET /api/nodes/:id, GET /api/buckets, GET /api/keys, POST /api/keys {name},
//   POST /api/keys/:id/revoke, GET /api/keys/:id/usage, POST /api/keys/:id/limits {limit: n, ...},
//   POST /api/audits/run, GET /api/audits?node=, GET /api/reputation,
//   POST /api/payouts/close {period?}, GET /api/payouts[?period=], GET /api/payouts/chain, POST /api/payouts/publish, GET /api/ledger/verify,
//   POST /api/repair/check, POST /api/repair/run, GET /api/segments/health[?node=ID][?without=ID,...], POST /api/gc/run,
//   GET /api/gc/used, POST /api/pending/expire, GET /api/totals.
// The server (server.ts) adds GET /metrics and the operator's page.
import { StowageError } from '../../common/index.js';
import type { ApiKeyDB } from '../apikeys/index.js';
import type { AuditRecord, AuditService } from '../audit/index.js';
import type { GarbageCollector } from '../gc/index.js';
import { checkProjectLimits, effectiveLimits, type MetadataDB, type ProjectLimits } from '../metainfo/index.js';
import type { NodeDB, NodeRecord } from '../overlay/index.js';
import { formatTokens, parseTokens, type PayoutService, type Publication, type PublicationDB } from '../payouts/index.js';
import type { CheckResult, RepairResult, RepairService } from '../repair/index.js';
import type { ReputationStore } from '../reputation/index.js';

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
  /** Every project's limits unless its key has its own (GET /api/keys/:id/usage shows both). */
  projectLimits?: ProjectLimits;
  /** The satellite's peer id and addresses, for GET /api/info. */
  info?: () => { id: string; multiaddrs: string[] };
  checkRepair?: () => Promise<CheckResult>;
  runRepair?: () => Promise<RepairResult[]>;
  /** One audit round now, as the schedule runs it. */
  runAudits?: () => Promise<AuditRecord[]>;
  /** Payouts on chain: the publications and the backlog, and a run now; absent in ledger-only mode. */
  chain?: { publications: PublicationDB; backlog: () => Promise<number[]>; publish: () => Promise<Publication[]> };
}

/** What a handler is given: the pattern's groups (still URI-encoded), the query, and the JSON body when it reads one. */
export interface RouteRequest {
  params: string[];
  query: URLSearchParams;
  body: () => Promise<Record<string, unknown>>;
}

/** A handler's answer, sent as JSON. */
export interface RouteAnswer {
  status: number;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST';
  /** The path exactly (without a trailing slash), or a pattern whose groups become the params. */
  path: string | RegExp;
  handle: (req: RouteRequest) => Promise<RouteAnswer>;
}

const ok = (body: unknown, status = 200): RouteAnswer => ({ status, body });

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
  // Through the chore when there is one: right after a start it waits for the first uptime round.
  const health = deps.repair.lastCheck ?? (await (deps.checkRepair ?? (() => deps.repair.check()))());
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

/** Every route of the API. */
export function adminRoutes(deps: AdminDeps): Route[] {
  const withScore = async (rec: NodeRecord) => ({ ...rec, onlineScore: await deps.registry.onlineScore(rec.id, deps.now()) });
  return [
    { method: 'GET', path: '/api/info', handle: async () => ok(deps.info?.() ?? {}) },
    { method: 'GET', path: '/api/totals', handle: async () => ok(await totals(deps)) },
    {
      method: 'GET',
      path: '/api/nodes',
      handle: async () => {
        const out = [];
        for await (const rec of deps.registry.list()) out.push(await withScore(rec));
        return ok(out);
      }
    },
    {
      method: 'GET',
      path: /^\/api\/nodes\/([^/]+)$/,
      handle: async ({ params: [id] }) => {
        const rec = await deps.registry.get(decodeURIComponent(id!));
        if (!rec) throw new StowageError('NODE_NOT_FOUND', `no node ${id} in the registry`);
        return ok(await withScore(rec));
      }
    },
    { method: 'GET', path: '/api/buckets', handle: async () => ok(await deps.metadata.allBuckets()) },
    {
      method: 'GET',
      path: '/api/keys',
      handle: async () => {
        const out = [];
        for await (const rec of deps.apiKeys.list()) out.push(rec);
        return ok(out);
      }
    },
    {
      method: 'POST',
      path: '/api/keys',
      handle: async (req) => {
        const body = await req.body();
        return ok(await deps.apiKeys.create(typeof body.name === 'string' ? body.name : ''), 201);
      }
    },
    { method: 'POST', path: /^\/api\/keys\/([^/]+)\/revoke$/, handle: async ({ params: [id] }) => ok(await deps.apiKeys.revoke(decodeURIComponent(id!))) },
    {
      method: 'GET',
      path: /^\/api\/keys\/([^/]+)\/usage$/,
      handle: async ({ params: [id] }) => {
        const key = await deps.apiKeys.get(decodeURIComponent(id!));
        const limits = deps.projectLimits ? effectiveLimits(deps.projectLimits, key.limits) : null;
        return ok({ id: key.id, name: key.name, usage: await deps.metadata.usage(key.id), limits, own: key.limits ?? {} });
      }
    },
    {
      method: 'POST',
      path: /^\/api\/keys\/([^/]+)\/limits$/,
      handle: async ({ params: [id], body }) => {
        let limits: Partial<ProjectLimits>;
        try {
          limits = checkProjectLimits(await body(), 'limits');
        } catch (err) {
          throw new StowageError('ADMIN_BAD_JSON', (err as Error).message);
        }
        const key = await deps.apiKeys.setLimits(decodeURIComponent(id!), limits);
        return ok({ id: key.id, own: key.limits ?? {}, limits: deps.projectLimits ? effectiveLimits(deps.projectLimits, key.limits) : null });
      }
    },
    { method: 'POST', path: '/api/audits/run', handle: async () => ok(await (deps.runAudits ?? (() => deps.audits.runRound()))()) },
    {
      method: 'GET',
      path: '/api/audits',
      handle: async ({ query }) => {
        const limit = Number(query.get('limit') ?? 1000);
        if (!Number.isSafeInteger(limit) || limit < 1) throw new StowageError('ADMIN_BAD_QUERY', 'limit must be a positive integer');
        return ok(await deps.audits.list(query.get('node') ?? undefined, limit));
      }
    },
    { method: 'GET', path: '/api/reputation', handle: async () => ok(await deps.reputation.all(deps.now())) },
    {
      method: 'POST',
      path: '/api/payouts/close',
      handle: async (req) => {
        const body = await req.body();
        const period = body.period === undefined ? undefined : Number(body.period);
        if (period !== undefined && !Number.isSafeInteger(period)) throw new StowageError('ADMIN_BAD_JSON', 'period must be an integer');
        const { record, created } = await deps.payouts.close(period);
        // As the payout chore does after a close: publish it on chain now, not at the next retry.
        if (created && deps.chain) void deps.chain.publish().catch(() => undefined);
        return ok({ ...record, created }, created ? 201 : 200);
      }
    },
    {
      method: 'GET',
      path: '/api/payouts',
      handle: async ({ query }) => {
        const p = query.get('period');
        if (p === null) return ok({ current: await deps.payouts.current(), periods: await deps.payouts.ledger.listPeriods(), balances: await deps.payouts.ledger.balances() });
        const record = await deps.payouts.ledger.period(Number(p));
        if (!record) throw new StowageError('PERIOD_NOT_FOUND', `period ${p} is not closed (or does not exist)`);
        return ok({ ...record, ledger: await deps.payouts.ledger.list({ period: record.period }) });
      }
    },
    {
      method: 'GET',
      path: '/api/payouts/chain',
      handle: async () => {
        if (deps.chain === undefined) return ok({ mode: 'ledger-only', backlog: [], publications: [] });
        const publications: Publication[] = [];
        for (const { period } of await deps.payouts.ledger.listPeriods()) {
          const p = await deps.chain.publications.publication(period);
          if (p) publications.push(p);
        }
        return ok({ mode: 'chain', backlog: await deps.chain.backlog(), publications });
      }
    },
    {
      method: 'POST',
      path: '/api/payouts/publish',
      handle: async () => {
        if (deps.chain === undefined) throw new StowageError('CHAIN_NOT_CONFIGURED', 'payouts are ledger-only on this satellite (no --chain-rpc)');
        return ok(await deps.chain.publish());
      }
    },
    { method: 'GET', path: '/api/ledger/verify', handle: async () => ok(await deps.payouts.ledger.verify()) },
    { method: 'POST', path: '/api/repair/check', handle: async () => ok(await (deps.checkRepair ?? (() => deps.repair.check()))()) },
    { method: 'POST', path: '/api/repair/run', handle: async () => ok(await (deps.runRepair ?? (() => deps.repair.run()))()) },
    { method: 'POST', path: '/api/pending/expire', handle: async () => ok({ expired: await deps.metadata.expirePending() }) },
    { method: 'POST', path: '/api/gc/run', handle: async () => ok(await deps.gc.run()) },
    { method: 'GET', path: '/api/gc/used', handle: async () => ok(Object.fromEntries(await deps.gc.usedByNode())) },
    {
      method: 'GET',
      path: '/api/segments/health',
      handle: async ({ query }) => {
        const without = query.get('without');
        if (without !== null) return ok(await withoutNodes(deps.metadata, without));
        const last = deps.repair.lastCheck ?? (await (deps.checkRepair ?? (() => deps.repair.check()))());
        const queue = await deps.repair.queued();
        // ?node=ID: how many queued segments still have a piece on that node (an operator's "is it
        // safe to take another node down?": 0 once repair has worked around it).
        const node = query.get('node');
        if (node === null) return ok({ ...last, queue, lostSegments: await deps.repair.lost() });
        let queuedOnNode = 0;
        for (const q of queue) {
          const seg = await deps.metadata.segmentByKey(q.segmentKey);
          if (seg?.pieces.some((p) => p.nodeId === node)) queuedOnNode++;
        }
        return ok({ ...last, queue, lostSegments: await deps.repair.lost(), node, queuedOnNode });
      }
    }
  ];
}

/** Most node ids one `?without=` names (ids are about 52 characters). */
const MAX_WITHOUT_NODES = 1000;

/**
 * ?without=ID,ID,...: what every committed segment would keep if those nodes were gone, counted
 * from the segments' records (distinct piece numbers on the other nodes): the fewest any segment
 * keeps and how many would keep fewer than their k. An operator's "may these nodes go down at
 * once?" (the chaos run asks it before every kill); it reads every segment, so it is for
 * occasional questions, not for polling a large satellite.
 */
async function withoutNodes(metadata: MetadataDB, list: string): Promise<{ without: number; segments: number; fewestLeft: number | null; belowMinimum: number }> {
  const gone = new Set(list.split(',').filter((id) => id !== ''));
  if (gone.size > MAX_WITHOUT_NODES) throw new StowageError('ADMIN_BAD_QUERY', `at most ${MAX_WITHOUT_NODES} nodes in ?without=`);
  let segments = 0;
  let fewestLeft: number | null = null;
  let belowMinimum = 0;
  for await (const { segment } of metadata.remoteSegments()) {
    segments++;
    const left = new Set(segment.pieces.filter((p) => !gone.has(p.nodeId)).map((p) => p.number)).size;
    if (fewestLeft === null || left < fewestLeft) fewestLeft = left;
    if (left < segment.profile.minimum) belowMinimum++;
  }
  return { without: gone.size, segments, fewestLeft, belowMinimum };
}

/** The route for a request and the groups its pattern captured; undefined when none matches. */
export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    if (typeof route.path === 'string') {
      if (route.path === path) return { route, params: [] };
      continue;
    }
    const m = route.path.exec(path);
    if (m) return { route, params: m.slice(1) };
  }
  return undefined;
}
