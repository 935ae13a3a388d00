// The storage node: a libp2p host (TCP, Noise, Yamux, identify, ping) serving the piece protocols
// over its piece store. Contact with satellites (check-in) plugs in through `satellites`.
import '../shims/promise-with-resolvers.js';
import type { Connection, Libp2p, PrivateKey, Stream } from '@libp2p/interface';
import { Level } from 'level';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import {
  AuditResponse,
  BufferBudget,
  createHost,
  DeleteResponse,
  DownloadResponse,
  FramedStream,
  PROTOCOL_AUDIT,
  PROTOCOL_DELETE,
  PROTOCOL_DOWNLOAD,
  PROTOCOL_RETAIN,
  PROTOCOL_UPLOAD,
  MAX_FILTER_BYTES,
  MAX_REQUEST_BYTES,
  ProtocolError,
  ProtocolErrorCode,
  SiteStreamsError,
  RetainResponse,
  UploadResponse,
  type MessageCodec
} from '../protocol/index.js';
import type { NodeConfig } from './config.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BandwidthLog } from './bandwidth.js';
import { createDashboardServer, NodeMetrics } from './dashboard.js';
import { Earnings } from './earnings.js';
import { PayoutViewer } from './payout-view.js';
import { SatelliteStatsCache } from './satellite-stats.js';
import { DashboardHistory } from './history.js';
import { handleRetain, type RetainContext } from './retain.js';
import { ContactClient, announcedAddresses } from './contact.js';
import { settleOrders, type SettlementDeps, type SettlementRound } from './settlement.js';
import { UnsettledOrders } from './unsettled.js';
import { handleAudit, handleDelete, handleDownload, handleUpload, lingerThenAbort, refuseStream, type NodeContext, type WithError } from './handlers.js';
import { StreamLimiter, type StreamTicket } from './guard.js';
import { allowedHosts, guardWrites, isDiskFull, loadOrCreateIdentity, parseHostPort, StowageError } from '../common/index.js';
import { OrderChecker } from './orders.js';
import { PieceStore } from './pieces/index.js';
import { RefusalLog } from './refusals.js';
import { AbuseTracker } from './abuse.js';
import { rateLimitKey } from '../common/rate-limit.js';
import type { Multiaddr } from '@multiformats/multiaddr';

export interface StorageNodeOptions {
  now?: () => number;
  logger?: Logger;
}

/** Reported at check-in. */
export const NODE_VERSION = '0.1.0';

/** How often expired serials and pieces are swept. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;
/** How long a stopping node tries to settle its egress before it goes. */
const SHUTDOWN_SETTLE_MS = 3000;

export class StorageNode {
  private readonly inFlight = new Set<Promise<void>>();
  private sweeper: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Check-ins with the trusted satellites; `contact.last` holds each one's last answer. */
  contact!: ContactClient;
  readonly bandwidth: BandwidthLog;
  readonly metrics: NodeMetrics;
  private dashboard: Server | undefined;
  /** http://host:port of the dashboard, once listening. */
  dashboardUrl: string | undefined;
  earnings!: Earnings;
  /** Samples for the dashboard's charts (only while the dashboard is on). */
  history: DashboardHistory | undefined;
  private earningsTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private settlement: SettlementDeps | undefined;
  private settling: Promise<SettlementRound | undefined> | undefined;
  /**
   * What the node holds against hostile peers, for tests and metrics: the bytes its incoming
   * streams buffer (one budget) and the streams it counts per peer and per IP.
   */
  readonly guard: { budget: BufferBudget; streams: StreamLimiter };
  /** IPs blocked for streams no honest client opens (abuse.ts); set as the node starts. */
  abuse: AbuseTracker | undefined;

  private constructor(
    readonly config: NodeConfig,
    readonly libp2p: Libp2p,
    readonly store: PieceStore,
    private readonly db: Level<string, unknown>,
    readonly context: NodeContext
  ) {
    this.guard = {
      budget: new BufferBudget(config.maxBufferedBytes, config.maxUnverifiedBufferedBytes),
      streams: new StreamLimiter({ maxStreamsPerPeer: config.maxStreamsPerPeer, maxStreamsPerIp: config.maxStreamsPerIp })
    };
    this.bandwidth = new BandwidthLog(db);
    this.metrics = new NodeMetrics(store);
    context.onTransfer = (action, bytes) => {
      this.metrics.transfers.inc({ action });
      this.metrics.bytes.inc({ direction: action === 'upload' ? 'ingress' : 'egress' }, bytes);
      this.bandwidth.add(action === 'upload' ? 'ingress' : 'egress', bytes, context.now()).catch((err: unknown) => context.log.warn({ err }, 'bandwidth not recorded'));
    };
    context.onError = (action, code) => this.metrics.errors.inc({ action, code });
  }

  get peerId(): string {
    return this.context.nodeId;
  }

  /** Addresses to dial this node at, with its peer id. */
  multiaddrs(): string[] {
    return this.libp2p.getMultiaddrs().map((m) => m.toString());
  }

  static async start(config: NodeConfig, options: StorageNodeOptions = {}): Promise<StorageNode> {
    const log = options.logger ?? pino({ level: config.logLevel, base: { component: 'node' } });
    const now = options.now ?? Date.now;
    // The operator's alone: pieces, orders and the node's records (LevelDB writes its files 0644).
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    const key: PrivateKey = await loadOrCreateIdentity(config.identityDir || config.dataDir);
    const nodeId = peerIdFromPrivateKey(key).toString();
    // A disk full to the last byte cannot open LevelDB: wait for room (logged once a minute).
    const store = await PieceStore.openWhenRoom(
      { dir: join(config.dataDir, 'pieces'), capacity: config.capacity, now },
      { onWait: (err, attempt) => attempt % 12 === 1 && log.warn({ err: err.message }, 'disk full: the piece store cannot open yet; trying again every 5 s') }
    );
    const db = new Level<string, unknown>(join(config.dataDir, 'node-db'), { valueEncoding: 'json' });
    // A write the disk cut short must not take the writes after it down with it (level-guard.ts).
    guardWrites(db, join(config.dataDir, 'node-db'));
    for (let attempt = 1; ; attempt++) {
      try {
        await db.open();
        break;
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        if (attempt % 12 === 1) log.warn({ err: (err as Error).message }, 'disk full: the node database cannot open yet; trying again every 5 s');
        await new Promise((r) => setTimeout(r, 5000));
      }
    }
    const orders = new OrderChecker({
      nodeId,
      trustedSatellites: new Set(config.satellites.map((s) => s.peerId)),
      clockSkewMs: config.clockSkewMs,
      now,
      db,
      // Once, then every 1000th: a full disk sees many audits.
      onUnsaved: (() => {
        let count = 0;
        return (serial: string, err: unknown) => {
          if (count++ % 1000 === 0) log.warn({ serial, times: count, err: (err as Error).message }, 'order serials kept in memory only (their write failed: a full disk?)');
        };
      })()
    });
    // IPs that keep doing what no honest client does are shut out for a while (abuse.ts); never a
    // trusted satellite, whatever IP it shares with them.
    const trusted = new Set(config.satellites.map((s) => s.peerId));
    const abuse = new AbuseTracker({ abuseThreshold: config.abuseThreshold, abuseWindowMs: config.abuseWindowMs, abuseBlockMs: config.abuseBlockMs });
    // The IPs trusted satellites use (their configured addresses, and every address one connects
    // from): a blocked IP among them is refused only after the handshake names the peer; any
    // other blocked IP before it (a Noise handshake per redial was most of an attack's cost).
    // A satellite named by DNS has IPs the node does not know (review 11): then blocked IPs are
    // refused after the handshake only, as before, so the satellite can always name itself.
    const satelliteIps = new Set<string>();
    const satelliteAddresses = config.satellites.flatMap((s) => s.addresses ?? [s.address]);
    const satellitesByIp = satelliteAddresses.every((a) => /^\/ip[46]\//.test(a));
    for (const a of satelliteAddresses) satelliteIps.add(rateLimitKey(a));
    const libp2p = await createHost({
      privateKey: key,
      listen: config.listen,
      announce: config.announce,
      allowInbound: satelliteAddresses.filter((a) => /^\/ip[46]\//.test(a)),
      denyInboundAddress: (remote) => satellitesByIp && abuse.isBlocked(remote) && !satelliteIps.has(rateLimitKey(remote)),
      denyInboundPeer: (peer, remote) => !trusted.has(peer) && abuse.isBlocked(remote),
      trustedPeer: (peer) => trusted.has(peer)
    });
    libp2p.addEventListener('connection:open', (evt) => {
      if (trusted.has(evt.detail.remotePeer.toString()) && satelliteIps.size < 1024) satelliteIps.add(rateLimitKey(evt.detail.remoteAddr));
    });
    const refusals = new RefusalLog(log);
    const context: NodeContext = {
      nodeId,
      key,
      store,
      orders,
      now,
      log,
      refusals,
      unsettled: new UnsettledOrders(db),
      limits: {
        maxPieceSize: config.maxPieceSize,
        maxConcurrentUploads: config.maxConcurrentUploads,
        maxConcurrentReads: config.maxConcurrentReads,
        maxAuditLeaves: 1024,
        firstMessageTimeoutMs: config.firstMessageTimeoutMs,
        transfer: { maxTransferMs: config.maxTransferMs, minTransferRate: config.minTransferRate, rateWindowMs: config.rateWindowMs }
      },
      activeUploads: { count: 0 },
      activeReads: { count: 0 }
    };
    const node = new StorageNode(config, libp2p, store, db, context);
    const { budget, streams } = node.guard;
    node.abuse = abuse;
    /** Counts one abusive stream from `remote`; past the threshold its IP's connections are closed. */
    const noteAbuse = (remote: Multiaddr, why: string): void => {
      if (!abuse.note(remote)) return;
      const ip = rateLimitKey(remote);
      let closed = 0;
      for (const c of libp2p.getConnections()) {
        if (trusted.has(c.remotePeer.toString()) || rateLimitKey(c.remoteAddr) !== ip) continue;
        c.abort(new Error('this IP is blocked for abuse'));
        closed++;
      }
      log.warn({ ip, why, closed, blockMs: config.abuseBlockMs, threshold: config.abuseThreshold, windowMs: config.abuseWindowMs }, 'blocking an IP: too many streams no honest client opens');
    };
    /**
     * Every inbound stream on the node's protocols passes here before a byte of it is read: a
     * satellite-only protocol opened by anyone else is refused (NODE_SATELLITE_ONLY), a peer or
     * IP at its stream limit too (NODE_TOO_MANY_STREAMS; satellites are not counted); the rest
     * is read through a FramedStream on the node's buffer budget, with a small first frame.
     */
    const serve =
      <T extends WithError>(what: string, codec: MessageCodec<T>, handler: (framed: FramedStream) => Promise<void>, options: { satelliteOnly?: boolean; maxMessageBytes?: number } = {}) =>
      (stream: Stream, connection: Connection) => {
        const peer = connection.remotePeer.toString();
        const satellite = trusted.has(peer);
        let ticket: StreamTicket | undefined;
        // A connection that got past the gater while its IP was being blocked is cut now.
        if (!satellite && abuse.isBlocked(connection.remoteAddr)) {
          connection.abort(new Error('this IP is blocked for abuse'));
          return;
        }
        try {
          // Counted first: refused streams linger a moment too, and count while they do.
          if (!satellite) ticket = streams.admit(peer, connection.remoteAddr);
          if (options.satelliteOnly && !satellite) noteAbuse(connection.remoteAddr, `${what}: satellites only`);
          if (options.satelliteOnly && !satellite) throw new ProtocolError(ProtocolErrorCode.SatelliteOnly, `${what} is for this node's satellites only`);
        } catch (err) {
          const code = (err as ProtocolError).code;
          // The caller's own caps only: a /48's shared one may be a neighbour's doing.
          if (code === ProtocolErrorCode.TooManyStreams && !(err instanceof SiteStreamsError)) noteAbuse(connection.remoteAddr, 'past the stream caps');
          refusals.note({ peer, remote: connection.remoteAddr.toString(), code }, `${what} stream refused`);
          context.onError?.(what, code);
          // It lingers the first-message time (a peer that waits for the close cannot reopen it
          // faster), dropping what the peer sends meanwhile; a satellite-only refusal counts
          // against the peer's caps while it does.
          const done = refuseStream(stream, codec, err, what, config.firstMessageTimeoutMs).finally(() => ticket?.release());
          node.inFlight.add(done);
          void done.finally(() => node.inFlight.delete(done));
          return;
        }
        const framed = new FramedStream(stream, { idleTimeoutMs: config.idleTimeoutMs, maxMessageBytes: MAX_REQUEST_BYTES, budget });
        // A trusted satellite's streams are verified by who opened them (Noise authenticated its
        // peer id): its requests never wait on, or are refused by, the unverified-bytes budget that
        // any peer can fill (a full pool once reset audits, which count as failures). Its large
        // message (a retain filter) gets its own size.
        if (satellite) framed.verify(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {});
        const done = handler(framed)
          .catch((err: unknown) => log.error({ err }, `${what} handler failed`))
          .finally(async () => {
            framed.release();
            // The stream counts until the peer closed it too (or is reset for not doing so).
            await lingerThenAbort(stream, config.firstMessageTimeoutMs);
            ticket?.release();
          });
        node.inFlight.add(done);
        void done.finally(() => node.inFlight.delete(done));
      };
    // libp2p's own cap per connection and protocol, a backstop behind the per-peer and per-IP counts.
    const streamLimits = { maxInboundStreams: Math.max(config.maxStreamsPerPeer, config.maxStreamsPerIp) };
    await libp2p.handle(PROTOCOL_UPLOAD, serve('upload', UploadResponse, (f) => handleUpload(context, f)), streamLimits);
    await libp2p.handle(PROTOCOL_DOWNLOAD, serve('download', DownloadResponse, (f) => handleDownload(context, f)), streamLimits);
    // Deletes and audits come from satellites alone (they sign their orders, and open the streams).
    await libp2p.handle(PROTOCOL_DELETE, serve('delete', DeleteResponse, (f) => handleDelete(context, f), { satelliteOnly: true }), streamLimits);
    await libp2p.handle(PROTOCOL_AUDIT, serve('audit', AuditResponse, (f) => handleAudit(context, f), { satelliteOnly: true }), streamLimits);
    const retain: RetainContext = {
      nodeId,
      store,
      trustedSatellites: trusted,
      clockSkewMs: config.clockSkewMs,
      // A filter of up to 16 MiB from a trusted satellite: a transfer's time, not a request's.
      requestTimeoutMs: config.maxTransferMs > 0 ? config.maxTransferMs : 60 * 60 * 1000,
      now,
      options: { skewMs: config.gcSkewMs }
    };
    // A filter may be far larger than a transfer frame: read only from a trusted satellite.
    await libp2p.handle(PROTOCOL_RETAIN, serve('retain', RetainResponse, (f) => handleRetain(retain, f), { satelliteOnly: true, maxMessageBytes: MAX_FILTER_BYTES + 4096 }), {
      maxInboundStreams: 2
    });
    node.sweeper = setInterval(() => void node.sweep(), SWEEP_INTERVAL_MS);
    node.sweeper.unref();
    node.contact = new ContactClient(
      libp2p,
      config.satellites,
      () => ({
        addresses: announcedAddresses(libp2p, config.announce),
        capacity: config.capacity,
        freeSpace: store.freeSpace(),
        version: NODE_VERSION,
        wallet: config.wallet,
        email: config.email
      }),
      { intervalMs: config.checkInIntervalMs, timeoutMs: config.contactTimeoutMs, now, log }
    );
    node.contact.start();
    node.earnings = new Earnings(db, libp2p, config.satellites, nodeId, config.contactTimeoutMs);
    await node.earnings.recordWallet(config.wallet, now());
    node.settlement = { libp2p, unsettled: context.unsettled!, satellites: config.satellites, now, log, settlementWindowMs: config.settlementWindowMs, timeoutMs: config.contactTimeoutMs };
    if (config.settleIntervalMs > 0) {
      node.settleTimer = setInterval(() => void node.settle(), config.settleIntervalMs);
      node.settleTimer.unref();
    }
    if (config.checkInIntervalMs > 0) {
      // Statements are fetched as often as the node checks in; one already kept is fetched again.
      node.earningsTimer = setInterval(() => {
        void node.earnings.fetchAll().then((results) => {
          for (const r of results) log.debug({ satellite: r.satelliteId, period: r.statement?.period, error: r.error }, 'payout statement');
        });
      }, config.checkInIntervalMs);
      node.earningsTimer.unref();
    }
    if (config.dashboard) {
      const { host, port } = parseHostPort(config.dashboard);
      // Asked again after 30 s, or after a check-in interval when that is shorter.
      const statsMaxAge = config.checkInIntervalMs > 0 ? Math.min(30_000, config.checkInIntervalMs) : 30_000;
      const satelliteStats = new SatelliteStatsCache(libp2p, config.satellites, config.contactTimeoutMs, now, statsMaxAge, (satellite, s) => {
        node.metrics.scores.set({ satellite, score: 'audit' }, s.auditScore);
        node.metrics.scores.set({ satellite, score: 'online' }, s.onlineScore);
      });
      node.history = new DashboardHistory(
        db,
        { space: () => ({ used: store.usedSpace(), trash: store.trashSpace(), free: store.freeSpace() }), stats: () => satelliteStats.all() },
        now
      );
      const server = createDashboardServer(
        {
          nodeId,
          version: NODE_VERSION,
          startedAt: now(),
          capacity: config.capacity,
          addresses: () => node.multiaddrs(),
          satellites: () => config.satellites,
          lastCheckIns: () => node.contact.last,
          store,
          bandwidth: node.bandwidth,
          earnings: node.earnings,
          payouts: new PayoutViewer(node.earnings, () => config.satellites.map((x) => x.peerId), config, now, statsMaxAge),
          satelliteStats,
          history: node.history,
          now,
          hosts: allowedHosts(host, config.dashboardHosts)
        },
        node.metrics
      );
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => resolve());
        });
      } catch (err) {
        await node.stop();
        throw new StowageError('DASHBOARD_LISTEN_FAILED', `the dashboard cannot listen on ${config.dashboard}: ${(err as Error).message} (--dashboard '' turns it off)`, { cause: err });
      }
      node.dashboard = server;
      const addr = server.address() as AddressInfo;
      node.dashboardUrl = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
      // The first sample waits for the first check-in, so the satellite knows the node.
      void node.contact.ready().then(() => node.history?.start(config.historyIntervalMs));
    }
    log.info({ nodeId, addresses: node.multiaddrs(), dashboard: node.dashboardUrl, capacity: config.capacity, satellites: config.satellites.length }, 'storage node started');
    return node;
  }

  /** Drops expired serial numbers and pieces. */
  async sweep(): Promise<{ serials: number; pieces: number; trash: number }> {
    const serials = await this.context.orders.sweep();
    const pieces = await this.store.sweepExpired();
    const trash = await this.store.emptyTrash(this.context.now() - this.config.trashTtlMs);
    if (serials + pieces + trash > 0) this.context.log.info({ serials, pieces, trash }, 'swept expired records and the trash');
    return { serials, pieces, trash };
  }

  /**
   * Stops accepting streams, closes connections (transfers in progress abort and leave nothing
   * behind), waits for the handlers, then closes the stores.
   */
  /** One settlement round with the satellites (egress); never throws. */
  async settle(signal?: AbortSignal): Promise<SettlementRound | undefined> {
    if (!this.settlement) return undefined;
    this.settling ??= settleOrders(this.settlement, signal)
      .catch((err: unknown) => {
        this.context.log.warn({ err: (err as Error).message }, 'settlement round failed');
        return undefined;
      })
      .finally(() => (this.settling = undefined));
    return this.settling;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.sweeper);
    clearInterval(this.earningsTimer);
    clearInterval(this.settleTimer);
    // What was served so far is settled before the host goes (transfers cut by the stop keep
    // their orders in LevelDB for the next start); a satellite out of reach does not hold the stop.
    // (A round already running keeps its own deadline: the stop waits SHUTDOWN_SETTLE_MS at most.)
    await Promise.race([this.settle(AbortSignal.timeout(SHUTDOWN_SETTLE_MS)), new Promise((r) => setTimeout(r, SHUTDOWN_SETTLE_MS).unref())]);
    const dashboard = this.dashboard;
    if (dashboard) await new Promise<void>((resolve) => dashboard.close(() => resolve()));
    await this.history?.stop();
    this.contact.stop();
    await this.libp2p.stop();
    await Promise.allSettled([...this.inFlight]);
    await this.store.close();
    // Reads' serial writes are not waited for by the transfers: they end before the database.
    await this.context.orders.settled();
    await this.db.close();
    this.context.refusals?.flush();
    this.context.log.info('storage node stopped');
  }
}
