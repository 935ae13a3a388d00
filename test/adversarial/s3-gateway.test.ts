// The S3 gateway against a hostile client: raw HTTP requests (node:http, node:net where the
// socket itself misbehaves) signed with @smithy/signature-v4, or deliberately mis-signed, over a
// real satellite and nodes. Each refusal must be a clear S3 XML error (its Code and HTTP status)
// and leave nothing partial visible: the key stays absent, or keeps what it held before. Covered:
// signatures (wrong secret, unknown key, skewed clock, expired and valid presigned URLs), payload
// integrity (x-amz-content-sha256, Content-MD5, x-amz-checksum-*, truncated bodies), aws-chunked
// bodies (chunk and trailer signatures, truncation, excess, trailer checksums), a client that
// disconnects mid-upload, DeleteObjects' limits, path-traversal keys, and the bucket of another
// access.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client
} from '@aws-sdk/client-s3';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPath, wireQuery } from '../gateway/fixtures/wire.js';
import { createAccess } from '../../src/client/index.js';
import { TEST_SEGMENT, startGatewayNetwork, type GatewayNetwork } from '../gateway/fixtures/network.js';

const REGION = 'us-east-1';
const BUCKET = 'hostile';
const UNSIGNED = 'UNSIGNED-PAYLOAD';
const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

let net: GatewayNetwork;
let s3: S3Client;
let hostname: string;
let port: number;
let host: string;

beforeAll(async () => {
  net = await startGatewayNetwork();
  s3 = net.s3();
  const url = new URL(net.gateway.endpoint);
  hostname = url.hostname;
  port = Number(url.port);
  host = `${hostname}:${port}`;
  for (const b of [BUCKET, 'trav', 'other']) await s3.send(new CreateBucketCommand({ Bucket: b }));
}, 60_000);

afterAll(async () => {
  await net?.stop();
});

// ---- hashing

const sha256Hex = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const md5Base64 = (b: Uint8Array | string): string => createHash('md5').update(b).digest('base64');
const crc32Base64 = (b: Uint8Array): string => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(b) >>> 0);
  return out.toString('base64');
};
const hmac = (key: Uint8Array | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const EMPTY_SHA256 = sha256Hex('');

// ---- signing


interface Who {
  accessKeyId?: string;
  secret?: string;
}

const signer = (who: Who = {}): SignatureV4 =>
  new SignatureV4({
    credentials: { accessKeyId: who.accessKeyId ?? net.accessKeyId, secretAccessKey: who.secret ?? net.secretKey },
    region: REGION,
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
    // As the S3 client: the path is signed as sent.
    uriEscapePath: false
  });

/** A request ready for the wire: the path with its query, and every header. */
interface Wire {
  method: string;
  path: string;
  headers: Record<string, string>;
}

interface SignOptions extends Who {
  method: string;
  /** The raw path (already escaped as it goes on the wire). */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** x-amz-content-sha256. */
  payloadHash: string;
  /** The signing time (ms); now by default. */
  at?: number;
}

async function sign(o: SignOptions): Promise<Wire> {
  const out = await signer(o).sign(
    { method: o.method, protocol: 'http:', hostname, port, path: o.path, query: o.query ?? {}, headers: { host, 'x-amz-content-sha256': o.payloadHash, ...o.headers } },
    { signingDate: new Date(o.at ?? Date.now()) }
  );
  const q = wireQuery(out.query ?? {});
  return { method: o.method, path: q ? `${o.path}?${q}` : o.path, headers: { ...(out.headers as Record<string, string>) } };
}

/** Presigned as @aws-sdk/s3-request-presigner does (UNSIGNED-PAYLOAD, hoisted into the query). */
async function presign(o: { method: string; path: string; expiresIn: number; at?: number; headers?: Record<string, string> }): Promise<Wire> {
  const out = await signer().presign(
    { method: o.method, protocol: 'http:', hostname, port, path: o.path, query: {}, headers: { host, 'x-amz-content-sha256': UNSIGNED, ...o.headers } },
    { signingDate: new Date(o.at ?? Date.now()), expiresIn: o.expiresIn }
  );
  return { method: o.method, path: `${o.path}?${wireQuery(out.query ?? {})}`, headers: { ...(out.headers as Record<string, string>) } };
}

/** A PUT of `body` signed with its SHA-256 (or `payloadHash`), Content-Length signed. */
const signedPut = (key: string, body: Buffer, extra: Partial<SignOptions> = {}): Promise<Wire> =>
  sign({ method: 'PUT', path: keyPath(BUCKET, key), payloadHash: sha256Hex(body), ...extra, headers: { 'content-length': String(body.length), ...extra.headers } });

// ---- raw HTTP

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends a request with node:http (a connection of its own) and reads the whole answer. */
function send(w: Wire, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ hostname, port, method: w.method, path: w.path, headers: w.headers, agent: false }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    // The server may answer before it has read the body, then close: that is not our failure.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.end(body);
  });
}

/** The head of a request as bytes (for node:net, where the socket is ours to cut). */
const requestHead = (w: Wire): Buffer =>
  Buffer.from(`${w.method} ${w.path} HTTP/1.1\r\n${Object.entries(w.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}connection: close\r\n\r\n`, 'latin1');

/**
 * Writes the head and `parts` over a raw socket, then ends it (FIN, the client's half closed) or
 * destroys it (the client gone). Returns the answer, if the server sent one before the socket
 * closed (parsed loosely), or undefined.
 */
async function rawExchange(w: Wire, parts: Buffer[], how: 'end' | 'destroy', waitMs = 3000): Promise<Reply | undefined> {
  const socket = connect({ host: hostname, port, allowHalfOpen: true });
  const received: Buffer[] = [];
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('data', (c: Buffer) => received.push(c));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const write = (b: Buffer): Promise<void> => new Promise((resolve) => (socket.write(b) ? resolve() : socket.once('drain', () => resolve())));
  await write(requestHead(w));
  for (const p of parts) {
    if (socket.destroyed) break;
    await write(p);
  }
  if (how === 'destroy') {
    // Let what was written reach the server first, then go away mid-body.
    await sleep(200);
    socket.destroy();
    return undefined;
  }
  socket.end();
  await Promise.race([closed, sleep(waitMs)]);
  socket.destroy();
  const raw = Buffer.concat(received);
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: IncomingHttpHeaders = {};
  for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine!)?.[1] ?? 0), headers, body: raw.subarray(end + 4) };
}

// ---- S3 errors and absence

interface S3ErrorDoc {
  Code?: string;
  Message?: string;
  RequestId?: string;
  Resource?: string;
}

function s3Error(r: Reply): S3ErrorDoc {
  const doc = new XMLParser({ parseTagValue: false }).parse(r.body.toString('utf8')) as { Error?: S3ErrorDoc };
  return doc.Error ?? {};
}

/** The reply is S3's error document with this code and status (and a message and request id). */
function expectS3Error(r: Reply, code: string | string[], status: number, label = ''): void {
  const e = s3Error(r);
  const codes = Array.isArray(code) ? code : [code];
  expect({ label, status: r.status, code: e.Code }, `${label}: ${r.body.toString('utf8').slice(0, 400)}`).toEqual({ label, status, code: codes.includes(e.Code ?? '') ? e.Code : codes[0] });
  expect(r.headers['content-type']).toBe('application/xml');
  expect(e.Message).toBeTruthy();
  expect(e.RequestId).toBe(r.headers['x-amz-request-id']);
}

/** The answer to a body cut short by the client's half-close: none, or an error (never a success). */
function expectNoSuccess(reply: Reply | undefined, label: string): void {
  if (reply !== undefined) expect(reply.status, `${label}: ${reply.status} ${reply.body.toString().slice(0, 200)}`).toBeGreaterThanOrEqual(400);
}

async function expectAbsent(key: string, bucket = BUCKET, client = s3): Promise<void> {
  await expect(client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), `${bucket}/${key} should not exist`).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
}

async function bodyOf(key: string, bucket = BUCKET, client = s3): Promise<Buffer> {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

/** An object put through the SDK, to be overwritten by a refused request and found intact after. */
async function original(key: string): Promise<Buffer> {
  const bytes = Buffer.from(`the original of ${key}`);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
  return bytes;
}

async function expectIntact(key: string, bytes: Buffer): Promise<void> {
  expect((await bodyOf(key)).equals(bytes), `${key} changed`).toBe(true);
}

/**
 * Gives a refused upload time to unwind in the gateway (its answer, or the socket's close, can
 * come before the upload behind it has stopped), so absence is checked after the fact: an upload
 * wrongly committed late would show.
 */
async function settled(ms = 1500): Promise<void> {
  await sleep(ms);
}

// ---- aws-chunked bodies

interface ChunkSigning {
  seed: string;
  amzDate: string;
  scope: string;
  key: Buffer;
}

function chunkSigning(w: Wire, secret = net.secretKey): ChunkSigning {
  const auth = w.headers.authorization!;
  const seed = /Signature=([0-9a-f]{64})/.exec(auth)![1]!;
  const scope = /Credential=[^/]+\/([^,]+)/.exec(auth)![1]!;
  const [date, region, service] = scope.split('/');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service!), 'aws4_request');
  return { seed, amzDate: w.headers['x-amz-date']!, scope, key };
}

const chunkSignature = (s: ChunkSigning, previous: string, data: Buffer): string =>
  hmac(s.key, `AWS4-HMAC-SHA256-PAYLOAD\n${s.amzDate}\n${s.scope}\n${previous}\n${EMPTY_SHA256}\n${sha256Hex(data)}`).toString('hex');

/** The encoded length of a signed aws-chunked body of these chunk sizes (and trailer bytes). */
const signedEncodedLength = (sizes: number[], trailerBytes = 0): number =>
  [...sizes, 0].reduce((n, size) => n + size.toString(16).length + ';chunk-signature='.length + 64 + 2 + size + (size > 0 || trailerBytes === 0 ? 2 : 0), 0) + trailerBytes;

interface SignedChunkedOptions {
  /** The index of a chunk whose signature is spoilt. */
  badChunk?: number;
  /** A trailer checksum (signed-trailer mode): its value, and the value the trailer signature covers. */
  trailer?: { header: string; value: string; signedValue?: string };
}

/** A signed aws-chunked body of `chunks`, each signature chained from the request's. */
function signedChunkedBody(s: ChunkSigning, chunks: Buffer[], o: SignedChunkedOptions = {}): Buffer {
  const out: Buffer[] = [];
  let previous = s.seed;
  [...chunks, Buffer.alloc(0)].forEach((data, i) => {
    let sig = chunkSignature(s, previous, data);
    previous = sig;
    if (i === o.badChunk) sig = sig.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    out.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${sig}\r\n`), data);
    if (data.length > 0 || !o.trailer) out.push(Buffer.from('\r\n'));
  });
  if (o.trailer) {
    const canonical = `${o.trailer.header}:${o.trailer.signedValue ?? o.trailer.value}\n`;
    const trailerSig = hmac(s.key, `AWS4-HMAC-SHA256-TRAILER\n${s.amzDate}\n${s.scope}\n${previous}\n${sha256Hex(canonical)}`).toString('hex');
    out.push(Buffer.from(`${o.trailer.header}:${o.trailer.value}\r\nx-amz-trailer-signature:${trailerSig}\r\n\r\n`));
  }
  return Buffer.concat(out);
}

/** An unsigned aws-chunked body with a trailing checksum, as the SDK writes it. */
function unsignedTrailerBody(data: Buffer, chunk: number, header: string, value: string): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunk) {
    const piece = data.subarray(at, at + chunk);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`0\r\n${header}:${value}\r\n\r\n`));
  return Buffer.concat(parts);
}

/** Signs a signed-chunked PUT of `chunks` (the body's length computed first), returning the request and its signing. */
async function signedChunkedPut(
  key: string,
  chunks: Buffer[],
  opts: { trailer?: string; decodedLength?: number; contentLength?: number; trailerBytes?: number; secret?: string } = {}
): Promise<{ wire: Wire; signing: ChunkSigning }> {
  const decoded = chunks.reduce((n, c) => n + c.length, 0);
  const wire = await sign({
    ...(opts.secret !== undefined ? { secret: opts.secret } : {}),
    method: 'PUT',
    path: keyPath(BUCKET, key),
    payloadHash: opts.trailer ? STREAMING_SIGNED_TRAILER : STREAMING_SIGNED,
    headers: {
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(opts.decodedLength ?? decoded),
      'content-length': String(
        opts.contentLength ??
          signedEncodedLength(
            chunks.map((c) => c.length),
            opts.trailerBytes ?? 0
          )
      ),
      ...(opts.trailer ? { 'x-amz-trailer': opts.trailer } : {})
    }
  });
  return { wire, signing: chunkSigning(wire, opts.secret) };
}

const random = (n: number): Buffer => randomBytes(n);

// ---- the tests

describe('signatures', () => {
  it('a wrong secret: SignatureDoesNotMatch 403; nothing written, nothing read', async () => {
    const body = Buffer.from('signed with the wrong secret');
    const put = await signedPut('sig/wrong-secret', body, { secret: `${net.secretKey}x` });
    expectS3Error(await send(put, body), 'SignatureDoesNotMatch', 403);
    await expectAbsent('sig/wrong-secret');
    // Nor read: an existing object is not served to a wrong signature.
    const kept = await original('sig/kept');
    const get = await sign({ method: 'GET', path: keyPath(BUCKET, 'sig/kept'), payloadHash: UNSIGNED, secret: 'not-the-secret' });
    const r = await send(get);
    expectS3Error(r, 'SignatureDoesNotMatch', 403);
    expect(r.body.includes(kept)).toBe(false);
    // A signature of the second secret's length but garbage.
    const forged = await signedPut('sig/forged', body);
    forged.headers.authorization = forged.headers.authorization!.replace(/Signature=[0-9a-f]{64}/, `Signature=${'0'.repeat(64)}`);
    expectS3Error(await send(forged, body), 'SignatureDoesNotMatch', 403);
    await expectAbsent('sig/forged');
  });

  it('an access key id the gateway does not know: InvalidAccessKeyId 403', async () => {
    const body = Buffer.from('unknown key');
    const put = await signedPut('sig/unknown-key', body, { accessKeyId: 'GWNOSUCHKEY000000000', secret: net.secretKey });
    expectS3Error(await send(put, body), 'InvalidAccessKeyId', 403);
    await expectAbsent('sig/unknown-key');
  });

  it('a request dated 20 minutes off (either way): RequestTimeTooSkewed 403', async () => {
    for (const offset of [-20 * 60_000, 20 * 60_000]) {
      const body = Buffer.from(`skewed by ${offset}`);
      const put = await signedPut('sig/skewed', body, { at: Date.now() + offset });
      expectS3Error(await send(put, body), 'RequestTimeTooSkewed', 403, `offset ${offset}`);
      await expectAbsent('sig/skewed');
    }
  });

  it('presigned URLs: a valid GET and PUT work; expired ones are AccessDenied 403; a changed path is refused', async () => {
    const bytes = await original('presigned/get');
    const get = await presign({ method: 'GET', path: keyPath(BUCKET, 'presigned/get'), expiresIn: 60 });
    const got = await send(get);
    expect(got.status).toBe(200);
    expect(got.body.equals(bytes)).toBe(true);

    const upload = random(TEST_SEGMENT + 17);
    const put = await presign({ method: 'PUT', path: keyPath(BUCKET, 'presigned/put'), expiresIn: 60 });
    const putReply = await send({ ...put, headers: { ...put.headers, 'content-length': String(upload.length) } }, upload);
    expect(putReply.status, putReply.body.toString()).toBe(200);
    expect(putReply.headers.etag).toBe(`"${createHash('md5').update(upload).digest('hex')}"`);
    expect((await bodyOf('presigned/put')).equals(upload)).toBe(true);

    // Signed 10 minutes ago for 60 seconds.
    const past = Date.now() - 10 * 60_000;
    const expiredGet = await presign({ method: 'GET', path: keyPath(BUCKET, 'presigned/get'), expiresIn: 60, at: past });
    const eg = await send(expiredGet);
    expectS3Error(eg, 'AccessDenied', 403);
    expect(eg.body.includes(bytes)).toBe(false);
    const expiredPut = await presign({ method: 'PUT', path: keyPath(BUCKET, 'presigned/expired-put'), expiresIn: 60, at: past });
    expectS3Error(await send({ ...expiredPut, headers: { ...expiredPut.headers, 'content-length': '5' } }, Buffer.from('late!')), 'AccessDenied', 403);
    await expectAbsent('presigned/expired-put');

    // The URL of one key used for another; a longer expiry written into the URL.
    const other = await presign({ method: 'PUT', path: keyPath(BUCKET, 'presigned/one'), expiresIn: 60 });
    expectS3Error(await send({ ...other, path: other.path.replace('presigned/one', 'presigned/two'), headers: { ...other.headers, 'content-length': '1' } }, Buffer.from('x')), 'SignatureDoesNotMatch', 403);
    await expectAbsent('presigned/two');
    expectS3Error(await send({ ...expiredGet, path: expiredGet.path.replace('X-Amz-Expires=60', 'X-Amz-Expires=3600') }), 'SignatureDoesNotMatch', 403);
  });

  it('x-amz-* headers not signed are refused (review 17 H1: a presigned PUT turned into a copy of a secret object)', async () => {
    const secret = await original('presigned/secret');
    const put = await presign({ method: 'PUT', path: keyPath(BUCKET, 'presigned/avatar'), expiresIn: 60 });
    const hijack = await send({ ...put, headers: { ...put.headers, 'content-length': '0', 'x-amz-copy-source': `/${BUCKET}/presigned/secret` } }, Buffer.alloc(0));
    expectS3Error(hijack, 'AccessDenied', 403);
    await expectAbsent('presigned/avatar');
    // In the Authorization header too: a metadata directive slipped in after signing.
    const signed = await signedPut('presigned/meta', Buffer.from('x'));
    expectS3Error(await send({ ...signed, headers: { ...signed.headers, 'x-amz-meta-added': 'later' } }, Buffer.from('x')), 'AccessDenied', 403);
    await expectAbsent('presigned/meta');
    expect((await bodyOf('presigned/secret')).equals(secret)).toBe(true);
  });
});

describe('payload integrity', () => {
  it('an x-amz-content-sha256 the body does not match: XAmzContentSHA256Mismatch 400; nothing created or replaced (one segment and several)', async () => {
    for (const size of [100, 4 * TEST_SEGMENT + 3]) {
      const key = `sha/${size}`;
      const body = random(size);
      const put = await signedPut(key, body, { payloadHash: sha256Hex(random(size)) });
      expectS3Error(await send(put, body), 'XAmzContentSHA256Mismatch', 400, `size ${size}`);
      await settled(200);
      await expectAbsent(key);
      // Over an object that is there: it keeps its bytes.
      const kept = await original(`${key}-kept`);
      const over = await signedPut(`${key}-kept`, body, { payloadHash: sha256Hex(random(size)) });
      expectS3Error(await send(over, body), 'XAmzContentSHA256Mismatch', 400, `size ${size} over an object`);
      await expectIntact(`${key}-kept`, kept);
    }
  });

  it('a Content-MD5 the body does not match: BadDigest 400; a malformed one InvalidDigest 400', async () => {
    const body = random(5000);
    const put = await signedPut('md5/bad', body, { headers: { 'content-md5': md5Base64('something else') } });
    expectS3Error(await send(put, body), 'BadDigest', 400);
    await expectAbsent('md5/bad');
    const kept = await original('md5/kept');
    expectS3Error(await send(await signedPut('md5/kept', body, { headers: { 'content-md5': md5Base64('something else') } }), body), 'BadDigest', 400);
    await expectIntact('md5/kept', kept);
    expectS3Error(await send(await signedPut('md5/malformed', body, { headers: { 'content-md5': 'not-an-md5' } }), body), 'InvalidDigest', 400);
    await expectAbsent('md5/malformed');
    // The right one is taken.
    expect((await send(await signedPut('md5/good', body, { headers: { 'content-md5': md5Base64(body) } }), body)).status).toBe(200);
    expect((await bodyOf('md5/good')).equals(body)).toBe(true);
  });

  it('an x-amz-checksum-crc32 header the body does not match: BadDigest 400 (the right one is taken and echoed)', async () => {
    const body = random(TEST_SEGMENT * 2 + 5);
    const wrong = crc32Base64(random(16));
    expectS3Error(await send(await signedPut('crc/bad', body, { headers: { 'x-amz-checksum-crc32': wrong } }), body), 'BadDigest', 400);
    await expectAbsent('crc/bad');
    const kept = await original('crc/kept');
    expectS3Error(await send(await signedPut('crc/kept', body, { headers: { 'x-amz-checksum-crc32': wrong }, payloadHash: UNSIGNED }), body), 'BadDigest', 400);
    await expectIntact('crc/kept', kept);
    const ok = await send(await signedPut('crc/good', body, { headers: { 'x-amz-checksum-crc32': crc32Base64(body) } }), body);
    expect(ok.status).toBe(200);
    expect(ok.headers['x-amz-checksum-crc32']).toBe(crc32Base64(body));
  });

  it('a body shorter than its Content-Length, the socket then closed: no object (nor a replaced one)', async () => {
    for (const [key, sent, declared] of [
      ['short/small', 1000, 5000],
      ['short/segments', 3 * TEST_SEGMENT + 11, 6 * TEST_SEGMENT]
    ] as const) {
      const body = random(declared);
      const w = await sign({ method: 'PUT', path: keyPath(BUCKET, key), payloadHash: UNSIGNED, headers: { 'content-length': String(declared) } });
      expectNoSuccess(await rawExchange(w, [body.subarray(0, sent)], 'end'), key);
      await settled();
      await expectAbsent(key);
    }
    const kept = await original('short/kept');
    const w = await sign({ method: 'PUT', path: keyPath(BUCKET, 'short/kept'), payloadHash: UNSIGNED, headers: { 'content-length': '100000' } });
    expectNoSuccess(await rawExchange(w, [random(40_000)], 'end'), 'short/kept');
    await settled();
    await expectIntact('short/kept', kept);
  });

  it("a body cut short by the client's half-close is answered (if at all) with S3's IncompleteBody XML, not a bare HTTP 400", async () => {
    const plain = await sign({ method: 'PUT', path: keyPath(BUCKET, 'short/answer'), payloadHash: UNSIGNED, headers: { 'content-length': '5000' } });
    const data = [random(64 * 1024), random(1000)];
    const chunked = await signedChunkedPut('short/answer-chunked', data);
    const replies: [string, Reply | undefined][] = [
      ['plain', await rawExchange(plain, [random(1000)], 'end')],
      ['aws-chunked', await rawExchange(chunked.wire, [signedChunkedBody(chunked.signing, data).subarray(0, 30_000)], 'end')]
    ];
    await settled(500);
    await expectAbsent('short/answer');
    await expectAbsent('short/answer-chunked');
    for (const [label, reply] of replies) if (reply !== undefined) expectS3Error(reply, 'IncompleteBody', 400, label);
  });
});

describe('aws-chunked bodies', () => {
  const chunks = (): Buffer[] => [random(64 * 1024), random(64 * 1024), random(1000)];

  it('a signed chunked body as built here is taken (the control)', async () => {
    const data = chunks();
    const { wire, signing } = await signedChunkedPut('chunked/good', data);
    const r = await send(wire, signedChunkedBody(signing, data));
    expect(r.status, r.body.toString()).toBe(200);
    expect((await bodyOf('chunked/good')).equals(Buffer.concat(data))).toBe(true);
  });

  it('a wrong chunk signature (first, middle, last chunk): SignatureDoesNotMatch 403; nothing created or replaced', async () => {
    for (const bad of [0, 1, 3]) {
      const data = chunks();
      const { wire, signing } = await signedChunkedPut('chunked/bad-sig', data);
      expectS3Error(await send(wire, signedChunkedBody(signing, data, { badChunk: bad })), 'SignatureDoesNotMatch', 403, `bad chunk ${bad}`);
      await settled(200);
      await expectAbsent('chunked/bad-sig');
    }
    const kept = await original('chunked/kept');
    const data = chunks();
    const { wire, signing } = await signedChunkedPut('chunked/kept', data);
    expectS3Error(await send(wire, signedChunkedBody(signing, data, { badChunk: 2 })), 'SignatureDoesNotMatch', 403);
    await expectIntact('chunked/kept', kept);
    // Signed with another secret throughout (the seed too).
    const forged = await signedChunkedPut('chunked/other-secret', data, { secret: 'another secret' });
    expectS3Error(await send(forged.wire, signedChunkedBody(forged.signing, data)), 'SignatureDoesNotMatch', 403);
    await expectAbsent('chunked/other-secret');
  });

  it('a chunked body that ends inside a chunk (Content-Length as sent): IncompleteBody 400; cut at the socket: no object', async () => {
    const data = chunks();
    const cutAt = 64 * 1024 + 5000;
    const { wire, signing } = await signedChunkedPut('chunked/truncated', data, { contentLength: cutAt });
    expectS3Error(await send(wire, signedChunkedBody(signing, data).subarray(0, cutAt)), 'IncompleteBody', 400);
    await expectAbsent('chunked/truncated');
    // The same cut with the declared Content-Length kept: the socket ends early.
    const w2 = await signedChunkedPut('chunked/truncated-socket', data);
    expectNoSuccess(await rawExchange(w2.wire, [signedChunkedBody(w2.signing, data).subarray(0, cutAt)], 'end'), 'chunked/truncated-socket');
    await settled();
    await expectAbsent('chunked/truncated-socket');
    // Unsigned chunks with a trailer, cut before the trailer.
    const plain = Buffer.concat(data);
    const body = unsignedTrailerBody(plain, 64 * 1024, 'x-amz-checksum-crc32', crc32Base64(plain));
    const short = body.subarray(0, body.length - 30);
    const w3 = await sign({
      method: 'PUT',
      path: keyPath(BUCKET, 'chunked/truncated-trailer'),
      payloadHash: STREAMING_UNSIGNED_TRAILER,
      headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(plain.length), 'x-amz-trailer': 'x-amz-checksum-crc32', 'content-length': String(short.length) }
    });
    expectS3Error(await send(w3, short), 'IncompleteBody', 400);
    await expectAbsent('chunked/truncated-trailer');
  });

  it('a chunked body longer than x-amz-decoded-content-length: refused 400; nothing created', async () => {
    const data = chunks();
    const total = data.reduce((n, c) => n + c.length, 0);
    const { wire, signing } = await signedChunkedPut('chunked/too-long', data, { decodedLength: total - 500 });
    expectS3Error(await send(wire, signedChunkedBody(signing, data)), 'InvalidRequest', 400);
    await settled(200);
    await expectAbsent('chunked/too-long');
    // And shorter than it says.
    const w2 = await signedChunkedPut('chunked/too-short', data, { decodedLength: total + 500 });
    expectS3Error(await send(w2.wire, signedChunkedBody(w2.signing, data)), 'IncompleteBody', 400);
    await expectAbsent('chunked/too-short');
  });

  it('a wrong trailer checksum: BadDigest 400 (unsigned and signed trailers); a trailer changed after signing: SignatureDoesNotMatch 403', async () => {
    const plain = random(3 * 64 * 1024 + 99);
    const unsigned = async (key: string, value: string): Promise<Reply> => {
      const body = unsignedTrailerBody(plain, 64 * 1024, 'x-amz-checksum-crc32', value);
      const w = await sign({
        method: 'PUT',
        path: keyPath(BUCKET, key),
        payloadHash: STREAMING_UNSIGNED_TRAILER,
        headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(plain.length), 'x-amz-trailer': 'x-amz-checksum-crc32', 'content-length': String(body.length) }
      });
      return await send(w, body);
    };
    const good = await unsigned('trailer/good', crc32Base64(plain));
    expect(good.status, good.body.toString()).toBe(200);
    expect(good.headers['x-amz-checksum-crc32']).toBe(crc32Base64(plain));
    expectS3Error(await unsigned('trailer/bad', crc32Base64(random(8))), 'BadDigest', 400);
    await settled(200);
    await expectAbsent('trailer/bad');
    const kept = await original('trailer/kept');
    expectS3Error(await unsigned('trailer/kept', crc32Base64(random(8))), 'BadDigest', 400);
    await expectIntact('trailer/kept', kept);

    // Signed chunks and a signed trailer.
    const data = [plain.subarray(0, 64 * 1024), plain.subarray(64 * 1024)];
    const right = crc32Base64(plain);
    const wrong = crc32Base64(random(8));
    const trailerBytes = (value: string): number => Buffer.byteLength(`x-amz-checksum-crc32:${value}\r\nx-amz-trailer-signature:${'0'.repeat(64)}\r\n\r\n`);
    const signedTrailer = async (key: string, value: string, signedValue: string): Promise<Reply> => {
      const { wire, signing } = await signedChunkedPut(key, data, { trailer: 'x-amz-checksum-crc32', trailerBytes: trailerBytes(value) });
      return await send(wire, signedChunkedBody(signing, data, { trailer: { header: 'x-amz-checksum-crc32', value, signedValue } }));
    };
    const ok = await signedTrailer('trailer/signed-good', right, right);
    expect(ok.status, ok.body.toString()).toBe(200);
    expect((await bodyOf('trailer/signed-good')).equals(plain)).toBe(true);
    expectS3Error(await signedTrailer('trailer/signed-bad', wrong, wrong), 'BadDigest', 400);
    await expectAbsent('trailer/signed-bad');
    expectS3Error(await signedTrailer('trailer/signed-changed', wrong, right), 'SignatureDoesNotMatch', 403);
    await expectAbsent('trailer/signed-changed');
  });
});

describe('a client that goes away', () => {
  it('disconnecting mid-upload of a multi-megabyte body leaves no object, and the gateway serves the next requests', async () => {
    const declared = 8 * 1024 * 1024;
    const body = random(declared);
    const cuts = [3 * 1024 * 1024, 5 * 1024 * 1024 + 7, 100];
    await Promise.all(
      cuts.map(async (sent, i) => {
        const w = await sign({ method: 'PUT', path: keyPath(BUCKET, `gone/${i}`), payloadHash: UNSIGNED, headers: { 'content-length': String(declared) } });
        const parts: Buffer[] = [];
        for (let at = 0; at < sent; at += 256 * 1024) parts.push(body.subarray(at, Math.min(sent, at + 256 * 1024)));
        await rawExchange(w, parts, 'destroy');
      })
    );
    // An aws-chunked upload cut off the same way.
    const data = [random(1024 * 1024), random(1024 * 1024), random(1024 * 1024)];
    const { wire, signing } = await signedChunkedPut('gone/chunked', data);
    await rawExchange(wire, [signedChunkedBody(signing, data).subarray(0, 2 * 1024 * 1024 + 100)], 'destroy');
    await settled(2000);
    for (let i = 0; i < cuts.length; i++) await expectAbsent(`gone/${i}`);
    await expectAbsent('gone/chunked');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'gone/' }));
    expect(listed.Contents ?? []).toEqual([]);
    // Served as ever: a PUT and a GET through the SDK, and a raw one.
    const after = random(2 * TEST_SEGMENT + 1);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone/after', Body: after }));
    expect((await bodyOf('gone/after')).equals(after)).toBe(true);
    const raw = await send(await sign({ method: 'GET', path: keyPath(BUCKET, 'gone/after'), payloadHash: UNSIGNED }));
    expect(raw.status).toBe(200);
    expect(raw.body.equals(after)).toBe(true);
  });
});

describe('DeleteObjects', () => {
  const deleteXml = (keys: string[]): Buffer => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`);
  const deleteRequest = (body: Buffer, headers: Record<string, string> = { 'content-md5': md5Base64(body) }): Promise<Wire> =>
    sign({ method: 'POST', path: `/${BUCKET}`, query: { delete: '' }, payloadHash: sha256Hex(body), headers: { 'content-length': String(body.length), 'content-type': 'application/xml', ...headers } });

  it('an oversized body (3 MiB, Content-Length declared): MaxMessageLengthExceeded (or MalformedXML) 400; nothing deleted', async () => {
    const kept = await original('del/kept');
    const names = ['del/kept', ...Array.from({ length: 60_000 }, (_, i) => `del/${'x'.repeat(30)}-${i}`)];
    const huge = deleteXml(names);
    expect(huge.length).toBeGreaterThan(3 * 1024 * 1024);
    const reply = await send(await deleteRequest(huge), huge);
    await expectIntact('del/kept', kept);
    expectS3Error(reply, ['MaxMessageLengthExceeded', 'MalformedXML'], 400, 'oversized');
  });

  it('more than 1000 keys, or XML that does not close: MalformedXML 400; nothing deleted', async () => {
    const kept = await original('del/kept1');
    const many = deleteXml(['del/kept1', ...Array.from({ length: 1000 }, (_, i) => `del/k${i}`)]);
    expectS3Error(await send(await deleteRequest(many), many), 'MalformedXML', 400, '1001 keys');
    await expectIntact('del/kept1', kept);
    const broken = Buffer.from('<Delete><Object><Key>del/kept1</Key></Object>');
    expectS3Error(await send(await deleteRequest(broken), broken), 'MalformedXML', 400, 'unclosed');
    await expectIntact('del/kept1', kept);
  });

  it('without Content-MD5 (or a checksum): InvalidRequest 400; a wrong Content-MD5: BadDigest 400; nothing deleted', async () => {
    const kept = await original('del/kept2');
    const body = deleteXml(['del/kept2']);
    expectS3Error(await send(await deleteRequest(body, {}), body), 'InvalidRequest', 400);
    await expectIntact('del/kept2', kept);
    expectS3Error(await send(await deleteRequest(body, { 'content-md5': md5Base64('other') }), body), 'BadDigest', 400);
    await expectIntact('del/kept2', kept);
    // With it, the delete is done (the control).
    const done = await send(await deleteRequest(body), body);
    expect(done.status, done.body.toString()).toBe(200);
    await expectAbsent('del/kept2');
  });
});

describe('keys that look like paths', () => {
  it("'..', '%2e%2e', '.' and encoded slashes stay literal keys inside their bucket", async () => {
    // The raw path as sent, and the key it must name.
    const cases: [string, string][] = [
      ['/trav/../t1', '../t1'],
      ['/trav/%2e%2e/t2', '../t2'],
      ['/trav/a/../../t3', 'a/../../t3'],
      ['/trav/..%2F..%2Fother%2Ft4', '../../other/t4'],
      ['/trav/./t5', './t5'],
      ['/trav/%2E%2E%5Ct6', '..\\t6'],
      ['/trav/..', '..']
    ];
    for (const [path, key] of cases) {
      const body = Buffer.from(`at ${key}`);
      const put = await sign({ method: 'PUT', path, payloadHash: sha256Hex(body), headers: { 'content-length': String(body.length) } });
      const r = await send(put, body);
      expect(r.status, `${path}: ${r.body.toString()}`).toBe(200);
      // Read back under the same raw path and under the key's canonical path.
      const again = await send(await sign({ method: 'GET', path, payloadHash: UNSIGNED }));
      expect([path, again.status, again.body.toString()]).toEqual([path, 200, `at ${key}`]);
      const canonical = await send(await sign({ method: 'GET', path: keyPath('trav', key), payloadHash: UNSIGNED }));
      expect([path, canonical.status, canonical.body.toString()]).toEqual([path, 200, `at ${key}`]);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'trav' }));
    expect((listed.Contents ?? []).map((c) => c.Key).sort()).toEqual(cases.map(([, k]) => k).sort());
    // Nothing landed in another bucket or at a key the dots would resolve to.
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'other' }))).Contents ?? []).toEqual([]);
    for (const k of ['t1', 't2', 't3', 't5', 'other/t4']) await expectAbsent(k, 'trav');
    await expectAbsent('t4', 'other');
    // A bucket named '..' is no bucket.
    const body = Buffer.from('x');
    const r = await send(await sign({ method: 'PUT', path: '/%2e%2e/x', payloadHash: sha256Hex(body), headers: { 'content-length': '1' } }), body);
    expectS3Error(r, ['InvalidBucketName', 'NoSuchBucket'], r.status === 404 ? 404 : 400);
  });
});

describe('the bucket of another access', () => {
  it('is neither visible nor readable nor writable with the first access; a bucket of the same name is its own', async () => {
    const satAddr = net.satellite.multiaddrs()[0]!.replace(/\/p2p\/.*$/, '');
    const apiKey = await net.satellite.apiKeys.create('second');
    const second = await net.gateway.register(createAccess(`${net.satellite.id}@${satAddr}`, apiKey.key));
    expect(second.accessKeyId).not.toBe(net.accessKeyId);
    const s3b = new S3Client({ endpoint: net.gateway.endpoint, region: REGION, forcePathStyle: true, credentials: { accessKeyId: second.accessKeyId, secretAccessKey: second.secretKey } });
    try {
      await s3b.send(new CreateBucketCommand({ Bucket: 'second-private' }));
      await s3b.send(new PutObjectCommand({ Bucket: 'second-private', Key: 'secret', Body: 'the second access only' }));

      // Not listed, not found, not readable, not copyable.
      expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).not.toContain('second-private');
      await expect(s3.send(new HeadBucketCommand({ Bucket: 'second-private' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
      const get = await send(await sign({ method: 'GET', path: keyPath('second-private', 'secret'), payloadHash: UNSIGNED }));
      expectS3Error(get, 'NoSuchBucket', 404, 'GET');
      expect(get.body.toString()).not.toContain('the second access only');
      expectS3Error(await send(await sign({ method: 'GET', path: '/second-private', query: { 'list-type': '2' }, payloadHash: UNSIGNED })), 'NoSuchBucket', 404, 'ListObjectsV2');
      await expect(s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'stolen', CopySource: 'second-private/secret' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
      await expectAbsent('stolen');

      // Not writable: PUT, DELETE, DeleteObjects.
      const body = Buffer.from('from the first access');
      expectS3Error(await send(await sign({ method: 'PUT', path: keyPath('second-private', 'intruder'), payloadHash: sha256Hex(body), headers: { 'content-length': String(body.length) } }), body), 'NoSuchBucket', 404, 'PUT');
      expectS3Error(await send(await sign({ method: 'DELETE', path: keyPath('second-private', 'secret'), payloadHash: UNSIGNED })), 'NoSuchBucket', 404, 'DELETE');
      const del = Buffer.from('<Delete><Object><Key>secret</Key></Object></Delete>');
      expectS3Error(
        await send(await sign({ method: 'POST', path: '/second-private', query: { delete: '' }, payloadHash: sha256Hex(del), headers: { 'content-length': String(del.length), 'content-md5': md5Base64(del) } }), del),
        'NoSuchBucket',
        404,
        'DeleteObjects'
      );
      expectS3Error(await send(await sign({ method: 'DELETE', path: '/second-private', payloadHash: UNSIGNED })), 'NoSuchBucket', 404, 'DeleteBucket');
      // The second access's key id signed with the first's secret.
      expectS3Error(await send(await sign({ method: 'GET', path: keyPath('second-private', 'secret'), payloadHash: UNSIGNED, accessKeyId: second.accessKeyId, secret: net.secretKey })), 'SignatureDoesNotMatch', 403, 'mixed credentials');

      // The first access may have a bucket of the same name: its own, apart.
      await s3.send(new CreateBucketCommand({ Bucket: 'second-private' }));
      await s3.send(new PutObjectCommand({ Bucket: 'second-private', Key: 'mine', Body: 'first' }));
      expect((await s3.send(new ListObjectsV2Command({ Bucket: 'second-private' }))).Contents?.map((c) => c.Key)).toEqual(['mine']);
      expect((await s3b.send(new ListObjectsV2Command({ Bucket: 'second-private' }))).Contents?.map((c) => c.Key)).toEqual(['secret']);
      expect((await bodyOf('secret', 'second-private', s3b)).toString()).toBe('the second access only');
      await expectAbsent('intruder', 'second-private', s3b);
      // And the second sees none of the first's buckets.
      await expect(s3b.send(new HeadBucketCommand({ Bucket: BUCKET }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    } finally {
      s3b.destroy();
    }
  });
});
