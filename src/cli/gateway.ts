// `stowage gateway run` (the S3 gateway) and `stowage gateway register` (S3 credentials for an
// access, from the running gateway).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { StowageError } from '../common/index.js';
import { GATEWAY_DEFAULTS, GATEWAY_PATH, S3Gateway, loadGatewayConfig } from '../gateway/index.js';
import { DEFAULT_DEVNET_DIR, resolveAccess } from './objects.js';
import { untilStopSignal } from './signals.js';

export const GATEWAY_USAGE = `usage: stowage gateway run [options]
       stowage gateway register [--access ACCESS] [--url URL] [--json]

run options (environment variable in brackets; defaults in the README):
  --data-dir DIR         the credential store [STOWAGE_GATEWAY_DATA_DIR] (./stowage-gateway)
  --listen HOST:PORT     the S3 endpoint [STOWAGE_GATEWAY_LISTEN] (127.0.0.1:7777)
  --domain NAME          virtual-hosted-style addressing: BUCKET.NAME names BUCKET [STOWAGE_GATEWAY_DOMAIN] ('': path style only)
  --region NAME          the region clients sign for [STOWAGE_GATEWAY_REGION] (us-east-1)
  --tls-cert FILE        PEM certificate, with --tls-key: HTTPS [STOWAGE_GATEWAY_TLS_CERT]
  --tls-key FILE         PEM private key [STOWAGE_GATEWAY_TLS_KEY]
  --satellite PEER_ID    repeatable: accept accesses of this satellite only [STOWAGE_GATEWAY_SATELLITES] (any)
  --registration BOOL    serve POST ${GATEWAY_PATH}register [STOWAGE_GATEWAY_REGISTRATION] (true)
  --segment-size BYTES   plaintext bytes per segment uploaded [STOWAGE_GATEWAY_SEGMENT_SIZE] (33554432)
  --upload-memory BYTES  buffers of uploads in progress at once; more wait [STOWAGE_GATEWAY_UPLOAD_MEMORY] (268435456)
  --download-memory BYTES  buffers of downloads in progress at once (3 x segment each); more wait [STOWAGE_GATEWAY_DOWNLOAD_MEMORY] (536870912)
  --download-max-segment BYTES  largest segment a GET reads [STOWAGE_GATEWAY_DOWNLOAD_MAX_SEGMENT] (67108864)
  --min-part-size BYTES  smallest part but the last at CompleteMultipartUpload [STOWAGE_GATEWAY_MIN_PART_SIZE] (5242880)
  --max-clients N        accesses with an open client at once [STOWAGE_GATEWAY_MAX_CLIENTS] (64)
  --access-rate N        S3 requests per second per access, 0: no limit [STOWAGE_GATEWAY_ACCESS_RATE] (100)
  --access-burst N       requests an access may make at once after a quiet spell [STOWAGE_GATEWAY_ACCESS_BURST] (1000)
  --access-uploads N     uploads per access in progress or waiting for memory [STOWAGE_GATEWAY_ACCESS_UPLOADS] (16)
  --access-downloads N   GETs per access in progress or waiting for memory [STOWAGE_GATEWAY_ACCESS_DOWNLOADS] (16)
  --access-memory-percent P  share of the upload and of the download memory one access may hold or wait for [STOWAGE_GATEWAY_ACCESS_MEMORY_PERCENT] (50)
  --log-level LEVEL      [STOWAGE_LOG_LEVEL] (info)
  --config FILE          JSON with the same settings in camelCase [STOWAGE_GATEWAY_CONFIG]

register turns an access into an S3 access key id and secret key, kept by the running gateway
(--url, else STOWAGE_GATEWAY_URL, else the devnet's gateway, else http://127.0.0.1:7777). The
access: --access, else STOWAGE_ACCESS, else the devnet's devnet.json.`;

async function register(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { access: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean' } } });
  const access = resolveAccess(values.access);
  const url = values.url ?? process.env.STOWAGE_GATEWAY_URL ?? devnetGatewayUrl() ?? `http://${GATEWAY_DEFAULTS.listen}`;
  let res: Response;
  try {
    res = await fetch(new URL(`${GATEWAY_PATH}register`, url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access }), signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new StowageError('GATEWAY_UNREACHABLE', `no gateway answers at ${url}: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 200);
    throw new StowageError('GATEWAY_REGISTER_FAILED', `the gateway refused the access: ${message}`);
  }
  const c = JSON.parse(text) as { accessKeyId: string; secretKey: string; endpoint: string };
  if (values.json) console.log(JSON.stringify(c));
  else {
    console.log(`access key id  ${c.accessKeyId}
secret key     ${c.secretKey}
endpoint       ${url}

AWS_ACCESS_KEY_ID=${c.accessKeyId} AWS_SECRET_ACCESS_KEY=${c.secretKey} aws --endpoint-url ${url} --region ${GATEWAY_DEFAULTS.region} s3 ls`);
  }
  return 0;
}

/** The devnet's gateway, when there is a devnet.json naming one. */
function devnetGatewayUrl(): string | undefined {
  const file = join(process.env.STOWAGE_DEVNET_DIR ?? DEFAULT_DEVNET_DIR, 'devnet.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { gateway?: { endpoint?: string } }).gateway?.endpoint;
}

export async function gatewayCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'register') return register(rest);
  if (sub !== 'run' || rest.includes('--help') || rest.includes('-h')) {
    console.log(GATEWAY_USAGE);
    return sub === 'run' || sub === undefined || sub === '--help' ? 0 : 2;
  }
  const gateway = await S3Gateway.start(loadGatewayConfig(rest));
  console.log(`Stowage S3 gateway on ${gateway.endpoint} (register an access: stowage gateway register --url ${gateway.endpoint})`);
  await untilStopSignal();
  await gateway.stop();
  return 0;
}
