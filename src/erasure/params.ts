import { ErasureError, ErasureErrorCode } from './errors.js';

/** GF(2^8) has 256 elements, so at most 256 distinct rows in the Vandermonde matrix. */
export const MAX_TOTAL_SHARDS = 256;

export function checkParams(dataShards: unknown, parityShards: unknown): void {
  if (!Number.isInteger(dataShards) || (dataShards as number) < 1) {
    throw new ErasureError(ErasureErrorCode.InvalidDataShards, `dataShards must be an integer >= 1, got ${String(dataShards)}`);
  }
  if (!Number.isInteger(parityShards) || (parityShards as number) < 0) {
    throw new ErasureError(ErasureErrorCode.InvalidParityShards, `parityShards must be an integer >= 0, got ${String(parityShards)}`);
  }
  const total = (dataShards as number) + (parityShards as number);
  if (total > MAX_TOTAL_SHARDS) {
    throw new ErasureError(
      ErasureErrorCode.TooManyShards,
      `dataShards + parityShards must be at most ${MAX_TOTAL_SHARDS}, got ${dataShards as number} + ${parityShards as number} = ${total}`
    );
  }
}

function checkShard(shard: unknown, index: number): asserts shard is Uint8Array {
  if (!(shard instanceof Uint8Array)) {
    throw new ErasureError(ErasureErrorCode.InvalidShard, `shard ${index} is not a Uint8Array`);
  }
}

/** Validates the data shards of an encode and returns their common length. */
export function checkEncodeInput(data: unknown, dataShards: number): number {
  if (!Array.isArray(data) || data.length !== dataShards) {
    const got = Array.isArray(data) ? `${data.length} shards` : typeof data;
    throw new ErasureError(ErasureErrorCode.WrongShardCount, `encode needs exactly ${dataShards} data shards, got ${got}`);
  }
  let length = -1;
  data.forEach((shard, i) => {
    checkShard(shard, i);
    if (length === -1) length = shard.length;
    else if (shard.length !== length) {
      throw new ErasureError(ErasureErrorCode.ShardSizeMismatch, `shard ${i} has ${shard.length} bytes, shard 0 has ${length}`);
    }
  });
  return length;
}

export interface ReconstructInput {
  /** Common length of the present shards. */
  length: number;
  /** present[i]: shard i was given. */
  present: boolean[];
  /** Indices of the absent shards, ascending. */
  missing: number[];
}

/** Validates the shards of a reconstruct: totalShards entries, null or undefined where lost. */
export function checkReconstructInput(shards: unknown, dataShards: number, totalShards: number): ReconstructInput {
  if (!Array.isArray(shards) || shards.length !== totalShards) {
    const got = Array.isArray(shards) ? `${shards.length} entries` : typeof shards;
    throw new ErasureError(
      ErasureErrorCode.WrongShardCount,
      `reconstruct needs an array of all ${totalShards} shards (null where lost), got ${got}`
    );
  }
  let length = -1;
  let first = -1;
  const present: boolean[] = [];
  const missing: number[] = [];
  for (let i = 0; i < totalShards; i++) {
    const shard: unknown = shards[i];
    if (shard === null || shard === undefined) {
      present.push(false);
      missing.push(i);
      continue;
    }
    checkShard(shard, i);
    if (length === -1) {
      length = shard.length;
      first = i;
    } else if (shard.length !== length) {
      throw new ErasureError(ErasureErrorCode.ShardSizeMismatch, `shard ${i} has ${shard.length} bytes, shard ${first} has ${length}`);
    }
    present.push(true);
  }
  const count = totalShards - missing.length;
  if (count < dataShards) {
    throw new ErasureError(
      ErasureErrorCode.TooFewShards,
      `${count} of ${totalShards} shards present, at least ${dataShards} are needed to reconstruct`
    );
  }
  return { length, present, missing };
}

/** Validates caller-supplied output shards: `count` of them, each `length` bytes. */
export function checkOutputShards(into: unknown, count: number, length: number): Uint8Array[] {
  if (!Array.isArray(into) || into.length !== count) {
    const got = Array.isArray(into) ? `${into.length} shards` : typeof into;
    throw new ErasureError(ErasureErrorCode.WrongShardCount, `${count} output shards are written, got ${got} to write into`);
  }
  into.forEach((shard, i) => {
    checkShard(shard, i);
    if (shard.length !== length) {
      throw new ErasureError(ErasureErrorCode.ShardSizeMismatch, `output shard ${i} has ${shard.length} bytes, the data shards have ${length}`);
    }
  });
  return into as Uint8Array[];
}

/** Parity row numbers for encodeRows: distinct integers in [0, m), at least one. */
export function checkParityRows(rows: unknown, parityShards: number): number[] {
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > parityShards) {
    throw new ErasureError(ErasureErrorCode.WrongShardCount, `encodeRows needs 1 to ${parityShards} parity rows, got ${Array.isArray(rows) ? rows.length : typeof rows}`);
  }
  const seen = new Set<number>();
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 0 || r >= parityShards || seen.has(r as number)) {
      throw new ErasureError(ErasureErrorCode.WrongShardCount, `parity row ${String(r)} is not a distinct row in [0, ${parityShards})`);
    }
    seen.add(r as number);
  }
  return rows as number[];
}

/** Shard numbers for reconstructRows: distinct integers in [0, total), each one absent, at least one. */
export function checkWantedRows(rows: unknown, present: readonly boolean[]): number[] {
  const total = present.length;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > total) {
    throw new ErasureError(ErasureErrorCode.WrongShardCount, `reconstructRows needs 1 to ${total} shard numbers, got ${Array.isArray(rows) ? rows.length : typeof rows}`);
  }
  const seen = new Set<number>();
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 0 || r >= total || seen.has(r as number) || present[r as number]) {
      throw new ErasureError(ErasureErrorCode.WrongShardCount, `shard ${String(r)} is not a distinct lost shard in [0, ${total})`);
    }
    seen.add(r as number);
  }
  return rows as number[];
}
