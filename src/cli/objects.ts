// `stowage put/get/ls/rm/mb/rb` and `stowage access create/inspect`. The access comes from
// --access, else STOWAGE_ACCESS, else the devnet's devnet.json (./.stowage-devnet by default).
import { closeSync, createReadStream, createWriteStream, existsSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { Stowage, createAccess, parseAccess } from '../client/index.js';
import { StowageError } from '../common/index.js';

export const DEFAULT_DEVNET_DIR = './.stowage-devnet';

class UsageError extends StowageError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

/** stow://bucket/key -> { bucket, key } */
export function parseStowUrl(url: string, needKey: boolean): { bucket: string; key: string } {
  const m = /^stow:\/\/([^/]*)\/?(.*)$/.exec(url);
  if (!m) throw new UsageError(`'${url}' is not a stow://bucket/key address`);
  if (!m[1] && needKey) throw new UsageError(`'${url}' names no bucket`);
  if (needKey && !m[2]) throw new UsageError(`'${url}' names no object key`);
  return { bucket: m[1]!, key: m[2]! };
}

export function resolveAccess(flag: string | undefined): string {
  if (flag) return flag;
  if (process.env.STOWAGE_ACCESS) return process.env.STOWAGE_ACCESS;
  const file = join(process.env.STOWAGE_DEVNET_DIR ?? DEFAULT_DEVNET_DIR, 'devnet.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { access: string }).access;
  throw new UsageError('no access: give --access, set STOWAGE_ACCESS, or start a local network with `npm start`');
}

/**
 * The file to upload, opened now: a missing or unreadable file is a clear error before anything
 * connects (a read stream opened lazily emitted an unhandled 'error' and a stack trace after the
 * message, issue 20).
 */
function openSource(file: string): { source: Readable; total: number | undefined } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StowageError('CLI_FILE_NOT_FOUND', `no file ${file}`);
    if (code === 'EACCES' || code === 'EPERM') throw new StowageError('CLI_FILE_UNREADABLE', `cannot read ${file}: permission denied`);
    throw new StowageError('CLI_FILE_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`);
  }
  const stat = fstatSync(fd);
  // Pipes and devices (`put <(cmd)`, /dev/stdin) stream like stdin: no size known up front.
  const streamed = stat.isFIFO() || stat.isCharacterDevice() || stat.isSocket();
  if (!stat.isFile() && !streamed) {
    closeSync(fd);
    throw new StowageError('CLI_FILE_UNREADABLE', `${file} is not a file${stat.isDirectory() ? ' (a directory)' : ''}`);
  }
  // A file is read to the size it had when opened (given as the upload's binding size): one that
  // grows meanwhile is stored as it was, one cut short fails SOURCE_SIZE_MISMATCH.
  const bounded = !streamed && stat.size > 0 ? { start: 0, end: stat.size - 1 } : {};
  const source = createReadStream(file, { fd, highWaterMark: 1024 * 1024, ...bounded });
  // A read error later surfaces from the upload that reads the stream, not as an unhandled event.
  source.on('error', () => undefined);
  return { source, total: streamed ? undefined : stat.size };
}

const COMMON = { access: { type: 'string' }, json: { type: 'boolean' } } as const;

function out(json: boolean, value: unknown, text: string): void {
  console.log(json ? JSON.stringify(value) : text);
}

async function withClient<T>(access: string | undefined, fn: (c: Stowage) => Promise<T>): Promise<T> {
  const client = await Stowage.connect(resolveAccess(access));
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

function progressBar(total: number | undefined, label: string): { update(n: number): void; stop(): void } {
  if (!process.stderr.isTTY || total === undefined) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% {value}/{total} bytes | {speed} MB/s | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic
  );
  const started = Date.now();
  bar.start(total, 0, { speed: '0.0' });
  return {
    update: (n) => bar.update(n, { speed: (n / 1e6 / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1) }),
    stop: () => bar.stop()
  };
}

/**
 * What a transfer cost, for `put`/`get` output: the rate over the whole command (connect to
 * last byte) and the process's peak resident memory (getrusage: the kernel's own high-water mark,
 * so a short peak between samples is not missed).
 */
export function transferFigures(bytes: number, ms: number): { seconds: number; mbPerSecond: number; peakRssMiB: number } {
  const seconds = ms / 1000;
  return {
    seconds: Number(seconds.toFixed(3)),
    mbPerSecond: Number((bytes / 1e6 / Math.max(seconds, 0.001)).toFixed(2)),
    peakRssMiB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1))
  };
}

function describeFigures(f: ReturnType<typeof transferFigures>): string {
  return `in ${f.seconds.toFixed(2)} s (${f.mbPerSecond.toFixed(1)} MB/s, peak memory ${f.peakRssMiB.toFixed(0)} MiB)`;
}

export async function objectCommand(command: string, argv: string[]): Promise<number> {
  if (command === 'access') return accessCommand(argv);
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: COMMON });
  const json = values.json ?? false;
  switch (command) {
    case 'mb': {
      const { bucket } = parseStowUrl(positionals[0] ?? '', false);
      if (!bucket) throw new UsageError('usage: stowage mb stow://bucket');
      await withClient(values.access, (c) => c.createBucket(bucket));
      out(json, { bucket }, `bucket ${bucket} created`);
      return 0;
    }
    case 'rb': {
      const { bucket } = parseStowUrl(positionals[0] ?? '', false);
      if (!bucket) throw new UsageError('usage: stowage rb stow://bucket');
      await withClient(values.access, (c) => c.deleteBucket(bucket));
      out(json, { bucket }, `bucket ${bucket} removed`);
      return 0;
    }
    case 'put': {
      const [file, url] = positionals;
      if (!file || !url) throw new UsageError('usage: stowage put FILE|- stow://bucket/key');
      const { bucket, key } = parseStowUrl(url, true);
      const { source, total } = file === '-' ? { source: process.stdin, total: undefined } : openSource(file);
      const bar = progressBar(total, 'put');
      const t = performance.now();
      const stat = await withClient(values.access, (c) => c.upload(bucket, key, source, { onProgress: (n) => bar.update(n), ...(total !== undefined ? { sizeHint: total } : {}) })).finally(() => bar.stop());
      const figures = transferFigures(stat.size, performance.now() - t);
      out(json, { bucket, key, size: stat.size, ...figures }, `stored stow://${bucket}/${key}: ${stat.size} bytes ${describeFigures(figures)}`);
      return 0;
    }
    case 'get': {
      const [url, file] = positionals;
      if (!url || !file) throw new UsageError('usage: stowage get stow://bucket/key FILE|-');
      const { bucket, key } = parseStowUrl(url, true);
      const t = performance.now();
      await withClient(values.access, async (c) => {
        const stat = await c.stat(bucket, key);
        const bar = progressBar(file === '-' ? undefined : stat.size, 'get');
        let n = 0;
        const counted = Readable.from(
          (async function* () {
            for await (const chunk of c.download(bucket, key)) {
              n += chunk.length;
              bar.update(n);
              yield chunk;
            }
          })()
        );
        try {
          await pipeline(counted, file === '-' ? process.stdout : createWriteStream(file));
        } finally {
          bar.stop();
        }
        const figures = transferFigures(n, performance.now() - t);
        const text = `fetched stow://${bucket}/${key}: ${n} bytes ${describeFigures(figures)}`;
        // With the object on stdout, the report goes to stderr (JSON only when asked for).
        if (file !== '-') out(json, { bucket, key, size: n, ...figures }, text);
        else if (json) console.error(JSON.stringify({ bucket, key, size: n, ...figures }));
      });
      return 0;
    }
    case 'ls': {
      const { bucket, key: prefix } = parseStowUrl(positionals[0] ?? 'stow://', false);
      await withClient(values.access, async (c) => {
        if (!bucket) {
          const buckets = await c.listBuckets();
          for (const b of buckets) out(json, b, `${b.created.toISOString()}  ${b.name}`);
          return;
        }
        for await (const page of c.list(bucket, { prefix, delimiter: '/' })) {
          for (const p of page.prefixes) out(json, { prefix: p }, `${'PRE'.padStart(24)}  ${p}`);
          for (const o of page.objects) out(json, o, `${o.created.toISOString()}  ${String(o.size).padStart(12)}  ${o.key}`);
        }
      });
      return 0;
    }
    case 'rm': {
      const { bucket, key } = parseStowUrl(positionals[0] ?? '', true);
      await withClient(values.access, (c) => c.delete(bucket, key));
      out(json, { bucket, key }, `removed stow://${bucket}/${key}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

async function accessCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { satellite: { type: 'string' }, 'api-key': { type: 'string' }, json: { type: 'boolean' } } });
  if (sub === 'create') {
    if (!values.satellite || !values['api-key']) throw new UsageError('usage: stowage access create --satellite <peerId>@<multiaddr> --api-key KEY');
    console.log(createAccess(values.satellite, values['api-key']));
    return 0;
  }
  if (sub === 'inspect') {
    const a = parseAccess(positionals[0] ?? resolveAccess(undefined));
    const view = { satellite: `${a.satelliteId}@${a.satelliteAddress}`, apiKey: `${a.apiKey.slice(0, 8)}...`, secret: '(hidden)' };
    console.log(values.json ? JSON.stringify(view) : `satellite  ${view.satellite}\napi key    ${view.apiKey}\nsecret     ${view.secret}`);
    return 0;
  }
  throw new UsageError('usage: stowage access create|inspect');
}
