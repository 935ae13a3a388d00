// A node process stopped by a signal in the middle of transfers (issue 20). The README: "SIGTERM
// or SIGINT: stops taking streams, aborts transfers in progress (they leave nothing behind),
// closes LevelDB, exits 0", within Docker's 10 s stop grace period. `stowage node run`
// (dist/cli/main.js) runs as a real child process; a real libp2p client streams a 32 MiB upload
// to it and reads a 32 MiB piece from it three times at once, slowly enough that both are in flight when the signal
// lands. Checked: the exit code and time, that each transfer fails on the client with an error
// code (within a bound, not a hang), that the data directory holds no trace of the cut upload
// (no temporary file, no record, no blob) while the pieces completed before are intact (records,
// roots, used space), and that the node started again on the same directory serves them (bytes,
// and an audit's Merkle proof against the uploader's root) and says PIECE_NOT_FOUND for the cut one.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pieceRoot, verifyMultiLeafProof } from '../../src/merkle/index.js';
import { PieceStore } from '../../src/node/pieces/index.js';
import { PROTOCOL_AUDIT, PROTOCOL_DOWNLOAD, PROTOCOL_UPLOAD, PieceAction, auditPiece, downloadPiece, uploadPiece } from '../../src/protocol/index.js';
import { killChildrenAfterAll } from './fixtures/children.js';
import { runNodeProcess, type NodeProcess } from './fixtures/node-process.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';
import { TestSatellite, newPieceId, startClient } from './fixtures/network.js';
import { collect, pieceBytes } from './fixtures/pieces.js';
import { until } from './fixtures/until.js';

const MiB = 1024 * 1024;
/** Docker's default stop grace period, after which it sends SIGKILL. */
const DOCKER_GRACE_MS = 10_000;
/** A transfer cut by the node's stop must fail within this (the client's own idle timeout is far longer: a hang would show). */
const SETTLE_MS = 20_000;

let satellite: TestSatellite;
let client: Libp2p;
killChildrenAfterAll();

beforeAll(async () => {
  satellite = await TestSatellite.create();
  client = await startClient();
});
afterAll(async () => {
  await client?.stop();
  await satellite?.stop();
  removeTempDirs();
});

interface Running extends NodeProcess {
  address: string;
}

async function runNode(dir: string): Promise<Running> {
  const node = await runNodeProcess({ satellite: `${satellite.id}@/ip4/127.0.0.1/tcp/1`, dataDir: dir });
  return { ...node, address: node.addresses[0]! };
}

/** Stops a node process with SIGTERM (if it still runs) and returns its exit code. */
async function stopNode(node: Running): Promise<number | null> {
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
  return node.exited;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const hex = (id: Uint8Array): string => Buffer.from(id).toString('hex');
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** How a transfer ended: 'ok', or the error's code ('no code: ...' when it had none), or 'hang' past SETTLE_MS. */
async function outcome(transfer: Promise<unknown>): Promise<string> {
  const timer = sleep(SETTLE_MS).then(() => 'hang');
  const ended = transfer.then(
    () => 'ok',
    (err: { code?: unknown; message?: string }) => (typeof err.code === 'string' ? err.code : `no code: ${err.message}`)
  );
  return Promise.race([ended, timer]);
}

interface Piece {
  id: Uint8Array;
  bytes: Uint8Array;
}

async function upload(node: Running, seed: number, size: number): Promise<Piece> {
  const id = newPieceId();
  const bytes = pieceBytes(seed, size);
  const put = await satellite.order(node.nodeId, PieceAction.PUT, id);
  await uploadPiece(await client.dialProtocol(multiaddr(node.address), PROTOCOL_UPLOAD), put, bytes.length, [bytes], { uplinkKey: satellite.uplink });
  return { id, bytes };
}

describe('stowage node run stopped during transfers', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} with an upload and three downloads streaming: exit 0 within 10 s, each transfer fails with a code, the store is consistent and serves the earlier pieces after a restart`, async () => {
      const dir = tempDir('stowage-sigterm-');
      const first = await runNode(dir);
      let second: Running | undefined;
      try {
        // Completed before the signal: a piece kept in LevelDB (small), one in a blob file, and
        // the large one the download will read.
        const small = await upload(first, 1, 10_000);
        const blob = await upload(first, 2, MiB + 3);
        const big = await upload(first, 3, 32 * MiB);

        // The upload in flight: 32 MiB announced, sent 64 KiB at a time with a pause between
        // (about 10 s in all), so it is mid-way whatever the machine's speed.
        const cut: Piece = { id: newPieceId(), bytes: pieceBytes(4, 32 * MiB) };
        let sent = 0;
        async function* paced(): AsyncGenerator<Uint8Array> {
          for (let off = 0; off < cut.bytes.length; off += 64 * 1024) {
            yield cut.bytes.subarray(off, off + 64 * 1024);
            sent += 64 * 1024;
            await sleep(20);
          }
        }
        const put = await satellite.order(first.nodeId, PieceAction.PUT, cut.id);
        const uploading = uploadPiece(await client.dialProtocol(multiaddr(first.address), PROTOCOL_UPLOAD), put, cut.bytes.length, paced(), { uplinkKey: satellite.uplink });
        uploading.catch(() => undefined);

        // Three downloads in flight: 32 MiB each, read a chunk (256 KiB) every 50 ms (about 6 s
        // in all); the node cannot run ahead by more than the streams' windows. (Before the fix in
        // downloadPiece, about half the downloads cut this way ended without an error, short.)
        const received = [0, 0, 0];
        const downloads = await Promise.all(
          received.map(async (_, i) => {
            const get = await satellite.order(first.nodeId, PieceAction.GET, big.id);
            const stream = await client.dialProtocol(multiaddr(first.address), PROTOCOL_DOWNLOAD);
            // Wrapped: an async function returning the promise would wait for the download itself.
            return {
              done: (async () => {
                for await (const chunk of downloadPiece(stream, get)) {
                  received[i]! += chunk.length;
                  await sleep(50);
                }
              })()
            };
          })
        );
        for (const d of downloads) d.done.catch(() => undefined);

        await until(() => sent >= 2 * MiB && Math.min(...received) >= 512 * 1024, 'the upload and the downloads under way');
        const sentAtSignal = sent;
        const receivedAtSignal = Math.max(...received);
        const t = Date.now();
        first.child.kill(signal);
        const code = await first.exited;
        const stopMs = Date.now() - t;
        expect(code).toBe(0);
        expect(stopMs).toBeLessThan(DOCKER_GRACE_MS);
        expect(first.logs.some((l) => l.includes('"storage node stopped"'))).toBe(true);
        expect(sentAtSignal).toBeLessThan(cut.bytes.length);
        expect(receivedAtSignal).toBeLessThan(big.bytes.length);

        // Every transfer fails on the client with an error code: none hangs, and no download
        // ends as if the piece were whole.
        const [up, ...down] = await Promise.all([outcome(uploading), ...downloads.map((d) => outcome(d.done))]);
        expect({ up, down }).toEqual({ up: 'PROTOCOL_STREAM_CLOSED', down: ['PROTOCOL_STREAM_CLOSED', 'PROTOCOL_STREAM_CLOSED', 'PROTOCOL_STREAM_CLOSED'] });
        expect(received.map((n) => n < big.bytes.length)).toEqual([true, true, true]);

        // The data directory as the stopped node left it: nothing of the cut upload.
        expect(readdirSync(join(dir, 'pieces', 'tmp'))).toEqual([]);
        const blobFiles = readdirSync(join(dir, 'pieces', 'blobs'), { recursive: true })
          .map(String)
          .filter((f) => /[0-9a-f]{64}/.test(f))
          .map((f) => /([0-9a-f]{64})/.exec(f)![1]!)
          .sort();
        expect(blobFiles).toEqual([hex(blob.id), hex(big.id)].sort());
        const store = await PieceStore.open({ dir: join(dir, 'pieces'), capacity: 2 ** 30 });
        try {
          expect(await store.has(cut.id)).toBe(false);
          const records = [];
          for await (const rec of store.list(satellite.id)) records.push(rec);
          const expected = [small, blob, big].sort((a, b) => hex(a.id).localeCompare(hex(b.id)));
          expect(records.map((r) => r.pieceId).sort()).toEqual(expected.map((p) => hex(p.id)));
          for (const p of expected) {
            const rec = await store.stat(p.id);
            expect({ size: rec.size, root: hex(rec.root) }).toEqual({ size: p.bytes.length, root: hex(pieceRoot(p.bytes)) });
          }
          expect(store.usedSpace()).toBe(small.bytes.length + blob.bytes.length + big.bytes.length);
        } finally {
          await store.close();
        }

        // Started again on the same directory: the earlier pieces are served whole and pass an
        // audit against the uploader's root; the cut one is not there.
        second = await runNode(dir);
        expect(second.nodeId).toBe(first.nodeId);
        const back = await Promise.all(
          [small, blob, big].map(async (p) => collect(downloadPiece(await client.dialProtocol(multiaddr(second!.address), PROTOCOL_DOWNLOAD), await satellite.order(second!.nodeId, PieceAction.GET, p.id))))
        );
        expect(back.map((b, i) => same(b, [small, blob, big][i]!.bytes))).toEqual([true, true, true]);
        const sat = await satellite.host();
        const leafCount = Math.ceil(big.bytes.length / 4096);
        const indices = [0, 1, Math.floor(leafCount / 2), leafCount - 1];
        const audit = await auditPiece(await sat.dialProtocol(multiaddr(second.address), PROTOCOL_AUDIT), await satellite.order(second.nodeId, PieceAction.AUDIT, big.id), indices);
        expect(audit.leafCount).toBe(leafCount);
        expect(verifyMultiLeafProof(pieceRoot(big.bytes), audit.leafCount, indices, audit.leaves, audit.proof)).toBe(true);
        const missing = outcome(
          collect(downloadPiece(await client.dialProtocol(multiaddr(second.address), PROTOCOL_DOWNLOAD), await satellite.order(second.nodeId, PieceAction.GET, cut.id)))
        );
        expect(await missing).toBe('PIECE_NOT_FOUND');
        // The cut piece can be uploaded afresh (a new order: the node keeps the old serial).
        const again = await satellite.order(second.nodeId, PieceAction.PUT, cut.id);
        await uploadPiece(await client.dialProtocol(multiaddr(second.address), PROTOCOL_UPLOAD), again, cut.bytes.length, [cut.bytes], { uplinkKey: satellite.uplink });
        const whole = await collect(downloadPiece(await client.dialProtocol(multiaddr(second.address), PROTOCOL_DOWNLOAD), await satellite.order(second.nodeId, PieceAction.GET, cut.id)));
        expect(same(whole, cut.bytes)).toBe(true);
        expect(await stopNode(second)).toBe(0);
        expect(existsSync(join(dir, 'identity.key'))).toBe(true);
        console.log(`${signal}: stopped in ${stopMs} ms with ${(sentAtSignal / MiB).toFixed(1)} MiB of 32 sent and ${(receivedAtSignal / MiB).toFixed(1)} MiB of 32 read at most; upload ${up}, downloads ${down.join(' ')}`);
      } finally {
        await stopNode(first);
        if (second) await stopNode(second);
      }
    }, 120_000);
  }

  it('SIGTERM with downloads alone streaming: each fails with PROTOCOL_STREAM_CLOSED, none ends short as if whole', async () => {
    // With no upload in flight the node's stop ended download streams cleanly at a frame
    // boundary, and downloadPiece returned a short piece as a whole one (in about half the tries:
    // the client library then took the node for a liar and reported it).
    const dir = tempDir('stowage-sigterm-get-');
    const node = await runNode(dir);
    try {
      const big = await upload(node, 5, 16 * MiB);
      const received = [0, 0, 0, 0];
      const downloads = await Promise.all(
        received.map(async (_, i) => {
          const get = await satellite.order(node.nodeId, PieceAction.GET, big.id);
          const stream = await client.dialProtocol(multiaddr(node.address), PROTOCOL_DOWNLOAD);
          return {
            done: (async () => {
              for await (const chunk of downloadPiece(stream, get)) {
                received[i]! += chunk.length;
                await sleep(50);
              }
            })()
          };
        })
      );
      for (const d of downloads) d.done.catch(() => undefined);
      await until(() => Math.min(...received) >= 512 * 1024, 'the downloads under way');
      const t = Date.now();
      node.child.kill('SIGTERM');
      expect(await node.exited).toBe(0);
      expect(Date.now() - t).toBeLessThan(DOCKER_GRACE_MS);
      const outcomes = await Promise.all(downloads.map((d) => outcome(d.done)));
      expect(outcomes).toEqual(['PROTOCOL_STREAM_CLOSED', 'PROTOCOL_STREAM_CLOSED', 'PROTOCOL_STREAM_CLOSED', 'PROTOCOL_STREAM_CLOSED']);
      expect(received.map((n) => n < big.bytes.length)).toEqual([true, true, true, true]);
    } finally {
      await stopNode(node);
    }
  }, 120_000);
});
