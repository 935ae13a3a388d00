// The gateway's configuration (one typed object; every default is in the README).
export interface GatewayConfig {
  /** Where the credential store lives (DIR/credentials). */
  dataDir: string;
  /** host:port the S3 endpoint listens on. */
  listen: string;
  /**
   * The domain of virtual-hosted-style addressing: a request to BUCKET.<domain> names BUCKET.
   * Empty: path-style only (http://host/BUCKET/KEY).
   */
  domain: string;
  /** The region signatures are scoped to (clients must sign for it). */
  region: string;
  /** TLS certificate and key files (PEM); both empty: plain HTTP. */
  tlsCert: string;
  tlsKey: string;
  /**
   * Satellites whose accesses may be registered (peer ids); empty: any. A gateway dials the
   * satellite an access names, so an open gateway should say which it serves.
   */
  satellites: string[];
  /** Whether `POST /_stowage/register` is served (anyone holding an access may register it). */
  registration: boolean;
  /** Plaintext bytes per segment of the objects the gateway uploads (a smaller body: its size). */
  segmentSize: number;
  /**
   * Bytes the buffers of uploads in progress may take at once (the segment size each, or a smaller
   * body, plus up to 4 MiB of parity ranges); uploads beyond it wait their turn.
   */
  uploadMemory: number;
  /**
   * Bytes the buffers of downloads in progress may take at once: each GET holds three times its
   * object's segment size (or size, when smaller; budget.ts), and waits its turn beyond this.
   */
  downloadMemory: number;
  /**
   * The largest segment a GET reads (plaintext bytes): the uploader chose the segment size, up to
   * k x the nodes' largest piece, and a download holds three of them. Larger: 500 InternalError
   * saying SEGMENT_TOO_LARGE before anything is fetched.
   */
  downloadMaxSegment: number;
  /** The smallest part but the last that CompleteMultipartUpload accepts (S3: 5 MiB). */
  minPartSize: number;
  /** Clients (one per access in use) kept open; the least recently used is closed beyond it. */
  maxClients: number;
  /**
   * Each access's share of the gateway (review 17 M8): S3 requests per second (DeleteObjects
   * counts its keys), the burst it may spend at once, and its uploads in progress or waiting for
   * memory. Over either: 503 SlowDown at once, not a wait. 0 requests per second: no limit.
   */
  accessRequestsPerSecond: number;
  accessRequestBurst: number;
  accessUploads: number;
  /** Each access's GETs in progress or waiting for memory; more: 503 SlowDown at once. */
  accessDownloads: number;
  /**
   * The percentage of the upload memory, and of the download memory, one access may hold or wait
   * for at once (its own line in front of the budget's: one tenant's slow transfers never hold
   * the whole budget; a transfer larger than that still runs, alone).
   */
  accessMemoryPercent: number;
  logLevel: string;
}

export const GATEWAY_DEFAULTS: GatewayConfig = {
  dataDir: './stowage-gateway',
  listen: '127.0.0.1:7777',
  domain: '',
  region: 'us-east-1',
  tlsCert: '',
  tlsKey: '',
  satellites: [],
  registration: true,
  segmentSize: 32 * 1024 * 1024,
  uploadMemory: 256 * 1024 * 1024,
  downloadMemory: 512 * 1024 * 1024,
  downloadMaxSegment: 64 * 1024 * 1024,
  minPartSize: 5 * 1024 * 1024,
  maxClients: 64,
  accessRequestsPerSecond: 100,
  accessRequestBurst: 1000,
  accessUploads: 16,
  accessDownloads: 16,
  accessMemoryPercent: 50,
  logLevel: 'info'
};
