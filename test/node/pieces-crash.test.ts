// Kills a process writing pieces with SIGKILL at random moments, many times, and checks the store
// after each restart: acknowledged pieces are there and intact, nothing half-written is visible,
// used space equals the sum of the pieces, and no piece file is left without its record.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pieceRoot } from '../../src/merkle/index.js';
import { PieceStore } from '../../src/node/pieces/index.js';
import { seededRandom } from '../fixtures/random.js';
import { collect, pieceBytes, seedOf } from './fixtures/pieces.js';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'stowage-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  lines: string[];
}

function runAndKill(firstSeed: number, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, join(here, 'fixtures', 'piece-writer.ts'), dir, String(firstSeed)], {
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // Start the clock once the store is open, so every kill lands among writes.
      if (!timer && out.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (${signal ?? _code}): ${err}`));
      else resolve({ lines: out.split('\n').filter(Boolean) });
    });
  });
}

describe('piece store under SIGKILL', () => {
  it('restarts consistent after every kill', async () => {
    const random = seededRandom(0x5eed); // the same kill schedule every run
    const acknowledged = new Set<number>(); // committed and not (being) deleted
    const uncertain = new Set<number>(); // a put or delete the kill may have interrupted
    let nextSeed = 0;
    let kills = 0;
    let puts = 0;
    let interrupted = 0;
    // A fixed number of kills, however long a loaded machine takes for them (the test's timeout
    // bounds it), not as many as fit in 40 s.
    while (kills < 14) {
      const run = await runAndKill(nextSeed, 40 + Math.floor(random() * 700));
      kills++;
      for (const line of run.lines) {
        const [what, n] = line.split(' ');
        const seed = Number(n);
        if (what === 'put') uncertain.add(seed);
        if (what === 'ok') {
          uncertain.delete(seed);
          acknowledged.add(seed);
          puts++;
          nextSeed = Math.max(nextSeed, seed + 1);
        }
        if (what === 'del') {
          acknowledged.delete(seed);
          uncertain.add(seed);
        }
        if (what === 'deleted') uncertain.delete(seed);
        if (what === 'put') nextSeed = Math.max(nextSeed, seed + 1);
      }

      const store = await PieceStore.open({ dir, capacity: 2 ** 34 });
      try {
        const present = new Map<number, number>();
        for await (const rec of store.list('sat-1')) {
          const seed = seedOf(rec.pieceId);
          const bytes = pieceBytes(seed);
          expect(rec.size, `size of piece ${seed}`).toBe(bytes.length);
          expect(Buffer.from(rec.root).equals(Buffer.from(pieceRoot(bytes))), `root of piece ${seed}`).toBe(true);
          const stored = await collect(await store.get(rec.pieceId));
          expect(Buffer.from(stored).equals(Buffer.from(bytes)), `bytes of piece ${seed}`).toBe(true);
          present.set(seed, rec.size);
        }
        for (const seed of acknowledged) expect(present.has(seed), `acknowledged piece ${seed} after kill ${kills}`).toBe(true);
        for (const seed of present.keys()) {
          expect(acknowledged.has(seed) || uncertain.has(seed), `piece ${seed} was never acknowledged`).toBe(true);
        }
        // Settle the uncertain ones: what the store says now is what is true from here on.
        interrupted += uncertain.size;
        for (const seed of uncertain) if (present.has(seed)) acknowledged.add(seed);
        uncertain.clear();
        const sum = [...present.values()].reduce((a, b) => a + b, 0);
        expect(store.usedSpace()).toBe(sum);
        expect(store.usedSpace('sat-1')).toBe(sum);
        // Test-only scan: every piece file has its record, and no temporary file survives the open.
        const files = readdirSync(join(dir, 'blobs'), { recursive: true }).map(String).filter((f) => f.length > 3);
        const fileSeeds = files.map((f) => seedOf(f.slice(f.indexOf('/') + 1)));
        expect(fileSeeds.sort((a, b) => a - b)).toEqual([...present.entries()].filter(([, size]) => size >= 65536).map(([s]) => s).sort((a, b) => a - b));
        expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
      } finally {
        await store.close();
      }
    }
    console.log(`crash test: ${kills} kills, ${puts} acknowledged puts, ${interrupted} operations cut short, ${acknowledged.size} pieces at the end`);
    expect(kills).toBe(14);
    expect(interrupted).toBeGreaterThan(0);
    expect(puts).toBeGreaterThan(kills);
  }, 300_000);
});
