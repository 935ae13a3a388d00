// The S3 gateway: an HTTP(S) server (node:http) in front of the client library. Each request is
// checked (SigV4: header, presigned, aws-chunked), its access key id is turned into the Stowage
// access it stands for (credentials.ts), and a Stowage client for that access (one libp2p host
// shared by all) carries the operation out.
import '../shims/promise-with-resolvers.js';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import type { Libp2p } from '@libp2p/interface';
import { pino, type Logger } from 'pino';
import { Stowage, parseAccess } from '../client/index.js';
import { createHost } from '../protocol/index.js';
import { StowageError } from '../common/index.js';
import { RateLimitedError, RateLimiter } from '../common/rate-limit.js';
import { requestPayload } from './body.js';
import { SharedMemoryBudget, downloadFootprint, uploadFootprint } from './budget.js';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './buckets.js';
import type { GatewayConfig } from './config.js';
import { sendXml, type S3Context } from './context.js';
import { CredentialStore, type Credential } from './credentials.js';
import { S3Error, toS3Error } from './errors.js';
import { listObjectVersions, listObjectsV1, listObjectsV2 } from './listing.js';
import { GatewayMetrics } from './metrics.js';
import { copyObject, deleteObject, deleteObjects, getObject, putObject } from './objects.js';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listMultipartUploads, listParts, uploadPart, uploadPartCopy } from './multipart.js';
import { route, type Handlers } from './router.js';
import { queryParams, verifySigV4 } from './sigv4.js';
import { errorDocument } from './xml.js';

export interface GatewayOptions {
  logger?: Logger;
  /** The clock signatures are checked against (tests move it). */
  now?: () => number;
}

const HANDLERS: Handlers = {
  listBuckets,
  createBucket,
  deleteBucket,
  headBucket,
  getBucketLocation,
  getBucketVersioning: async (ctx) => {
    ctx.operation('GetBucketVersioning');
    await ctx.client.listPage(ctx.bucket, { limit: 1 });
    sendXml(ctx, 200, 'VersioningConfiguration', {});
  },
  listObjectsV1,
  listObjectsV2,
  listObjectVersions,
  listMultipartUploads,
  deleteObjects,
  putObject,
  copyObject,
  getObject: (ctx) => getObject(ctx, false),
  headObject: (ctx) => getObject(ctx, true),
  deleteObject,
  createMultipartUpload,
  uploadPart,
  uploadPartCopy,
  completeMultipartUpload,
  abortMultipartUpload,
  listParts
};

/** A connection idle this long is closed. */
export const IDLE_TIMEOUT_MS = 300_000;

/** Registrations over HTTP per caller address (each dials a satellite and checks the access). */
export const REGISTRATION_RATE = { perSecond: 1, burst: 10 };
/** Registrations being checked at once, from every caller. */
export const MAX_REGISTRATIONS_AT_ONCE = 4;

/** Where the gateway's own (non-S3) endpoints live: no bucket can be named so (S3 names have no '_'). */
export const GATEWAY_PATH = '/_stowage/';

/**
 * Who a request's limits are kept for: the satellite's API key its access grant holds, not the
 * gateway credential, since registering the same grant again mints another credential (hostile
 * review 21, H1: two registrations were two shares). A hash: it never lands in a message or a log.
 */
function tenantOf(access: string): string {
  let grant = access;
  try {
    const parsed = parseAccess(access);
    grant = `${parsed.satelliteId}\0${parsed.apiKey}`;
  } catch {
    // A stored grant that no longer parses fails when its client is made; limits still apply.
  }
  return createHash('sha256').update(grant).digest('hex').slice(0, 16);
}

export class S3Gateway {
  readonly metrics = new GatewayMetrics();
  /** What uploads' buffers may take at once, each access at most its share (see budget.ts). */
  readonly uploadMemory: SharedMemoryBudget;
  /** What downloads' buffers may take at once, each access at most its share (see budget.ts). */
  readonly downloadMemory: SharedMemoryBudget;
  private readonly clients = new Map<string, Promise<Stowage>>();
  /** Each access's request rate and its uploads in progress or queued (review 17 M8), by a hash of its grant's API key (tenantOf). */
  private readonly accessRate: RateLimiter;
  /** Each access's uploads and downloads in progress or waiting for memory, by the same hash. */
  private readonly accessTransfers = { uploads: new Map<string, number>(), downloads: new Map<string, number>() };
  /** Registrations over HTTP: per caller address, and at once (review 17 M7: each dials a satellite). */
  private readonly registrationRate: RateLimiter;
  private registering = 0;
  private readonly log: Logger;
  private readonly now: () => number;

  private constructor(
    readonly config: GatewayConfig,
    private readonly server: Server,
    readonly credentials: CredentialStore,
    private readonly host: Libp2p,
    options: GatewayOptions
  ) {
    this.log = options.logger ?? pino({ level: config.logLevel });
    this.uploadMemory = new SharedMemoryBudget(config.uploadMemory, config.accessMemoryPercent / 100);
    this.downloadMemory = new SharedMemoryBudget(config.downloadMemory, config.accessMemoryPercent / 100);
    this.now = options.now ?? Date.now;
    this.accessRate = new RateLimiter({ perSecond: config.accessRequestsPerSecond, burst: config.accessRequestBurst }, this.now, 10_000);
    this.registrationRate = new RateLimiter(REGISTRATION_RATE, this.now, 10_000);
  }

  /**
   * Runs a transfer holding `bytes` of the gateway's upload or download memory: SlowDown at once
   * when the access already has its share of such transfers (review 17 M8), else it waits in
   * order for room, and gives up when the client goes away meanwhile.
   */
  private async withMemory<T>(kind: 'uploads' | 'downloads', tenant: string, bytes: number, req: IncomingMessage, res: ServerResponse, fn: () => Promise<T>): Promise<T> {
    const side =
      kind === 'uploads'
        ? { budget: this.uploadMemory, share: this.config.accessUploads, gone: 'IncompleteBody', one: 'upload' }
        : { budget: this.downloadMemory, share: this.config.accessDownloads, gone: 'RequestTimeout', one: 'download' };
    const counts = this.accessTransfers[kind];
    const held = counts.get(tenant) ?? 0;
    if (held >= side.share) throw new S3Error('SlowDown', 503, `this access has ${held} ${kind} in progress or waiting, its share of the gateway: try again later`);
    counts.set(tenant, held + 1);
    const gone = new AbortController();
    const onClose = (): void => gone.abort(new S3Error(side.gone, 400, `the client closed the connection while its ${side.one} waited`));
    res.once('close', onClose);
    // Gone already (while its request was checked): it does not wait for memory it cannot use.
    if (res.closed || res.destroyed) onClose();
    try {
      // Waiting its turn is not idleness: the idle timeout would cut a queued upload (the
      // 8 x 1 GiB benchmark lost four that way); it applies again once the transfer runs.
      req.socket.setTimeout(0);
      const release = await side.budget.acquire(tenant, bytes, gone.signal).finally(() => req.socket.setTimeout(IDLE_TIMEOUT_MS));
      try {
        return await fn();
      } finally {
        release();
      }
    } finally {
      res.off('close', onClose);
      const left = (counts.get(tenant) ?? 1) - 1;
      if (left > 0) counts.set(tenant, left);
      else counts.delete(tenant);
    }
  }

  static async start(config: GatewayConfig, options: GatewayOptions = {}): Promise<S3Gateway> {
    const credentials = await CredentialStore.open(join(config.dataDir, 'credentials'));
    const host = await createHost();
    const tls = config.tlsCert !== '' || config.tlsKey !== '';
    if (tls && (config.tlsCert === '' || config.tlsKey === '')) throw new StowageError('GATEWAY_CONFIG_INVALID', 'TLS needs both a certificate (--tls-cert) and a key (--tls-key)');
    const server = tls ? createHttpsServer({ cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }) : createHttpServer();
    const gateway = new S3Gateway(config, server, credentials, host, options);
    // Uploads of gigabytes take as long as they take; an idle connection does not.
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    server.keepAliveTimeout = 5_000;
    // A connection that moves no byte for this long is closed (a client holding sockets open
    // without sending: review 17 H4); an upload waiting for memory waits at most as long.
    server.timeout = IDLE_TIMEOUT_MS;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void gateway.handle(req, res));
    // A request the HTTP parser gives up on (a body cut short by a half-close, a malformed
    // header): S3's XML answer, not Node's bare 400, when the socket can still take it.
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      if (!socket.writable || (err as { bytesParsed?: number }).bytesParsed === undefined) {
        socket.destroy();
        return;
      }
      const incomplete = err.code === 'HPE_INVALID_EOF_STATE';
      const e = incomplete ? new S3Error('IncompleteBody', 400, 'you did not provide the number of bytes specified by the Content-Length HTTP header') : new S3Error('BadRequest', 400, `the request could not be parsed: ${err.code ?? err.message}`);
      const requestId = randomBytes(8).toString('hex').toUpperCase();
      const body = errorDocument(e.s3Code, e.message, '/', requestId);
      gateway.metrics.requests.inc({ operation: 'Unknown', status: '400' });
      socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/xml\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-amz-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`);
    });
    const [hostname, port] = splitHostPort(config.listen);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, hostname, () => {
        server.off('error', reject);
        resolve();
      });
    });
    gateway.log.info({ endpoint: gateway.endpoint }, 'gateway started');
    return gateway;
  }

  /** The URL clients use (path-style). */
  get endpoint(): string {
    const a = this.server.address() as AddressInfo;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `${this.config.tlsCert ? 'https' : 'http'}://${host}:${a.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    const clients = await Promise.allSettled([...this.clients.values()]);
    await Promise.all(clients.flatMap((c) => (c.status === 'fulfilled' ? [c.value.close()] : [])));
    this.clients.clear();
    await this.host.stop();
    await this.credentials.close();
  }

  /** Registers an access: its S3 credentials. The access must name an allowed satellite and work. */
  async register(access: string): Promise<Credential> {
    let parsed;
    try {
      parsed = parseAccess(access);
    } catch (err) {
      throw new StowageError('GATEWAY_ACCESS_INVALID', (err as Error).message);
    }
    if (this.config.satellites.length > 0 && !this.config.satellites.includes(parsed.satelliteId)) {
      throw new StowageError('GATEWAY_SATELLITE_NOT_SERVED', `this gateway serves accesses of ${this.config.satellites.join(', ')}, not of satellite ${parsed.satelliteId}`);
    }
    // The access must work before it is kept: a mistyped one is told now, not at the first request.
    const client = await Stowage.connect(access, { host: this.host, segmentSize: this.config.segmentSize });
    try {
      await client.listBuckets();
    } catch (err) {
      // What the dial met stays in the log: told to the caller, it would make the gateway a
      // scanner of its own network (review 17 M7).
      if ((err as { code?: string }).code !== 'SATELLITE_UNREACHABLE') throw err;
      this.log.debug({ satellite: parsed.satelliteId, err: (err as Error).message }, 'registration: satellite unreachable');
      throw new StowageError('SATELLITE_UNREACHABLE', `the access does not work: its satellite ${parsed.satelliteId} did not answer`);
    } finally {
      await client.close();
    }
    const credential = await this.credentials.register(access, this.now());
    // Not the key id itself: with a copy of the store it opens the access (review 17 M5).
    this.log.info({ credential: createHash('sha256').update(credential.accessKeyId).digest('hex').slice(0, 12), satellite: parsed.satelliteId }, 'access registered');
    return credential;
  }

  /** The client acting for an access (one per access, the least recently used closed beyond maxClients). */
  private client(credential: Credential): Promise<Stowage> {
    let c = this.clients.get(credential.accessKeyId);
    if (c) {
      this.clients.delete(credential.accessKeyId);
      this.clients.set(credential.accessKeyId, c);
      return c;
    }
    c = Stowage.connect(credential.access, { host: this.host, segmentSize: this.config.segmentSize });
    this.clients.set(credential.accessKeyId, c);
    c.catch(() => this.clients.delete(credential.accessKeyId));
    while (this.clients.size > this.config.maxClients) {
      const [oldest, client] = this.clients.entries().next().value!;
      this.clients.delete(oldest);
      // Requests in flight on it keep the shared host; close() only drops its codecs.
      void client.then((x) => x.close()).catch(() => undefined);
    }
    return c;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    let operation = 'Unknown';
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', requestId);
    res.setHeader('server', 'Stowage');
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const rawQuery = q >= 0 ? rawUrl.slice(q + 1) : '';
    let bucket = '';
    let key = '';
    try {
      if (rawPath.startsWith(GATEWAY_PATH)) {
        operation = 'Gateway';
        await this.gatewayEndpoint(rawPath.slice(GATEWAY_PATH.length), req, res);
        return;
      }
      const headers: Record<string, string | undefined> = {};
      for (const [name, values] of Object.entries(req.headersDistinct)) if (values) headers[name] = values.join(',');
      ({ bucket, key } = this.locate(rawPath, headers.host ?? ''));
      const auth = await verifySigV4({ method: req.method ?? 'GET', path: rawPath, query: rawQuery, headers }, async (id) => (await this.credentials.lookup(id))?.secretKey, this.now(), {
        region: this.config.region
      });
      const credential = (await this.credentials.lookup(auth.accessKeyId))!;
      const tenant = tenantOf(credential.access);
      this.chargeAccess(tenant, 1);
      const client = await this.client(credential);
      const metrics = this.metrics;
      const ctx: S3Context = {
        req,
        res,
        method: req.method ?? 'GET',
        bucket,
        key,
        query: queryParams(rawQuery),
        headers,
        auth,
        client,
        config: this.config,
        log: this.log,
        requestId,
        payload: (maxBytes) => requestPayload(req, headers, auth, maxBytes),
        operation: (name) => void (operation = name),
        bytesIn: (n) => metrics.bytesIn.inc(n),
        bytesOut: (n) => metrics.bytesOut.inc(n),
        charge: (n) => this.chargeAccess(tenant, n),
        withUploadMemory: (length, fn) => this.withMemory('uploads', tenant, uploadFootprint(this.config.segmentSize, length), req, res, fn),
        withDownloadMemory: (size, fn) => this.withMemory('downloads', tenant, downloadFootprint(this.config.downloadMaxSegment, size), req, res, fn)
      };
      await route(ctx, HANDLERS)(ctx);
    } catch (err) {
      this.fail(req, res, err, requestId, bucket, key, operation);
    } finally {
      const done = (): void => {
        this.metrics.requests.inc({ operation, status: String(res.statusCode) });
        this.metrics.latency.observe({ operation }, (performance.now() - started) / 1000);
        this.log.debug({ requestId, operation, status: res.statusCode, bucket, key, ms: Math.round(performance.now() - started) }, 'request');
      };
      if (res.writableFinished || res.destroyed) done();
      else res.once('close', done);
    }
  }

  /** Takes `n` tokens from the access's bucket; SlowDown when it has not that many. */
  private chargeAccess(tenant: string, n: number): void {
    try {
      this.accessRate.check(tenant, n);
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
      throw new S3Error('SlowDown', 503, `this access is over its ${this.config.accessRequestsPerSecond} requests per second on this gateway: reduce your request rate`, { cause: err });
    }
  }

  /** The bucket and key a request names: virtual-hosted style when the host is under the domain, else path style. */
  private locate(rawPath: string, hostHeader: string): { bucket: string; key: string } {
    const decode = (s: string): string => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new S3Error('InvalidURI', 400, "couldn't parse the specified URI");
      }
    };
    const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
    const domain = this.config.domain.toLowerCase();
    if (domain !== '' && host.endsWith(`.${domain}`)) {
      return { bucket: host.slice(0, -domain.length - 1), key: decode(rawPath.replace(/^\//, '')) };
    }
    const path = rawPath.replace(/^\//, '');
    const slash = path.indexOf('/');
    if (slash < 0) return { bucket: decode(path), key: '' };
    return { bucket: decode(path.slice(0, slash)), key: decode(path.slice(slash + 1)) };
  }

  /** The gateway's own endpoints: health, metrics and registration. */
  private async gatewayEndpoint(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (path === 'health' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path === 'metrics' && req.method === 'GET') {
      const text = await this.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text);
      return;
    }
    if (path === 'register' && req.method === 'POST' && this.config.registration) {
      try {
        this.registrationRate.check(req.socket.remoteAddress ?? 'unknown');
      } catch (err) {
        throw new S3Error('SlowDown', 503, 'too many registrations from your address: try again later', { cause: err });
      }
      if (this.registering >= MAX_REGISTRATIONS_AT_ONCE) throw new S3Error('SlowDown', 503, 'the gateway is checking other registrations: try again later');
      this.registering++;
      try {
        await this.registerOverHttp(req, res);
      } finally {
        this.registering--;
      }
      return;
    }
    throw new S3Error('NotFound', 404, `no gateway endpoint ${GATEWAY_PATH}${path.slice(0, 60)}`);
  }

  /** POST /_stowage/register: {"access": "..."} in, the credentials out. */
  private async registerOverHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n > 16 * 1024) throw new StowageError('GATEWAY_REQUEST_TOO_LARGE', 'a registration is at most 16 KiB');
      chunks.push(chunk);
    }
    let access: unknown;
    try {
      access = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { access?: unknown }).access;
    } catch {
      throw new StowageError('GATEWAY_ACCESS_INVALID', 'the body is not JSON {"access": "stowage1:..."}');
    }
    if (typeof access !== 'string') throw new StowageError('GATEWAY_ACCESS_INVALID', 'the body names no access');
    const c = await this.register(access);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accessKeyId: c.accessKeyId, secretKey: c.secretKey, endpoint: this.endpoint }) + '\n');
  }

  private fail(req: IncomingMessage, res: ServerResponse, err: unknown, requestId: string, bucket: string, key: string, operation: string): void {
    // The client went away mid-request: its doing, not the gateway's (no 5xx in the metrics).
    const e = req.destroyed && !req.complete ? new S3Error('IncompleteBody', 400, 'the client closed the connection before the request ended', { cause: err }) : errorOf(err);
    if (e.status >= 500) this.log.warn({ requestId, operation, err: (err as Error).message, code: (err as { code?: string }).code }, 'request failed');
    else this.log.debug({ requestId, operation, code: e.s3Code, message: e.message }, 'request refused');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const resource = bucket === '' ? '/' : `/${bucket}${key ? `/${key}` : ''}`;
    const body = req.method === 'HEAD' ? '' : errorDocument(e.s3Code, e.message, resource, requestId, bucket ? { BucketName: bucket, ...(key ? { Key: key } : {}) } : {});
    // A body not read to its end is not read at all: the connection closes after the answer.
    const unread = !req.complete;
    res.writeHead(e.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), ...(unread ? { connection: 'close' } : {}) });
    res.end(body);
    if (unread) req.resume();
  }
}

/** An error as S3 answers it; the gateway's own endpoint errors are 400s with their code. */
function errorOf(err: unknown): S3Error {
  // An S3Error may come back wrapped (a source error seen by the upload pipeline, say).
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof S3Error) return e;
  }
  if (err instanceof StowageError && err.code.startsWith('GATEWAY_')) return new S3Error(err.code, err.code === 'GATEWAY_SATELLITE_NOT_SERVED' ? 403 : 400, err.message);
  return toS3Error(err);
}

function splitHostPort(listen: string): [string, number] {
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m) throw new StowageError('GATEWAY_CONFIG_INVALID', `--listen '${listen}' is not host:port`);
  return [m[1]!.replace(/^\[|\]$/g, ''), Number(m[2])];
}
