// `stowage node run` as a real process: starts, serves, and on SIGTERM stops cleanly (exit 0,
// stores closed); started again it has the same identity and the piece.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildrenAfterAll } from './fixtures/children.js';
import { runNodeProcess, type NodeProcess } from './fixtures/node-process.js';
import { PROTOCOL_DOWNLOAD, PROTOCOL_UPLOAD, PieceAction, downloadPiece, uploadPiece } from '../../src/protocol/index.js';
import { collect, pieceBytes } from './fixtures/pieces.js';
import { TestSatellite, newPieceId, startClient } from './fixtures/network.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'stowage-node-proc-'));
let satellite: TestSatellite;
let client: Libp2p;
killChildrenAfterAll();

beforeAll(async () => {
  satellite = await TestSatellite.create();
  client = await startClient();
});
afterAll(async () => {
  await client?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Running extends NodeProcess {
  address: string;
}

async function runNode(): Promise<Running> {
  const node = await runNodeProcess({ satellite: `${satellite.id}@/ip4/127.0.0.1/tcp/1`, dataDir: dir, capacity: '100MB' });
  return { ...node, address: node.addresses[0]! };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('stowage node run', () => {
  it('serves, stops cleanly on SIGTERM, and comes back with its identity and pieces', async () => {
    const first = await runNode();
    const bytes = pieceBytes(21, 500_000);
    const pieceId = newPieceId();
    const put = await satellite.order(first.nodeId, PieceAction.PUT, pieceId);
    await uploadPiece(await client.dialProtocol(multiaddr(first.address), PROTOCOL_UPLOAD), put, bytes.length, [bytes], { uplinkKey: satellite.uplink });
    const exited = exitOf(first.child);
    const t = Date.now();
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Within Docker's stop grace period (10 s), after which it would SIGKILL the node.
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(first.logs.some((l) => l.includes('storage node stopped'))).toBe(true);

    const second = await runNode();
    try {
      expect(second.nodeId).toBe(first.nodeId);
      const get = await satellite.order(second.nodeId, PieceAction.GET, pieceId);
      const got = await collect(downloadPiece(await client.dialProtocol(multiaddr(second.address), PROTOCOL_DOWNLOAD), get));
      expect(Buffer.from(got).equals(Buffer.from(bytes))).toBe(true);
    } finally {
      const exited2 = exitOf(second.child);
      second.child.kill('SIGTERM');
      expect(await exited2).toBe(0);
    }
  });

  it('a bad flag is a message and exit code 2, not a stack trace', async () => {
    const child = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'node', 'run', '--capacity', 'lots'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(err).toMatch(/^stowage: capacity 'lots' is not a size/);
  });
});
