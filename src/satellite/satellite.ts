// The satellite: a libp2p host with its identity and LevelDB, taking check-ins from nodes
// (contact), and pinging the nodes it knows on a schedule (uptime). Node selection, metadata,
// orders and the client API build on this (satellite issue, continued).
import '../shims/promise-with-resolvers.js';
import type { Libp2p, Stream, Connection } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { Level } from 'level';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { loadOrCreateIdentity } from '../common/index.js';
import { createHost, FramedStream, PROTOCOL_CONTACT, PROTOCOL_METAINFO, PROTOCOL_NODE_STATS, PROTOCOL_PAYOUT } from '../protocol/index.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminServer, parseHostPort, SatelliteMetrics } from './admin/index.js';
import { AuditService, type AuditRecord } from './audit/index.js';
import type { SatelliteConfig } from './config.js';
import { dialBack, handleCheckIn, type ContactContext } from './contact/index.js';
import { GarbageCollector } from './gc/index.js';
import { MetainfoService, handleMetainfo } from './metainfo/index.js';
import { handleNodeStats } from './nodestats/index.js';
import { OrderIssuer } from './orders/index.js';
import type { NodeRecord } from './overlay/index.js';
import { ApiKeys, Metadata, NodeRegistry } from './store/leveldb/index.js';
import { PayoutService, handlePayoutRequest } from './payouts/index.js';
import { RepairService, type CheckResult, type RepairResult } from './repair/index.js';
import { ReputationStore } from './reputation/index.js';

/** How often the satellite looks whether the payout period has run its length. */
const PAYOUT_CHECK_MS = 60 * 1000;

/** How often uncommitted uploads past their TTL are dropped (at most; half the TTL when shorter). */
const EXPIRY_SWEEP_MS = 60 * 60 * 1000;

export interface SatelliteOptions {
  now?: () => number;
  logger?: Logger;
}

export class Satellite {
  private timer: NodeJS.Timeout | undefined;
  private auditTimer: NodeJS.Timeout | undefined;
  private payoutTimer: NodeJS.Timeout | undefined;
  private repairTimers: NodeJS.Timeout[] = [];
  private expiry: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private admin: Server | undefined;
  readonly apiKeys: ApiKeys;
  readonly metrics: SatelliteMetrics;
  /** http://host:port of the admin API, once listening. */
  adminUrl: string | undefined;
  readonly metadata: Metadata;
  readonly reputation: ReputationStore;
  metainfo!: MetainfoService;
  audits!: AuditService;
  payouts!: PayoutService;
  repair!: RepairService;
  gc!: GarbageCollector;

  private constructor(
    readonly config: SatelliteConfig,
    readonly libp2p: Libp2p,
    readonly registry: NodeRegistry,
    private readonly db: Level<string, unknown>,
    readonly id: string,
    private readonly now: () => number,
    private readonly log: Logger
  ) {
    this.apiKeys = new ApiKeys(db, now);
    this.metadata = new Metadata(db, now, config.pendingTtlMs);
    this.reputation = new ReputationStore(db, registry, config.reputation);
    this.metrics = new SatelliteMetrics(registry, { scores: () => this.reputation.all(now()), usedByNode: () => this.gc.usedByNode() });
  }

  static async start(config: SatelliteConfig, options: SatelliteOptions = {}): Promise<Satellite> {
    const log = options.logger ?? pino({ level: config.logLevel, base: { component: 'satellite' } });
    const now = options.now ?? Date.now;
    const key = await loadOrCreateIdentity(config.dataDir);
    const id = peerIdFromPrivateKey(key).toString();
    const db = new Level<string, unknown>(join(config.dataDir, 'db'), { valueEncoding: 'json' });
    await db.open();
    const registry = new NodeRegistry(db, { windowMs: config.uptimeWindowMs, periodMs: config.uptimePeriodMs });
    const libp2p = await createHost({ privateKey: key, listen: config.listen, announce: config.announce });
    const satellite = new Satellite(config, libp2p, registry, db, id, now, log);
    const contact: ContactContext = {
      registry,
      now,
      checkInIntervalMs: config.checkInIntervalMs,
      dialBack: (nodeId, addresses) => dialBack(libp2p, nodeId, addresses, config.dialTimeoutMs),
      onCheckIn: (result) => satellite.metrics.checkIns.inc({ result })
    };
    await libp2p.handle(
      PROTOCOL_CONTACT,
      (stream: Stream, connection: Connection) => {
        const done = handleCheckIn(contact, new FramedStream(stream), connection.remotePeer.toString()).catch((err: unknown) =>
          log.error({ err }, 'check-in failed')
        );
        satellite.track(done);
      },
      { maxInboundStreams: 4 }
    );
    const issuer = new OrderIssuer({ key, satelliteId: id, now, orderTtlMs: config.orderTtlMs });
    satellite.audits = new AuditService({ libp2p, registry, metadata: satellite.metadata, issuer, reputation: satellite.reputation, db, now }, config.audit);
    satellite.repair = new RepairService(
      {
        db,
        libp2p,
        registry,
        metadata: satellite.metadata,
        issuer,
        now,
        log,
        onlineWithinMs: config.onlineWithinMs,
        distinctSubnets: config.distinctSubnets,
        newNodeShare: config.newNodeShare,
        distrusted: () => satellite.reputation.distrusted()
      },
      config.repair
    );
    satellite.gc = new GarbageCollector({ libp2p, registry, metadata: satellite.metadata, key, satelliteId: id, now, log, inFlight: () => satellite.repair.inFlightPieces() }, config.gc);
    satellite.payouts = new PayoutService({ db, registry, metadata: satellite.metadata, reputation: satellite.reputation, audits: satellite.audits, now }, config.payout);
    // The first period begins when the satellite first runs.
    await satellite.payouts.epoch();
    satellite.metainfo = new MetainfoService(
      { metadata: satellite.metadata, registry, issuer, apiKeys: satellite.apiKeys, libp2p, now, log, suspects: satellite.audits, distrusted: () => satellite.reputation.distrusted() },
      {
        profile: config.profile,
        maxInlineBytes: config.maxInlineBytes,
        maxPieceSize: config.maxPieceSize,
        distinctSubnets: config.distinctSubnets,
        newNodeShare: config.newNodeShare,
        onlineWithinMs: config.onlineWithinMs,
        downloadMargin: config.downloadMargin
      }
    );
    const statements = { ledger: satellite.payouts.ledger, registry, key, satelliteId: id, now };
    await libp2p.handle(
      PROTOCOL_PAYOUT,
      (stream: Stream, connection: Connection) => satellite.track(handlePayoutRequest(statements, new FramedStream(stream), connection.remotePeer.toString())),
      { maxInboundStreams: 8 }
    );
    const nodeStats = { reputation: satellite.reputation, gc: satellite.gc, payouts: satellite.payouts, now };
    await libp2p.handle(
      PROTOCOL_NODE_STATS,
      (stream: Stream, connection: Connection) => satellite.track(handleNodeStats(nodeStats, new FramedStream(stream), connection.remotePeer.toString())),
      { maxInboundStreams: 8 }
    );
    await libp2p.handle(
      PROTOCOL_METAINFO,
      (stream: Stream) => satellite.track(handleMetainfo(satellite.metainfo, new FramedStream(stream), log, (code) => satellite.metrics.errors.inc({ protocol: 'metainfo', code }))),
      { maxInboundStreams: 64 }
    );
    // Uploads never committed are dropped once they are older than pendingTtlMs.
    satellite.expiry = setInterval(() => satellite.track(satellite.metadata.expirePending().then(() => undefined)), Math.min(EXPIRY_SWEEP_MS, Math.max(1000, config.pendingTtlMs / 2)));
    satellite.expiry.unref();
    if (config.uptimeCheckIntervalMs > 0) {
      satellite.timer = setInterval(() => satellite.track(satellite.checkUptime().then(() => undefined)), config.uptimeCheckIntervalMs);
      satellite.timer.unref();
    }
    if (config.auditIntervalMs > 0) {
      satellite.auditTimer = setInterval(() => satellite.track(satellite.runAudits().then(() => undefined)), config.auditIntervalMs);
      satellite.auditTimer.unref();
    }
    if (config.repair.checkIntervalMs > 0) {
      satellite.repairTimers.push(setInterval(() => satellite.track(satellite.checkRepair().then(() => undefined)), config.repair.checkIntervalMs));
    }
    if (config.repair.repairIntervalMs > 0) {
      satellite.repairTimers.push(setInterval(() => satellite.track(satellite.runRepair().then(() => undefined)), config.repair.repairIntervalMs));
    }
    if (config.gc.intervalMs > 0) {
      satellite.repairTimers.push(setInterval(() => satellite.track(satellite.gc.run().then(() => undefined)), config.gc.intervalMs));
    }
    for (const t of satellite.repairTimers) t.unref();
    if (config.payout.periodMs > 0) {
      satellite.payoutTimer = setInterval(
        () => satellite.track(satellite.payouts.closeIfDue().then((p) => void (p && log.info(p, 'payout period closed')))),
        Math.min(PAYOUT_CHECK_MS, config.payout.periodMs)
      );
      satellite.payoutTimer.unref();
    }
    if (config.admin) {
      const { host, port } = parseHostPort(config.admin);
      const server = createAdminServer(
        { registry, metadata: satellite.metadata, apiKeys: satellite.apiKeys, audits: satellite.audits, reputation: satellite.reputation, payouts: satellite.payouts, repair: satellite.repair, gc: satellite.gc, now, info: () => ({ id, multiaddrs: satellite.multiaddrs() }), runAudits: () => satellite.runAudits(), checkRepair: () => satellite.checkRepair(), runRepair: () => satellite.runRepair() },
        satellite.metrics
      );
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      satellite.admin = server;
      const addr = server.address() as AddressInfo;
      satellite.adminUrl = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
    }
    log.info({ satelliteId: id, addresses: satellite.multiaddrs(), admin: satellite.adminUrl }, 'satellite started');
    return satellite;
  }

  multiaddrs(): string[] {
    return this.libp2p.getMultiaddrs().map((m) => m.toString());
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Pings every known node that has not exited, at its announced addresses, and records it. */
  private uptimeRound: Promise<{ checked: number; reached: number }> | undefined;

  /** Pings every known node (8 at a time); a call while a round runs joins that round. */
  async checkUptime(): Promise<{ checked: number; reached: number }> {
    this.uptimeRound ??= this.uptimeNow().finally(() => (this.uptimeRound = undefined));
    return this.uptimeRound;
  }

  private async uptimeNow(): Promise<{ checked: number; reached: number }> {
    let checked = 0;
    let reached = 0;
    const nodes: NodeRecord[] = [];
    for await (const rec of this.registry.list()) if (rec.flags.exited === null) nodes.push(rec);
    // In parallel: a round of one-at-a-time dials to stalled nodes outlasted the interval, and
    // nodes looked offline for want of a check (found by the chaos run).
    const worker = async (): Promise<void> => {
      for (let rec = nodes.shift(); rec && !this.stopped; rec = nodes.shift()) {
        const result = await dialBack(this.libp2p, rec.id, rec.addresses, this.config.dialTimeoutMs);
        await this.registry.recordCheck(rec.id, result.reachable, this.now());
        checked++;
        if (result.reachable) reached++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await this.registry.pruneWindows(this.now());
    this.log.info({ checked, reached }, 'uptime checks done');
    return { checked, reached };
  }

  /** One audit round now (the schedule calls this too); outcomes are counted in the metrics. */
  async runAudits(): Promise<AuditRecord[]> {
    const records = await this.audits.runRound();
    for (const r of records) this.metrics.audits.inc({ outcome: r.outcome });
    const counts: Record<string, number> = {};
    for (const r of records) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    this.log.info(counts, 'audit round done');
    return records;
  }

  /** One walk of the repair checker now (the schedule calls this too). */
  async checkRepair(): Promise<CheckResult> {
    const r = await this.repair.check();
    this.metrics.lostSegments.set(r.lost);
    this.metrics.repairQueue.set(await this.repair.queueLength());
    if (r.queued + r.lost > 0) this.log.info({ segments: r.segments, queued: r.queued, lost: r.lost }, 'repair check done');
    return r;
  }

  private repairRun: Promise<RepairResult[]> | undefined;

  /** Repairs what is queued now (the schedule calls this too); a call during a run joins it. */
  async runRepair(): Promise<RepairResult[]> {
    // Counted and logged once per run, not once per caller.
    this.repairRun ??= (async () => {
      const results = await this.repair.run();
      for (const r of results) {
        this.metrics.repairs.inc({ outcome: r.outcome });
        if (r.outcome === 'repaired') this.metrics.repairedBytes.inc(r.bytes);
      }
      this.metrics.repairQueue.set(await this.repair.queueLength());
      if (results.length) this.log.info({ repaired: results.filter((r) => r.outcome === 'repaired').length, failed: results.filter((r) => r.outcome === 'failed').length }, 'repair run done');
      return results;
    })().finally(() => (this.repairRun = undefined));
    return this.repairRun;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.auditTimer);
    clearInterval(this.payoutTimer);
    for (const t of this.repairTimers) clearInterval(t);
    clearInterval(this.expiry);
    await new Promise<void>((resolve) => (this.admin ? this.admin.close(() => resolve()) : resolve()));
    await Promise.allSettled([...this.metainfo.pendingDeletes]);
    await this.libp2p.stop();
    await Promise.allSettled([...this.inFlight]);
    await this.repair.close();
    await this.db.close();
    this.log.info('satellite stopped');
  }
}
