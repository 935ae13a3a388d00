// The `simd` engine: our WebAssembly SIMD kernel driven by coding and decode matrices.
import { codingMatrix, invert, multiply, selectRows } from './matrix.js';
import { sharedKernel, toKernelMatrix, type GfKernel, type KernelMatrix } from './kernel.js';

/** Decode matrices kept per codec, one per erasure pattern, least recently used dropped first. */
const DECODE_CACHE_SIZE = 64;

export class SimdEngine {
  readonly name = 'simd' as const;
  private readonly kernel: GfKernel;
  private readonly parity: KernelMatrix;
  private readonly decodeCache = new Map<string, { inputs: number[]; matrix: KernelMatrix }>();

  constructor(
    private readonly k: number,
    private readonly m: number
  ) {
    this.kernel = sharedKernel();
    const cm = codingMatrix(k, m);
    this.parity = toKernelMatrix(selectRows(cm, Array.from({ length: m }, (_, i) => k + i)));
  }

  encodeRange(data: readonly Uint8Array[], parity: readonly Uint8Array[], start: number, end: number): void {
    this.kernel.apply(this.parity, data, parity, start, end);
  }

  reconstructRange(
    shards: readonly (Uint8Array | null | undefined)[],
    present: readonly boolean[],
    missing: readonly number[],
    outputs: readonly Uint8Array[],
    start: number,
    end: number
  ): void {
    if (missing.length === 0) return;
    const plan = this.decodePlan(present, missing);
    const inputs = plan.inputs.map((i) => shards[i]!);
    this.kernel.apply(plan.matrix, inputs, outputs, start, end);
  }

  /**
   * From the first k present shards to every missing one: rows of the coding matrix for the missing
   * shards times the inverse of the rows for the present ones.
   */
  private decodePlan(present: readonly boolean[], missing: readonly number[]): { inputs: number[]; matrix: KernelMatrix } {
    // The plan depends on which shards are asked for too (encodeRows asks for some parity rows).
    const key = `${present.map((p) => (p ? '1' : '0')).join('')}|${missing.join(',')}`;
    let plan = this.decodeCache.get(key);
    if (plan) {
      this.decodeCache.delete(key);
    } else {
      const cm = codingMatrix(this.k, this.m);
      const inputs: number[] = [];
      for (let i = 0; i < present.length && inputs.length < this.k; i++) if (present[i]) inputs.push(i);
      const decode = invert(selectRows(cm, inputs));
      plan = { inputs, matrix: toKernelMatrix(multiply(selectRows(cm, [...missing]), decode)) };
      if (this.decodeCache.size >= DECODE_CACHE_SIZE) this.decodeCache.delete(this.decodeCache.keys().next().value!);
    }
    this.decodeCache.set(key, plan);
    return plan;
  }
}
