import { defaultEngine, type EngineName } from './codec.js';
import { kernelVariant, simdAvailable, type KernelVariant } from './kernel.js';

export interface ErasureEngineInfo {
  /** The engine createCodec uses when none is named. */
  defaultEngine: EngineName;
  /** Whether the simd engine can run here. */
  simd: boolean;
  /** Which build of our kernel the simd engine runs: relaxed SIMD (Node 22+) or plain SIMD128. */
  kernel: KernelVariant | null;
  runtime: string;
}

/** Which engine and kernel this process uses, for benchmarks and diagnostics. */
export function erasureEngineInfo(): ErasureEngineInfo {
  const simd = simdAvailable();
  return { defaultEngine: defaultEngine(), simd, kernel: simd ? kernelVariant() : null, runtime: `node ${process.version}` };
}
