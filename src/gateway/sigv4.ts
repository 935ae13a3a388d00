// AWS Signature Version 4 as S3 checks it, for the gateway (issue 22): the Authorization header
// and presigned URLs (query parameters). Plain functions over the request's method, raw path,
// raw query and headers: no HTTP server here. The seed signature and signing key it returns are
// what the chunk signatures of an `aws-chunked` body chain from.
// Reference: docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html and
// sigv4-query-string-auth.html; checked against @smithy/signature-v4 in test/gateway.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from './errors.js';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** Largest clock difference S3 accepts between a signed request and the server. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** Longest a presigned URL may be valid (7 days, as S3). */
export const MAX_PRESIGN_EXPIRES_S = 7 * 24 * 3600;
/** The payload hash of a body not signed. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** A request as it came on the wire. */
export interface SigV4Request {
  method: string;
  /** The path as sent (percent-encoded), without the query. */
  path: string;
  /** The raw query string, without '?'. */
  query: string;
  /** Header names in lowercase; a repeated header's values joined with ','. */
  headers: Readonly<Record<string, string | undefined>>;
}

/** What a verified request is signed as. */
export interface VerifiedSignature {
  accessKeyId: string;
  /** The payload's declared hash: hex SHA-256, UNSIGNED-PAYLOAD, or a STREAMING-* mode. */
  payloadHash: string;
  presigned: boolean;
  /** The request's signature: the first chunk signature of a signed aws-chunked body chains from it. */
  signature: string;
  /** `date/region/s3/aws4_request`. */
  scope: string;
  /** The request's time as signed, `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  /** The key that signed it (HMAC chain of the secret, the date, the region and the service). */
  signingKey: Buffer;
}

/** The secret of an access key id; undefined for a key the gateway does not know. */
export type SecretLookup = (accessKeyId: string) => string | undefined | Promise<string | undefined>;

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Uint8Array | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** The signing key: HMAC("AWS4" + secret, date) then region, service and "aws4_request". */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, the rest %XX in capitals. */
export function uriEncode(text: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Percent-decoding that refuses malformed escapes (a clear error, not a thrown URIError). */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidURI', 400, `could not decode '${text.slice(0, 100)}'`);
  }
}

/**
 * The canonical query: every parameter (but `omit`) decoded and encoded again, sorted by key
 * then value. A parameter without '=' has the empty value.
 */
export function canonicalQuery(query: string, omit?: string): string {
  if (query === '') return '';
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = uriEncode(decode(eq < 0 ? part : part.slice(0, eq)));
    if (key === omit) continue;
    pairs.push([key, uriEncode(decode(eq < 0 ? '' : part.slice(eq + 1)))]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** The query's parameters, decoded (the last value of a repeated one). */
export function queryParams(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    out.set(decode(eq < 0 ? part : part.slice(0, eq)), decode(eq < 0 ? '' : part.slice(eq + 1)));
  }
  return out;
}

/**
 * The canonical paths to try: each segment decoded and encoded again (what most clients sign),
 * then the path exactly as sent (what a client signs that sends characters such as '!' raw).
 */
function canonicalPaths(path: string): string[] {
  const reencoded = path
    .split('/')
    .map((s) => uriEncode(decode(s)))
    .join('/');
  return reencoded === path ? [path || '/'] : [reencoded || '/', path || '/'];
}

function canonicalHeaders(req: SigV4Request, signed: readonly string[]): string {
  let out = '';
  for (const name of signed) {
    const value = req.headers[name];
    if (value === undefined) throw new S3Error('AccessDenied', 403, `the signed header '${name}' is missing from the request`);
    out += `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  }
  return out;
}

/** The canonical request of SigV4 (method, path, query, headers, signed headers, payload hash). */
export function canonicalRequest(req: SigV4Request, path: string, query: string, signedHeaders: readonly string[], payloadHash: string): string {
  return [req.method.toUpperCase(), path, query, canonicalHeaders(req, signedHeaders), signedHeaders.join(';'), payloadHash].join('\n');
}

/** The string to sign of a canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

interface Parsed {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadHash: string;
  presigned: boolean;
  expiresS?: number;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseAmzDate(text: string | undefined): number {
  const m = AMZ_DATE.exec(text ?? '');
  if (!m) throw new S3Error('AccessDenied', 403, `the request's date '${(text ?? '').slice(0, 40)}' is not YYYYMMDDTHHMMSSZ`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function parseCredential(text: string, malformed: (why: string) => S3Error): Pick<Parsed, 'accessKeyId' | 'date' | 'region' | 'service'> {
  const parts = text.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]!) || parts[0] === '') throw malformed(`the credential '${text.slice(0, 200)}' is not ACCESS_KEY/DATE/REGION/SERVICE/aws4_request`);
  return { accessKeyId: parts[0]!, date: parts[1]!, region: parts[2]!, service: parts[3]! };
}

function parseSignedHeaders(text: string, malformed: (why: string) => S3Error): string[] {
  const names = text.split(';');
  if (names.some((n) => !/^[a-z0-9-]+$/.test(n))) throw malformed(`signed headers '${text.slice(0, 200)}' are not lowercase names separated by ';'`);
  if (!names.includes('host')) throw malformed('the host header must be signed');
  return names;
}

/** The signature's parts, from the Authorization header or the X-Amz-* query parameters. */
function parse(req: SigV4Request): Parsed {
  const auth = req.headers.authorization;
  const params = queryParams(req.query);
  if (auth !== undefined) {
    const malformed = (why: string): S3Error => new S3Error('AuthorizationHeaderMalformed', 400, why);
    if (!auth.startsWith(`${SIGV4_ALGORITHM} `)) throw new S3Error('InvalidRequest', 400, `only ${SIGV4_ALGORITHM} signatures are accepted`);
    const fields = new Map<string, string>();
    for (const f of auth.slice(SIGV4_ALGORITHM.length + 1).split(',')) {
      const eq = f.indexOf('=');
      if (eq > 0) fields.set(f.slice(0, eq).trim(), f.slice(eq + 1).trim());
    }
    const credential = fields.get('Credential');
    const signed = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    if (credential === undefined || signed === undefined || signature === undefined) throw malformed('the Authorization header needs Credential, SignedHeaders and Signature');
    const payloadHash = req.headers['x-amz-content-sha256'];
    if (payloadHash === undefined) throw new S3Error('InvalidRequest', 400, 'x-amz-content-sha256 is missing: S3 requests signed in the header must declare their payload hash');
    return {
      ...parseCredential(credential, malformed),
      signedHeaders: parseSignedHeaders(signed, malformed),
      signature,
      amzDate: req.headers['x-amz-date'] ?? '',
      payloadHash,
      presigned: false
    };
  }
  if (params.has('X-Amz-Algorithm')) {
    const malformed = (why: string): S3Error => new S3Error('AuthorizationQueryParametersError', 400, why);
    if (params.get('X-Amz-Algorithm') !== SIGV4_ALGORITHM) throw malformed(`X-Amz-Algorithm must be ${SIGV4_ALGORITHM}`);
    const need = (k: string): string => {
      const v = params.get(k);
      if (v === undefined || v === '') throw malformed(`${k} is missing`);
      return v;
    };
    const expires = Number(need('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_EXPIRES_S) throw malformed(`X-Amz-Expires must be 1 to ${MAX_PRESIGN_EXPIRES_S} seconds`);
    return {
      ...parseCredential(need('X-Amz-Credential'), malformed),
      signedHeaders: parseSignedHeaders(need('X-Amz-SignedHeaders'), malformed),
      signature: need('X-Amz-Signature'),
      amzDate: need('X-Amz-Date'),
      // A presigned request's body is not signed (the SDK's presigner puts UNSIGNED-PAYLOAD in
      // the query as X-Amz-Content-Sha256; S3 takes the same when it is absent).
      payloadHash: params.get('X-Amz-Content-Sha256') ?? req.headers['x-amz-content-sha256'] ?? UNSIGNED_PAYLOAD,
      presigned: true,
      expiresS: expires
    };
  }
  throw new S3Error('AccessDenied', 403, 'the request is not signed (anonymous access is not allowed)');
}

/**
 * Verifies the request's SigV4 signature (header or presigned) against the secret of its access
 * key, the clock (`now`, ms) and the gateway's region. Throws an S3Error with S3's code:
 * InvalidAccessKeyId, SignatureDoesNotMatch, RequestTimeTooSkewed, AccessDenied (expired), and
 * the malformed ones.
 */
export async function verifySigV4(req: SigV4Request, secretOf: SecretLookup, now: number, options: { region: string; maxSkewMs?: number }): Promise<VerifiedSignature> {
  const p = parse(req);
  if (p.service !== 's3') throw new S3Error('AuthorizationHeaderMalformed', 400, `the credential's service is '${p.service}', not s3`);
  if (p.region !== options.region) throw new S3Error('AuthorizationHeaderMalformed', 400, `the credential's region '${p.region}' is wrong; expecting '${options.region}'`);
  const at = parseAmzDate(p.amzDate);
  if (!p.amzDate.startsWith(p.date)) throw new S3Error('AuthorizationHeaderMalformed', 400, `the credential's date ${p.date} is not the request's (${p.amzDate})`);
  const skew = options.maxSkewMs ?? MAX_CLOCK_SKEW_MS;
  if (p.presigned) {
    if (at - skew > now) throw new S3Error('AccessDenied', 403, 'the presigned request is not valid yet');
    if (now > at + p.expiresS! * 1000) throw new S3Error('AccessDenied', 403, 'Request has expired');
  } else if (Math.abs(now - at) > skew) {
    throw new S3Error('RequestTimeTooSkewed', 403, `the request's time ${p.amzDate} differs from the server's by more than ${skew / 60_000} minutes`);
  }
  // Every x-amz-* header must be signed, as S3 demands: the gateway acts on them (a copy source,
  // a metadata directive, a checksum), so an unsigned one added to a presigned URL or by anyone on
  // the way would change what the signer allowed (review 17 H1).
  const unsigned = Object.keys(req.headers).filter((n) => n.startsWith('x-amz-') && req.headers[n] !== undefined && !p.signedHeaders.includes(n));
  if (unsigned.length > 0) throw new S3Error('AccessDenied', 403, `there were headers present in the request which were not signed: ${unsigned.slice(0, 5).join(', ')}`);
  const secret = await secretOf(p.accessKeyId);
  if (secret === undefined) throw new S3Error('InvalidAccessKeyId', 403, `the access key id ${p.accessKeyId} is not known to this gateway`);
  const scope = `${p.date}/${p.region}/${p.service}/aws4_request`;
  const key = signingKey(secret, p.date, p.region, p.service);
  const query = canonicalQuery(req.query, p.presigned ? 'X-Amz-Signature' : undefined);
  const given = Buffer.from(p.signature, 'utf8');
  for (const path of canonicalPaths(req.path)) {
    const expected = Buffer.from(hmac(key, stringToSign(p.amzDate, scope, canonicalRequest(req, path, query, p.signedHeaders, p.payloadHash))).toString('hex'), 'utf8');
    if (expected.length === given.length && timingSafeEqual(expected, given)) {
      return { accessKeyId: p.accessKeyId, payloadHash: p.payloadHash, presigned: p.presigned, signature: p.signature, scope, amzDate: p.amzDate, signingKey: key };
    }
  }
  throw new S3Error('SignatureDoesNotMatch', 403, 'the request signature we calculated does not match the signature you provided: check your key and signing method');
}
