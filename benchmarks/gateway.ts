// npm run bench:gateway: the S3 gateway against the client library, in the same run, through a
// devnet of 8 node processes (profile 4/5/6/8) and its gateway process:
//   - PutObject and GetObject of one large object (1 GiB; BENCH_BYTES) with the AWS SDK (its
//     defaults: aws-chunked with a CRC32 trailer), against upload/download with the library,
//     interleaved BENCH_ROUNDS times (3), medians compared;
//   - 1,000 objects of 64 KiB (BENCH_SMALL_COUNT), 8 at a time, both ways, both paths;
//   - the gateway's peak RSS with 8 uploads of the large size at once.
// Goals: gateway >= 0.85x the library for the large object; gateway peak RSS < 512 MiB.
// Writes benchmarks/results/gateway.json.
import '../src/shims/promise-with-resolvers.js';
import { spawn } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Stowage } from '../src/client/index.js';
import type { DevnetFile } from '../src/cli/devnet.js';
import { machine, mbps, table, writeResults } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli', 'main.js');
const SIZE = Number(process.env.BENCH_BYTES ?? 1024 * 1024 * 1024);
const SMALL = 64 * 1024;
const SMALL_COUNT = Number(process.env.BENCH_SMALL_COUNT ?? 1000);
const CONCURRENCY = 8;
const CHUNK = 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** A deterministic stream (AES-CTR of zeros, seeded by `seed`), 1 MiB at a time, never whole in memory. */
async function* generated(size: number, seed: number, hash?: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, seed & 0xff), Buffer.alloc(16, 0));
  const zeros = Buffer.alloc(CHUNK);
  for (let off = 0; off < size; off += CHUNK) {
    const chunk = cipher.update(zeros.subarray(0, Math.min(CHUNK, size - off)));
    hash?.update(chunk);
    yield chunk;
  }
}

function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.split(/\s+/)[1]) * 1024 : NaN;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'stowage-bench-gateway-'));
  const devnet = spawn(process.execPath, [cli, 'devnet', 'up', '--dir', dir, '--nodes', '8', '--profile', '4/5/6/8'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    devnet.stdout.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 900 && !out.includes('devnet is up'); i++) await new Promise((r) => setTimeout(r, 100));
    if (!out.includes('devnet is up')) throw new Error(`devnet did not start: ${out}`);
    await measure(JSON.parse(readFileSync(join(dir, 'devnet.json'), 'utf8')) as DevnetFile);
  } finally {
    if (devnet.exitCode === null && devnet.signalCode === null) {
      devnet.kill('SIGINT');
      await new Promise((r) => devnet.once('exit', r));
    }
    if (process.env.BENCH_KEEP) console.error(`devnet data and logs kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(net: DevnetFile): Promise<void> {
  const info = machine();
  const log = (m: string): void => void (process.env.BENCH_DEBUG && console.error(m));
  const client = await Stowage.connect(net.access);
  const s3 = new S3Client({
    endpoint: net.gateway.endpoint,
    region: net.gateway.region,
    forcePathStyle: true,
    credentials: { accessKeyId: net.gateway.accessKeyId, secretAccessKey: net.gateway.secretKey },
    requestHandler: { connectionTimeout: 30_000, requestTimeout: 0, httpAgent: { maxSockets: 64 } }
  });
  const time = async (fn: () => Promise<void>): Promise<number> => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const drain = async (body: AsyncIterable<Uint8Array>, hash: ReturnType<typeof createHash>): Promise<number> => {
    let n = 0;
    for await (const c of body) {
      hash.update(c);
      n += c.length;
    }
    return n;
  };

  // Large object: library and gateway interleaved, BENCH_ROUNDS times, medians compared (one
  // run of each swings by +-20% on this 2-core machine, where nodes, satellite, gateway and client share the cores).
  const samples = { libUp: [] as number[], gwUp: [] as number[], libDown: [] as number[], gwDown: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const libUpHash = createHash('sha256');
    samples.libUp.push(await time(() => client.upload('demo', `lib-large/${round}`, generated(SIZE, 1 + 2 * round, libUpHash)).then(() => undefined)));
    const gwUpHash = createHash('sha256');
    samples.gwUp.push(
      await time(async () => {
        await s3.send(new PutObjectCommand({ Bucket: 'demo', Key: `gw-large/${round}`, Body: Readable.from(generated(SIZE, 2 + 2 * round, gwUpHash)), ContentLength: SIZE }));
      })
    );
    log(`round ${round}: uploads done`);
    const libDownHash = createHash('sha256');
    samples.libDown.push(
      await time(async () => {
        if ((await drain(client.download('demo', `lib-large/${round}`), libDownHash)) !== SIZE) throw new Error('short library download');
      })
    );
    if (libUpHash.digest('hex') !== libDownHash.digest('hex')) throw new Error('library round trip differs');
    const gwDownHash = createHash('sha256');
    samples.gwDown.push(
      await time(async () => {
        const res = await s3.send(new GetObjectCommand({ Bucket: 'demo', Key: `gw-large/${round}` }));
        if ((await drain(res.Body as Readable, gwDownHash)) !== SIZE) throw new Error('short gateway download');
      })
    );
    if (gwUpHash.digest('hex') !== gwDownHash.digest('hex')) throw new Error('gateway round trip differs');
    log(`round ${round}: downloads done`);
  }
  const [libUp, gwUp, libDown, gwDown] = [samples.libUp, samples.gwUp, samples.libDown, samples.gwDown].map(median) as [number, number, number, number];

  // Small objects, 8 at a time.
  const keys = Array.from({ length: SMALL_COUNT }, (_, i) => i);
  const body = (i: number): Buffer => Buffer.concat([...generatedSync(SMALL, i)]);
  const libSmallUp = await time(() => pool(keys, CONCURRENCY, async (i) => void (await client.upload('demo', `lib-small/${i}`, body(i)))));
  const libSmallDown = await time(() => pool(keys, CONCURRENCY, async (i) => void (await drain(client.download('demo', `lib-small/${i}`), createHash('md5')))));
  log('library small done');
  const gwSmallUp = await time(() => pool(keys, CONCURRENCY, async (i) => void (await s3.send(new PutObjectCommand({ Bucket: 'demo', Key: `gw-small/${i}`, Body: body(i) })))));
  const gwSmallDown = await time(() =>
    pool(keys, CONCURRENCY, async (i) => {
      const res = await s3.send(new GetObjectCommand({ Bucket: 'demo', Key: `gw-small/${i}` }));
      await drain(res.Body as Readable, createHash('md5'));
    })
  );
  log('gateway small done');

  // Eight large uploads through the gateway at once: its peak memory.
  const before = peakRss(net.gateway.pid);
  const gwParallel = await time(() =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) => s3.send(new PutObjectCommand({ Bucket: 'demo', Key: `gw-parallel/${i}`, Body: Readable.from(generated(SIZE, 10 + i)), ContentLength: SIZE })))
    ).then(() => undefined)
  );
  const gatewayPeak = peakRss(net.gateway.pid);
  log('gateway parallel done');
  s3.destroy();
  await client.close();

  const r = {
    libraryUploadMBps: mbps(SIZE, libUp),
    libraryDownloadMBps: mbps(SIZE, libDown),
    gatewayPutMBps: mbps(SIZE, gwUp),
    gatewayGetMBps: mbps(SIZE, gwDown),
    librarySmallPutPerSecond: SMALL_COUNT / (libSmallUp / 1000),
    librarySmallGetPerSecond: SMALL_COUNT / (libSmallDown / 1000),
    gatewaySmallPutPerSecond: SMALL_COUNT / (gwSmallUp / 1000),
    gatewaySmallGetPerSecond: SMALL_COUNT / (gwSmallDown / 1000),
    gatewayParallelPutMBps: mbps(SIZE * CONCURRENCY, gwParallel),
    gatewayPeakRssBefore8: before,
    gatewayPeakRss: gatewayPeak,
    rounds: ROUNDS,
    largeSamplesMBps: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map((ms) => Number(mbps(SIZE, ms).toFixed(1)))]))
  };
  const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
  console.log(`gateway benchmark on ${info.cpu}, ${info.cores} cores, Node ${info.node}; ${mib(SIZE)} MiB objects (median of ${ROUNDS} interleaved rounds), ${SMALL_COUNT} x 64 KiB, 8 node processes, profile 4/5/6/8`);
  console.log(
    '\n' +
      table(
        ['measure', 'library', 'gateway (AWS SDK)', 'ratio'],
        [
          ['large upload, MB/s', r.libraryUploadMBps.toFixed(0), r.gatewayPutMBps.toFixed(0), (r.gatewayPutMBps / r.libraryUploadMBps).toFixed(2)],
          ['large download, MB/s', r.libraryDownloadMBps.toFixed(0), r.gatewayGetMBps.toFixed(0), (r.gatewayGetMBps / r.libraryDownloadMBps).toFixed(2)],
          ['64 KiB puts per s (8 at once)', r.librarySmallPutPerSecond.toFixed(0), r.gatewaySmallPutPerSecond.toFixed(0), (r.gatewaySmallPutPerSecond / r.librarySmallPutPerSecond).toFixed(2)],
          ['64 KiB gets per s (8 at once)', r.librarySmallGetPerSecond.toFixed(0), r.gatewaySmallGetPerSecond.toFixed(0), (r.gatewaySmallGetPerSecond / r.librarySmallGetPerSecond).toFixed(2)],
          [`8 x ${mib(SIZE)} MiB puts at once, MB/s`, '', r.gatewayParallelPutMBps.toFixed(0), ''],
          ['gateway peak RSS, MiB (before / after the 8 puts)', '', `${mib(before)} / ${mib(gatewayPeak)}`, '']
        ]
      )
  );
  const targets = [
    { target: 'large upload >= 0.85x the library', value: (r.gatewayPutMBps / r.libraryUploadMBps).toFixed(2), pass: r.gatewayPutMBps >= 0.85 * r.libraryUploadMBps },
    { target: 'large download >= 0.85x the library', value: (r.gatewayGetMBps / r.libraryDownloadMBps).toFixed(2), pass: r.gatewayGetMBps >= 0.85 * r.libraryDownloadMBps },
    { target: 'gateway peak RSS < 512 MiB with 8 large uploads', value: mib(gatewayPeak), pass: gatewayPeak < 512 * 2 ** 20 }
  ];
  console.log('\n' + table(['target', 'measured', 'met'], targets.map((x) => [x.target, x.value, x.pass ? 'yes' : 'NO'])));
  const file = writeResults('gateway', { benchmark: 'gateway', date: new Date().toISOString(), machine: info, bytes: SIZE, smallCount: SMALL_COUNT, ...r, targets });
  console.log(`\nresults written to ${file}`);
}

function* generatedSync(size: number, seed: number): Generator<Buffer> {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, seed & 0xff), Buffer.alloc(16, (seed >> 8) & 0xff));
  yield cipher.update(Buffer.alloc(size));
}

await main();
