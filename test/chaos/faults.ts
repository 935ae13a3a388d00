// Bad disks and cheaters: a node whose piece files get bytes overwritten, one that keeps zeros
// instead of its pieces, and one whose piece files vanish.
// Both keep happening until the run ends (new pieces go bad too), as a failing disk would.
// Besides: small filesystems of their own (tmpfs) filled to the last byte, and clocks set off
// (Debian's libfaketime).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';

/** The environment that runs a process with its clock `offsetMs` off (libfaketime, Debian's faketime). */
export function clockOffsetEnv(offsetMs: number): Record<string, string> {
  if (!existsSync(LIBFAKETIME)) throw new Error(`clock skew needs ${LIBFAKETIME}: apt-get install faketime`);
  const s = Math.round(offsetMs / 1000);
  return { LD_PRELOAD: LIBFAKETIME, FAKETIME: `${s >= 0 ? '+' : ''}${s}s`, FAKETIME_DONT_RESET: '1' };
}

/** Mounts a tmpfs of `bytes` at `dir` (made if missing): a disk of its own (needs root). */
export function mountTmpfs(dir: string, bytes: number): void {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`the disk-full fault mounts a tmpfs and needs root: ${(err as Error).message}`);
  }
}

export function unmount(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  } catch {
    // not mounted (the run stopped before)
  }
}

/**
 * Writes FILE until the filesystem has not one byte left: ENOSPC, as another program filling the
 * disk would. Returns the bytes written.
 */
export async function fillDisk(file: string): Promise<number> {
  const fh = await open(file, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const block = new Uint8Array(size);
      for (;;) {
        try {
          const { bytesWritten } = await fh.write(block, 0, size);
          written += bytesWritten;
          if (bytesWritten < size) break;
        } catch (err) {
          if ((err as { code?: string }).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
  return written;
}

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
