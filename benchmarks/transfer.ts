// npm run bench:transfer: upload and download of 2 MiB pieces between a client and a storage node
// in separate processes on loopback, against a bare libp2p stream moving the same bytes over the
// same connection in the same run (interleaved in slices). Writes benchmarks/results/transfer.json.
import '../src/shims/promise-with-resolvers.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noise } from '@chainsafe/libp2p-noise';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Stream } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { FramedStream, MAX_CHUNK_BYTES, UploadRequest, PROTOCOL_DOWNLOAD, PROTOCOL_UPLOAD, PieceAction, downloadPiece, signOrderLimit, stowageMuxer, uploadPiece, type DownloadOrder } from '../src/protocol/index.js';
import { machine, mbps, table, writeResults } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const PIECE = 2 * 1024 * 1024;
const COUNT = Number(process.env.BENCH_PIECES ?? 128);
const SLICES = 8;
/** Transfers at once in the concurrent mode (the issue's "8 at once"). */
const AT_ONCE = 8;
const BARE_SINK = '/stowage-bench/sink/1.0.0';
const BARE_SOURCE = '/stowage-bench/source/1.0.0';
const FRAMED_SINK = '/stowage-bench/framed-sink/1.0.0';

async function send(stream: Stream, data: Uint8Array): Promise<void> {
  if (!stream.send(data)) await new Promise((resolve) => stream.addEventListener('drain', resolve, { once: true }));
}

async function main(): Promise<void> {
  const info = machine();
  const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'stowage-bench-transfer-'));
  const satKey = await generateKeyPair('Ed25519');
  const satId = peerIdFromPrivateKey(satKey).toString();
  // The uploader's key (the client's, in the network): puts sign their piece hash with it.
  const uplink = await generateKeyPair('Ed25519');
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'transfer-node.ts'), dir, satId], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { nodeId, address } = await new Promise<{ nodeId: string; address: string }>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as { nodeId: string; address: string }));
    child.once('exit', (code) => reject(new Error(`node exited with ${code}`)));
  });
  const client = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [stowageMuxer()] });
  const addr = multiaddr(address);
  const piece = new Uint8Array(randomBytes(PIECE));
  const ids: Uint8Array<ArrayBuffer>[] = Array.from({ length: 2 * COUNT }, () => new Uint8Array(randomBytes(32)));
  // GET limits name the same key for the downloader's bandwidth orders (signed as bytes arrive).
  const order = async (action: PieceAction, pieceId: Uint8Array<ArrayBuffer>): Promise<DownloadOrder> => ({
    ...(await signOrderLimit(satKey, {
      serialNumber: new Uint8Array(randomBytes(16)),
      satelliteId: satId,
      nodeId,
      pieceId,
      action,
      byteLimit: BigInt(PIECE),
      pieceExpiration: 0n,
      orderExpiration: BigInt(Date.now() + 3_600_000),
      orderCreation: BigInt(Date.now()),
      uplinkPublicKey: new Uint8Array(uplink.publicKey.raw)
    })),
    ...(action === PieceAction.GET ? { orderKey: uplink } : {})
  });
  // Orders are the satellite's work: signed before the clock starts.
  const puts = await Promise.all(ids.map((id) => order(PieceAction.PUT, id)));
  const gets = await Promise.all(ids.map((id) => order(PieceAction.GET, id)));
  const methods: Record<string, (i: number) => Promise<void>> = {
    'piece upload': async (i) => {
      await uploadPiece(await client.dialProtocol(addr, PROTOCOL_UPLOAD), puts[i]!, PIECE, [piece], { uplinkKey: uplink });
    },
    'bare stream upload': async () => {
      const s = await client.dialProtocol(addr, BARE_SINK);
      for (let off = 0; off < PIECE; off += 256 * 1024) await send(s, piece.subarray(off, off + 256 * 1024));
      await s.close();
      for await (const c of s) void c;
    },
    // The piece protocol's framing alone (same messages, no order, hash or store): where the
    // upload's gap to the bare stream goes.
    'framed stream upload': async (i) => {
      const framed = new FramedStream(await client.dialProtocol(addr, FRAMED_SINK));
      await framed.write(UploadRequest, { order: puts[i]!, size: BigInt(PIECE) });
      for (let off = 0; off < PIECE; off += MAX_CHUNK_BYTES) await framed.write(UploadRequest, { chunk: piece.subarray(off, off + MAX_CHUNK_BYTES) });
      await framed.write(UploadRequest, { done: true });
      await framed.closeWrite();
      for await (const c of framed.stream) void c;
    },
    'piece download': async (i) => {
      let n = 0;
      for await (const c of downloadPiece(await client.dialProtocol(addr, PROTOCOL_DOWNLOAD), gets[i]!)) n += c.length;
      if (n !== PIECE) throw new Error(`downloaded ${n} bytes`);
    },
    'bare stream download': async () => {
      const s = await client.dialProtocol(addr, BARE_SOURCE);
      const req = new Uint8Array(4);
      new DataView(req.buffer).setUint32(0, PIECE);
      await send(s, req);
      await s.close();
      let n = 0;
      for await (const c of s) n += c.byteLength;
      if (n !== PIECE) throw new Error(`bare download got ${n} bytes`);
    }
  };
  // BENCH_ONLY=name,name: run only these methods (profiling one side; targets need all four).
  const only = process.env.BENCH_ONLY?.split(',');
  if (only) for (const name of Object.keys(methods)) if (!only.includes(name)) delete methods[name];
  // Every method runs one at a time and AT_ONCE at a time (pieces i*AT_ONCE.. of its own ids for
  // uploads, so the two modes never upload one id twice).
  const modes = [1, AT_ONCE];
  const key = (name: string, at: number): string => (at === 1 ? name : `${name}, ${at} at once`);
  const spent = new Map<string, number>(Object.keys(methods).flatMap((k) => modes.map((at) => [key(k, at), 0] as const)));
  const per = COUNT / SLICES;
  // Warm-up: one of each.
  for (const [name, fn] of Object.entries(methods)) {
    if (process.env.BENCH_DEBUG) console.error('warm-up', name);
    await fn(0).catch((err: unknown) => console.error(`warm-up of ${name} failed:`, err));
  }
  // Piece 0 was uploaded by the warm-up and is downloaded with a fresh order in the slices.
  gets[0] = await order(PieceAction.GET, ids[0]!);
  for (let slice = 0; slice < SLICES; slice++) {
    for (const [name, fn] of Object.entries(methods)) {
      for (const at of modes) {
        // Indices of this slice: one-at-a-time uses [0, COUNT), AT_ONCE uses [COUNT, 2 * COUNT).
        const base = at === 1 ? 0 : COUNT;
        const t = performance.now();
        for (let i = slice * per; i < (slice + 1) * per; i += at) {
          if (process.env.BENCH_DEBUG) console.error(name, at, i);
          const batch = Array.from({ length: Math.min(at, (slice + 1) * per - i) }, (_, j) => base + i + j);
          // Piece 0 was uploaded by the warm-up.
          await Promise.all(batch.filter((n) => !(name === 'piece upload' && n === 0)).map((n) => fn(n)));
        }
        spent.set(key(name, at), spent.get(key(name, at))! + performance.now() - t);
      }
    }
  }
  await client.stop();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  if (!process.env.BENCH_DIR) rmSync(dir, { recursive: true, force: true });

  const rate = (name: string): number => mbps(PIECE * (name === 'piece upload' ? COUNT - 1 : COUNT), spent.get(name)!);
  const rows = [...spent.keys()].map((name) => ({ method: name, mbps: rate(name) }));
  console.log(`transfer benchmark on ${info.cpu}, ${info.cores} cores, Node ${info.node}; ${COUNT} pieces of 2 MiB each way, one at a time and ${AT_ONCE} at once, client and node in separate processes on loopback`);
  console.log('\n' + table(['method', 'MB/s'], rows.map((r) => [r.method, r.mbps.toFixed(0)])));
  const targets = modes.flatMap((at) =>
    (['upload', 'download'] as const).map((dir) => {
      const ratio = rate(key(`piece ${dir}`, at)) / rate(key(`bare stream ${dir}`, at));
      return { target: `piece ${dir} >= 0.8x bare stream${at === 1 ? ', one at a time' : `, ${at} at once`}`, value: `${ratio.toFixed(2)}x`, pass: ratio >= 0.8 };
    })
  );
  console.log('\n' + table(['target', 'measured', 'met'], targets.map((t) => [t.target, t.value, t.pass ? 'yes' : 'NO'])));
  const file = writeResults('transfer', { benchmark: 'transfer', date: new Date().toISOString(), machine: info, pieceBytes: PIECE, pieces: COUNT, results: rows, targets });
  console.log(`\nresults written to ${file}`);
}

process.on('uncaughtException', (err) => {
  console.error('client process: uncaught', err);
  process.exit(1);
});
await main();
