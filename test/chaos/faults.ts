// Bad disks and cheaters: a node whose piece files get bytes overwritten, one that keeps zeros
// instead of its pieces, and one whose piece files vanish.
// Both keep happening until the run ends (new pieces go bad too), as a failing disk would.
import { randomBytes } from 'node:crypto';
import { open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function pieceFiles(dataDir: string): Promise<string[]> {
  const root = join(dataDir, 'pieces', 'blobs');
  const out: string[] = [];
  for (const sub of await readdir(root).catch(() => [] as string[])) {
    for (const f of await readdir(join(root, sub)).catch(() => [] as string[])) out.push(join(root, sub, f));
  }
  return out;
}

/** Overwrites 64 bytes in the middle of every piece file not spoiled yet; returns how many. */
export async function corruptPieces(dataDir: string, spoiled: Set<string>): Promise<number> {
  let n = 0;
  for (const file of await pieceFiles(dataDir)) {
    if (spoiled.has(file)) continue;
    try {
      const { size } = await stat(file);
      if (size === 0) continue;
      const fh = await open(file, 'r+');
      try {
        const len = Math.min(64, size);
        await fh.write(randomBytes(len), 0, len, Math.floor((size - len) / 2));
      } finally {
        await fh.close();
      }
      spoiled.add(file);
      n++;
    } catch {
      // removed under us (deleted or trashed): nothing to spoil
    }
  }
  return n;
}

/**
 * Overwrites every piece file not zeroed yet with zeros of the same size (a node that keeps
 * zeros instead of what it was given: it signed its receipts, and holds none of the bytes);
 * returns how many.
 */
export async function zeroPieces(dataDir: string, zeroed: Set<string>): Promise<number> {
  let n = 0;
  const zeros = new Uint8Array(1024 * 1024);
  for (const file of await pieceFiles(dataDir)) {
    if (zeroed.has(file)) continue;
    try {
      const { size } = await stat(file);
      const fh = await open(file, 'r+');
      try {
        for (let off = 0; off < size; off += zeros.length) await fh.write(zeros, 0, Math.min(zeros.length, size - off), off);
      } finally {
        await fh.close();
      }
      zeroed.add(file);
      n++;
    } catch {
      // removed under us (deleted or trashed): nothing to zero
    }
  }
  return n;
}

/** Deletes every piece file; returns how many. */
export async function deletePieces(dataDir: string): Promise<number> {
  let n = 0;
  for (const file of await pieceFiles(dataDir)) {
    await rm(file, { force: true });
    n++;
  }
  return n;
}

/** Runs `fault` every `ms` until `stop` is called; counts what it did. */
export function keepDoing(fault: () => Promise<number>, ms: number): { stop: () => Promise<void>; count: () => number } {
  let total = 0;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(fault).then((n) => (total += n)).catch(() => undefined);
  }, ms);
  running = fault().then((n) => (total += n)).catch(() => undefined);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
    count: () => total
  };
}
