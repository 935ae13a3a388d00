// The built package as users load it: `stowage/erasure` through package.json exports (so the pool's
// compiled worker file and the kernel path resolution are exercised), and the `stowage` command.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('built package', () => {
  it('stowage/erasure encodes through the worker pool from dist/', () => {
    const script = `
      import { createCodec, createCodecPool } from 'stowage/erasure';
      import { randomBytes } from 'node:crypto';
      const pool = createCodecPool({ dataShards: 29, parityShards: 51, threads: 2 });
      const data = Array.from({ length: 29 }, () => new Uint8Array(randomBytes(65536)));
      // Shared output buffers are written by the workers in place (the worker path, not a copy).
      const into = Array.from({ length: 51 }, () => new Uint8Array(new SharedArrayBuffer(65536)));
      const parity = await pool.encode(data, into);
      const same = Buffer.concat(parity).equals(Buffer.concat(createCodec({ dataShards: 29, parityShards: 51 }).encode(data)));
      await pool.close();
      console.log(JSON.stringify({ same, shared: parity[0] === into[0] && parity[0].buffer instanceof SharedArrayBuffer }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ same: true, shared: true });
  });

  it('stowage info reports the engine; unknown commands fail with a message, not a stack', () => {
    const info = JSON.parse(execFileSync(process.execPath, ['dist/cli/main.js', 'info'], { cwd: root, encoding: 'utf8' })) as {
      erasure: { defaultEngine: string };
    };
    expect(info.erasure.defaultEngine).toBe('simd');
    const bad = spawnSync(process.execPath, ['dist/cli/main.js', 'frobnicate'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^stowage: unknown command 'frobnicate'/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
