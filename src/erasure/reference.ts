// The `reference` engine: reed-solomon-erasure (Rust) compiled to WebAssembly, npm
// @subspace/reed-solomon-erasure.wasm. Slow (no SIMD, copies everything per call) but independent
// of our kernel: the tests hold the two against each other. Its own limits (a trap at k+m > 256,
// data-only reconstruction, no empty shards, no m = 0) are handled here or by validation before.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ReedSolomonErasure } from '@subspace/reed-solomon-erasure.wasm';
import { ErasureError, ErasureErrorCode } from './errors.js';

let compiled: WebAssembly.Module | undefined;

/** A new instance of the library, with memory of its own. */
function instantiate(): ReedSolomonErasure {
  try {
    if (!compiled) {
      const entry = createRequire(import.meta.url).resolve('@subspace/reed-solomon-erasure.wasm');
      compiled = new WebAssembly.Module(readFileSync(join(dirname(entry), 'reed_solomon_erasure_bg.wasm')));
    }
    // The constructor is private in its typings; fromBytes would compile the module again.
    const Ctor = ReedSolomonErasure as unknown as new (exports: WebAssembly.Exports) => ReedSolomonErasure;
    return new Ctor(new WebAssembly.Instance(compiled, {}).exports);
  } catch (err) {
    throw new ErasureError(
      ErasureErrorCode.EngineUnavailable,
      `the reference erasure engine cannot load: ${(err as Error).message}`,
      { cause: err }
    );
  }
}

function check(result: number, what: string): void {
  if (result !== ReedSolomonErasure.RESULT_OK) {
    throw new ErasureError(ErasureErrorCode.EngineFailed, `reed-solomon-erasure ${what} returned error ${result}`);
  }
}

export class ReferenceEngine {
  readonly name = 'reference' as const;
  private readonly rs: ReedSolomonErasure;

  constructor(
    private readonly k: number,
    private readonly m: number
  ) {
    this.rs = instantiate();
  }

  encodeRange(data: readonly Uint8Array[], parity: readonly Uint8Array[], start: number, end: number): void {
    const { k, m } = this;
    const len = end - start;
    if (len <= 0 || m === 0) return;
    const buf = new Uint8Array((k + m) * len);
    data.forEach((d, j) => buf.set(d.subarray(start, end), j * len));
    check(this.rs.encode(buf, k, m), 'encode');
    parity.forEach((p, i) => p.set(buf.subarray((k + i) * len, (k + i + 1) * len), start));
  }

  /** outputs[i] receives shard missing[i]. */
  reconstructRange(
    shards: readonly (Uint8Array | null | undefined)[],
    present: readonly boolean[],
    missing: readonly number[],
    outputs: readonly Uint8Array[],
    start: number,
    end: number
  ): void {
    const { k, m } = this;
    const len = end - start;
    if (len <= 0 || missing.length === 0) return;
    const buf = new Uint8Array((k + m) * len);
    shards.forEach((s, i) => {
      if (s) buf.set(s.subarray(start, end), i * len);
    });
    // Its reconstruct frees the flags vector that its JS glue frees again: the double free
    // corrupts the allocator, and the next call returns wrong errors or traps. A fresh instance per
    // reconstruct keeps each one to a single call.
    // Any lost data shard is rebuilt, wanted or not: lost parity is encoded from all the data.
    if (present.slice(0, k).some((p) => !p)) check(instantiate().reconstruct(buf, k, m, [...present]), 'reconstruct');
    // The library rebuilds data shards only; lost parity comes from encoding the full data again.
    if (missing.some((i) => i >= k)) check(this.rs.encode(buf, k, m), 'encode');
    missing.forEach((idx, i) => outputs[i]!.set(buf.subarray(idx * len, (idx + 1) * len), start));
  }
}
