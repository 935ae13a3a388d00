// The gateway over TLS (--tls-cert, --tls-key) with virtual-hosted-style addressing (--domain):
// the AWS SDK addresses buckets as BUCKET.s3.test (resolved to loopback by the test's agent), and
// path style still works on the same gateway.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../node/fixtures/dirs.js';
import { startGatewayNetwork, type GatewayNetwork } from './fixtures/network.js';

let net: GatewayNetwork;
let port: string;
let ca: Buffer;

beforeAll(async () => {
  const dir = tempDir();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const conf = join(dir, 'openssl.cnf');
  writeFileSync(conf, '[req]\ndistinguished_name=dn\nx509_extensions=ext\nprompt=no\n[dn]\nCN=s3.test\n[ext]\nsubjectAltName=DNS:s3.test,DNS:*.s3.test\n');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-keyout', key, '-out', cert, '-config', conf], { stdio: 'ignore' });
  ca = readFileSync(cert);
  net = await startGatewayNetwork({ gateway: { tlsCert: cert, tlsKey: key, domain: 's3.test' } });
  port = new URL(net.gateway.endpoint).port;
}, 60_000);

afterAll(async () => {
  await net?.stop();
});

/** An S3 client reaching s3.test and its subdomains at the gateway on loopback, trusting its certificate. */
function client(pathStyle: boolean): S3Client {
  const agent = new Agent({ ca, lookup: (_host, _opts, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }] as never, 4) });
  return net.s3({ endpoint: `https://s3.test:${port}`, forcePathStyle: pathStyle, requestHandler: new NodeHttpHandler({ httpsAgent: agent }) });
}

describe('TLS and virtual-hosted-style addressing', () => {
  it('serves https and names the bucket by the host under --domain, path style too', async () => {
    expect(net.gateway.endpoint).toMatch(/^https:\/\//);
    const vhost = client(false);
    await vhost.send(new CreateBucketCommand({ Bucket: 'vhost-bucket' }));
    await vhost.send(new PutObjectCommand({ Bucket: 'vhost-bucket', Key: 'dir/a b.txt', Body: 'over tls' }));
    const got = await vhost.send(new GetObjectCommand({ Bucket: 'vhost-bucket', Key: 'dir/a b.txt' }));
    expect(await got.Body!.transformToString()).toBe('over tls');
    const path = client(true);
    const listed = await path.send(new ListObjectsV2Command({ Bucket: 'vhost-bucket' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['dir/a b.txt']);
    // Plain HTTP to the TLS port is not served.
    await expect(fetch(`http://127.0.0.1:${port}/_stowage/health`)).rejects.toThrow();
  });
});
