// npm run bench:e2e: a 1 GiB file (generated and streamed, never held whole) uploaded and
// downloaded through a devnet of 8 node processes with profile 4/5/6/8, reporting MB/s of file
// data, the peak RSS of the client and of every node, and, in the same run, bare libp2p streams
// moving the same number of wire bytes (to a separate process, 8 streams at once).
// `-- --concurrency N`: N objects of 128 MiB (BENCH_BYTES) at once through one client instead.
// `-- --format v4` (the default, as the client's): uploads in object format v4 (stripedUploads, with
// the size given); `-- --format v2` writes v2 objects, results in e2e-v2.json / e2e-concurrency-v2.json.
// Targets (issue 23): upload and download each >= 0.5x of what the bare wire allows for the bytes
// they must move (upload: `success` expanded pieces; download: k pieces plus the margin), client
// peak RSS < 200 MiB, node peak RSS < 150 MiB. Writes benchmarks/results/e2e.json (one object) or
// e2e-concurrency.json.
import { parseArgs } from 'node:util';
import '../src/shims/promise-with-resolvers.js';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { createHash, createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noise } from '@chainsafe/libp2p-noise';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import type { Stream } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { Stowage } from '../src/client/index.js';
import type { DevnetFile } from '../src/cli/devnet.js';
import { CONNECTION_LIMITS, stowageMuxer } from '../src/protocol/index.js';
import { machine, mbps, table, writeResults } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli', 'main.js');
const { values: flags } = parseArgs({ options: { concurrency: { type: 'string', default: '1' }, format: { type: 'string', default: 'v4' } } });
if (flags.format !== 'v2' && flags.format !== 'v4') throw new Error(`--format must be v2 or v4, got ${flags.format}`);
/** v4: striped pieces, each object uploaded with its size (sealed and sent as it is read). */
const STRIPED = flags.format === 'v4';
const CONCURRENCY = Number(flags.concurrency);
if (!Number.isSafeInteger(CONCURRENCY) || CONCURRENCY < 1 || CONCURRENCY > 64) throw new Error(`--concurrency must be 1 to 64, got ${flags.concurrency}`);
/** Bytes of each object: 1 GiB alone, 128 MiB each when several go at once. */
const SIZE = Number(process.env.BENCH_BYTES ?? (CONCURRENCY === 1 ? 1024 * 1024 * 1024 : 128 * 1024 * 1024));
/** Profile 4/5/6/8, download margin 1 (the client's default). */
const K = 4;
const SUCCESS = 6;
const MARGIN = 1;
const CHUNK = 1024 * 1024;

/** A deterministic 1 MiB-at-a-time stream: AES-CTR of zeros, fast and never all in memory. */
async function* generated(size: number, hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 0));
  const zeros = Buffer.alloc(CHUNK);
  for (let off = 0; off < size; off += CHUNK) {
    const chunk = cipher.update(zeros.subarray(0, Math.min(CHUNK, size - off)));
    hash.update(chunk);
    yield chunk;
  }
}

function peakRss(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Number(line.split(/\s+/)[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function send(stream: Stream, data: Uint8Array): Promise<void> {
  if (!stream.send(data)) await new Promise((resolve) => stream.addEventListener('drain', resolve, { once: true }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'stowage-bench-e2e-'));
  const devnet = spawn(process.execPath, [cli, 'devnet', 'up', '--dir', dir, '--nodes', '8', '--profile', '4/5/6/8'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await measure(dir, devnet);
  } finally {
    // Stopped however the run ends: a failed run must not leave nine processes behind.
    if (devnet.exitCode === null && devnet.signalCode === null) {
      devnet.kill('SIGINT');
      await new Promise((r) => devnet.once('exit', r));
    }
    if (process.env.BENCH_KEEP) console.error(`devnet data and logs kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(dir: string, devnet: ChildProcessByStdio<null, Readable, null>): Promise<void> {
  const info = machine();
  let out = '';
  devnet.stdout.on('data', (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 600 && !out.includes('devnet is up'); i++) await new Promise((r) => setTimeout(r, 100));
  if (!out.includes('devnet is up')) throw new Error(`devnet did not start: ${out}`);
  const net = JSON.parse(readFileSync(join(dir, 'devnet.json'), 'utf8')) as DevnetFile;
  const phase = (p: string): void => void (process.env.BENCH_DEBUG && console.error('phase:', p));
  phase('devnet up');

  let clientPeak = 0;
  const peaks = { rss: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    clientPeak = Math.max(clientPeak, m.rss);
    for (const k of Object.keys(peaks) as (keyof typeof peaks)[]) peaks[k] = Math.max(peaks[k], m[k]);
  }, 50);
  const phaseMiB: Record<string, Record<string, number>> = {};
  const phasePeaks = (p: string): void => {
    phaseMiB[p] = Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, Math.round(v / 2 ** 20)]));
    phase(`${p}: peak MiB ${Object.entries(peaks).map(([k, v]) => `${k} ${(v / 2 ** 20).toFixed(0)}`).join(', ')}`);
    for (const k of Object.keys(peaks) as (keyof typeof peaks)[]) peaks[k] = 0;
  };
  const client = await Stowage.connect(net.access, { stripedUploads: STRIPED });
  const keys = Array.from({ length: CONCURRENCY }, (_, i) => `big-${i}.bin`);
  const upHashes = keys.map(() => createHash('sha256'));
  let t = performance.now();
  await Promise.all(keys.map((key, i) => client.upload('demo', key, generated(SIZE, upHashes[i]!), STRIPED ? { sizeHint: SIZE } : {})));
  const upMs = performance.now() - t;
  phasePeaks('uploaded');
  t = performance.now();
  const downHashes = await Promise.all(
    keys.map(async (key) => {
      const h = createHash('sha256');
      let n = 0;
      for await (const chunk of client.download('demo', key)) {
        h.update(chunk);
        n += chunk.length;
      }
      if (n !== SIZE) throw new Error(`downloaded ${n} of ${SIZE} bytes of ${key}`);
      return h.digest('hex');
    })
  );
  const downMs = performance.now() - t;
  clearInterval(sampler);
  phasePeaks('downloaded');
  await client.close();
  if (upHashes.some((h, i) => h.digest('hex') !== downHashes[i])) throw new Error('downloaded bytes differ from the uploaded ones');
  const nodePeaks = net.nodes.map((node) => peakRss(node.pid));
  phase('downloaded');

  // Wire bytes of the upload: at least `success` = 6 pieces of size/4 (+ encryption) per segment;
  // of the download: k + margin = 5 pieces started, k of them whole.
  const total = SIZE * CONCURRENCY;
  const wireBytes = Math.ceil((total * SUCCESS) / K);
  const downWireBytes = Math.ceil((total * (K + MARGIN)) / K);
  const satKey = await generateKeyPair('Ed25519');
  const sink = spawn(process.execPath, ['--import', 'tsx', join(here, 'transfer-node.ts'), join(dir, 'bare'), peerIdFromPrivateKey(satKey).toString()], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { address } = await new Promise<{ address: string }>((resolve) => sink.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as { address: string })));
  phase('sink up');
  const bare = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [stowageMuxer()], connectionManager: { ...CONNECTION_LIMITS } });
  const block = new Uint8Array(randomBytes(256 * 1024));
  t = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      const s = await bare.dialProtocol(multiaddr(address), '/stowage-bench/sink/1.0.0');
      for (let sent = 0; sent < wireBytes / 8; sent += block.length) await send(s, block);
      await s.close();
      for await (const c of s) void c;
    })
  );
  const bareMs = performance.now() - t;
  phase('bare done');
  await bare.stop();
  sink.kill('SIGTERM');

  const up = mbps(total, upMs);
  const down = mbps(total, downMs);
  const bareRate = mbps(wireBytes, bareMs);
  // What the bare wire allows for the file bytes: its rate over each direction's expansion.
  const upAllowed = (bareRate * total) / wireBytes;
  const downAllowed = (bareRate * total) / downWireBytes;
  const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
  console.log(`e2e benchmark on ${info.cpu}, ${info.cores} cores, Node ${info.node}; ${CONCURRENCY} object(s) of ${mib(SIZE)} MiB at once through 8 node processes, profile 4/5/6/8`);
  console.log(
    '\n' +
      table(
        ['measure', 'value'],
        [
          ['upload, MB/s of file data', up.toFixed(0)],
          [`upload the bare wire allows (x ${K}/${SUCCESS})`, upAllowed.toFixed(0)],
          ['download, MB/s of file data', down.toFixed(0)],
          [`download the bare wire allows (x ${K}/${K + MARGIN})`, downAllowed.toFixed(0)],
          [`bare libp2p streams, MB/s of wire bytes (${mib(wireBytes)} MiB, 8 streams)`, bareRate.toFixed(0)],
          ['client peak RSS, MiB', mib(clientPeak)],
          ['node peak RSS, MiB (max of 8)', mib(Math.max(...nodePeaks))]
        ]
      )
  );
  const targets = [
    { target: 'upload >= 0.5x what the bare wire allows', value: `${(up / upAllowed).toFixed(2)}x (${up.toFixed(0)} of ${upAllowed.toFixed(0)} MB/s)`, pass: up >= 0.5 * upAllowed },
    { target: 'download >= 0.5x what the bare wire allows', value: `${(down / downAllowed).toFixed(2)}x (${down.toFixed(0)} of ${downAllowed.toFixed(0)} MB/s)`, pass: down >= 0.5 * downAllowed },
    { target: 'client peak RSS < 200 MiB', value: mib(clientPeak), pass: clientPeak < 200 * 2 ** 20 },
    { target: 'node peak RSS < 150 MiB', value: mib(Math.max(...nodePeaks)), pass: Math.max(...nodePeaks) < 150 * 2 ** 20 }
  ];
  console.log('\n' + table(['target', 'measured', 'met'], targets.map((x) => [x.target, x.value, x.pass ? 'yes' : 'NO'])));
  const file = writeResults(`${CONCURRENCY === 1 ? 'e2e' : 'e2e-concurrency'}${STRIPED ? '' : '-v2'}`, {
    benchmark: 'e2e',
    format: flags.format,
    clientPeakMiBByPhase: phaseMiB,
    date: new Date().toISOString(),
    machine: info,
    concurrency: CONCURRENCY,
    bytes: SIZE,
    uploadAllowedMBps: upAllowed,
    downloadAllowedMBps: downAllowed,
    downloadWireBytes: downWireBytes,
    uploadMBps: up,
    downloadMBps: down,
    bareWireMBps: bareRate,
    wireBytes,
    clientPeakRss: clientPeak,
    nodePeakRss: nodePeaks,
    targets
  });
  console.log(`\nresults written to ${file}`);
}

await main();
