// Host side of the WebAssembly SIMD kernel in wasm/gf256.ts: expands coefficient matrices into
// split-nibble tables, moves shard columns through the kernel's memory block by block, and keeps
// that memory for the life of the process (it grows only when a call needs more than any before).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErasureError, ErasureErrorCode } from './errors.js';
import { gfMul } from './galois.js';
import type { Matrix } from './matrix.js';

/** The kernel builds; src/erasure and dist/erasure are both two levels below the package root. */
const KERNEL_FILES = {
  simd128: fileURLToPath(new URL('../../build/wasm/gf256.wasm', import.meta.url)),
  relaxed: fileURLToPath(new URL('../../build/wasm/gf256-relaxed.wasm', import.meta.url))
} as const;

/** `relaxed` (relaxed SIMD: Node 22+) where the runtime accepts it, else `simd128`. */
export type KernelVariant = keyof typeof KERNEL_FILES;

/** Bytes of shard columns staged in kernel memory per call: inputs + outputs stay in L2. */
const BLOCK_BUDGET = 256 * 1024;
const MIN_BLOCK = 1024;
const MAX_BLOCK = 64 * 1024;
/** Columns the kernel walks through all row groups at once: keeps one slice of each input in L1. */
const SUB_BLOCK = 512;
const PAGE = 65536;

interface KernelExports {
  memory: WebAssembly.Memory;
  apply(inp: number, k: number, outp: number, rows: number, tab: number, stride: number, len: number, sub: number): void;
  heapBase(): number;
}

/** For every coefficient c, 16 bytes c*0..c*15 then 16 bytes c*0x00..c*0xF0. */
const NIBBLE_TABLES = (() => {
  const t = new Uint8Array(256 * 32);
  for (let c = 0; c < 256; c++) {
    for (let x = 0; x < 16; x++) {
      t[c * 32 + x] = gfMul(c, x);
      t[c * 32 + 16 + x] = gfMul(c, x << 4);
    }
  }
  return t;
})();

/** A matrix in the layout the kernel reads (see wasm/gf256.ts). */
export interface KernelMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly tables: Uint8Array;
}

export function toKernelMatrix(m: Matrix): KernelMatrix {
  const { rows, cols, data } = m;
  const tables = new Uint8Array(rows * cols * 32);
  let o = 0;
  let r = 0;
  const emitGroup = (size: number): void => {
    for (let j = 0; j < cols; j++) {
      for (let g = 0; g < size; g++) {
        const c = data[(r + g) * cols + j]!;
        tables.set(NIBBLE_TABLES.subarray(c * 32, c * 32 + 32), o);
        o += 32;
      }
    }
    r += size;
  };
  while (r + 4 <= rows) emitGroup(4);
  if (r + 2 <= rows) emitGroup(2);
  if (r < rows) emitGroup(1);
  return { rows, cols, tables };
}

let compiled: { module: WebAssembly.Module; variant: KernelVariant } | undefined;
let loadError: string | undefined;

function compile(variant: KernelVariant): WebAssembly.Module | undefined {
  const file = KERNEL_FILES[variant];
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\``);
  const bytes = readFileSync(file);
  return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : undefined;
}

/**
 * The kernel for this runtime. STOWAGE_ERASURE_KERNEL=simd128|relaxed forces one (diagnostics,
 * benchmarks); otherwise relaxed where it validates, simd128 where only plain SIMD does.
 */
function kernelModule(): { module: WebAssembly.Module; variant: KernelVariant } {
  if (compiled) return compiled;
  if (loadError === undefined) {
    try {
      const forced = process.env.STOWAGE_ERASURE_KERNEL;
      if (forced !== undefined && forced !== '' && !(forced in KERNEL_FILES)) {
        throw new Error(`STOWAGE_ERASURE_KERNEL must be simd128 or relaxed, got ${forced}`);
      }
      const order: KernelVariant[] = forced ? [forced as KernelVariant] : ['relaxed', 'simd128'];
      for (const variant of order) {
        const module = compile(variant);
        if (module) return (compiled = { module, variant });
      }
      throw new Error(`this runtime does not support WebAssembly ${order.join(' or ')}`);
    } catch (err) {
      loadError = (err as Error).message;
    }
  }
  throw new ErasureError(ErasureErrorCode.EngineUnavailable, `the simd erasure engine cannot run: ${loadError}`);
}

/** True when the SIMD kernel is built and this runtime can run it. */
export function simdAvailable(): boolean {
  try {
    kernelModule();
    return true;
  } catch {
    return false;
  }
}

/** Which build of the kernel the simd engine runs here. */
export function kernelVariant(): KernelVariant {
  return kernelModule().variant;
}

/** One kernel instance and its memory; shared by every codec of a thread (calls are synchronous). */
export class GfKernel {
  private readonly exports: KernelExports;
  private readonly base: number;
  private bytes: Uint8Array;
  private loaded: KernelMatrix | undefined;

  constructor() {
    const instance = new WebAssembly.Instance(kernelModule().module, {});
    this.exports = instance.exports as unknown as KernelExports;
    this.base = this.exports.heapBase();
    this.bytes = new Uint8Array(this.exports.memory.buffer);
  }

  /** Current size of the kernel's memory, for tests that check it does not grow per call. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /**
   * outputs[r][start..end) = sum over j of m[r][j] * inputs[j][start..end), for every row r.
   * inputs and outputs may be views of any buffer, shared ones included.
   */
  apply(m: KernelMatrix, inputs: readonly Uint8Array[], outputs: readonly Uint8Array[], start: number, end: number): void {
    const k = m.cols;
    const rows = m.rows;
    const len = end - start;
    if (len <= 0 || rows === 0) return;
    const block = blockSize(k + rows, len);
    const tabPtr = this.base;
    const inPtr = tabPtr + align(m.tables.length, 64);
    const outPtr = inPtr + k * block;
    this.reserve(outPtr + rows * block);
    if (this.loaded !== m) {
      this.bytes.set(m.tables, tabPtr);
      this.loaded = m;
    }
    const mem = this.bytes;
    for (let off = start; off < end; off += block) {
      const n = Math.min(block, end - off);
      const stride = align(n, 16);
      for (let j = 0; j < k; j++) mem.set(inputs[j]!.subarray(off, off + n), inPtr + j * stride);
      this.exports.apply(inPtr, k, outPtr, rows, tabPtr, stride, stride, SUB_BLOCK);
      for (let r = 0; r < rows; r++) {
        const from = outPtr + r * stride;
        outputs[r]!.set(mem.subarray(from, from + n), off);
      }
    }
  }

  private reserve(bytes: number): void {
    const memory = this.exports.memory;
    if (bytes <= memory.buffer.byteLength) return;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    this.bytes = new Uint8Array(memory.buffer);
    this.loaded = undefined;
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function blockSize(shards: number, len: number): number {
  const fit = Math.floor(BLOCK_BUDGET / shards / 64) * 64;
  const block = Math.min(MAX_BLOCK, Math.max(MIN_BLOCK, fit));
  return Math.min(block, align(len, 16));
}

let shared: GfKernel | undefined;

/** The thread's kernel instance. */
export function sharedKernel(): GfKernel {
  shared ??= new GfKernel();
  return shared;
}
