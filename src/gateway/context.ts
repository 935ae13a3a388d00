// What a handler of one S3 request is given: the request as routed, who signed it, the Stowage
// client acting for them, and the response helpers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Stowage } from '../client/index.js';
import type { GatewayConfig } from './config.js';
import type { Payload } from './body.js';
import type { VerifiedSignature } from './sigv4.js';
import { xmlDocument } from './xml.js';

export interface S3Context {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Decoded from the path or the host; '' when the request names none. */
  bucket: string;
  /** Decoded; '' when the request names none. */
  key: string;
  /** Query parameters, decoded. */
  query: Map<string, string>;
  /** Header names in lowercase, repeated values joined with ','. */
  headers: Record<string, string | undefined>;
  auth: VerifiedSignature;
  client: Stowage;
  config: GatewayConfig;
  log: Logger;
  requestId: string;
  /** The request's payload, checked as it is read (see body.ts). */
  payload(maxBytes?: number): Payload;
  /** Names the operation for logs and metrics. */
  operation(name: string): void;
  /** Counts payload bytes received. */
  bytesIn(n: number): void;
  /** Counts object bytes sent. */
  bytesOut(n: number): void;
  /**
   * Runs an upload of `length` bytes (undefined: unknown) once the gateway's upload memory has
   * room for it; SlowDown at once when the access already has its share of uploads.
   */
  withUploadMemory<T>(length: number | undefined, fn: () => Promise<T>): Promise<T>;
  /**
   * Runs a download of an object of `size` bytes once the gateway's download memory has room for
   * it; SlowDown at once when the access already has its share of downloads.
   */
  withDownloadMemory<T>(size: number, fn: () => Promise<T>): Promise<T>;
  /** Charges the access for `n` more requests' worth of work (DeleteObjects: its keys); SlowDown over its rate. */
  charge(n: number): void;
}

/** Sends an XML document. */
export function sendXml(ctx: S3Context, status: number, root: string, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const text = xmlDocument(root, body);
  ctx.res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text), ...headers });
  ctx.res.end(text);
}

/** Sends no body. */
export function sendEmpty(ctx: S3Context, status: number, headers: Record<string, string | number> = {}): void {
  ctx.res.writeHead(status, { 'content-length': 0, ...headers });
  ctx.res.end();
}

/** S3's timestamps in XML: ISO 8601 with milliseconds. */
export const isoTime = (d: Date): string => d.toISOString();
/** S3's timestamps in headers: RFC 7231. */
export const httpTime = (d: Date): string => d.toUTCString();
