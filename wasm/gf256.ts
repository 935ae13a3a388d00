// GF(2^8) matrix-times-shards kernel, AssemblyScript compiled to WebAssembly with 128-bit SIMD.
//
// out[r] = XOR over j of coef[r][j] * in[j], byte by byte, for every output row r.
//
// Multiplication by a constant c uses the split-nibble method: c*x = T_lo[x & 15] ^ T_hi[x >> 4],
// where T_lo and T_hi are 16-byte tables (c*0..c*15 and c*0x00..c*0xF0) looked up with
// i8x16.swizzle (or relaxed_swizzle, see lookup). The host expands the coefficient matrix into
// those tables (see src/erasure/kernel.ts).
//
// Memory layout is owned by the host: `in` holds `k` shards at `stride` bytes apart, `out` holds
// `rows` shards at `stride` bytes apart, `tab` holds the expanded tables. Rows are processed in
// groups of 4, then one group of 2, then 1, and the table layout follows the same grouping:
//   group of G rows: for each input j, for each row r of the group: 16 bytes T_lo, 16 bytes T_hi.
// `len` must be a multiple of 16 (the host pads shards) and `sub` a multiple of 16: columns are
// processed `sub` bytes at a time so one slice of every input stays in L1 across all row groups.

// @ts-nocheck: this file is AssemblyScript, not TypeScript.

const LOW_NIBBLE: v128 = i8x16.splat(0x0f);

@inline
function nibbleLo(x: v128): v128 {
  return v128.and(x, LOW_NIBBLE);
}

@inline
function nibbleHi(x: v128): v128 {
  // i16x8.shr_u then mask measured 20-30% faster than i8x16.shr_u in V8.
  return v128.and(i16x8.shr_u(x, 4), LOW_NIBBLE);
}

/**
 * Table lookup. Our indices are always 0..15, so relaxed_swizzle (a bare pshufb on x64) gives the
 * same bytes as swizzle, which V8 must guard against out-of-range indices with extra instructions
 * (measured 1.6-1.8x slower). The relaxed build is used where the runtime accepts it (Node 22+).
 */
@inline
function lookup(table: v128, index: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i8x16.relaxed_swizzle(table, index);
  return i8x16.swizzle(table, index);
}

@inline
function mul(t: usize, lo: v128, hi: v128): v128 {
  return v128.xor(lookup(v128.load(t), lo), lookup(v128.load(t, 16), hi));
}

function group4(inp: usize, k: i32, outp: usize, tab: usize, stride: usize, start: usize, end: usize): void {
  for (let p = start; p < end; p += 16) {
    let a0 = i8x16.splat(0);
    let a1 = i8x16.splat(0);
    let a2 = i8x16.splat(0);
    let a3 = i8x16.splat(0);
    let src = inp + p;
    let t = tab;
    for (let j = 0; j < k; j++) {
      const x = v128.load(src);
      const lo = nibbleLo(x);
      const hi = nibbleHi(x);
      a0 = v128.xor(a0, mul(t, lo, hi));
      a1 = v128.xor(a1, mul(t + 32, lo, hi));
      a2 = v128.xor(a2, mul(t + 64, lo, hi));
      a3 = v128.xor(a3, mul(t + 96, lo, hi));
      src += stride;
      t += 128;
    }
    const dst = outp + p;
    v128.store(dst, a0);
    v128.store(dst + stride, a1);
    v128.store(dst + 2 * stride, a2);
    v128.store(dst + 3 * stride, a3);
  }
}

function group2(inp: usize, k: i32, outp: usize, tab: usize, stride: usize, start: usize, end: usize): void {
  // Two columns at once: the table loads are shared by both.
  let p = start;
  for (; p + 32 <= end; p += 32) {
    let a0 = i8x16.splat(0);
    let a1 = i8x16.splat(0);
    let b0 = i8x16.splat(0);
    let b1 = i8x16.splat(0);
    let src = inp + p;
    let t = tab;
    for (let j = 0; j < k; j++) {
      const x = v128.load(src);
      const y = v128.load(src, 16);
      const xl = nibbleLo(x);
      const xh = nibbleHi(x);
      const yl = nibbleLo(y);
      const yh = nibbleHi(y);
      let tl = v128.load(t);
      let th = v128.load(t, 16);
      a0 = v128.xor(a0, v128.xor(lookup(tl, xl), lookup(th, xh)));
      b0 = v128.xor(b0, v128.xor(lookup(tl, yl), lookup(th, yh)));
      tl = v128.load(t, 32);
      th = v128.load(t, 48);
      a1 = v128.xor(a1, v128.xor(lookup(tl, xl), lookup(th, xh)));
      b1 = v128.xor(b1, v128.xor(lookup(tl, yl), lookup(th, yh)));
      src += stride;
      t += 64;
    }
    const dst = outp + p;
    v128.store(dst, a0);
    v128.store(dst, b0, 16);
    v128.store(dst + stride, a1);
    v128.store(dst + stride, b1, 16);
  }
  for (; p < end; p += 16) {
    let a0 = i8x16.splat(0);
    let a1 = i8x16.splat(0);
    let src = inp + p;
    let t = tab;
    for (let j = 0; j < k; j++) {
      const x = v128.load(src);
      const lo = nibbleLo(x);
      const hi = nibbleHi(x);
      a0 = v128.xor(a0, mul(t, lo, hi));
      a1 = v128.xor(a1, mul(t + 32, lo, hi));
      src += stride;
      t += 64;
    }
    const dst = outp + p;
    v128.store(dst, a0);
    v128.store(dst + stride, a1);
  }
}

function group1(inp: usize, k: i32, outp: usize, tab: usize, stride: usize, start: usize, end: usize): void {
  // Two columns at once: with a single row there is little else to hide the table loads behind.
  let p = start;
  for (; p + 32 <= end; p += 32) {
    let a0 = i8x16.splat(0);
    let a1 = i8x16.splat(0);
    let src = inp + p;
    let t = tab;
    for (let j = 0; j < k; j++) {
      const x0 = v128.load(src);
      const x1 = v128.load(src, 16);
      const tl = v128.load(t);
      const th = v128.load(t, 16);
      a0 = v128.xor(a0, v128.xor(lookup(tl, nibbleLo(x0)), lookup(th, nibbleHi(x0))));
      a1 = v128.xor(a1, v128.xor(lookup(tl, nibbleLo(x1)), lookup(th, nibbleHi(x1))));
      src += stride;
      t += 32;
    }
    v128.store(outp + p, a0);
    v128.store(outp + p, a1, 16);
  }
  for (; p < end; p += 16) {
    let a0 = i8x16.splat(0);
    let src = inp + p;
    let t = tab;
    for (let j = 0; j < k; j++) {
      const x = v128.load(src);
      a0 = v128.xor(a0, mul(t, nibbleLo(x), nibbleHi(x)));
      src += stride;
      t += 32;
    }
    v128.store(outp + p, a0);
  }
}

/** Multiplies the k input shards by the (rows x k) matrix whose tables are at `tab`. */
export function apply(inp: usize, k: i32, outp: usize, rows: i32, tab: usize, stride: usize, len: usize, sub: usize): void {
  const groupBytes4: usize = <usize>k * 128;
  for (let start: usize = 0; start < len; start += sub) {
    const end = start + sub < len ? start + sub : len;
    let r = 0;
    let t = tab;
    let o = outp;
    for (; r + 4 <= rows; r += 4) {
      group4(inp, k, o, t, stride, start, end);
      t += groupBytes4;
      o += 4 * stride;
    }
    if (r + 2 <= rows) {
      group2(inp, k, o, t, stride, start, end);
      t += <usize>k * 64;
      o += 2 * stride;
      r += 2;
    }
    if (r < rows) {
      group1(inp, k, o, t, stride, start, end);
    }
  }
}

/** First byte of memory the host may use: everything below is the module's own static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
