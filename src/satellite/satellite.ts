// The satellite's composition root: it opens the stores, builds each part's service with a child
// logger, registers the protocol endpoints, and starts and stops the chores in order. Every
// behaviour lives in the parts (one folder each, see the README's layout section); this file only
// wires them.
import '../shims/promise-with-resolvers.js';
import type { Connection, Libp2p, PrivateKey, Stream } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { chmod, mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { allowedHosts, loadOrCreateIdentity } from '../common/index.js';
import { RateLimiter } from '../common/rate-limit.js';
import { createHost, type FramedStream, PROTOCOL_CONTACT, PROTOCOL_METAINFO, PROTOCOL_NODE_STATS, PROTOCOL_ORDERS, PROTOCOL_PAYOUT } from '../protocol/index.js';
import { createAdminServer, loadOrCreateAdminToken, parseHostPort, SatelliteMetrics } from './admin/index.js';
import type { ApiKeyDB } from './apikeys/index.js';
import { AuditService, auditRound, type AuditRecord } from './audit/index.js';
import { Chore } from './chore.js';
import { EndpointGuard, type GuardedStream } from './endpoint-guard.js';
import type { SatelliteConfig } from './config.js';
import { checkUptime, dialBack, DialBackSlots, dialPolicy, handleCheckIn, restrictDials, type ContactContext, type UptimeResult } from './contact/index.js';
import { GarbageCollector } from './gc/index.js';
import { MetainfoService, expirySweepInterval, handleMetainfo, requestCost, type MetadataDB } from './metainfo/index.js';
import { handleNodeStats, NodeStatsCache } from './nodestats/index.js';
import { OrderIssuer, SETTLEMENT_SKEW_MS, handleSettlement, type SettlementDB, type SettlementEndpointDeps } from './orders/index.js';
import { CachedNodeDB, pruneInterval, pruneRegistry, type PruneResult } from './overlay/index.js';
import { PayoutPublisher, PayoutService, closeDuePeriod, handlePayoutRequest, payoutCheckInterval, type Publication, type PublicationDB, type StatementDeps } from './payouts/index.js';
import { PayoutChain, readPrivateKeyFile } from '../chain/index.js';
import { RepairService, repairCheckRound, repairRunRound, type CheckResult, type RepairGauges, type RepairResult } from './repair/index.js';
import { ReputationStore } from './reputation/index.js';
import { openSatelliteDB, redactUrl, SCHEMA_VERSION, type SatelliteDB } from './store/index.js';
import { LeaseKeeper } from './leases.js';

/**
 * The longest the repair chores wait at start for the first uptime round (and never longer than
 * `onlineWithinMs`): after a restart every node's last contact is as old as the downtime, and a
 * checker walking before the nodes are pinged again queued nearly every segment at once (53 of 56
 * in a chaos run). A round that hangs must not hold repair off for long.
 */
const FIRST_UPTIME_WAIT_MS = 60_000;
/** Settled serials are pruned at most this often. */
const HOUR_MS = 3_600_000;
/**
 * Chores that must run in one process together (several satellite processes, issue 24): uptime
 * checks, audits, the repair checker and repairer, and GC share what each keeps in memory (the
 * repairer's pieces in flight, which GC must not delete; reputation read and written back; repair
 * waits for the process's first uptime round); payouts and their publisher likewise. The other
 * chores have a lease each.
 */
export const DURABILITY_LEASE = 'durability';
export const PAYOUTS_LEASE = 'payouts';

export interface SatelliteOptions {
  now?: () => number;
  logger?: Logger;
}

/** A protocol the satellite answers: one handler per inbound stream. */
interface Endpoint {
  protocol: string;
  maxInboundStreams: number;
  /** `remoteAddr`: the connection's remote multiaddr (rate limits key on its IP). */
  handle: (framed: FramedStream, remotePeer: string, remoteAddr: string) => Promise<void>;
}

export class Satellite {
  /** The node store behind a cache of the nodes selection may pick (overlay/cache.ts). */
  readonly registry: CachedNodeDB;
  readonly metadata: MetadataDB;
  readonly apiKeys: ApiKeyDB;
  readonly reputation: ReputationStore;
  readonly metrics: SatelliteMetrics;
  readonly metainfo: MetainfoService;
  readonly audits: AuditService;
  readonly repair: RepairService;
  readonly gc: GarbageCollector;
  readonly payouts: PayoutService;
  /** Settled bandwidth orders and the egress they credit (issue 21). */
  readonly settlements: SettlementDB;
  /** Publishes closed periods on chain and pushes the claims; undefined in ledger-only mode. */
  readonly publisher: PayoutPublisher | undefined;
  /** Each period's publication on chain, as kept. */
  readonly publications: PublicationDB;
  /** http://host:port of the admin API, once listening. */
  adminUrl: string | undefined;
  /** The admin API's bearer token (DATA_DIR/admin.token, made at the first start). */
  adminToken = '';

  private readonly chores: {
    uptime: Chore<UptimeResult>;
    audit: Chore<AuditRecord[]>;
    repairCheck: Chore<CheckResult>;
    repairRun: Chore<RepairResult[]>;
    gc: Chore<unknown>;
    payouts: Chore<unknown>;
    publish: Chore<Publication[] | undefined>;
    expiry: Chore<unknown>;
    prune: Chore<PruneResult>;
    settledSerials: Chore<number>;
  };
  private readonly endpoints: Endpoint[];
  /** Streams, buffered bytes and deadlines of the endpoints (endpoint-guard.ts, ENDPOINT_LIMITS). */
  readonly guard = new EndpointGuard();
  /** Protocol handlers in flight: stop() waits for them. */
  private readonly inFlight = new Set<Promise<void>>();
  private admin: Server | undefined;
  private stopped = false;
  /** Settles when the first uptime round since start has ended or was waited for long enough (firstUptimeRound). */
  private uptimeSettled: Promise<void> = Promise.resolve();
  private uptimeReady = true;
  /** The contact part's logger (uptime rounds). */
  private readonly contactLog: Logger;
  /** The chores' leases, when the store is shared by several satellite processes (PostgreSQL). */
  readonly leases: LeaseKeeper | undefined;

  private constructor(
    readonly config: SatelliteConfig,
    readonly libp2p: Libp2p,
    private readonly store: SatelliteDB,
    key: PrivateKey,
    readonly id: string,
    private readonly now: () => number,
    private readonly log: Logger
  ) {
    const child = (chore: string): Logger => log.child({ chore });
    this.leases = store.leases ? new LeaseKeeper(store.leases, config.leaseTtlMs, child('leases')) : undefined;
    const lease = this.leases;
    // One logger per part, made once.
    const contactLog = child('contact');
    this.contactLog = contactLog;
    const metainfoLog = child('metainfo');
    const auditLog = child('audit');
    const repairLog = child('repair');
    const gcLog = child('gc');
    const payoutsLog = child('payouts');
    this.registry = new CachedNodeDB(store.nodes, { staleMs: config.selectionCacheMs });
    this.metadata = store.metadata;
    this.apiKeys = store.apiKeys;
    this.settlements = store.settlements;
    const registry = this.registry;
    const metadata = this.metadata;
    this.reputation = new ReputationStore(store.reputation, registry, config.reputation);
    this.metrics = new SatelliteMetrics(registry, { scores: () => this.reputation.all(now()), usedByNode: () => this.gc.usedByNode(), repairing: () => this.repair.segmentsInFlight() });
    const issuer = new OrderIssuer({ key, satelliteId: id, now, orderTtlMs: config.orderTtlMs });
    const distrusted = (): Promise<Set<string>> => this.reputation.distrusted();
    this.audits = new AuditService({ libp2p, registry, metadata, issuer, reputation: this.reputation, store: store.audits, now }, config.audit);
    this.repair = new RepairService(
      {
        queue: store.repairQueue,
        libp2p,
        registry,
        metadata,
        issuer,
        now,
        log: repairLog,
        onlineWithinMs: config.onlineWithinMs,
        distinctSubnets: config.distinctSubnets,
        newNodeShare: config.newNodeShare,
        // Pieces on nodes with recent audit failures are not healthy (they stay sources until
        // disqualified). Not containment: a node can stay contained at will (stall each fresh
        // challenge, answer the last re-ask) and NODE_BUSY contains honest loaded nodes.
        distrusted,
        // A piece the repairer finds corrupt is a failed audit of its node.
        pieceFailures: this.audits
      },
      config.repair
    );
    this.gc = new GarbageCollector({ libp2p, registry, metadata, key, satelliteId: id, now, log: gcLog, inFlight: () => this.repair.inFlightPieces() }, config.gc);
    this.payouts = new PayoutService({ ledger: store.ledger, state: store.payoutState, registry, metadata, reputation: this.reputation, audits: this.audits, settlements: store.settlements, now }, config.payout);
    this.publications = store.publications;
    const chainConfig = config.chain;
    let connected: Promise<PayoutChain> | undefined;
    this.publisher =
      chainConfig === null
        ? undefined
        : new PayoutPublisher(
            {
              ledger: store.ledger,
              registry,
              publications: store.publications,
              log: payoutsLog,
              // Connected on first use and again after a failure: the chain may be down at start.
              chain: () =>
                (connected ??= PayoutChain.connect({
                  rpcUrl: chainConfig.rpcUrl,
                  token: chainConfig.token as `0x${string}`,
                  distributor: chainConfig.distributor as `0x${string}`,
                  privateKey: readPrivateKeyFile(chainConfig.payerKeyFile).privateKey,
                  // A send not mined within bumpAfterMs is sent again dearer, same nonce: say so.
                  confirmations: chainConfig.confirmations,
                  onTransaction: (t) =>
                    t.reorged === true
                      ? payoutsLog.warn({ what: t.what, tx: t.hash, nonce: t.nonce }, 'transaction taken out of the chain by a reorganisation: waiting for it again')
                      : t.attempt === 0
                      ? payoutsLog.debug({ what: t.what, tx: t.hash, nonce: t.nonce }, 'transaction sent')
                      : payoutsLog.warn({ what: t.what, tx: t.hash, nonce: t.nonce, attempt: t.attempt, fees: Object.fromEntries(Object.entries(t.fees).map(([k, v]) => [k, String(v)])) }, 'transaction not mined: sent again with a higher fee')
                }).catch((err: unknown) => {
                  connected = undefined;
                  throw err;
                }))
            },
            { claimBatchSize: chainConfig.claimBatchSize, push: chainConfig.push, minimumPayout: config.payout.minimumPayout }
          );
    this.metainfo = new MetainfoService(
      { metadata, registry, issuer, apiKeys: this.apiKeys, libp2p, now, log: metainfoLog, suspects: this.audits, distrusted, candidates: () => this.registry.candidates() },
      {
        profile: config.profile,
        maxInlineBytes: config.maxInlineBytes,
        maxPieceSize: config.maxPieceSize,
        distinctSubnets: config.distinctSubnets,
        newNodeShare: config.newNodeShare,
        onlineWithinMs: config.onlineWithinMs,
        downloadMargin: config.downloadMargin,
        projectLimits: config.projectLimits
      }
    );

    // Every dial of a node through this host follows the policy (allowPrivateAddresses).
    const policy = dialPolicy(config.allowPrivateAddresses, [...config.listen, ...config.announce]);
    restrictDials(libp2p, policy);
    contactLog.info({ dialsPrivateAddresses: policy.allowPrivate }, policy.setting);
    // Check-ins' dial-backs in flight (capped), which uptime rounds join rather than ping twice.
    const dialBackSlots = new DialBackSlots(config.maxConcurrentDialBacks);
    const contact: ContactContext = {
      registry,
      now,
      checkInIntervalMs: config.checkInIntervalMs,
      dialBack: (nodeId, addresses) =>
        dialBack(libp2p, nodeId, addresses, { timeoutMs: config.dialTimeoutMs, onFailure: (address, why, err) => contactLog.debug({ node: nodeId, address, why, err: (err as Error | undefined)?.message }, 'dial-back failed') }),
      minIdentityDifficulty: config.minIdentityDifficulty,
      limiter: new RateLimiter({ perSecond: config.checkInsPerSecond, burst: config.checkInBurst }),
      dialBackSlots,
      onCheckIn: (result) => this.metrics.checkIns.inc({ result })
    };
    // A node's backfill asks up to 101 periods at once; then 2 a second per node, and 20 per
    // address (nodes behind one NAT, a devnet on loopback, share it).
    const statementLimiter = new RateLimiter({ perSecond: 2, burst: 200 });
    const statementAddressLimiter = new RateLimiter({ perSecond: 20, burst: 1000 });
    const statements: StatementDeps = {
      ledger: this.payouts.ledger,
      registry,
      key,
      satelliteId: id,
      now,
      chain: config.chain === null ? undefined : { publications: store.publications, token: config.chain.token, distributor: config.chain.distributor },
      charge: (nodeId, remote) => {
        statementLimiter.check(`node:${nodeId}`);
        if (remote !== '') statementAddressLimiter.checkRemote(remote);
      }
    };
    const nodeStats = { cache: new NodeStatsCache({ reputation: this.reputation, gc: this.gc, payouts: this.payouts, now }, config.nodeStatsCacheMs) };
    // A burst holds a node's whole settlement round (20 requests of 500 orders).
    const settlementLimiter = new RateLimiter({ perSecond: config.settlementsPerSecond, burst: Math.max(20, config.settlementsPerSecond * 20) });
    const settlement: SettlementEndpointDeps = {
      satelliteId: id,
      store: store.settlements,
      now,
      settlementWindowMs: config.settlementWindowMs,
      skewMs: SETTLEMENT_SKEW_MS,
      registry,
      // Per node id and per address: ids are cheap, addresses less so.
      charge: (nodeId, remote) => {
        settlementLimiter.check(`node:${nodeId}`);
        settlementLimiter.checkRemote(remote);
      },
      onSettled: (_nodeId, counts) => {
        for (const [status, n] of Object.entries(counts)) if (n > 0) this.metrics.settledOrders.inc({ status }, n);
      }
    };
    const metainfoLimiter = new RateLimiter({ perSecond: config.metainfoRequestsPerSecond, burst: config.metainfoBurst });
    this.endpoints = [
      {
        protocol: PROTOCOL_CONTACT,
        maxInboundStreams: 4,
        handle: (framed, peer, remote) => handleCheckIn(contact, framed, peer, remote).catch((err: unknown) => contactLog.error({ err }, 'check-in failed'))
      },
      { protocol: PROTOCOL_PAYOUT, maxInboundStreams: 8, handle: (framed, peer, remote) => handlePayoutRequest(statements, framed, peer, remote.toString()) },
      { protocol: PROTOCOL_NODE_STATS, maxInboundStreams: 8, handle: (framed, peer) => handleNodeStats(nodeStats, framed, peer) },
      { protocol: PROTOCOL_ORDERS, maxInboundStreams: 4, handle: (framed, peer, remote) => handleSettlement(settlement, framed, peer, remote.toString()) },
      {
        protocol: PROTOCOL_METAINFO,
        maxInboundStreams: 64,
        handle: (framed, _peer, remote) =>
          handleMetainfo(
            this.metainfo,
            framed,
            metainfoLog,
            (code) => this.metrics.errors.inc({ protocol: 'metainfo', code }),
            (req) => metainfoLimiter.checkRemote(remote, requestCost(req)),
            (tokens) => metainfoLimiter.debitRemote(remote, tokens)
          )
      }
    ];

    const gauges: RepairGauges = {
      lost: (n) => this.metrics.lostSegments.set(n),
      queue: (n) => this.metrics.repairQueue.set(n),
      repaired: (r) => {
        this.metrics.repairs.inc({ outcome: r.outcome });
        if (r.outcome === 'repaired') this.metrics.repairedBytes.inc(r.bytes);
      }
    };
    this.chores = {
      uptime: new Chore({
        lease,
        name: 'uptime',
        // With repair: the repair chores wait for this process's first uptime round (review 25 M3).
        leaseName: DURABILITY_LEASE,
        intervalMs: config.uptimeCheckIntervalMs,
        log: contactLog,
        round: (signal) => checkUptime({ libp2p, registry, now, log: contactLog, dialTimeoutMs: config.dialTimeoutMs, concurrency: config.uptimeConcurrency, inFlight: dialBackSlots.byNode }, signal)
      }),
      audit: new Chore({
        lease,
        name: 'audit',
        leaseName: DURABILITY_LEASE,
        intervalMs: config.auditIntervalMs,
        log: auditLog,
        round: () => auditRound(this.audits, auditLog, (outcome) => this.metrics.audits.inc({ outcome }))
      }),
      // Neither queues nor repairs anything, scheduled or asked (admin API), before the first
      // uptime round: until then every node looks as old as the satellite's downtime.
      repairCheck: new Chore({
        lease,
        name: 'repair checker',
        leaseName: DURABILITY_LEASE,
        intervalMs: config.repair.checkIntervalMs,
        log: repairLog,
        round: async (signal) => {
          await this.afterFirstUptime(signal);
          return repairCheckRound(this.repair, repairLog, gauges);
        }
      }),
      repairRun: new Chore({
        lease,
        name: 'repairer',
        leaseName: DURABILITY_LEASE,
        intervalMs: config.repair.repairIntervalMs,
        log: repairLog,
        round: async (signal) => {
          await this.afterFirstUptime(signal);
          return repairRunRound(this.repair, repairLog, gauges);
        }
      }),
      gc: new Chore({ lease, leaseName: DURABILITY_LEASE, name: 'gc', intervalMs: config.gc.intervalMs, log: gcLog, round: () => this.gc.run() }),
      payouts: new Chore({
        lease,
        name: 'payouts',
        leaseName: PAYOUTS_LEASE,
        intervalMs: payoutCheckInterval(config.payout.periodMs),
        log: payoutsLog,
        round: async () => {
          const closed = await closeDuePeriod(this.payouts, payoutsLog);
          if (closed && this.publisher) void this.publishPayouts().catch(() => undefined);
          return closed;
        }
      }),
      // Closed periods go on chain; a failure is tried again after retryMs, doubled per failure
      // up to 16x (the backlog shows on the admin API and in metrics meanwhile).
      publish: new Chore({ lease, leaseName: PAYOUTS_LEASE, name: 'payout publisher', intervalMs: config.chain?.retryMs ?? 0, log: payoutsLog, round: () => this.publishRound() }),
      // Uploads never committed are dropped once they are older than pendingTtlMs.
      expiry: new Chore({ lease, name: 'pending expiry', intervalMs: expirySweepInterval(config.pendingTtlMs), log: metainfoLog, round: () => metadata.expirePending() }),
      // Nodes long unreached, holding nothing, are forgotten; not before the first uptime round
      // (after a long downtime every node looks unreached until it is pinged again).
      prune: new Chore({
        lease,
        name: 'registry prune',
        intervalMs: pruneInterval(config.pruneUnreachedAfterMs),
        log: contactLog,
        round: async (signal) => {
          await this.afterFirstUptime(signal);
          return pruneRegistry({ registry, holdingPieces: () => this.gc.nodesHoldingPieces(), keep: distrusted, now, log: contactLog, afterMs: config.pruneUnreachedAfterMs }, signal);
        }
      }),
      // Settled serials are kept while an order of theirs could still be settled (the window).
      settledSerials: new Chore({ lease, name: 'settled serials', intervalMs: Math.min(HOUR_MS, config.settlementWindowMs), log: metainfoLog, round: () => store.settlements.pruneSerials(now()) })
    };
  }

  static async start(config: SatelliteConfig, options: SatelliteOptions = {}): Promise<Satellite> {
    const log = options.logger ?? pino({ level: config.logLevel, base: { component: 'satellite' } });
    const now = options.now ?? Date.now;
    // A payer key file others can read, or that holds no key, stops the start before anything opens.
    const payer = config.chain === null ? undefined : readPrivateKeyFile(config.chain.payerKeyFile);
    // The data directory holds the identity key, the admin token and the database: the
    // operator's alone (0700; files with keys or tokens in it are 0600).
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    await chmod(config.dataDir, 0o700);
    const key = await loadOrCreateIdentity(config.dataDir);
    const adminToken = await loadOrCreateAdminToken(config.dataDir);
    const id = peerIdFromPrivateKey(key).toString();
    const store = await openSatelliteDB(config, {
      now,
      pendingTtlMs: config.pendingTtlMs,
      uptime: { windowMs: config.uptimeWindowMs, periodMs: config.uptimePeriodMs }
    });
    if (config.database !== '') log.info({ database: redactUrl(config.database), schema: SCHEMA_VERSION }, 'stores on PostgreSQL');
    const libp2p = await createHost({ privateKey: key, listen: config.listen, announce: config.announce, keepStalledConnections: true });
    const satellite = new Satellite(config, libp2p, store, key, id, now, log);
    satellite.adminToken = adminToken;
    await satellite.startParts();
    log.info({ satelliteId: id, addresses: satellite.multiaddrs(), admin: satellite.adminUrl }, 'satellite started');
    if (config.chain === null) log.warn('payouts: ledger only (no chain configured: --chain-rpc, --token, --distributor, --payer-key-file); nodes get signed statements, no tokens');
    else log.info({ rpc: config.chain.rpcUrl, token: config.chain.token, distributor: config.chain.distributor, payer: payer?.address }, 'payouts on chain');
    return satellite;
  }

  /**
   * Endpoints first (nodes check in as soon as they can), then a first uptime round in the
   * background (the repair chores wait for it; nothing else does), then the chores, then the
   * admin API.
   */
  private async startParts(): Promise<void> {
    // The first payout period begins when the satellite first runs.
    await this.payouts.epoch();
    for (const e of this.endpoints) {
      await this.libp2p.handle(
        e.protocol,
        (stream: Stream, connection: Connection) => {
          const peer = connection.remotePeer.toString();
          let guarded: GuardedStream;
          try {
            guarded = this.guard.admit(stream, peer, connection.remoteAddr);
          } catch (err) {
            this.metrics.errors.inc({ protocol: e.protocol, code: (err as { code: string }).code });
            stream.abort(err as Error);
            return;
          }
          this.track(e.handle(guarded.framed, peer, connection.remoteAddr.toString()).finally(() => guarded.done()));
        },
        { maxInboundStreams: e.maxInboundStreams }
      );
    }
    this.leases?.start();
    this.uptimeSettled = this.firstUptimeRound();
    for (const chore of Object.values(this.chores)) chore.start();
    if (this.config.admin) await this.listenAdmin(this.config.admin);
  }

  /**
   * With uptime checks scheduled, one round now, not after the first interval; settles when it
   * ends (or fails), or after min(onlineWithinMs, 60 s), whichever comes first: the nodes it
   * reaches are recorded one by one, so a round held up by dead nodes has already refreshed the
   * live ones. With the schedule off (tests, or an operator who checks by hand) nothing is waited for.
   */
  private firstUptimeRound(): Promise<void> {
    if (!(this.config.uptimeCheckIntervalMs > 0)) return Promise.resolve();
    this.uptimeReady = false;
    const log = this.contactLog;
    const waitMs = Math.max(0, Math.min(this.config.onlineWithinMs, FIRST_UPTIME_WAIT_MS));
    const began = Date.now();
    let timer: NodeJS.Timeout | undefined;
    // Under its lease: with several satellite processes, one of them checks.
    const round = this.chores.uptime.runScheduled().then(
      (r) => log.info({ ...r, ms: Date.now() - began }, 'first uptime round done: repair may queue segments now'),
      (err: unknown) => log.warn({ err }, 'first uptime round failed: repair starts anyway')
    );
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log.warn({ waitMs }, 'first uptime round still running: repair starts anyway');
        resolve();
      }, waitMs);
      timer.unref();
    });
    return Promise.race([round, waited]).finally(() => {
      clearTimeout(timer);
      this.uptimeReady = true;
    });
  }

  /** Resolves once the first uptime round has settled; rejects if `signal` aborts first (the satellite stops). */
  private async afterFirstUptime(signal: AbortSignal): Promise<void> {
    if (this.uptimeReady) return;
    signal.throwIfAborted();
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.uptimeSettled, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  }

  private async listenAdmin(address: string): Promise<void> {
    const { host, port } = parseHostPort(address);
    const server = createAdminServer(
      {
        registry: this.registry,
        metadata: this.metadata,
        apiKeys: this.apiKeys,
        projectLimits: this.config.projectLimits,
        audits: this.audits,
        reputation: this.reputation,
        payouts: this.payouts,
        repair: this.repair,
        gc: this.gc,
        now: this.now,
        info: () => ({ id: this.id, multiaddrs: this.multiaddrs() }),
        runAudits: () => this.runAudits(),
        chain: this.publisher && { publications: this.store.publications, backlog: () => this.publisher!.backlog(), publish: () => this.publishPayouts() },
        checkRepair: () => this.checkRepair(),
        runRepair: () => this.runRepair()
      },
      this.metrics,
      { token: this.adminToken, hosts: allowedHosts(host, this.config.adminHosts), metricsAuth: this.config.adminMetricsAuth }
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.admin = server;
    const addr = server.address() as AddressInfo;
    this.adminUrl = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  }

  multiaddrs(): string[] {
    return this.libp2p.getMultiaddrs().map((m) => m.toString());
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.catch((err: unknown) => this.log.error({ err }, 'protocol handler failed')).finally(() => this.inFlight.delete(p));
  }

  /** Pings every known node (8 at a time); a call while a round runs joins that round. */
  async checkUptime(): Promise<UptimeResult> {
    return this.chores.uptime.runNow();
  }

  /** One round of registry pruning now (the schedule calls this too; pruneUnreachedAfterMs). */
  async pruneRegistry(): Promise<PruneResult> {
    return this.chores.prune.runNow();
  }

  /** One audit round now (the schedule calls this too); outcomes are counted in the metrics. */
  /** Publishes every closed period not yet on chain and pushes its claims now (ledger-only: nothing). */
  async publishPayouts(): Promise<Publication[]> {
    this.publishFailures = 0;
    return (await this.chores.publish.runNow()) ?? [];
  }

  private publishFailures = 0;
  private publishNotBefore = 0;

  private async publishRound(): Promise<Publication[] | undefined> {
    if (this.publisher === undefined) return undefined;
    if (this.publishFailures > 0 && this.now() < this.publishNotBefore) return undefined;
    try {
      const done = await this.publisher.publishPending();
      this.publishFailures = 0;
      return done;
    } catch (err) {
      this.publishFailures++;
      const delay = (this.config.chain?.retryMs ?? 0) * Math.min(16, 2 ** (this.publishFailures - 1));
      this.publishNotBefore = this.now() + delay;
      this.log.warn({ err, failures: this.publishFailures, retryInMs: delay, backlog: await this.publisher.backlog() }, 'payout publication failed: kept, tried again later');
      throw err;
    }
  }

  async runAudits(): Promise<AuditRecord[]> {
    return this.chores.audit.runNow();
  }

  /** One walk of the repair checker now (the schedule calls this too). */
  async checkRepair(): Promise<CheckResult> {
    return this.chores.repairCheck.runNow();
  }

  /** Repairs what is queued now (the schedule calls this too); a call during a run joins it. */
  async runRepair(): Promise<RepairResult[]> {
    return this.chores.repairRun.runNow();
  }

  /**
   * Stops in order: the chores' schedules (their rounds are told to stop), the admin API, the
   * deletes clients are waiting on, the endpoints and the host, then waits for the rounds and
   * handlers still running, and closes the stores last.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const chores = Object.values(this.chores).map((c) => c.stop());
    await new Promise<void>((resolve) => (this.admin ? this.admin.close(() => resolve()) : resolve()));
    await Promise.allSettled([...this.metainfo.pendingDeletes]);
    for (const e of this.endpoints) await this.libp2p.unhandle(e.protocol).catch(() => undefined);
    await this.libp2p.stop();
    await Promise.allSettled([...this.inFlight, ...chores]);
    // Given up once the rounds ended: another process may take the chores at once.
    await this.leases?.stop();
    await this.repair.close();
    await this.store.close();
    this.log.info('satellite stopped');
  }
}
