/** A slice of work for one pool thread. Shards sit `len` bytes apart in the shared buffers. */
export type PoolRequest = {
  id: number;
  input: SharedArrayBuffer;
  inputCount: number;
  output: SharedArrayBuffer;
  outputCount: number;
  len: number;
  start: number;
  end: number;
} & ({ op: 'encode' } | { op: 'reconstruct'; chosen: number[]; missing: number[] });

export interface PoolResponse {
  id: number;
  error?: { code: string; message: string };
}
