// The gateway's SigV4 checks against the AWS SDK's own signer (@smithy/signature-v4, as
// @aws-sdk/client-s3 configures it for S3): every request it signs or presigns verifies; any change
// to what was signed, another secret, a clock too far off, an expired URL does not, each with S3's
// error code.
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyPath, wireQuery } from './fixtures/wire.js';
import { UNSIGNED_PAYLOAD, verifySigV4, type SigV4Request } from '../../src/gateway/index.js';

const REGION = 'us-east-1';
const KEY = { accessKeyId: 'AKIDSTOWAGETEST00001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const secrets = (id: string): string | undefined => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined);
const NOW = Date.UTC(2026, 11, 1, 12, 30, 15);

const signer = (secretAccessKey = KEY.secretAccessKey): SignatureV4 =>
  // As the S3 client sets it up: the path is signed as sent (already encoded), not escaped again.
  new SignatureV4({ credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey }, region: REGION, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: true });

type Query = Record<string, string | string[] | null>;


interface Case {
  method: string;
  path: string;
  query?: Query;
  headers?: Record<string, string>;
  payloadHash?: string;
}

/** Signs `c` with the SDK's signer at `at` and returns it as the gateway would see it on the wire. */
async function signed(c: Case, at = NOW, secret?: string): Promise<SigV4Request> {
  const headers: Record<string, string> = { host: '127.0.0.1:9000', 'x-amz-content-sha256': c.payloadHash ?? UNSIGNED_PAYLOAD, ...c.headers };
  const out = await signer(secret).sign({ method: c.method, protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: c.path, query: c.query ?? {}, headers }, { signingDate: new Date(at) });
  return { method: c.method, path: c.path, query: wireQuery((out.query ?? {})), headers: Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k.toLowerCase(), v])) };
}

/** Presigns `c` as @aws-sdk/s3-request-presigner does (UNSIGNED-PAYLOAD, hoisted into the query). */
async function presigned(c: Case, expiresIn: number, at = NOW): Promise<SigV4Request> {
  const headers = { host: '127.0.0.1:9000', 'x-amz-content-sha256': UNSIGNED_PAYLOAD, ...c.headers };
  const out = await signer().presign({ method: c.method, protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: c.path, query: c.query ?? {}, headers }, { signingDate: new Date(at), expiresIn });
  return { method: c.method, path: c.path, query: wireQuery((out.query ?? {})), headers: Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k.toLowerCase(), v])) };
}

const verify = (req: SigV4Request, now = NOW) => verifySigV4(req, secrets, now, { region: REGION });

const cases: Case[] = [
  { method: 'GET', path: '/', headers: {} },
  { method: 'GET', path: '/photos', query: { 'list-type': '2', prefix: 'a b/c+d', delimiter: '/', 'max-keys': '10', 'continuation-token': 'x+y=z&w', 'encoding-type': 'url' } },
  { method: 'PUT', path: keyPath('photos', 'dir/naïve file!(1)*.txt'), payloadHash: createHash('sha256').update('hello').digest('hex'), headers: { 'content-type': 'text/plain', 'x-amz-meta-note': '  two   spaces  ', 'content-md5': 'XUFAKrxLKna5cZ2REBfFkg==' } },
  { method: 'POST', path: keyPath('photos', 'big.bin'), query: { uploads: '' } },
  { method: 'PUT', path: keyPath('photos', 'big.bin'), query: { partNumber: '7', uploadId: 'abc~_-.%/=' }, payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', headers: { 'x-amz-decoded-content-length': '5', 'x-amz-trailer': 'x-amz-checksum-crc32' } },
  { method: 'GET', path: keyPath('photos', 'κλειδί/日本語'), headers: { range: 'bytes=0-99', 'if-none-match': '"abc"' } },
  { method: 'DELETE', path: keyPath('photos', "it's a key with 'quotes' and ~tilde"), query: { versionId: 'null' } }
];

describe('SigV4 in the Authorization header', () => {
  it('verifies every request the SDK signs, and names its key, scope and payload hash', async () => {
    for (const c of cases) {
      const req = await signed(c);
      const v = await verify(req).catch((e: unknown) => {
        throw new Error(`${c.method} ${c.path} ${JSON.stringify(req)}: ${(e as Error).message}`);
      });
      expect([c.path, v.accessKeyId, v.scope, v.payloadHash, v.presigned]).toEqual([c.path, KEY.accessKeyId, '20261201/us-east-1/s3/aws4_request', c.payloadHash ?? UNSIGNED_PAYLOAD, false]);
      expect(v.signature).toBe(/Signature=([0-9a-f]{64})/.exec(req.headers.authorization!)![1]);
    }
  });

  it('refuses any change to what was signed: method, path, query, a signed header, the payload hash', async () => {
    const req = await signed(cases[2]!);
    const changed: SigV4Request[] = [
      { ...req, method: 'POST' },
      { ...req, path: keyPath('photos', 'dir/naïve file!(2)*.txt') },
      { ...req, query: 'acl' },
      { ...req, headers: { ...req.headers, 'content-type': 'text/html' } },
      { ...req, headers: { ...req.headers, 'x-amz-content-sha256': createHash('sha256').update('hellp').digest('hex') } },
      { ...req, headers: { ...req.headers, authorization: req.headers.authorization!.replace(/Signature=(.)/, (_, c: string) => `Signature=${c === '0' ? '1' : '0'}`) } }
    ];
    for (const r of changed) await expect(verify(r)).rejects.toMatchObject({ s3Code: 'SignatureDoesNotMatch', status: 403 });
    // A header it did not sign may change.
    await expect(verify({ ...req, headers: { ...req.headers, 'user-agent': 'other' } })).resolves.toMatchObject({ accessKeyId: KEY.accessKeyId });
    // A signed header taken away.
    const { 'content-type': _gone, ...without } = req.headers;
    await expect(verify({ ...req, headers: without })).rejects.toMatchObject({ s3Code: 'AccessDenied' });
  });

  it('refuses another secret, an unknown key, a clock off by more than 15 minutes, another region', async () => {
    await expect(verify(await signed(cases[1]!, NOW, 'not-the-secret'))).rejects.toMatchObject({ s3Code: 'SignatureDoesNotMatch' });
    const req = await signed(cases[1]!);
    await expect(verify({ ...req, headers: { ...req.headers, authorization: req.headers.authorization!.replace(KEY.accessKeyId, 'AKIDUNKNOWN') } })).rejects.toMatchObject({ s3Code: 'InvalidAccessKeyId', status: 403 });
    await expect(verify(req, NOW + 15 * 60_000)).resolves.toBeDefined();
    await expect(verify(req, NOW + 15 * 60_000 + 1000)).rejects.toMatchObject({ s3Code: 'RequestTimeTooSkewed', status: 403 });
    await expect(verify(req, NOW - 15 * 60_000 - 1000)).rejects.toMatchObject({ s3Code: 'RequestTimeTooSkewed' });
    await expect(verifySigV4(req, secrets, NOW, { region: 'eu-west-1' })).rejects.toMatchObject({ s3Code: 'AuthorizationHeaderMalformed', status: 400 });
  });

  it('answers malformed or missing signatures with the code S3 uses', async () => {
    const req = await signed(cases[0]!);
    const auth = (authorization: string): SigV4Request => ({ ...req, headers: { ...req.headers, authorization } });
    await expect(verify(auth('AWS AKID:abc'))).rejects.toMatchObject({ s3Code: 'InvalidRequest' });
    await expect(verify(auth('AWS4-HMAC-SHA256 Credential=AKID/20261201/us-east-1/s3/aws4_request'))).rejects.toMatchObject({ s3Code: 'AuthorizationHeaderMalformed' });
    await expect(verify(auth(req.headers.authorization!.replace('aws4_request', 'aws5_request')))).rejects.toMatchObject({ s3Code: 'AuthorizationHeaderMalformed' });
    await expect(verify(auth(req.headers.authorization!.replace('SignedHeaders=host;', 'SignedHeaders=')))).rejects.toMatchObject({ s3Code: 'AuthorizationHeaderMalformed' });
    const { authorization: _a, ...anonymous } = req.headers;
    await expect(verify({ ...req, headers: anonymous })).rejects.toMatchObject({ s3Code: 'AccessDenied', status: 403 });
    const { 'x-amz-content-sha256': _h, ...noHash } = req.headers;
    await expect(verify({ ...req, headers: noHash })).rejects.toMatchObject({ s3Code: 'InvalidRequest' });
    await expect(verify({ ...req, path: '/bad%zzpath' })).rejects.toMatchObject({ s3Code: 'InvalidURI', status: 400 });
  });
});

describe('SigV4 presigned URLs', () => {
  it('verify until they expire, then AccessDenied; never for longer than 7 days; any change refused', async () => {
    const get = cases[5]!;
    const { headers: _h, ...noHeaders } = get;
    const req = await presigned(noHeaders, 300);
    const v = await verify(req, NOW + 299_000);
    expect([v.presigned, v.payloadHash]).toEqual([true, UNSIGNED_PAYLOAD]);
    await expect(verify(req, NOW + 301_000)).rejects.toMatchObject({ s3Code: 'AccessDenied', message: 'Request has expired' });
    await expect(verify({ ...req, query: req.query.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000') }, NOW + 301_000)).rejects.toMatchObject({ s3Code: 'SignatureDoesNotMatch' });
    await expect(verify({ ...req, query: req.query.replace('X-Amz-Expires=300', 'X-Amz-Expires=604801') })).rejects.toMatchObject({ s3Code: 'AuthorizationQueryParametersError' });
    await expect(verify({ ...req, path: keyPath('photos', 'other') })).rejects.toMatchObject({ s3Code: 'SignatureDoesNotMatch' });
    // A presigned PUT with a signed header: the header must come as signed.
    const put = await presigned({ method: 'PUT', path: keyPath('photos', 'up.txt'), headers: { 'content-type': 'text/plain' } }, 60);
    await expect(verify(put)).resolves.toMatchObject({ presigned: true });
    await expect(verify({ ...put, headers: { ...put.headers, 'content-type': 'image/png' } })).rejects.toMatchObject({ s3Code: 'SignatureDoesNotMatch' });
  });
});
