/** Where a shard lives in shared memory: `len` bytes at `offset` of `buffer`. */
export interface SharedShard {
  buffer: SharedArrayBuffer;
  offset: number;
}

/** A column range of one call, for one pool thread. */
export type PoolRequest = {
  id: number;
  inputs: SharedShard[];
  outputs: SharedShard[];
  len: number;
  start: number;
  end: number;
} & ({ op: 'encode' } | { op: 'reconstruct'; chosen: number[]; missing: number[] });

export interface PoolResponse {
  id: number;
  error?: { code: string; message: string };
}
